"""Officers' entries on a district's products, on SQLite and PostgreSQL: each kind applied on
top of the bundled lists (records win), a stale version is a 409 that changes nothing, bad
references are refused, and `dehub products list` / `dehub district` show the entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.errors import ConflictError, InvalidInput
from dehub.records import db
from dehub.records.products import ProductRecord
from dehub.services import district_products as dp
from dehub.services.records import product_records as pr
from dehub.services.records.schemas import ProductRecordCreate, ProductRecordUpdate
from dehub.settings import Settings, get_settings
from tests.records.world import DISTRICT, World

runner = CliRunner()


def _listed(session: Session) -> dict[str, object]:
    return dp.product_list(DISTRICT, records=pr.applied(session, DISTRICT))


def _by_product(listed: dict[str, object]) -> dict[str, list[dict[str, object]]]:
    return {str(i["product"]): i["hs"] for i in listed["items"]}  # type: ignore[attr-defined]


def test_entries_are_applied_on_top_of_the_bundled_list(session: Session, world: World) -> None:
    bundled = _by_product(dp.product_list(DISTRICT))
    assert {str(h["code"]) for h in bundled["Surat Zari Craft"]} == {"560500", "581099"}
    officer = world.actors["district"]
    assert officer is not None
    pr.hide_mapping(
        session,
        officer,
        ProductRecordCreate(
            district_code=DISTRICT, kind="hide", product="Surat Sadeli Craft", note="wrong"
        ),
    )
    pr.hide_mapping(
        session,
        officer,
        ProductRecordCreate(
            district_code=DISTRICT,
            kind="hide",
            product_key="GEMSANDJEWELLERY",
            hs_codes=["711311"],
            note="silver jewellery is not Surat's",
        ),
    )
    added = pr.add_product(
        session,
        officer,
        ProductRecordCreate(
            district_code=DISTRICT, kind="add", product="Man-made fibre fabrics", hs_codes=["5407"]
        ),
    )
    session.commit()
    listed = _listed(session)
    codes = _by_product(listed)
    # the world's correction replaced the zari codes (records win), labelled officer, who/when
    (zari,) = codes["Surat Zari Craft"]
    assert zari["code"] == "56050010" and zari["level"] == "HS8"
    assert zari["confidence"] == "officer"
    assert zari["sector"] == bundled["Surat Zari Craft"][0]["sector"]  # same HS chapter 56
    assert zari["by"]["name"] == "system:tests"  # type: ignore[index]
    assert "Surat Sadeli Craft" not in codes
    gems = {str(h["code"]) for h in codes["Gems and Jewellery"]}
    assert gems == {str(h["code"]) for h in bundled["Gems and Jewellery"]} - {"711311"}
    (fabric,) = codes["Man-made fibre fabrics"]
    assert fabric["level"] == "HS4" and "synthetic filament" in str(fabric["description"]).lower()
    assert fabric["by"]["name"] == "district"  # type: ignore[index]
    assert listed["counts"] == {"odop": 1, "gi": 1, "pmfme": 0, "officer": 1}
    # withdrawing an entry restores the bundled mapping, and changes the stamp
    stamp = pr.change_stamp(session, DISTRICT)
    pr.update_record(session, officer, added.id, ProductRecordUpdate(version=1, active=False))
    session.commit()
    assert pr.change_stamp(session, DISTRICT) == (stamp[0], stamp[1] + 1)
    assert "Man-made fibre fabrics" not in _by_product(_listed(session))


def test_stale_version_is_a_conflict_that_changes_nothing(session: Session, world: World) -> None:
    officer = world.actors["depc"]
    assert officer is not None
    record_id = world.ids["product_record"]
    pr.update_record(session, officer, record_id, ProductRecordUpdate(version=1, note="checked"))
    session.commit()
    with pytest.raises(ConflictError):
        pr.update_record(
            session, officer, record_id, ProductRecordUpdate(version=1, hs_codes=["5605"])
        )
    session.rollback()
    found = session.get(ProductRecord, record_id)
    assert found is not None and found.hs_codes == ["56050010"] and found.version == 2
    assert found.updated_by == "depc"


def test_bad_references_are_refused(session: Session, world: World) -> None:
    officer = world.actors["state"]
    assert officer is not None
    for data in [
        ProductRecordCreate(
            district_code=DISTRICT, kind="correct", product_key="BANARASISILK", hs_codes=["5007"]
        ),
        ProductRecordCreate(
            district_code=DISTRICT, kind="hide", product_key="SURATZARICRAFT", hs_codes=["7113"]
        ),
        ProductRecordCreate(district_code=DISTRICT, kind="correct", product_key="SURATZARICRAFT"),
        ProductRecordCreate(district_code=DISTRICT, kind="add", product="Textiles"),
    ]:
        with pytest.raises(InvalidInput):
            pr.create_record(session, officer, data)


def test_cli_shows_the_entries(
    world: World, settings: Settings, records_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEHUB_DATABASE_URL", records_url)
    get_settings.cache_clear()
    result = runner.invoke(app, ["products", "list", "--district", "Surat", "--json"])
    assert result.exit_code == 0, result.output
    items = {i["product"]: i for i in json.loads(result.output)["items"]}
    assert [h["code"] for h in items["Surat Zari Craft"]["hs"]] == ["56050010"]
    shown = runner.invoke(app, ["products", "list", "--district", "Surat"])
    assert "56050010" in shown.output


def test_unmigrated_database_has_no_entries(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert pr.read_applied(engine, DISTRICT) == ((0, 0), [])
    engine.dispose()
