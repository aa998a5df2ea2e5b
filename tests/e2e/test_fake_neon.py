"""The fake Neon API (tests/fakeneon) answers the way the Neon client expects,
seen over HTTP: quick checks of the fake itself, with no Pulumi involved."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakeneon import FakeNeon  # noqa: E402
from fakeneon.server import DEFAULT_ORG, ORG_ID_REQUIRED  # noqa: E402

KEY = "test-key-not-secret"


def in_(delta: timedelta) -> str:
    """An RFC 3339 time DELTA from now, to the second."""
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def neon():
    with FakeNeon(api_key=KEY) as fake:
        yield fake


def call(neon: FakeNeon, method: str, path: str, body: dict | None = None, key: str | None = KEY):
    """(status, JSON body) of METHOD PATH under the fake's /api/v2 (None for no body)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(neon.url + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if key is not None:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            data = response.read()
            return response.status, json.loads(data) if data else None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def ok(neon: FakeNeon, method: str, path: str, body: dict | None = None, status: int = 200) -> dict:
    got, answer = call(neon, method, path, body)
    assert got == status, answer
    return answer


def create_project(neon: FakeNeon, name: str = "launchpad-db", **spec) -> dict:
    return ok(neon, "POST", "/projects", {"project": {"name": name, **spec}}, status=201)


def wait(neon: FakeNeon, operations: list[dict]) -> None:
    for op in operations:
        for _ in range(5):
            got = ok(neon, "GET", f"/projects/{op['project_id']}/operations/{op['id']}")["operation"]
            if got["status"] == "finished":
                break
        assert got["status"] == "finished"


def test_create_project_answers_with_its_branch_endpoint_and_operations(neon):
    created = create_project(
        neon,
        region_id="aws-eu-central-1",
        pg_version=16,
        default_endpoint_settings={"autoscaling_limit_min_cu": 0.5, "autoscaling_limit_max_cu": 4},
        branch={"name": "trunk", "role_name": "app", "database_name": "appdb"},
    )
    project, branch = created["project"], created["branch"]
    assert project["name"] == "launchpad-db"
    assert project["region_id"] == "aws-eu-central-1" and project["pg_version"] == 16
    assert project["history_retention_seconds"] == 86400
    assert len(project["id"].split("-")) == 3 and project["id"].split("-")[2].isdigit()
    assert branch["id"].startswith("br-") and branch["name"] == "trunk" and branch["default"]
    [endpoint] = created["endpoints"]
    assert endpoint["id"].startswith("ep-") and endpoint["type"] == "read_write"
    assert endpoint["host"] == f"{endpoint['id']}.eu-central-1.aws.neon.tech"
    assert (endpoint["autoscaling_limit_min_cu"], endpoint["autoscaling_limit_max_cu"]) == (0.5, 4)
    assert endpoint["suspend_timeout_seconds"] == 0
    assert [r["name"] for r in created["roles"]] == ["app"]
    assert [(d["name"], d["owner_name"]) for d in created["databases"]] == [("appdb", "app")]
    ops = created["operations"]
    assert [(o["action"], o["status"]) for o in ops] == [("create_timeline", "running"), ("start_compute", "running")]
    assert ops[1]["endpoint_id"] == endpoint["id"] and ops[0]["branch_id"] == branch["id"]
    [uri] = created["connection_uris"]
    assert uri["connection_uri"].startswith("postgresql://app:")
    assert neon.state()[project["id"]]["project"]["name"] == "launchpad-db"


def test_defaults_and_validation(neon):
    created = create_project(neon)
    assert created["project"]["region_id"] == "aws-us-east-2" and created["project"]["pg_version"] == 17
    assert created["branch"]["name"] == "main"
    assert created["endpoints"][0]["host"].endswith(".us-east-2.aws.neon.tech")
    assert [d["name"] for d in created["databases"]] == ["neondb"]
    assert [r["name"] for r in created["roles"]] == ["neondb_owner"]
    status, answer = call(neon, "POST", "/projects", {"project": {"name": "x", "pg_version": 19}})
    assert status == 400 and "pg_version" in answer["message"]
    status, answer = call(neon, "POST", "/projects", {"project": {"name": "x", "region_id": "mars-1"}})
    assert status == 400 and "region_id" in answer["message"]


