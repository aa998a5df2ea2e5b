"""The Neon fault matrix, end to end: the real `pulumi` CLI and our plugin
against the fake Neon (tests/fakeneon) while it fails in the ways Neon can:
it dies mid-operation (a change carried out, its answer lost, then nothing
answers for a while), answers 500 for a window (after doing the work: the
worst a 500 can hide), 423 Locked on the first changes to a project, sends
a malformed body once, or hangs on an operation poll while the user presses
Ctrl-C.

After each: the fault has fired (else the test proves nothing), a second
`up` succeeds once it has cleared (after Ctrl-C too: the create cut short is
in the state with its error, no pending create is left for `pulumi refresh`
to settle, and the CLI says the next `up` finishes it), and the fake's own
records agree with the stack's state:
nothing created twice, nothing the fake holds missing from the state
(orphaned), nothing in the state missing from the fake (lost). Then
`preview --expect-no-changes`, and `destroy` leaves the fake as it was.

The programs are the examples: neon-branch-py (a branch of an existing
project, with its own role, database and endpoint: three creates) and
neon-ts (a new project). Fault windows are short: the provider retries
transient failures for its whole retry window (read from
provider/neon/src/retry.rs below), so a minute of 500s and three seconds of
them differ only in how long the test takes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

import harness
from fakeneon.server import FakeNeon

PY = harness.ROOT / "examples" / "neon-branch-py"
TS = harness.ROOT / "examples" / "neon-ts"
PROJECT = "launchpad:index:NeonProject"
BRANCH = "launchpad:index:NeonBranch"
# The 500 window of the tests: well inside the provider's retry window (Timings::default's
# retry_window in provider/neon/src/retry.rs, minutes).
ERROR_WINDOW = 3.0
STARTED_WITHIN = 120.0  # seconds until the first delayed poll reaches the fake
ENDED_WITHIN = 60.0  # seconds from Ctrl-C until `pulumi up` has ended


@pytest.fixture
def neon_env(tmp_path):
    """An offline Pulumi run with no AWS stand-ins (the Neon programs use none) and no
    Neon key from the outside."""
    env = harness.pulumi_env(tmp_path / "state", "")
    env.pop("PULUMI_DEBUG_PROVIDERS", None)
    env.pop("NEON_API_KEY", None)
    return env


class Stack:
    """One of the example programs as a stack against the fake, and what the fake
    held before it (a branch program's project)."""

    def __init__(self, example: Path, tmp_path: Path, env: dict, neon: FakeNeon):
        self.env, self.neon = env, neon
        config = {}
        if example == PY:
            shared = harness.neon_call(neon, "POST", "/projects", {"project": {"name": "shared", "region_id": "aws-us-east-2"}})
            config["neonProjectId"] = shared["project"]["id"]
        self.baseline = holdings(neon)
        self.project = harness.copy_example(example, tmp_path)
        harness.configure_neon(self.project, "faults", env, neon, config=config)

    def pulumi(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return harness.pulumi(list(args), self.project, self.env, check=check)

    def up(self, check: bool = True) -> subprocess.CompletedProcess:
        return self.pulumi("up", "--yes", "--skip-preview", check=check)

    def owned(self) -> set[tuple]:
        """What the stack's state says it made, in the terms of `holdings`."""
        owned: set[tuple] = set()
        for r in harness.stack_resources(self.project, self.env):
            out = r.get("outputs") or {}
            if r["type"] == PROJECT:
                pid, bid = r["id"], out["branchId"]
                owned.add(("project", pid))
            elif r["type"] == BRANCH:
                pid, bid = r["id"].split("/")
                owned.add(("branch", pid, bid))
            else:
                continue
            owned |= {("endpoint", pid, out["endpointId"]), ("role", pid, bid, out["roleName"]),
                      ("database", pid, bid, out["databaseName"])}
        return owned

    def made(self) -> set[tuple]:
        """What the fake holds now and did not before the stack."""
        return holdings(self.neon) - self.baseline

    def assert_consistent(self, fault: str) -> dict:
        """Nothing twice, orphaned or lost; the counts, for the report of FAULT."""
        state, made = self.owned(), self.made()
        counts = {"fault": fault, "fired": len(self.neon.fired()), "twice": duplicates(self.neon),
                  "orphaned": sorted(made - state), "lost": sorted(state - made)}
        assert counts["fired"] > 0, f"{fault}: the fault never fired, so this proves nothing"
        assert not counts["twice"], counts
        assert not counts["orphaned"], counts
        assert not counts["lost"], counts
        assert state, f"{fault}: the stack holds nothing"
        # One line per fault for whoever collects the counts (`pytest -s`).
        print("neon fault counts:", json.dumps({**counts, "held": len(made)}))
        return counts

    def finish(self) -> None:
        """No changes left to make, and destroy leaves the fake as it found it."""
        self.pulumi("preview", "--expect-no-changes")
        self.pulumi("destroy", "--yes", "--skip-preview")
        assert holdings(self.neon) == self.baseline, self.made()


def holdings(neon: FakeNeon) -> set[tuple]:
    """Every project, branch, endpoint, role and database the fake holds. A branch's
    roles and databases inherited from its parent come with the branch; only those
    it has beyond its parent's are its own."""
    held: set[tuple] = set()
    for pid, p in neon.state().items():
        held.add(("project", pid))
        held |= {("endpoint", pid, eid) for eid in p["endpoints"]}
        for bid, b in p["branches"].items():
            parent = p["branches"].get(b["branch"].get("parent_id") or "")
            if parent is not None:
                held.add(("branch", pid, bid))
            inherited = parent or {"roles": {}, "databases": {}}
            held |= {("role", pid, bid, n) for n in set(b["roles"]) - set(inherited["roles"])}
            held |= {("database", pid, bid, n) for n in set(b["databases"]) - set(inherited["databases"])}
    return held


def duplicates(neon: FakeNeon) -> list[str]:
    """What the fake holds twice: two projects of one name, two branches of one name in
    a project, two read-write endpoints on a branch (roles and databases are keyed by
    name: the fake refuses a second one with 409)."""
    found = []
    state = neon.state()
    names = [p["project"]["name"] for p in state.values()]
    found += [f"project {n}" for n in set(names) if names.count(n) > 1]
    for pid, p in state.items():
        branches = [b["branch"]["name"] for b in p["branches"].values()]
        found += [f"branch {pid}/{n}" for n in set(branches) if branches.count(n) > 1]
        writers = [e["branch_id"] for e in p["endpoints"].values() if e["type"] == "read_write"]
        found += [f"read_write endpoint on {pid}/{b}" for b in set(writers) if writers.count(b) > 1]
    return found


# The mutating requests of each program's first `up`, in order: the Nth is carried out
# and its answer lost, then the fake is down for a moment.
DIES = [
    pytest.param(PY, 1, id="py-branch-create"),
    pytest.param(PY, 3, id="py-database-create"),
    pytest.param(TS, 1, id="ts-project-create"),
]


@pytest.mark.parametrize(("example", "nth"), DIES)
def test_the_api_dies_mid_operation(example, nth, tmp_path, neon_env, neon):
    stack = Stack(example, tmp_path, neon_env, neon)
    neon.inject(die_after=nth, down_for=1.0)
    first = stack.up(check=False)
    assert neon.fired("die_after"), first.stdout + first.stderr
    stack.up()
    stack.assert_consistent(f"dies after change {nth}")
    stack.finish()


def test_500s_for_a_while_after_doing_the_work(tmp_path, neon_env, neon):
    stack = Stack(PY, tmp_path, neon_env, neon)
    neon.inject(error_for=ERROR_WINDOW, after_work=True)
    first = stack.up(check=False)
    output = first.stdout + first.stderr
    # Within the retry window the first `up` rides it out.
    assert first.returncode == 0, output
    assert any(f["method"] == "POST" for f in neon.fired("error_for")), neon.fired()
    stack.up()
    stack.assert_consistent("500 for a window")
    stack.finish()


def test_423_locked_during_create(tmp_path, neon_env, neon):
    stack = Stack(PY, tmp_path, neon_env, neon)
    neon.inject(lock_first=3)
    stack.up()
    assert len(neon.fired("lock_first")) == 3, neon.fired()
    stack.assert_consistent("423 during create")
    stack.finish()


MALFORMED = [
    pytest.param(PY, "/branches", id="py-branch-create"),
    pytest.param(TS, "/projects", id="ts-project-create"),
]


@pytest.mark.parametrize(("example", "suffix"), MALFORMED)
def test_a_malformed_body_once(example, suffix, tmp_path, neon_env, neon):
    stack = Stack(example, tmp_path, neon_env, neon)
    neon.inject(malformed_once=("POST", suffix))
    first = stack.up(check=False)
    assert neon.fired("malformed_once"), first.stdout + first.stderr
    stack.up()
    stack.assert_consistent(f"malformed body of POST {suffix}")
    stack.finish()


@pytest.mark.parametrize("example", [pytest.param(PY, id="py"), pytest.param(TS, id="ts")])
def test_ctrl_c_during_an_operation_poll(example, tmp_path, neon_env, neon):
    stack = Stack(example, tmp_path, neon_env, neon)
    neon.inject(delay_polls=30.0)
    proc = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive"],
        cwd=stack.project, env=neon_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # Its own group: Ctrl-C in a terminal reaches the whole foreground group.
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTED_WITHIN
        while not neon.fired("delay_polls"):
            assert proc.poll() is None, f"pulumi ended before any poll:\n{proc.communicate()}"
            assert time.monotonic() < deadline, "no operation was polled"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=ENDED_WITHIN)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode != 0, out + err
    # The create was cut short, not lost: the state holds what exists (no pending
    # create for `pulumi refresh` to settle), and the CLI says what to do next.
    assert "the next `pulumi up` finishes setting it up" in out + err, out + err
    deployment = json.loads(stack.pulumi("stack", "export").stdout)["deployment"]
    assert not deployment.get("pending_operations"), deployment["pending_operations"]
    neon.clear_faults()
    stack.up()
    stack.assert_consistent("ctrl-c during a poll")
    stack.finish()
