"""One release per question: the choice, its reason, and the refusal when nothing answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dehub.errors import NotFound
from dehub.facts.catalog import HS_LEVELS, choose_release
from dehub.facts.ingest import IngestOptions
from dehub.facts.store import FactStore
from dehub.services.facts import ingest_files
from dehub.settings import Settings

FY = "April, 24 To March, 25"


def _file(tmp_path: Path, name: str, code: str, value: int) -> Path:
    path = tmp_path / name
    path.write_text(
        f'State,District,HS Code,Commodity Description,"{FY} Value(US $)"\n'
        f"GUJARAT,AHMADABAD,{code},HORSES,{value}\n"
    )
    return path


def test_most_recent_release_answers_and_says_so(settings: Settings, tmp_path: Path) -> None:
    ingest_files(settings, [_file(tmp_path, "hs4.csv", "0101", 1)])
    ingest_files(
        settings, [_file(tmp_path, "hs8.csv", "01012100", 2)], IngestOptions(source_name="mine")
    )
    with FactStore.open(settings, read_only=True) as store:
        both = choose_release(store, geo="district", period="2024-25", products=HS_LEVELS)
        assert both.release.source == "mine"
        assert "most recently loaded of 2" in both.provenance()["choice"]
        asked = choose_release(store, geo="district", period="2024-25", source="dgcis_district")
        assert asked.release.product_levels == ["HS4"]
        only4 = choose_release(store, geo="district", period="2024-25", products=("HS4",))
        assert only4.provenance()["choice"] == "the only release that answers this"
        with pytest.raises(NotFound, match="periods loaded: 2024-25"):
            choose_release(store, geo="district", period="2023-24")
        with pytest.raises(NotFound, match="national level"):
            choose_release(store, geo="national", period="2024-25")
