"""Fixtures for the end-to-end tests: the S3 + CloudFront emulator, the
stand-ins and the local Kubernetes control plane once per session, a fresh
backend, a copied example and a fake Neon per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "moto"))
sys.path.insert(0, str(Path(__file__).parents[2] / "tools" / "k8s"))
sys.path.insert(0, str(Path(__file__).parents[1]))

import cluster  # noqa: E402
import emulator  # noqa: E402
import harness  # noqa: E402
from fakeneon.server import FakeNeon  # noqa: E402

EXAMPLES = {
    "ts": harness.ROOT / "examples" / "static-site-ts",
    "py": harness.ROOT / "examples" / "static-site-py",
    "go": harness.ROOT / "examples" / "static-site-go",
}


@pytest.fixture(scope="session")
def moto():
    """moto's S3 + CloudFront on 127.0.0.1 behind a counting, fault-injecting proxy
    (tests/moto/emulator.py). `moto.url` is what the plugin talks to (recorded:
    `moto.requests()`, `moto.count(...)`, `moto.reset_requests()`; faults:
    `moto.fail_next(...)`); `moto.client("s3")` reads back what it did. Shared by
    the session: a test resets the record before what it counts."""
    with emulator.Moto() as m:
        yield m


@pytest.fixture(autouse=True)
def _no_leftover_faults(request):
    """A fault a test set up but did not use up must not hit the next test."""
    yield
    if "moto" in request.fixturenames:
        request.getfixturevalue("moto").clear_faults()


@pytest.fixture(scope="session")
def standins(tmp_path_factory, moto):
    # The stand-in's own buckets and distributions go straight to moto: they are
    # set-up, not traffic of the code under test, and are neither recorded nor faulted.
    with harness.Standins(tmp_path_factory.mktemp("standins"), emulator=moto.moto_url) as s:
        yield s


@pytest.fixture(scope="session")
def k8s_cluster(tmp_path_factory):
    """A Kubernetes control plane on 127.0.0.1 for the session (tools/k8s/cluster.py: etcd,
    kube-apiserver, controllers, scheduler, kwok Nodes in zone-a and zone-b, the Gateway API
    CRDs): `k8s_cluster.kubeconfig` for clients, `k8s_cluster.kubectl(...)` and
    `k8s_cluster.get(...)` to look at what a test made. Stopped when the session ends."""
    with cluster.Cluster(tmp_path_factory.mktemp("k8s")) as c:
        yield c


@pytest.fixture
def env(tmp_path, standins, moto):
    """An offline Pulumi run whose AWS clients (the plugin's) talk to the emulator."""
    return harness.with_aws_env(harness.pulumi_env(tmp_path / "state", standins.debug_providers), moto.url)


@pytest.fixture
def neon():
    """A fake of Neon's HTTP API v2 (tests/fakeneon) taking harness.NEON_KEY; point a stack
    at it with harness.configure_neon."""
    with FakeNeon(api_key=harness.NEON_KEY) as fake:
        yield fake


@pytest.fixture
def neon_env(env):
    """The Pulumi environment without any Neon key from the outside."""
    env = dict(env)
    env.pop("NEON_API_KEY", None)
    return env


@pytest.fixture(params=sorted(EXAMPLES))
def project(request, tmp_path):
    """A copy of one example (TypeScript, Python or Go) in a temporary folder."""
    return harness.copy_example(EXAMPLES[request.param], tmp_path)
