"""NeonDatabase end to end: the real `pulumi` CLI, our plugin's native Neon
resources, and a fake of Neon's HTTP API v2 (tests/fakeneon) on 127.0.0.1.

Covers: preview with no API key at all; `up` of a new project (TypeScript)
and of a branch per stack (Python); `preview --expect-no-changes` after each;
a `maxCu` change updating the endpoint in place; `refresh` showing drift made
behind Pulumi's back; `pulumi import` of a project and of a branch by ID;
`destroy` removing exactly what was created; the exported state holding the
connection URI only encrypted and the API key nowhere; `maxCu` out of range
and compute sizes Neon does not offer failing preview naming the property; a
missing key failing `up` naming both places a key can be set; a personal API
key, which needs the organization (`orgId` or `launchpad:neonOrgId`); a
branch's `expiresIn` stable across previews, and a branch Neon deleted on
expiry leaving the state on `refresh` and coming back new on `up`;
`ignoreChanges` given to the NeonDatabase reaching its child; a project's
organization named later (recorded, never a new project) or changed (a
transfer, its refusal explained); a branch's expiry changed behind Pulumi's
back (drift shown, a delete refused until `refresh`); a 30-day `expiresIn`
against a Neon whose clock is behind ours; the 409 import command run as
printed for a branch under its NeonDatabase; a project-scoped API key.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import harness

sys.path.insert(0, str(harness.ROOT / "tests"))

from fakeneon.server import DEFAULT_ORG, FakeNeon  # noqa: E402

KEY = harness.NEON_KEY
ORG = "org-cool-breeze-12345678"
PROJECT = "launchpad:index:NeonProject"
BRANCH = "launchpad:index:NeonBranch"
TS = harness.ROOT / "examples" / "neon-ts"
PY = harness.ROOT / "examples" / "neon-branch-py"


def steps(project: Path, env: dict) -> dict[str, str]:
    """Type → operation of every step a preview plans that changes something."""
    return {s.type: s.op for s in harness.preview_steps(project, env) if s.op != "same"}


def creates(neon: FakeNeon, path_suffix: str) -> int:
    return sum(1 for r in neon.requests() if r["method"] == "POST" and r["path"].endswith(path_suffix))


def exported(project: Path, env: dict) -> tuple[str, list[dict]]:
    text = harness.pulumi(["stack", "export"], project, env).stdout
    return text, json.loads(text)["deployment"]["resources"]


@pytest.fixture(params=["neon-ts", "neon-go"])
def new_project_example(request) -> Path:
    """The examples that make a new project: TypeScript, and Go (test_go.py)."""
    return harness.ROOT / "examples" / request.param


def test_preview_needs_no_key_and_calls_nothing(tmp_path, neon_env, neon, new_project_example):
    project = harness.copy_example(new_project_example, tmp_path)
    harness.select_stack(project, "preview", neon_env)
    assert steps(project, neon_env) == {
        "pulumi:pulumi:Stack": "create",
        "launchpad:index:NeonDatabase": "create",
        PROJECT: "create",
    }
    assert neon.requests() == []


def test_max_cu_out_of_range_fails_preview_naming_max_cu(tmp_path, neon_env):
    project = harness.copy_example(TS, tmp_path)
    harness.select_stack(project, "bad", neon_env, config={"minCu": "0.25", "maxCu": "10"})
    proc = harness.pulumi(["preview"], project, neon_env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "maxCu=10 is more than 8 CU above minCu=0.25" in output, output


@pytest.mark.parametrize(("min_cu", "max_cu", "message"), [
    ("0.3", "2", "minCu=0.3 is not a Neon compute size; nearest: 0.25, 0.5"),
    ("17", "17", "minCu=17 is not a Neon compute size; nearest: 16, 18"),
])
def test_a_compute_size_neon_does_not_offer_fails_preview_naming_it(tmp_path, neon_env, neon, min_cu, max_cu, message):
    project = harness.copy_example(TS, tmp_path)
    harness.select_stack(project, "sizes", neon_env, config={"minCu": min_cu, "maxCu": max_cu})
    proc = harness.pulumi(["preview"], project, neon_env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert message in output, output
    assert neon.requests() == []


def test_up_without_a_key_names_both_places_to_set_one(tmp_path, neon_env, neon):
    project = harness.copy_example(TS, tmp_path)
    harness.select_stack(project, "nokey", neon_env)
    harness.pulumi(["config", "set", "launchpad:neonApiUrl", neon.url], project, neon_env)
    proc = harness.pulumi(["up", "--yes", "--skip-preview"], project, neon_env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "launchpad:neonApiKey" in output and "NEON_API_KEY" in output, output
    assert neon.requests() == []


def test_a_new_project_up_update_refresh_destroy(tmp_path, neon_env, neon):
    env = neon_env
    project = harness.copy_example(TS, tmp_path)
    harness.configure_neon(project, "dev", env, neon)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)

    (p,) = neon.state().values()
    outputs = json.loads(harness.pulumi(["stack", "output", "--json", "--show-secrets"], project, env).stdout)
    assert outputs["projectId"] == p["project"]["id"]
    assert outputs["connectionUri"].startswith("postgresql://shop:")
    # Exactly as Neon wrote them: nothing stripped or rebuilt.
    assert outputs["connectionUri"].endswith("/shop?sslmode=require&channel_binding=require")
    assert outputs["pooledConnectionUri"].endswith("/shop?sslmode=require&channel_binding=require")
    assert "-pooler." in outputs["pooledConnectionUri"]
    assert p["project"]["region_id"] == "aws-eu-central-1"
    assert creates(neon, "/projects") == 1
    # The role and database came with the project: adopted, not created again.
    assert creates(neon, "/roles") == 0 and creates(neon, "/databases") == 0

    # Secrets: the URI only encrypted, the API key and passwords nowhere.
    text, resources = exported(project, env)
    assert KEY not in text
    for password in harness.neon_passwords(neon):
        assert password not in text
    (child,) = [r for r in resources if r["type"] == PROJECT]
    assert "ciphertext" in child["outputs"]["connectionUri"], child["outputs"]["connectionUri"]
    (component,) = [r for r in resources if r["type"] == "launchpad:index:NeonDatabase"]
    assert "ciphertext" in component["outputs"]["connectionUri"]

    harness.pulumi(["preview", "--expect-no-changes"], project, env)

    # A bigger maxCu: the endpoint is updated in place.
    harness.pulumi(["config", "set", "maxCu", "4"], project, env)
    assert steps(project, env).get(PROJECT) == "update"
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    (p,) = neon.state().values()
    (endpoint,) = p["endpoints"].values()
    assert endpoint["autoscaling_limit_max_cu"] == 4
    assert creates(neon, "/projects") == 1
    harness.pulumi(["preview", "--expect-no-changes"], project, env)

    # Someone changes the compute in the console: refresh shows it, up restores it.
    pid = p["project"]["id"]
    harness.neon_call(neon, "PATCH", f"/projects/{pid}/endpoints/{endpoint['id']}",
         {"endpoint": {"autoscaling_limit_max_cu": 1}})
    refresh = harness.pulumi(["refresh", "--yes", "--diff"], project, env)
    assert "maxCu" in refresh.stdout, refresh.stdout
    assert steps(project, env).get(PROJECT) == "update"
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    harness.pulumi(["preview", "--expect-no-changes"], project, env)

    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, env)
    assert neon.state() == {}


def test_a_branch_per_stack_of_an_existing_project(tmp_path, neon_env, neon):
    env = neon_env
    existing = harness.neon_call(neon, "POST", "/projects", {"project": {"name": "shared", "region_id": "aws-us-east-2"}})
    pid = existing["project"]["id"]
    program = harness.copy_example(PY, tmp_path)
    ids = {}
    for stack in ("pr-1", "pr-2"):
        harness.configure_neon(program, stack, env, neon, config={"neonProjectId": pid})
        harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
        outputs = json.loads(harness.pulumi(["stack", "output", "--json", "--show-secrets"], program, env).stdout)
        ids[stack] = outputs["branchId"]
        assert outputs["connectionUri"].startswith("postgresql://app:")
        harness.pulumi(["preview", "--expect-no-changes"], program, env)
    branches = harness.neon_call(neon, "GET", f"/projects/{pid}/branches")["branches"]
    by_id = {b["id"]: b for b in branches}
    main = next(b for b in branches if b["default"])
    for stack, bid in ids.items():
        assert by_id[bid]["parent_id"] == main["id"]
        assert by_id[bid]["name"].startswith(f"{stack}-db-")
        endpoints = harness.neon_call(neon, "GET", f"/projects/{pid}/branches/{bid}/endpoints")["endpoints"]
        assert [e["type"] for e in endpoints] == ["read_write"]
    # Destroying one stack removes its branch only; the project stays.
    harness.pulumi(["stack", "select", "pr-1"], program, env)
    harness.pulumi(["destroy", "--yes", "--skip-preview"], program, env)
    left = {b["id"] for b in harness.neon_call(neon, "GET", f"/projects/{pid}/branches")["branches"]}
    assert ids["pr-1"] not in left and ids["pr-2"] in left and main["id"] in left


def test_import_a_project_and_a_branch_by_id(tmp_path, neon_env, neon):
    env = neon_env
    made = harness.neon_call(neon, "POST", "/projects", {"project": {
        "name": "legacy", "region_id": "aws-us-west-2", "pg_version": 16,
        "branch": {"role_name": "owner", "database_name": "orders"},
    }})
    pid = made["project"]["id"]
    branch = harness.neon_call(neon, "POST", f"/projects/{pid}/branches", {
        "branch": {"name": "staging"},
        "endpoints": [{"type": "read_write", "autoscaling_limit_min_cu": 0.5, "autoscaling_limit_max_cu": 2}],
    })["branch"]
    program = harness.copy_example(TS, tmp_path)
    harness.configure_neon(program, "imports", env, neon)
    before = len(neon.state())
    harness.pulumi(["import", PROJECT, "legacy", pid, "--yes", "--generate-code=false"], program, env)
    harness.pulumi(["import", BRANCH, "staging", f"{pid}/{branch['id']}", "--yes", "--generate-code=false"],
                   program, env)
    assert len(neon.state()) == before
    _, resources = exported(program, env)
    (p,) = [r for r in resources if r["type"] == PROJECT]
    assert p["id"] == pid
    assert p["inputs"]["region"] == "aws-us-west-2" and p["inputs"]["pgVersion"] == 16
    assert (p["inputs"]["databaseName"], p["inputs"]["roleName"]) == ("orders", "owner")
    (b,) = [r for r in resources if r["type"] == BRANCH]
    assert b["inputs"]["projectId"] == pid and b["inputs"]["name"] == "staging"
    assert (b["inputs"]["minCu"], b["inputs"]["maxCu"]) == (0.5, 2)
    # Imported resources are protected: nothing was deleted or created.
    assert creates(neon, f"/projects/{pid}/branches") == 1


def with_options(project: Path, options: str) -> None:
    """Give the example's NeonDatabase resource options, as a user would."""
    index = project / "index.ts"
    text = index.read_text()
    assert text.count("\n});\n") == 1, text
    index.write_text(text.replace("\n});\n", f"\n}}, {options});\n"))