def test_operations_finish_after_polling(neon):
    created = create_project(neon)
    pid, [op, _] = created["project"]["id"], created["operations"]
    listed = ok(neon, "GET", f"/projects/{pid}/operations?limit=100")["operations"]
    assert [o["id"] for o in listed] == [o["id"] for o in reversed(created["operations"])]
    assert ok(neon, "GET", f"/projects/{pid}/operations/{op['id']}")["operation"]["status"] == "finished"
    wait(neon, created["operations"])
    assert ok(neon, "GET", f"/projects/{pid}/branches/{created['branch']['id']}")["branch"]["current_state"] == "ready"


def test_slow_operations_take_several_polls():
    with FakeNeon(api_key=KEY, polls_to_finish=3) as neon:
        created = create_project(neon)
        op = created["operations"][0]
        path = f"/projects/{op['project_id']}/operations/{op['id']}"
        statuses = [ok(neon, "GET", path)["operation"]["status"] for _ in range(3)]
        assert statuses == ["running", "running", "finished"]


def test_branch_copies_roles_and_databases_and_gets_an_endpoint(neon):
    created = create_project(neon)
    pid, main = created["project"]["id"], created["branch"]["id"]
    role = ok(neon, "POST", f"/projects/{pid}/branches/{main}/roles", {"role": {"name": "app_user"}}, 201)["role"]
    assert role["password"] and role["protected"] is False
    ok(neon, "POST", f"/projects/{pid}/branches/{main}/databases",
       {"database": {"name": "app", "owner_name": "app_user"}}, 201)
    status, _ = call(neon, "POST", f"/projects/{pid}/branches/{main}/databases",
                     {"database": {"name": "other", "owner_name": "nobody"}})
    assert status == 404
    branch = ok(neon, "POST", f"/projects/{pid}/branches", {
        "branch": {"name": "preview-pr-42", "expires_at": in_(timedelta(days=7))},
        "endpoints": [{"type": "read_write", "autoscaling_limit_max_cu": 1, "suspend_timeout_seconds": 300}],
    }, 201)
    bid = branch["branch"]["id"]
    assert branch["branch"]["parent_id"] == main and not branch["branch"]["default"]
    assert branch["branch"]["expires_at"] > in_(timedelta(days=6))
    assert 6 * 86400 < branch["branch"]["ttl_interval_seconds"] <= 7 * 86400
    [endpoint] = branch["endpoints"]
    assert endpoint["branch_id"] == bid and endpoint["suspend_timeout_seconds"] == 300
    assert [o["action"] for o in branch["operations"]] == ["create_branch", "start_compute"]
    roles = ok(neon, "GET", f"/projects/{pid}/branches/{bid}/roles")["roles"]
    assert sorted(r["name"] for r in roles) == ["app_user", "neondb_owner"]
    assert all("password" not in r and r["branch_id"] == bid for r in roles)
    dbs = ok(neon, "GET", f"/projects/{pid}/branches/{bid}/databases")["databases"]
    assert sorted((d["name"], d["owner_name"]) for d in dbs) == [("app", "app_user"), ("neondb", "neondb_owner")]
    assert ok(neon, "GET", f"/projects/{pid}/branches/{bid}/endpoints")["endpoints"] == [endpoint]
    listed = ok(neon, "GET", f"/projects/{pid}/branches?search=preview")["branches"]
    assert [b["id"] for b in listed] == [bid]
    status, answer = call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "preview-pr-42"}})
    assert status == 409 and "preview-pr-42" in answer["message"]
    status, _ = call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "x", "parent_id": "br-no-1"}})
    assert status == 404
    status, answer = call(neon, "DELETE", f"/projects/{pid}/branches/{main}")
    assert status == 400 and "default" in answer["message"]
    deleted = ok(neon, "DELETE", f"/projects/{pid}/branches/{bid}")
    wait(neon, deleted["operations"])
    assert call(neon, "GET", f"/projects/{pid}/endpoints/{endpoint['id']}")[0] == 404


def test_connection_uri_direct_and_pooled(neon):
    created = create_project(neon)
    pid, endpoint = created["project"]["id"], created["endpoints"][0]
    password = created["roles"][0]["password"]
    base = f"/projects/{pid}/connection_uri?database_name=neondb&role_name=neondb_owner"
    direct = ok(neon, "GET", base + "&pooled=false")["uri"]
    assert direct == (f"postgresql://neondb_owner:{password}@{endpoint['host']}/neondb"
                      "?sslmode=require&channel_binding=require")
    pooled = ok(neon, "GET", base + f"&branch_id={created['branch']['id']}&pooled=true")["uri"]
    assert f"@{endpoint['id']}-pooler.us-east-2.aws.neon.tech/neondb?" in pooled
    assert pooled.endswith("?sslmode=require&channel_binding=require")
    assert call(neon, "GET", f"/projects/{pid}/connection_uri?database_name=nope&role_name=neondb_owner")[0] == 404
    assert call(neon, "GET", f"/projects/{pid}/connection_uri?database_name=neondb&role_name=nope")[0] == 404


