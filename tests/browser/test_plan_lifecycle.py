"""One District Export Action Plan through its whole lifecycle in real Chromium, with the
demo accounts of ``dehub demo`` (Moradabad): the district officer signs in, drafts the plan
from the data and edits a section; the DEPC chair approves it; the state officer endorses it
from the state view; the national administrator notifies it from the national table and
downloads the PDF. Each role sees only its own lifecycle button. Screenshots of every step go
to ``test-artifacts/screenshots/lifecycle-*.png``.

The server runs with ``DEHUB_ENV=development`` (the session cookie is not ``Secure``, as on a
plain-HTTP laptop) on its own SQLite records database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dehub.records import db
from dehub.services.records.demo import DEMO_PASSWORD, create_demo, demo_email
from dehub.settings import Settings
from dehub.web.app import create_app
from tests.browser.conftest import ARTIFACTS, offline_page, screenshot, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DISTRICT = "171"  # Moradabad
PERIOD = "2030-31"


@pytest.fixture(scope="module")
def workspace_server(
    initialised_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    records = tmp_path_factory.mktemp("lifecycle") / "records.sqlite"
    settings = Settings(
        home=initialised_home, env="development", database_url=f"sqlite:///{records}"
    )
    engine = db.make_engine(settings.records_url)
    db.upgrade(engine)
    with db.session_scope(engine) as session:
        create_demo(session, settings)
    with serve(create_app(settings, records_engine=engine)) as url:
        yield url
    engine.dispose()


@pytest.fixture
def tab(browser: Any, workspace_server: str) -> Iterator[Any]:
    errors: list[str] = []
    with offline_page(browser, workspace_server) as page:
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page
    assert not errors, errors


def sign_in(page: Any, who: str, step: str) -> None:
    page.goto("/login")
    page.fill("#login-email", demo_email(who))
    page.fill("#login-password", DEMO_PASSWORD)
    page.click("form.record button[type=submit]")
    page.wait_for_load_state()
    screenshot(page, f"lifecycle-{step}-{who}-signed-in")


def sign_out(page: Any) -> None:
    page.click(".account button")
    page.wait_for_url("**/")


BUTTONS = ("Approve for the DEPC", "Endorse for the SEPC", "Notify the plan")


def buttons(page: Any) -> set[str]:
    return {b for b in BUTTONS if page.get_by_role("button", name=b).count()}


def test_one_plan_through_its_whole_lifecycle(tab: Any) -> None:
    page = tab
    # 1. the district officer drafts the plan from the data and edits a section
    sign_in(page, "district", "1")
    assert page.url.endswith(f"/workspace/districts/{DISTRICT}")
    page.fill("#new-period", PERIOD)
    page.select_option("select[name=mode]", "draft")
    page.get_by_role("button", name="Create plan").click()
    page.wait_for_url("**?plan=*")
    assert "Draft" in page.locator("#plan-status").inner_text()
    profile = page.locator("#body-export_profile").input_value()
    assert "Moradabad" in profile  # pre-filled from the analytics
    page.fill("#body-ecommerce", "Onboard 40 brass artisans on two e-commerce export platforms.")
    page.locator("#section-ecommerce button").click()
    page.wait_for_url("**#section-ecommerce")
    assert "40 brass artisans" in page.locator("#body-ecommerce").input_value()
    assert buttons(page) == {"Approve for the DEPC"}  # the district officer may approve too
    screenshot(page, "lifecycle-1-district-drafted")
    sign_out(page)

    # 2. the DEPC chair approves
    sign_in(page, "depc", "2")
    assert buttons(page) == {"Approve for the DEPC"}
    page.get_by_role("button", name="Approve for the DEPC").click()
    page.wait_for_load_state()
    assert "DEPC approved" in page.locator("#plan-status").inner_text()
    assert buttons(page) == set()
    assert page.locator("#body-ecommerce").count() == 0  # no editing after approval
    screenshot(page, "lifecycle-2-depc-approved")
    sign_out(page)

    # 3. the state officer endorses, from the state view
    sign_in(page, "state", "3")
    assert "/workspace/states/" in page.url
    page.get_by_role("link", name="Moradabad").first.click()
    page.wait_for_url(f"**/workspace/districts/{DISTRICT}")
    assert buttons(page) == {"Endorse for the SEPC"}
    page.get_by_role("button", name="Endorse for the SEPC").click()
    page.wait_for_load_state()
    assert "SEPC endorsed" in page.locator("#plan-status").inner_text()
    screenshot(page, "lifecycle-3-sepc-endorsed")
    sign_out(page)

    # 4. the national administrator notifies it from the national table, then the PDF
    sign_in(page, "admin", "4")
    assert page.url.endswith("/workspace")
    page.get_by_role("link", name="Moradabad").first.click()
    page.wait_for_url(f"**/workspace/districts/{DISTRICT}")
    assert buttons(page) == {"Notify the plan"}
    page.get_by_role("button", name="Notify the plan").click()
    page.wait_for_load_state()
    assert "Notified" in page.locator("#plan-status").inner_text()
    screenshot(page, "lifecycle-4-notified")
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    download = info.value
    target = ARTIFACTS / "lifecycle-deap.pdf"
    download.save_as(str(target))
    assert download.suggested_filename == f"deap-moradabad-{PERIOD}-r1.pdf"
    assert target.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "NOTIFIED" in text and "40 brass artisans" in text
