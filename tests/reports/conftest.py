"""Report fixtures: report content built once from the session's initialised store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from dehub.reference.geography import resolve_district
from dehub.services import places
from dehub.services.district_report import DistrictReport, district_report
from dehub.settings import Settings

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def frame(initialised_home: Path) -> places.DistrictFrame:
    """The national district frame of the bundled data (FY2024-25)."""
    return places.district_frame(Settings(home=initialised_home, env="test"))


@pytest.fixture(scope="session")
def surat(frame: places.DistrictFrame) -> DistrictReport:
    """Surat's report, stamped at a fixed time."""
    return district_report(frame, resolve_district("Surat"), now=NOW)