def test_patch_endpoint_changes_limits(neon):
    created = create_project(neon)
    pid, eid = created["project"]["id"], created["endpoints"][0]["id"]
    changed = ok(neon, "PATCH", f"/projects/{pid}/endpoints/{eid}",
                 {"endpoint": {"autoscaling_limit_min_cu": 0.5, "autoscaling_limit_max_cu": 4}})
    assert [(o["action"], o["status"]) for o in changed["operations"]] == [("apply_config", "running")]
    got = ok(neon, "GET", f"/projects/{pid}/endpoints/{eid}")["endpoint"]
    assert (got["autoscaling_limit_min_cu"], got["autoscaling_limit_max_cu"]) == (0.5, 4)
    status, _ = call(neon, "PATCH", f"/projects/{pid}/endpoints/{eid}",
                     {"endpoint": {"autoscaling_limit_min_cu": 8}})
    assert status == 400


def test_databases_are_renamed_reowned_and_go_with_their_role(neon):
    created = create_project(neon)
    pid, bid = created["project"]["id"], created["branch"]["id"]
    base = f"/projects/{pid}/branches/{bid}"
    ok(neon, "POST", f"{base}/roles", {"role": {"name": "svc"}}, 201)
    assert call(neon, "POST", f"{base}/roles", {"role": {"name": "svc"}})[0] == 409
    ok(neon, "POST", f"{base}/databases", {"database": {"name": "svcdb", "owner_name": "neondb_owner"}}, 201)
    assert call(neon, "POST", f"{base}/databases", {"database": {"name": "svcdb", "owner_name": "svc"}})[0] == 409
    changed = ok(neon, "PATCH", f"{base}/databases/svcdb", {"database": {"name": "svc2", "owner_name": "svc"}})
    assert (changed["database"]["name"], changed["database"]["owner_name"]) == ("svc2", "svc")
    assert [o["action"] for o in changed["operations"]] == ["apply_config"]
    ok(neon, "DELETE", f"{base}/roles/svc")
    names = [d["name"] for d in ok(neon, "GET", f"{base}/databases")["databases"]]
    assert names == ["neondb"]
    assert call(neon, "DELETE", f"{base}/databases/svc2")[0] == 404


def test_wrong_or_missing_key_is_401(neon):
    status, answer = call(neon, "GET", "/projects", key="wrong")
    assert status == 401 and answer["message"]
    assert call(neon, "GET", "/projects", key=None)[0] == 401


def test_delete_project_then_get_is_404(neon):
    pid = create_project(neon)["project"]["id"]
    assert ok(neon, "DELETE", f"/projects/{pid}")["project"]["id"] == pid
    status, answer = call(neon, "GET", f"/projects/{pid}")
    assert status == 404 and answer["message"]
    assert neon.state() == {}


def test_list_projects_with_search_and_pages(neon):
    ids = [create_project(neon, name)["project"]["id"] for name in ("alpha-db", "beta-db", "alpha-two")]
    found = ok(neon, "GET", "/projects?search=alpha&limit=400")["projects"]
    assert [p["name"] for p in found] == ["alpha-db", "alpha-two"]
    assert [p["id"] for p in ok(neon, "GET", f"/projects?search={ids[1]}")["projects"]] == [ids[1]]
    first = ok(neon, "GET", "/projects?limit=2")
    assert [p["id"] for p in first["projects"]] == ids[:2]
    rest = ok(neon, "GET", f"/projects?limit=2&cursor={first['pagination']['cursor']}")
    assert [p["id"] for p in rest["projects"]] == ids[2:]


def test_requests_are_recorded_without_secrets(neon):
    create_project(neon)
    call(neon, "GET", "/projects?search=launchpad")
    assert [(r["method"], r["path"]) for r in neon.requests()] == [("POST", "/api/v2/projects"), ("GET", "/api/v2/projects")]
    assert neon.requests()[1]["query"] == {"search": "launchpad"}
    base = neon.url.removesuffix("/api/v2")
    with urllib.request.urlopen(base + "/_fake/requests") as response:
        assert len(json.loads(response.read())) == 2
    urllib.request.urlopen(urllib.request.Request(base + "/_fake/reset", method="POST")).close()
    assert neon.requests() == [] and neon.state() == {}


