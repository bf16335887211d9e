"""Report fixtures: report content built once from the session's initialised store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from dehub.reference.geography import resolve_district
from dehub.services import places
from dehub.services.district_report import DistrictReport, district_report, report_sections
from dehub.settings import Settings

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def frame(initialised_home: Path) -> places.DistrictFrame:
    """The national district frame of the bundled data (FY2024-25)."""
    return places.district_frame(Settings(home=initialised_home, env="test"))


@pytest.fixture(scope="session")
def report_settings(initialised_home: Path) -> Settings:
    """Settings on the session's initialised store (read only)."""
    return Settings(home=initialised_home, env="test")


def make_report(settings: Settings, frame: places.DistrictFrame, text: str) -> DistrictReport:
    """The report of the district named ``text``, with its products and target markets,
    stamped at a fixed time."""
    district = resolve_district(text)
    products, target = report_sections(settings, frame, district)
    return district_report(frame, district, products=products, target_markets=target, now=NOW)


@pytest.fixture(scope="session")
def surat(report_settings: Settings, frame: places.DistrictFrame) -> DistrictReport:
    """Surat's report, stamped at a fixed time."""
    return make_report(report_settings, frame, "Surat")
