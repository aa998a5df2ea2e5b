"""Native-resource lifecycles through the real CLI, with the test-only testbed
provider (tests/testbed), built on the same protocol layer as launchpad: a
component whose one child is a native Mailbox, kept in a folder that stands in
for a cloud ($TESTBED_CLOUD). Proves that `customTimeouts` reach a native child
as a deadline, that Ctrl-C cancels a native operation and the state the engine
records is true, that `pulumi refresh` shows drift, and that `pulumi import`
works from an ID alone."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

import harness

PROGRAM = harness.ROOT / "tests" / "e2e" / "programs" / "testbed-ts"
# The program needs only @pulumi/pulumi, which the TypeScript example has.
DEPENDENCIES = harness.ROOT / "examples" / "static-site-ts"
MAILBOX = "testbed:index:Mailbox"
# Hang guards, not timing assertions: a regression must fail, not hang CI.
GUARD_SECONDS = 120


class Program:
    """The testbed program on its own stack, backend and cloud folder."""

    def __init__(self, project: Path, env: dict[str, str], cloud: Path):
        self.project, self.env, self.cloud = project, env, cloud

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            ["pulumi", *args, "--non-interactive"], cwd=self.project, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=GUARD_SECONDS,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"pulumi {' '.join(args)} failed:\n{proc.stdout}")
        return proc

    def configure(self, **config: str) -> None:
        for key, value in config.items():
            self.run("config", "set", key, value)

    def mailboxes(self) -> dict[str, dict]:
        """The mailboxes in the stack's state, by name."""
        resources = json.loads(self.run("stack", "export").stdout)["deployment"]["resources"]
        return {r["urn"].split("::")[-1]: r for r in resources if r["type"] == MAILBOX}

    def in_cloud(self, mailbox_id: str) -> dict | None:
        path = self.cloud / f"{mailbox_id}.json"
        return json.loads(path.read_text()) if path.exists() else None


@pytest.fixture
def testbed(tmp_path, env) -> Program:
    cloud = tmp_path / "cloud"
    env = dict(env, TESTBED_CLOUD=str(cloud))
    project = harness.copy_program(PROGRAM, tmp_path, DEPENDENCIES)
    harness.select_stack(project, "test", env)
    return Program(project, env, cloud)


def test_custom_timeouts_reach_the_native_child_as_a_deadline(testbed):
    # The mailbox needs ten minutes to become ready; the program allows two seconds.
    testbed.configure(readySeconds="600", createTimeout="2s")
    proc = testbed.run("up", "--yes", "--skip-preview", check=False)
    assert proc.returncode != 0, proc.stdout
    assert "timed out after 2s" in proc.stdout, proc.stdout
    # What exists is recorded: the mailbox, with the reason it is not done.
    mailbox = testbed.mailboxes()["box-mailbox"]
    assert mailbox["id"] == "mbx-ann"
    assert mailbox["customTimeouts"]["create"] == 2
    assert any("timed out" in e for e in mailbox.get("initErrors", [])), mailbox
    assert testbed.in_cloud("mbx-ann") is not None


def test_ctrl_c_cancels_the_native_create_and_the_state_is_true(testbed):
    testbed.configure(readySeconds="600")
    up = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive"], cwd=testbed.project,
        env=testbed.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + GUARD_SECONDS
        while testbed.in_cloud("mbx-ann") is None:
            assert up.poll() is None, up.stdout.read() if up.stdout else ""
            assert time.monotonic() < deadline, "the mailbox was never created"
            time.sleep(0.1)
        up.send_signal(signal.SIGINT)  # what Ctrl-C sends
        output, _ = up.communicate(timeout=GUARD_SECONDS)
    finally:
        if up.poll() is None:
            up.kill()
    assert up.returncode != 0, output
    assert "cancelled" in output, output
    mailbox = testbed.mailboxes()["box-mailbox"]
    assert mailbox["id"] == "mbx-ann", "the engine recorded the mailbox that exists"
    assert any("cancelled" in e for e in mailbox.get("initErrors", [])), mailbox


def test_refresh_shows_drift_and_the_next_preview_puts_it_back(testbed):
    testbed.run("up", "--yes", "--skip-preview")
    # Someone changes the mailbox behind Pulumi's back.
    (testbed.cloud / "mbx-ann.json").write_text(json.dumps({"owner": "eve", "password": ""}))
    testbed.run("refresh", "--yes", "--skip-preview")
    mailbox = testbed.mailboxes()["box-mailbox"]
    assert mailbox["inputs"]["owner"] == "eve"
    assert mailbox["outputs"]["address"] == "eve@test"
    # The program still says "ann": the next update changes it back.
    steps = json.loads(testbed.run("preview", "--json").stdout)["steps"]
    ops = {s["urn"].split("::")[-1]: s["op"] for s in steps}
    assert ops.get("box-mailbox") == "update", ops
    testbed.run("up", "--yes", "--skip-preview")
    assert testbed.in_cloud("mbx-ann")["owner"] == "ann"


def test_import_reads_inputs_and_outputs_from_an_id(testbed):
    testbed.run("up", "--yes", "--skip-preview")
    testbed.cloud.joinpath("mbx-zed.json").write_text(json.dumps({"owner": "zed", "password": ""}))
    testbed.run("import", MAILBOX, "zed", "mbx-zed", "--yes", "--generate-code=false")
    imported = testbed.mailboxes()["zed"]
    assert imported["id"] == "mbx-zed"
    assert imported["inputs"]["owner"] == "zed"
    assert imported["outputs"]["address"] == "zed@test"


def test_a_child_renamed_with_an_alias_keeps_its_cloud_resource(testbed):
    testbed.run("up", "--yes", "--skip-preview")
    # The component's planner now names its child differently and says what it was called.
    testbed.configure(mailboxName="box-inbox", mailboxAliases="box-mailbox")
    testbed.run("preview", "--expect-no-changes")
    testbed.run("up", "--yes", "--skip-preview")
    assert list(testbed.mailboxes()) == ["box-inbox"]
    assert testbed.in_cloud("mbx-ann") is not None