def test_runs_as_a_script():
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve().parents[1] / "fakeneon" / "server.py"), "--api-key", KEY],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        port = int(proc.stdout.readline())
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v2/projects")
        request.add_header("Authorization", f"Bearer {KEY}")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["projects"] == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# ---- the rules of tests/fakeneon/README.md, one test each ----


def test_a_personal_key_must_name_the_organization_to_list_or_create_projects():
    with FakeNeon(api_key=KEY, key_kind="personal", org_id="org-cool-breeze-12345678") as neon:
        for method, path, body in (("GET", "/projects", None), ("POST", "/projects", {"project": {"name": "x"}})):
            status, answer = call(neon, method, path, body)
            assert (status, answer["message"]) == (400, ORG_ID_REQUIRED), (method, answer)
            assert answer["message"].startswith("org_id is required"), answer
        created = ok(neon, "POST", "/projects", {"project": {"name": "x", "org_id": "org-cool-breeze-12345678"}}, 201)
        pid = created["project"]["id"]
        assert created["project"]["org_id"] == "org-cool-breeze-12345678"
        listed = ok(neon, "GET", "/projects?org_id=org-cool-breeze-12345678")["projects"]
        assert [p["id"] for p in listed] == [pid]
        # A project's own routes need no org_id.
        assert ok(neon, "GET", f"/projects/{pid}")["project"]["id"] == pid
        assert ok(neon, "GET", f"/projects/{pid}/branches")["branches"]
        status, _ = call(neon, "GET", "/projects?org_id=org-someone-else-87654321")
        assert status == 403


def test_an_organization_key_needs_no_org_id_and_reaches_only_its_organization(neon):
    created = create_project(neon)
    assert created["project"]["org_id"] == DEFAULT_ORG
    assert len(ok(neon, "GET", "/projects")["projects"]) == 1
    assert len(ok(neon, "GET", f"/projects?org_id={DEFAULT_ORG}")["projects"]) == 1
    status, _ = call(neon, "POST", "/projects", {"project": {"name": "y", "org_id": "org-someone-else-87654321"}})
    assert status == 403


def test_only_neons_compute_sizes_and_autoscaling_ranges_are_accepted(neon):
    refused = [
        {"autoscaling_limit_min_cu": 0.3, "autoscaling_limit_max_cu": 1},
        {"autoscaling_limit_min_cu": 17, "autoscaling_limit_max_cu": 17},
        {"autoscaling_limit_min_cu": 19, "autoscaling_limit_max_cu": 19},
        {"autoscaling_limit_min_cu": 0.25, "autoscaling_limit_max_cu": 58},
        {"autoscaling_limit_min_cu": 8, "autoscaling_limit_max_cu": 18},  # autoscaling above 16
        {"autoscaling_limit_min_cu": 1, "autoscaling_limit_max_cu": 10},  # a span of 9
        {"autoscaling_limit_min_cu": 0.1, "autoscaling_limit_max_cu": 1},
    ]
    for settings in refused:
        status, answer = call(neon, "POST", "/projects", {"project": {"name": "x", "default_endpoint_settings": settings}})
        assert status == 400, (settings, answer)
    for fixed in (0.25, 0.5, 1, 7, 16, 18, 56):
        create_project(neon, f"fixed-{fixed}", default_endpoint_settings={
            "autoscaling_limit_min_cu": fixed, "autoscaling_limit_max_cu": fixed})
    created = create_project(neon, "autoscaling", default_endpoint_settings={
        "autoscaling_limit_min_cu": 8, "autoscaling_limit_max_cu": 16})
    pid, eid = created["project"]["id"], created["endpoints"][0]["id"]
    status, answer = call(neon, "PATCH", f"/projects/{pid}/endpoints/{eid}", {"endpoint": {"autoscaling_limit_max_cu": 17}})
    assert status == 400 and "compute size" in answer["message"]


