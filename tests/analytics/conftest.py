"""Property tests of the analytics run under pytest-xdist on busy machines: no per-example
deadline (a first example that builds pandas/numpy caches can take half a second; the
properties, not the timings, are under test)."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("analytics", deadline=None)
settings.load_profile("analytics")