def test_a_create_stopped_half_way_is_recorded_and_the_next_up_finishes_it(tmp_path, neon_env, neon):
    env = neon_env
    project = harness.copy_example(TS, tmp_path)
    with_options(project, '{ customTimeouts: { create: "3s" } }')
    harness.configure_neon(project, "partial", env, neon)
    neon.api.polls_to_finish = 1_000_000  # the project's operations never finish...
    proc = harness.pulumi(["up", "--yes", "--skip-preview"], project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "timed out after 3s" in output, output
    # ...but the project exists, and the state knows it.
    (pid,) = neon.state()
    _, resources = exported(project, env)
    (child,) = [r for r in resources if r["type"] == PROJECT]
    assert child["id"] == pid
    neon.api.polls_to_finish = 1
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    assert creates(neon, "/projects") == 1
    outputs = json.loads(harness.pulumi(["stack", "output", "--json", "--show-secrets"], project, env).stdout)
    assert outputs["projectId"] == pid and outputs["connectionUri"].startswith("postgresql://shop:")
    harness.pulumi(["preview", "--expect-no-changes"], project, env)


def test_retain_on_delete_keeps_the_project(tmp_path, neon_env, neon):
    env = neon_env
    project = harness.copy_example(TS, tmp_path)
    with_options(project, "{ retainOnDelete: true }")
    harness.configure_neon(project, "retained", env, neon)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    (pid,) = neon.state()
    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, env)
    assert list(neon.state()) == [pid]
    assert not [r for r in neon.requests() if r["method"] == "DELETE"]