def test_expires_at_must_be_ahead_within_30_days_and_never_on_a_default_or_protected_branch(neon):
    created = create_project(neon)
    pid, main = created["project"]["id"], created["branch"]["id"]
    for when in (in_(timedelta(hours=-1)), in_(timedelta(days=31)), "2030-01-01T00:00:00", "tomorrow"):
        status, answer = call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "b", "expires_at": when}})
        assert status == 400 and "expires_at" in answer["message"], (when, answer)
    # An offset is allowed; Neon keeps the time in UTC, to the second.
    local = (datetime.now(timezone(timedelta(hours=9))) + timedelta(days=2)).replace(microsecond=0)
    made = ok(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "b", "expires_at": local.isoformat()}}, 201)
    assert made["branch"]["expires_at"] == local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, answer = call(neon, "PATCH", f"/projects/{pid}/branches/{main}", {"branch": {"expires_at": in_(timedelta(days=1))}})
    assert status == 400 and "default" in answer["message"]
    keep = ok(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "keep"}}, 201)["branch"]["id"]
    ok(neon, "PATCH", f"/projects/{pid}/branches/{keep}", {"branch": {"protected": True}})
    status, answer = call(neon, "PATCH", f"/projects/{pid}/branches/{keep}", {"branch": {"expires_at": in_(timedelta(days=1))}})
    assert status == 400 and "protected" in answer["message"]
    # Nor on a branch with children, nor may an expiring branch become a parent.
    ok(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "child", "parent_id": keep}}, 201)
    ok(neon, "PATCH", f"/projects/{pid}/branches/{keep}", {"branch": {"protected": False}})
    status, answer = call(neon, "PATCH", f"/projects/{pid}/branches/{keep}", {"branch": {"expires_at": in_(timedelta(days=1))}})
    assert status == 400 and "child" in answer["message"]
    expiring = made["branch"]["id"]
    status, answer = call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "c", "parent_id": expiring}})
    assert status == 400 and "parent" in answer["message"]
    # Removing the expiry (null) is always allowed.
    assert "expires_at" not in ok(neon, "PATCH", f"/projects/{pid}/branches/{expiring}", {"branch": {"expires_at": None}})["branch"]


def test_an_expired_branch_is_deleted_with_its_compute_as_neon_does(neon):
    created = create_project(neon)
    pid = created["project"]["id"]
    made = ok(neon, "POST", f"/projects/{pid}/branches", {
        "branch": {"name": "pr-7", "expires_at": in_(timedelta(hours=1))},
        "endpoints": [{"type": "read_write"}],
    }, 201)
    bid, eid = made["branch"]["id"], made["endpoints"][0]["id"]
    neon.expire(pid, bid)
    assert call(neon, "GET", f"/projects/{pid}/branches/{bid}")[0] == 404
    assert call(neon, "GET", f"/projects/{pid}/endpoints/{eid}")[0] == 404
    # Over HTTP too, and never a branch without an expiry.
    base = neon.url.removesuffix("/api/v2")
    request = urllib.request.Request(base + "/_fake/expire", method="POST",
                                     data=json.dumps({"project_id": pid, "branch_id": created["branch"]["id"]}).encode())
    try:
        urllib.request.urlopen(request)
        raise AssertionError("a branch without an expiry was expired")
    except urllib.error.HTTPError as e:
        assert e.code == 400


def test_a_deleted_branch_is_gone_and_deleting_it_again_or_one_never_made_answers_204(neon):
    created = create_project(neon)
    pid = created["project"]["id"]
    bid = ok(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "pr-1"}}, 201)["branch"]["id"]
    wait(neon, ok(neon, "DELETE", f"/projects/{pid}/branches/{bid}")["operations"])
    assert call(neon, "DELETE", f"/projects/{pid}/branches/{bid}") == (204, None)
    assert call(neon, "DELETE", f"/projects/{pid}/branches/br-never-made-123456") == (204, None)
    assert call(neon, "GET", f"/projects/{pid}/branches/{bid}")[0] == 404
    assert bid not in [b["id"] for b in ok(neon, "GET", f"/projects/{pid}/branches")["branches"]]
    # An expired branch is deleted the same way.
    made = ok(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "pr-2", "expires_at": in_(timedelta(hours=1))}}, 201)
    neon.expire(pid, made["branch"]["id"])
    assert call(neon, "DELETE", f"/projects/{pid}/branches/{made['branch']['id']}") == (204, None)


def test_a_protected_branch_and_a_project_holding_one_are_not_deleted(neon):
    created = create_project(neon)
    pid = created["project"]["id"]
    bid = ok(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "prod"}}, 201)["branch"]["id"]
    ok(neon, "PATCH", f"/projects/{pid}/branches/{bid}", {"branch": {"protected": True}})
    status, answer = call(neon, "DELETE", f"/projects/{pid}/branches/{bid}")
    assert status == 400 and "protected" in answer["message"], answer
    status, answer = call(neon, "DELETE", f"/projects/{pid}")
    assert status == 400 and "protected" in answer["message"], answer
    ok(neon, "PATCH", f"/projects/{pid}/branches/{bid}", {"branch": {"protected": False}})
    ok(neon, "DELETE", f"/projects/{pid}/branches/{bid}")
    ok(neon, "DELETE", f"/projects/{pid}")


