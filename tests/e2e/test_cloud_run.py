"""CloudRunService end to end: `pulumi preview` of the TypeScript and Python
examples through the real engine, our plugin and the stand-in gcp provider
(which checks every child against the real gcp schema), `up` then `preview
--expect-no-changes`, and a cpu/concurrency combination Cloud Run refuses
failing preview naming `concurrency`."""

from __future__ import annotations

import json

import pytest

import harness

CLOUD_RUN = "launchpad:index:CloudRunService"
EXAMPLES = {
    "ts": harness.ROOT / "examples" / "cloud-run-ts",
    "py": harness.ROOT / "examples" / "cloud-run-py",
}
CHILDREN = {
    "gcp:serviceaccount/account:Account",
    "gcp:cloudrunv2/service:Service",
    "gcp:secretmanager/secretIamMember:SecretIamMember",
}


@pytest.fixture(params=sorted(EXAMPLES))
def run_project(request, tmp_path):
    return harness.copy_example(EXAMPLES[request.param], tmp_path)


def test_preview_plans_the_service_its_account_and_grants(run_project, env, standins):
    harness.select_stack(run_project, "test", env)
    preview = harness.preview_children(run_project, env, CLOUD_RUN)
    assert CHILDREN <= set(preview.children), sorted(CHILDREN - set(preview.children))
    inputs = preview.one("gcp:cloudrunv2/service:Service").inputs
    assert inputs["deletionProtection"] is False
    assert inputs["invokerIamDisabled"] is run_project.name.endswith("-ts")
    # Never an allUsers binding, under the service or anywhere else.
    assert "gcp:cloudrunv2/serviceIamMember:ServiceIamMember" not in {s.type for s in preview.steps}
    checks = [
        r for r in standins.records("gcp")
        if r.get("method") == "Check" and CLOUD_RUN in r["urn"] and f"::{run_project.name}::" in r["urn"]
    ]
    assert {r["token"] for r in checks} >= CHILDREN
    assert [(r["token"], r["failures"]) for r in checks if r.get("failures")] == []


def test_a_fractional_cpu_with_concurrency_fails_preview_naming_concurrency(run_project, env):
    harness.select_stack(run_project, "bad", env, config={"cpu": "0.5", "concurrency": "80"})
    proc = harness.pulumi(["preview"], run_project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "concurrency=80" in output and "cpu" in output, output


def test_up_then_an_unchanged_program_previews_no_changes(run_project, env):
    harness.select_stack(run_project, "up", env)
    harness.pulumi(["up", "--yes", "--skip-preview"], run_project, env)
    outputs = json.loads(harness.pulumi(["stack", "output", "--json"], run_project, env).stdout)
    assert outputs["url"].startswith("https://")
    assert outputs["serviceAccountEmail"]
    harness.pulumi(["preview", "--expect-no-changes"], run_project, env)
    # A new image is a new revision of the same service, not a replacement.
    harness.pulumi(["config", "set", "image", "us-docker.pkg.dev/acme-prod/app/api:1.4.3"], run_project, env)
    ops = {s.type: s.op for s in harness.preview_steps(run_project, env) if s.op != "same"}
    assert ops.get("gcp:cloudrunv2/service:Service") == "update", ops
    harness.pulumi(["destroy", "--yes", "--skip-preview"], run_project, env)
