"""The workspace pages: who is sent where, what each role sees (lifecycle buttons only for
who may use them), the forms (CSRF, post/redirect/get, a stale section edit keeps the text),
CSV downloads, and the plan as PDF and XLSX."""

from __future__ import annotations

import csv
import io

import openpyxl
from pypdf import PdfReader

from tests.records.web.conftest import Web


def get(web: Web, who: str, url: str) -> object:
    return web.client.get(url, headers=web.headers(who, csrf=False), follow_redirects=False)


def test_public_is_sent_to_sign_in_and_roles_to_their_scope(web: Web) -> None:
    r = get(web, "public", "/workspace/districts/459")
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert r.headers["location"] == "/login?next=/workspace/districts/459"  # type: ignore[attr-defined]
    assert get(web, "state", "/workspace").headers["location"] == "/workspace/states/24"  # type: ignore[attr-defined]
    assert get(web, "depc", "/workspace").headers["location"] == "/workspace/districts/459"  # type: ignore[attr-defined]
    # public analytics stay open
    assert web.client.get("/").status_code == 200


def test_national_table_lists_every_district_and_downloads(web: Web) -> None:
    r = get(web, "admin", "/workspace")
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert "Surat" in r.text and "Navsari" in r.text  # type: ignore[attr-defined]
    assert r.headers["cache-control"] == "private, no-store"  # type: ignore[attr-defined]
    api = get(web, "admin", "/api/v1/plans")
    assert api.headers["cache-control"] == "private, no-store"  # type: ignore[attr-defined]
    data = get(web, "admin", "/workspace?table=districts&format=csv")
    rows = list(csv.DictReader(io.StringIO(data.text)))  # type: ignore[attr-defined]
    assert len(rows) > 700
    surat = next(row for row in rows if row["district_code"] == "459")
    assert surat["status_label"] == "Draft" and surat["period"] == "2025-26"
    assert surat["exporters"] == "2" and surat["open_feedback"] == "1"


def test_state_view_is_for_the_state_and_admins(web: Web) -> None:
    r = get(web, "state", "/workspace/states/24")
    assert r.status_code == 200 and "Surat" in r.text  # type: ignore[attr-defined]
    assert "Lucknow" not in r.text  # type: ignore[attr-defined]
    assert get(web, "state_other", "/workspace/states/24").status_code == 403  # type: ignore[attr-defined]
    assert get(web, "district", "/workspace/states/24").status_code == 403  # type: ignore[attr-defined]


def test_district_workspace_shows_only_allowed_lifecycle_buttons(web: Web) -> None:
    draft, approved = web.ids["draft"], web.ids["approved"]
    url = "/workspace/districts/459"
    page = {
        who: get(web, who, f"{url}?plan={draft}").text
        for who in ("district", "depc", "depc_chair", "state", "admin")
    }  # type: ignore[attr-defined]
    assert "Approve for the DEPC" in page["district"]
    assert "Approve for the DEPC" in page["depc_chair"]
    assert "Approve for the DEPC" not in page["depc"]
    assert "Approve for the DEPC" not in page["state"]
    assert "Approve for the DEPC" not in page["admin"]
    assert "Save section" in page["depc"]
    on_approved = get(web, "state", f"{url}?plan={approved}").text  # type: ignore[attr-defined]
    assert "Endorse for the SEPC" in on_approved and "Return to draft" in on_approved
    assert "Save section" not in on_approved
    assert get(web, "district_other", url).status_code == 403  # type: ignore[attr-defined]
    exporter = get(web, "exporter", url)
    assert exporter.status_code == 200  # type: ignore[attr-defined]
    assert "Action plan" not in exporter.text and "Surat Zari Works" in exporter.text  # type: ignore[attr-defined]
    assert "Diamond Polishers" not in exporter.text  # type: ignore[attr-defined]


def _section_form(web: Web, who: str, body: str, version: int, csrf: bool = True) -> object:
    data = {"version": str(version), "body": body}
    headers = web.headers(who, csrf=False)
    if csrf:
        data["csrf_token"] = web.headers(who)["X-CSRF-Token"]
    url = f"/workspace/plans/{web.ids['draft']}/sections/finance"
    return web.client.post(url, data=data, headers=headers, follow_redirects=False)


def test_section_form_saves_refuses_without_token_and_keeps_text_on_conflict(web: Web) -> None:
    assert _section_form(web, "district", "no token", 1, csrf=False).status_code == 403  # type: ignore[attr-defined]
    saved = _section_form(web, "district", "Credit camps with SIDBI", 1)
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert saved.headers["location"].endswith("#section-finance")  # type: ignore[attr-defined]
    stale = _section_form(web, "depc", "Interest equalisation awareness", 1)
    assert stale.status_code == 409  # type: ignore[attr-defined]
    assert "Interest equalisation awareness" in stale.text  # type: ignore[attr-defined]
    assert "Credit camps with SIDBI" in stale.text  # type: ignore[attr-defined]
    again = _section_form(web, "depc", "Both", 2)
    assert again.status_code == 303  # type: ignore[attr-defined]


def test_transition_form_by_role(web: Web) -> None:
    def approve(who: str) -> int:
        data = {"step": "approve", "version": "1", "csrf_token": web.headers(who)["X-CSRF-Token"]}
        r = web.client.post(
            f"/workspace/plans/{web.ids['draft']}/transitions",
            data=data,
            headers=web.headers(who, csrf=False),
            follow_redirects=False,
        )
        return int(r.status_code)

    assert approve("depc") == 403
    assert approve("district") == 303
    assert (
        "DEPC approved"
        in get(web, "district", f"/workspace/districts/459?plan={web.ids['draft']}").text
    )  # type: ignore[attr-defined]


def test_plan_pdf_and_xlsx(web: Web) -> None:
    notified = web.ids["notified"]
    pdf = get(web, "public", f"/workspace/plans/{notified}.pdf")
    assert pdf.status_code == 200  # type: ignore[attr-defined]
    assert pdf.headers["content-type"] == "application/pdf"  # type: ignore[attr-defined]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)  # type: ignore[attr-defined]
    assert "District Export Action Plan 2022-23: Surat" in text
    assert "NOTIFIED" in text and "Target markets" in text
    assert get(web, "public", f"/workspace/plans/{web.ids['draft']}.pdf").status_code == 403  # type: ignore[attr-defined]
    xlsx = get(web, "district", f"/workspace/plans/{web.ids['draft']}.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))  # type: ignore[attr-defined]
    assert book.sheetnames == ["plan", "sections", "interventions", "kpis", "progress"]
    titles = [row[2] for row in book["sections"].iter_rows(min_row=2, values_only=True)]
    assert titles[0] == "District export profile" and len(titles) == 11
    kpis = list(book["kpis"].iter_rows(values_only=True))
    assert kpis[1][0] == "Zari cluster common facility"