# ---- personal API keys need the organization ----


def test_a_personal_key_needs_the_organization_and_says_where_to_find_it(tmp_path, neon_env):
    env = neon_env
    with FakeNeon(api_key=KEY, key_kind="personal", org_id=ORG) as neon:
        project = harness.copy_example(TS, tmp_path)
        harness.configure_neon(project, "personal", env, neon)
        proc = harness.pulumi(["up", "--yes", "--skip-preview"], project, env, check=False)
        output = proc.stdout + proc.stderr
        assert proc.returncode != 0, output
        for hint in ("`orgId`", "launchpad:neonOrgId", "neon orgs list", "org_id is required"):
            assert hint in output, (hint, output)
        assert neon.state() == {}

        # The provider config names the organization: the listing and the create carry it.
        harness.pulumi(["config", "set", "launchpad:neonOrgId", ORG], project, env)
        harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
        (p,) = neon.state().values()
        assert p["project"]["org_id"] == ORG
        listings = [r for r in neon.requests() if (r["method"], r["path"]) == ("GET", "/api/v2/projects")]
        assert listings and listings[-1]["query"].get("org_id") == ORG
        harness.pulumi(["preview", "--expect-no-changes"], project, env)
        _, resources = exported(project, env)
        (child,) = [r for r in resources if r["type"] == PROJECT]
        assert child["outputs"]["orgId"] == ORG

        # Naming the same organization as an input instead replaces nothing.
        harness.pulumi(["config", "rm", "launchpad:neonOrgId"], project, env)
        harness.pulumi(["config", "set", "neonOrgId", ORG], project, env)
        assert PROJECT not in steps(project, env)
        harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
        harness.pulumi(["preview", "--expect-no-changes"], project, env)

        # Refresh and import read the project by ID, which needs no org_id.
        harness.pulumi(["refresh", "--yes"], project, env)  # raises unless it succeeds
        pid = p["project"]["id"]
        other = harness.copy_example(TS, tmp_path / "other")
        harness.configure_neon(other, "imports", env, neon)
        harness.pulumi(["import", PROJECT, "legacy", pid, "--yes", "--generate-code=false"], other, env)
        _, resources = exported(other, env)
        (imported,) = [r for r in resources if r["type"] == PROJECT]
        assert imported["id"] == pid and imported["outputs"]["orgId"] == ORG
        assert len(neon.state()) == 1