def test_scale_to_zero_and_history_retention_take_neons_ranges_only(neon):
    for refused in (-2, 1, 59, 604801, 90.5):
        status, answer = call(neon, "POST", "/projects", {"project": {
            "name": "x", "default_endpoint_settings": {"suspend_timeout_seconds": refused}}})
        assert status == 400 and "suspend_timeout_seconds" in answer["message"], (refused, answer)
    for accepted in (-1, 0, 60, 604800):
        create_project(neon, f"suspend-{accepted}", default_endpoint_settings={"suspend_timeout_seconds": accepted})
    for refused in (-1, 2592001, 3.5):
        status, answer = call(neon, "POST", "/projects", {"project": {"name": "x", "history_retention_seconds": refused}})
        assert status == 400 and "history_retention_seconds" in answer["message"], (refused, answer)
    pid = create_project(neon, "retention", history_retention_seconds=2592000)["project"]["id"]
    status, answer = call(neon, "PATCH", f"/projects/{pid}", {"project": {"history_retention_seconds": 2592001}})
    assert status == 400 and "history_retention_seconds" in answer["message"], answer


def test_the_default_branch_and_a_branch_with_children_are_not_deleted(neon):
    created = create_project(neon)
    pid, main = created["project"]["id"], created["branch"]["id"]
    parent = ok(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "parent"}}, 201)["branch"]["id"]
    child = ok(neon, "POST", f"/projects/{pid}/branches",
               {"branch": {"name": "child", "parent_id": parent}}, 201)["branch"]["id"]
    status, answer = call(neon, "DELETE", f"/projects/{pid}/branches/{main}")
    assert status == 400 and "default branch" in answer["message"], answer
    status, answer = call(neon, "DELETE", f"/projects/{pid}/branches/{parent}")
    assert status == 400 and child in answer["message"], answer
    ok(neon, "DELETE", f"/projects/{pid}/branches/{child}")
    ok(neon, "DELETE", f"/projects/{pid}/branches/{parent}")


def test_neons_own_role_names_and_identifiers_over_63_bytes_are_refused(neon):
    for role in ("pg_monitor", "pg_", "neon_superuser", "cloud_admin", "zenith_admin", "public", "none"):
        status, answer = call(neon, "POST", "/projects", {"project": {"name": "x", "branch": {"role_name": role}}})
        assert status == 400 and role in answer["message"], (role, answer)
    created = create_project(neon)
    pid, bid = created["project"]["id"], created["branch"]["id"]
    base = f"/projects/{pid}/branches/{bid}"
    status, _ = call(neon, "POST", f"{base}/roles", {"role": {"name": "neon_superuser"}})
    assert status == 400
    # 63 bytes, not 63 characters: 32 two-byte letters are too many, 31 fit.
    status, answer = call(neon, "POST", f"{base}/databases", {"database": {"name": "é" * 32, "owner_name": "neondb_owner"}})
    assert status == 400 and "63 bytes" in answer["message"], answer
    ok(neon, "POST", f"{base}/databases", {"database": {"name": "é" * 31, "owner_name": "neondb_owner"}}, 201)
    status, _ = call(neon, "POST", f"{base}/roles", {"role": {"name": "r" * 64}})
    assert status == 400
    ok(neon, "POST", f"{base}/roles", {"role": {"name": "pgadmin"}}, 201)  # only the `pg_` prefix is Neon's


def test_project_and_branch_names_are_at_most_256_characters(neon):
    status, answer = call(neon, "POST", "/projects", {"project": {"name": "p" * 257}})
    assert status == 400 and "256" in answer["message"], answer
    pid = create_project(neon, "p" * 256)["project"]["id"]
    status, _ = call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "b" * 257}})
    assert status == 400
    bid = ok(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "b" * 256}}, 201)["branch"]["id"]
    status, _ = call(neon, "PATCH", f"/projects/{pid}/branches/{bid}", {"branch": {"name": "c" * 257}})
    assert status == 400


def test_an_organization_id_has_neons_shape(neon):
    for bad in ("Org-Upper-1", "org_underscore", "o" * 61):
        status, answer = call(neon, "GET", f"/projects?org_id={bad}")
        assert status == 400 and "organization ID" in answer["message"], (bad, answer)


