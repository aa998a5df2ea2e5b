"""Fixtures for the end-to-end tests: stand-ins once per session, a fresh
backend and a copied example per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import harness  # noqa: E402

EXAMPLES = {
    "ts": harness.ROOT / "examples" / "static-site-ts",
    "py": harness.ROOT / "examples" / "static-site-py",
}


@pytest.fixture(scope="session")
def standins(tmp_path_factory):
    with harness.Standins(tmp_path_factory.mktemp("standins")) as s:
        yield s


@pytest.fixture
def env(tmp_path, standins):
    return harness.pulumi_env(tmp_path / "state", standins.debug_providers)


@pytest.fixture(params=sorted(EXAMPLES))
def project(request, tmp_path):
    """A copy of one example (TypeScript or Python) in a temporary folder."""
    return harness.copy_example(EXAMPLES[request.param], tmp_path)