# ---- branch expiry ----


def utc_in(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def branch_ids(neon: FakeNeon, pid: str) -> set[str]:
    return {b["id"] for b in harness.neon_call(neon, "GET", f"/projects/{pid}/branches")["branches"] if not b["default"]}


def test_expires_in_is_fixed_at_create_and_an_expired_branch_comes_back_new(tmp_path, neon_env, neon):
    env = neon_env
    pid = harness.neon_call(neon, "POST", "/projects", {"project": {"name": "shared"}})["project"]["id"]
    program = harness.copy_example(PY, tmp_path)
    harness.configure_neon(program, "pr-9", env, neon, config={"neonProjectId": pid, "expiresIn": "7d"})
    before = utc_in(timedelta(days=7))
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
    after = utc_in(timedelta(days=7))
    (first,) = branch_ids(neon, pid)
    branch = harness.neon_call(neon, "GET", f"/projects/{pid}/branches/{first}")["branch"]
    assert before <= branch["expires_at"] <= after, branch
    outputs = json.loads(harness.pulumi(["stack", "output", "--json"], program, env).stdout)
    assert outputs["expiresAt"] == branch["expires_at"]
    # The window was fixed when the branch was made: later previews change nothing.
    harness.pulumi(["preview", "--expect-no-changes"], program, env)

    # Neon deletes the branch when its time comes; refresh drops it from the state...
    neon.expire(pid, first)
    harness.pulumi(["refresh", "--yes"], program, env)
    _, resources = exported(program, env)
    assert not [r for r in resources if r["type"] == BRANCH]
    # ...and the next up makes a fresh one, with a new window.
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
    (second,) = branch_ids(neon, pid)
    assert second != first
    assert "expires_at" in harness.neon_call(neon, "GET", f"/projects/{pid}/branches/{second}")["branch"]
    harness.pulumi(["preview", "--expect-no-changes"], program, env)


@pytest.mark.parametrize(("config", "message"), [
    ({"expiresAt": "2020-01-01T00:00:00Z"}, "expiresAt=\"2020-01-01T00:00:00Z\" is in the past"),
    ({"expiresIn": "31d"}, "expiresIn=\"31d\" is more than 30 days"),
    ({"expiresIn": "7d", "expiresAt": "2020-01-01T00:00:00Z"}, "expiresAt and expiresIn"),
])
def test_an_expiry_neon_would_refuse_fails_preview_naming_it(tmp_path, neon_env, neon, config, message):
    program = harness.copy_example(PY, tmp_path)
    harness.select_stack(program, "expiry", neon_env, config={"neonProjectId": "ancient-moon-12345678", **config})
    proc = harness.pulumi(["preview"], program, neon_env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert message in output, output
    assert neon.requests() == []


def test_a_literal_expiry_that_passed_asks_for_a_new_one_and_then_comes_back_new(tmp_path, neon_env, neon):
    env = neon_env
    pid = harness.neon_call(neon, "POST", "/projects", {"project": {"name": "shared"}})["project"]["id"]
    program = harness.copy_example(PY, tmp_path)
    harness.configure_neon(program, "pr-10", env, neon, config={"neonProjectId": pid, "expiresAt": utc_in(timedelta(hours=1))})
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
    (first,) = branch_ids(neon, pid)
    neon.expire(pid, first)
    # A time in the program that has passed cannot make a branch: preview says so.
    harness.pulumi(["config", "set", "expiresAt", "2020-01-01T00:00:00Z"], program, env)
    proc = harness.pulumi(["preview"], program, env, check=False)
    assert proc.returncode != 0 and "is in the past" in proc.stdout + proc.stderr
    # A new time on a branch Neon already deleted: up says how to go on...
    harness.pulumi(["config", "set", "expiresAt", utc_in(timedelta(days=2))], program, env)
    proc = harness.pulumi(["up", "--yes", "--skip-preview"], program, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "pulumi refresh" in output, output
    # ...and with the refresh the stack is not stuck: a fresh branch, with the new time.
    harness.pulumi(["up", "--yes", "--skip-preview", "--refresh"], program, env)
    (second,) = branch_ids(neon, pid)
    assert second != first
    harness.pulumi(["preview", "--expect-no-changes"], program, env)


# ---- resource options on the component ----


def test_ignore_changes_on_the_database_reaches_its_project(tmp_path, neon_env, neon):
    env = neon_env
    project = harness.copy_example(TS, tmp_path)
    with_options(project, '{ ignoreChanges: ["maxCu"] }')
    harness.configure_neon(project, "ignored", env, neon)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    harness.pulumi(["config", "set", "maxCu", "4"], project, env)
    preview = harness.pulumi(["preview", "--expect-no-changes"], project, env, check=False)
    output = preview.stdout + preview.stderr
    assert preview.returncode == 0, output
    assert "changes no child resource" not in output, output


# ---- a project's organization: recorded, or moved by a transfer, never a new project ----


ORG_B = "org-quiet-river-87654321"


def outputs_of(project: Path, env: dict) -> dict:
    return json.loads(harness.pulumi(["stack", "output", "--json", "--show-secrets"], project, env).stdout)


def test_naming_the_organization_of_a_project_made_before_orgid_keeps_the_project(tmp_path, neon_env, neon):
    env = neon_env
    project = harness.copy_example(TS, tmp_path)
    harness.configure_neon(project, "legacy", env, neon)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    (pid,) = neon.state()
    # State written before `orgId` existed records no organization at all.
    text, _ = exported(project, env)
    deployment = json.loads(text)
    for r in deployment["deployment"]["resources"]:
        if r["type"] == PROJECT:
            r["outputs"].pop("orgId")
            assert "orgId" not in r["inputs"]
    state_file = tmp_path / "legacy.json"
    state_file.write_text(json.dumps(deployment))
    harness.pulumi(["stack", "import", "--file", str(state_file)], project, env)

    # Naming the organization it is in: an update that records it, never a new project.
    harness.pulumi(["config", "set", "neonOrgId", DEFAULT_ORG], project, env)
    assert steps(project, env).get(PROJECT) == "update"
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    assert list(neon.state()) == [pid]
    assert creates(neon, "/projects") == 1
    assert not [r for r in neon.requests() if r["method"] == "DELETE"]
    _, resources = exported(project, env)
    (child,) = [r for r in resources if r["type"] == PROJECT]
    assert child["outputs"]["orgId"] == DEFAULT_ORG
    harness.pulumi(["preview", "--expect-no-changes"], project, env)


def test_another_organization_transfers_the_project_and_a_refused_transfer_says_what_to_do(tmp_path, neon_env):
    env = neon_env
    with FakeNeon(api_key=KEY, key_kind="personal", org_id=ORG, memberships={ORG: "admin", ORG_B: "member"}) as neon:
        project = harness.copy_example(TS, tmp_path)
        harness.configure_neon(project, "moving", env, neon, config={"neonOrgId": ORG})
        harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
        (pid,) = neon.state()
        before = outputs_of(project, env)

        harness.pulumi(["config", "set", "neonOrgId", ORG_B], project, env)
        assert steps(project, env).get(PROJECT) == "update"
        harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
        # The same project, in the other organization, reached as before.
        assert list(neon.state()) == [pid]
        assert neon.state()[pid]["project"]["org_id"] == ORG_B
        assert outputs_of(project, env)["connectionUri"] == before["connectionUri"]
        transfers = [r for r in neon.requests() if r["path"].endswith("/projects/transfer")]
        assert [r["path"] for r in transfers] == [f"/api/v2/organizations/{ORG}/projects/transfer"]
        assert creates(neon, "/projects") == 1
        harness.pulumi(["preview", "--expect-no-changes"], project, env)

        # Back again needs the Admin role in ORG_B, which this key's user lacks.
        harness.pulumi(["config", "set", "neonOrgId", ORG], project, env)
        proc = harness.pulumi(["up", "--yes", "--skip-preview"], project, env, check=False)
        output = proc.stdout + proc.stderr
        assert proc.returncode != 0, output
        for hint in (f'orgId="{ORG}"', "Admin", "Member", "Settings", "Transfer", "pulumi refresh",
                     "replaceOnChanges"):
            assert hint in output, (hint, output)
        assert list(neon.state()) == [pid] and neon.state()[pid]["project"]["org_id"] == ORG_B


# ---- a branch's expiry, changed behind Pulumi's back ----


def test_an_expiry_neon_removed_shows_as_drift_and_up_sets_it_again(tmp_path, neon_env, neon):
    env = neon_env
    pid = harness.neon_call(neon, "POST", "/projects", {"project": {"name": "shared"}})["project"]["id"]
    program = harness.copy_example(PY, tmp_path)
    harness.configure_neon(program, "pr-11", env, neon, config={"neonProjectId": pid, "expiresIn": "7d"})
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
    (bid,) = branch_ids(neon, pid)
    harness.neon_call(neon, "PATCH", f"/projects/{pid}/branches/{bid}", {"branch": {"expires_at": None}})
    harness.pulumi(["refresh", "--yes"], program, env)
    assert steps(program, env).get(BRANCH) == "update"
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
    assert "expires_at" in harness.neon_call(neon, "GET", f"/projects/{pid}/branches/{bid}")["branch"]
    assert branch_ids(neon, pid) == {bid}
    harness.pulumi(["preview", "--expect-no-changes"], program, env)


def test_a_branch_whose_expiry_was_extended_behind_pulumis_back_is_not_deleted_until_refresh(tmp_path, neon_env, neon):
    env = neon_env
    pid = harness.neon_call(neon, "POST", "/projects", {"project": {"name": "shared"}})["project"]["id"]
    program = harness.copy_example(PY, tmp_path)
    harness.configure_neon(program, "pr-12", env, neon, config={"neonProjectId": pid, "expiresIn": "7d"})
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
    (bid,) = branch_ids(neon, pid)
    later = utc_in(timedelta(days=20))
    harness.neon_call(neon, "PATCH", f"/projects/{pid}/branches/{bid}", {"branch": {"expires_at": later}})
    proc = harness.pulumi(["destroy", "--yes", "--skip-preview"], program, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "expiry changed since the last refresh" in output and later in output, output
    assert branch_ids(neon, pid) == {bid}
    harness.pulumi(["refresh", "--yes"], program, env)
    harness.pulumi(["destroy", "--yes", "--skip-preview"], program, env)
    assert branch_ids(neon, pid) == set()


def test_a_30_day_expires_in_is_taken_by_a_neon_whose_clock_is_behind_ours(tmp_path, neon_env):
    env = neon_env
    with FakeNeon(api_key=KEY, clock_skew=-timedelta(minutes=2)) as neon:
        pid = harness.neon_call(neon, "POST", "/projects", {"project": {"name": "shared"}})["project"]["id"]
        program = harness.copy_example(PY, tmp_path)
        harness.configure_neon(program, "pr-13", env, neon, config={"neonProjectId": pid, "expiresIn": "30d"})
        harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
        (bid,) = branch_ids(neon, pid)
        expires = harness.neon_call(neon, "GET", f"/projects/{pid}/branches/{bid}")["branch"]["expires_at"]
        assert expires <= utc_in(timedelta(days=30)), expires


# ---- a branch name taken (409): the import command works as printed ----


def test_the_import_command_a_taken_branch_name_prints_adopts_it_under_its_database(tmp_path, neon_env, neon):
    env = neon_env
    pid = harness.neon_call(neon, "POST", "/projects", {"project": {"name": "shared"}})["project"]["id"]
    program = harness.copy_example(PY, tmp_path)
    harness.configure_neon(program, "pr-14", env, neon, config={"neonProjectId": pid})
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
    (bid,) = branch_ids(neon, pid)
    # An `up` stopped after Neon made the branch but before the state recorded it.
    _, resources = exported(program, env)
    (child,) = [r for r in resources if r["type"] == BRANCH]
    (component,) = [r for r in resources if r["type"] == "launchpad:index:NeonDatabase"]
    assert child["urn"].endswith("::launchpad:index:NeonDatabase$launchpad:index:NeonBranch::db-branch"), child["urn"]
    harness.pulumi(["state", "delete", child["urn"], "--yes"], program, env)
    proc = harness.pulumi(["up", "--yes", "--skip-preview"], program, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    found = re.search(r"`(pulumi import [^`]+)`", output)
    assert found, output
    command = shlex.split(found.group(1))
    assert command[2:5] == [BRANCH, "db-branch", f"{pid}/{bid}"], command
    assert f"parent={component['urn']}" in command, (command, component["urn"])
    harness.pulumi(command[1:] + ["--yes"], program, env)
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
    assert branch_ids(neon, pid) == {bid}
    _, resources = exported(program, env)
    (adopted,) = [r for r in resources if r["type"] == BRANCH]
    assert adopted["urn"] == child["urn"] and adopted["id"] == f"{pid}/{bid}"


# ---- a project-scoped API key: enough for a branch per stack ----


def test_a_project_scoped_key_makes_and_removes_a_branch_of_its_project(tmp_path, neon_env, neon):
    env = neon_env
    pid = harness.neon_call(neon, "POST", "/projects", {"project": {"name": "shared"}})["project"]["id"]
    neon.add_key("napi_project_scoped_key", "project", project_id=pid)
    program = harness.copy_example(PY, tmp_path)
    harness.configure_neon(program, "pr-15", env, neon, config={"neonProjectId": pid}, key="napi_project_scoped_key")
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)
    assert len(branch_ids(neon, pid)) == 1
    harness.pulumi(["destroy", "--yes", "--skip-preview"], program, env)
    assert branch_ids(neon, pid) == set()