ORG_A, ORG_B = "org-cool-breeze-12345678", "org-quiet-river-87654321"


def test_a_transfer_moves_projects_keeping_their_ids_and_connection_uris():
    with FakeNeon(api_key=KEY, key_kind="personal", org_id=ORG_A,
                  memberships={ORG_A: "admin", ORG_B: "member"}) as neon:
        created = ok(neon, "POST", "/projects", {"project": {"name": "x", "org_id": ORG_A}}, 201)
        pid = created["project"]["id"]
        uri = f"/projects/{pid}/connection_uri?database_name=neondb&role_name=neondb_owner"
        before = ok(neon, "GET", uri)["uri"]
        answer = ok(neon, "POST", f"/organizations/{ORG_A}/projects/transfer",
                    {"destination_org_id": ORG_B, "project_ids": [pid]})
        assert answer == {}
        assert ok(neon, "GET", f"/projects/{pid}")["project"]["org_id"] == ORG_B
        assert ok(neon, "GET", uri)["uri"] == before
        assert [p["id"] for p in ok(neon, "GET", f"/projects?org_id={ORG_B}")["projects"]] == [pid]
        # Back again needs Admin in the source, which the key is not in ORG_B.
        status, answer = call(neon, "POST", f"/organizations/{ORG_B}/projects/transfer",
                              {"destination_org_id": ORG_A, "project_ids": [pid]})
        assert status == 403 and "Admin" in answer["message"], answer


def test_a_transfer_is_refused_without_the_roles_with_an_integration_or_beyond_the_plan():
    with FakeNeon(api_key=KEY, key_kind="personal", org_id=ORG_A, memberships={ORG_A: "admin"}) as neon:
        pid = ok(neon, "POST", "/projects", {"project": {"name": "x", "org_id": ORG_A}}, 201)["project"]["id"]
        move = f"/organizations/{ORG_A}/projects/transfer"
        status, answer = call(neon, "POST", move, {"destination_org_id": ORG_B, "project_ids": [pid]})
        assert status == 403 and "Member" in answer["message"], answer
        neon.add_key("both", "personal", memberships={ORG_A: "admin", ORG_B: "admin"})
        neon.add_integration(pid, "vercel")
        status, answer = call(neon, "POST", move, {"destination_org_id": ORG_B, "project_ids": [pid]}, key="both")
        assert (status, answer) == (422, {"projects": [{"id": pid, "integration": "vercel"}]})
        neon.api.projects[pid]["integration"] = None
        neon.limit_projects(ORG_B, 0)
        status, answer = call(neon, "POST", move, {"destination_org_id": ORG_B, "project_ids": [pid]}, key="both")
        assert (status, answer) == (406, {"limits": [{"name": "projects_count", "expected": "0", "actual": "1"}]})
        for body in ({"destination_org_id": "Not An Org", "project_ids": [pid]},
                     {"destination_org_id": ORG_B, "project_ids": []},
                     {"destination_org_id": ORG_B}):
            assert call(neon, "POST", move, body, key="both")[0] == 400, body
        status, _ = call(neon, "POST", f"/organizations/{ORG_B}/projects/transfer",
                         {"destination_org_id": ORG_A, "project_ids": [pid]}, key="both")
        assert status == 404  # not in that organization
        # An organization key reaches one organization: never another's.
        neon.add_key("org-key", "org", org_id=ORG_A)
        status, _ = call(neon, "POST", move, {"destination_org_id": ORG_B, "project_ids": [pid]}, key="org-key")
        assert status == 403


def test_a_project_scoped_key_reaches_its_project_only_and_cannot_create_delete_or_move_one(neon):
    mine, other = (create_project(neon, name)["project"]["id"] for name in ("mine", "other"))
    neon.add_key("pk", "project", project_id=mine)
    assert call(neon, "GET", f"/projects/{mine}", key="pk")[0] == 200
    assert call(neon, "POST", f"/projects/{mine}/branches", {"branch": {"name": "pr-1"}}, key="pk")[0] == 201
    assert [p["id"] for p in call(neon, "GET", "/projects", key="pk")[1]["projects"]] == [mine]
    for method, path, body in (
        ("GET", f"/projects/{other}", None),
        ("POST", "/projects", {"project": {"name": "new"}}),
        ("DELETE", f"/projects/{mine}", None),
        ("POST", f"/organizations/{DEFAULT_ORG}/projects/transfer",
         {"destination_org_id": "org-quiet-river-87654321", "project_ids": [mine]}),
    ):
        status, answer = call(neon, method, path, body, key="pk")
        assert status == 403, (method, path, answer)


