"""Fixtures for the install tests (userenv.py has the user's environment)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import userenv  # noqa: E402
from userenv import DIST, Releases, harness  # noqa: E402


@pytest.fixture(scope="session")
def dist() -> userenv.Dist:
    """The artifacts of `make dist`, named from the one version."""
    return userenv.find_dist()


@pytest.fixture(scope="session")
def standins(tmp_path_factory):
    """The aws (and gcp) stand-ins; only the aws one is attached (PULUMI_DEBUG_PROVIDERS):
    the launchpad plugin must come from the plugin cache."""
    with harness.Standins(tmp_path_factory.mktemp("standins")) as s:
        yield s


@pytest.fixture(scope="session")
def releases(dist):
    with Releases(DIST) as r:
        yield r
