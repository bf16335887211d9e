"""An officer's correction of a district's product mapping shows at once on the district page,
its report and in ``/api/v1/districts/{lgd_code}`` (their caches key on the entries' change
stamp), on SQLite and PostgreSQL."""

from __future__ import annotations

from dehub.records.products import ProductRecord
from tests.records.web.conftest import Web
from tests.records.web.test_write_matrix import version


def test_a_change_is_visible_at_once_on_the_page_and_the_api(web: Web) -> None:
    page = web.client.get("/districts/459")
    assert page.status_code == 200 and "56050010" in page.text
    assert "56050010" in web.client.get("/districts/459/report.html").text
    api = web.client.get("/api/v1/districts/459").json()
    (zari,) = [i for i in api["products"]["items"] if i["product"] == "Surat Zari Craft"]
    assert [h["code"] for h in zari["hs"]] == ["56050010"]
    assert zari["hs"][0]["confidence"] == "officer"
    record = web.ids["product_record"]
    body = {"version": version(web, ProductRecord, record), "hs_codes": ["581099"]}
    changed = web.call("district", "PATCH", f"/api/v1/product-records/{record}", json=body)
    assert changed.status_code == 200, changed.json()
    stale = web.call("depc", "PATCH", f"/api/v1/product-records/{record}", json=body)
    assert stale.status_code == 409 and stale.json()["ok"] is False
    page = web.client.get("/districts/459")
    assert "56050010" not in page.text and "581099" in page.text
    assert "officer (district," in page.text
    report = web.client.get("/districts/459/report.html").text
    assert "56050010" not in report and "581099" in report
    api = web.client.get("/api/v1/districts/459").json()
    (zari,) = [i for i in api["products"]["items"] if i["product"] == "Surat Zari Craft"]
    assert [h["code"] for h in zari["hs"]] == ["581099"]
    assert zari["hs"][0]["by"]["name"] == "district"
    added = web.call(
        "state",
        "POST",
        "/api/v1/product-records",
        json={"district_code": "459", "kind": "add", "product": "Saris", "hs_codes": ["5407"]},
    )
    assert added.status_code == 201, added.json()
    assert "Saris" in web.client.get("/districts/459").text
    listed = web.call("district", "GET", "/api/v1/product-records?district_code=459").json()
    assert listed["count"] == 2
    assert web.call("district_other", "GET", "/api/v1/product-records").json()["count"] == 0