def test_neons_clock_is_its_own():
    # Neon's clock two minutes behind ours: a time exactly 30 days from our now is too far for it.
    with FakeNeon(api_key=KEY, clock_skew=-timedelta(minutes=2)) as neon:
        pid = create_project(neon)["project"]["id"]
        status, answer = call(neon, "POST", f"/projects/{pid}/branches",
                              {"branch": {"name": "a", "expires_at": in_(timedelta(days=30))}})
        assert status == 400 and "30 days" in answer["message"], answer
        ok(neon, "POST", f"/projects/{pid}/branches",
           {"branch": {"name": "b", "expires_at": in_(timedelta(days=30) - timedelta(minutes=5))}}, 201)


def raw_call(neon: FakeNeon, method: str, path: str, body: dict | None = None) -> tuple[int | None, bytes]:
    """(status, raw body) of a call; (None, b"") when the fake closed the connection unanswered."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(neon.url + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (ConnectionError, urllib.error.URLError, http.client.RemoteDisconnected):
        return None, b""


def branches_named(neon: FakeNeon, pid: str, name: str) -> int:
    return sum(1 for b in neon.state()[pid]["branches"].values() if b["branch"]["name"] == name)


def test_faults_die_after_the_nth_change_having_done_it_then_stay_down(neon):
    pid = create_project(neon)["project"]["id"]
    neon.inject(die_after=2, down_for=0.5)
    assert raw_call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "a"}})[0] == 201
    assert raw_call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "b"}})[0] is None
    assert branches_named(neon, pid, "b") == 1  # done, though never answered
    assert raw_call(neon, "GET", f"/projects/{pid}")[0] is None  # down
    time.sleep(0.6)
    assert raw_call(neon, "GET", f"/projects/{pid}")[0] == 200
    assert [f["fault"] for f in neon.fired()] == ["die_after", "down"]


def test_faults_500_for_a_window_opened_by_the_next_change_which_is_done(neon):
    pid = create_project(neon)["project"]["id"]
    neon.inject(error_for=0.5)
    assert raw_call(neon, "GET", f"/projects/{pid}")[0] == 200  # the window is not open yet
    assert raw_call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "a"}})[0] == 500
    assert raw_call(neon, "GET", f"/projects/{pid}")[0] == 500
    assert branches_named(neon, pid, "a") == 1
    time.sleep(0.6)
    assert raw_call(neon, "GET", f"/projects/{pid}")[0] == 200


def test_faults_423_for_the_first_k_changes_to_a_project_which_are_not_done(neon):
    pid = create_project(neon)["project"]["id"]
    neon.inject(lock_first=2)
    for _ in range(2):
        status, body = raw_call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "a"}})
        assert status == 423 and b"running operations" in body
    assert branches_named(neon, pid, "a") == 0
    assert raw_call(neon, "POST", f"/projects/{pid}/branches", {"branch": {"name": "a"}})[0] == 201


def test_faults_a_malformed_body_once_for_a_change_that_is_done(neon):
    neon.inject(malformed_once=("POST", "/projects"))
    status, body = raw_call(neon, "POST", "/projects", {"project": {"name": "cut"}})
    assert status == 201
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert len(neon.state()) == 1
    assert json.loads(raw_call(neon, "POST", "/projects", {"project": {"name": "whole"}})[1])["project"]["name"] == "whole"


def test_faults_delay_polls_and_are_armed_and_cleared_over_http(neon):
    created = create_project(neon)
    pid, op = created["project"]["id"], created["operations"][0]["id"]
    admin = neon.url.removesuffix("/api/v2")
    request = urllib.request.Request(admin + "/_fake/faults", data=json.dumps({"delay_polls": 0.3}).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    started = time.monotonic()
    assert raw_call(neon, "GET", f"/projects/{pid}/operations/{op}")[0] == 200
    assert time.monotonic() - started >= 0.3
    request = urllib.request.Request(admin + "/_fake/faults", data=json.dumps({"no_such": 1}).encode(), method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    urllib.request.urlopen(urllib.request.Request(admin + "/_fake/faults/clear", data=b"", method="POST"), timeout=10)
    started = time.monotonic()
    raw_call(neon, "GET", f"/projects/{pid}/operations/{op}")
    assert time.monotonic() - started < 0.3
    with urllib.request.urlopen(admin + "/_fake/faults", timeout=10) as response:
        assert [f["fault"] for f in json.loads(response.read())] == ["delay_polls"]
