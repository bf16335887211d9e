"""The CLI's shared number formats (dehub.cli.output), used by every command."""

from __future__ import annotations

from dehub.cli.output import pct, usd


def test_usd_switches_from_millions_to_billions() -> None:
    assert usd(437_659_516_324.0) == "US$ 437.66 bn"
    assert usd(-1_320_000_000.0) == "US$ -1.32 bn"
    assert usd(728_720_000.0) == "US$ 728.72 mn"
    assert usd(-710_820_000.0) == "US$ -710.82 mn"
    assert usd(None) == "-"


def test_pct_has_one_decimal() -> None:
    assert pct(0.34189) == "34.2%" and pct(-0.199) == "-19.9%" and pct(None) == "-"
