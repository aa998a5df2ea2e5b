"""A fake of Neon's HTTP API v2, in memory, for end-to-end tests of the Neon
client (provider/neon/src/client.rs).

Responses follow the shapes of Neon's API reference (and of the fixtures in
provider/neon/tests/neon). Every mutating call returns its operations
`running`; an operation becomes `finished` once it has been polled
(`GET /projects/{id}/operations/{op}`) `polls_to_finish` times (0: at once).

Each key is of one of Neon's three kinds: an organization key (the default)
belongs to one organization and needs no `org_id`; a personal key
(`key_kind="personal"`) is refused on `GET /projects` and `POST /projects`
with 400 `org_id is required, ...` unless the request names the
organization, and reaches the organizations it is a member of (`memberships`,
organization -> "admin" or "member"); a project-scoped key
(`key_kind="project"`, `add_key(..., project_id=...)`) reaches one project
only, cannot create, delete or transfer projects. Every rule the fake
enforces, with the page of Neon's documentation that states it, is listed
in tests/fakeneon/README.md.

Beside the API, under /_fake and with no key: `GET /_fake/requests` (method,
path and query of every /api/v2 request received), `POST /_fake/reset`, and
`POST /_fake/expire` with `{"project_id", "branch_id"}`: the branch is deleted
as Neon deletes an expired branch; `POST /_fake/faults` arms faults (see
`Faults`: the API dies, answers 500 for a while, 423s, sends a malformed body,
hangs on operation polls), `POST /_fake/faults/clear` disarms them and
`GET /_fake/faults` lists those that fired. Neither the API key nor a password
is ever logged. In tests, `with FakeNeon(api_key="k", key_kind="personal") as neon:`
(neon.url, neon.requests(), neon.state(), neon.expire(...), neon.add_key(...),
neon.add_integration(...), neon.limit_projects(...), neon.inject(...),
neon.clear_faults(), neon.fired()); as a script,
`python3 tests/fakeneon/server.py --api-key KEY [--port 0]` prints the port.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import itertools
import json
import re
import secrets
import socket
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlsplit

API_PREFIX = "/api/v2"
REGIONS = {
    "aws-us-east-1", "aws-us-east-2", "aws-us-west-2", "aws-eu-central-1",
    "aws-eu-west-2", "aws-ap-southeast-1", "aws-ap-southeast-2", "aws-sa-east-1",
}
PG_VERSIONS = range(14, 19)
DEFAULT_REGION, DEFAULT_PG = "aws-us-east-2", 17
# The organization of the fake's key (Neon's IDs look like this).
DEFAULT_ORG = "org-rough-sea-41936071"
KEY_KINDS = ("org", "personal", "project")
ORG_ROLES = ("admin", "member")
# Neon's message when a personal key lists or creates projects without org_id
# (https://github.com/neondatabase/website/issues/5671).
ORG_ID_REQUIRED = "org_id is required, you can find it on your organization settings page"
# Neon's IDs (organizations, projects, branches) in its OpenAPI schema.
ID_PATTERN = re.compile(r"[a-z0-9-]{1,60}")
# Role names Neon keeps for itself (https://neon.com/docs/manage/roles#protected-role-names).
PROTECTED_ROLES = {"neon_superuser", "cloud_admin", "zenith_admin", "public", "none"}
# Project and branch names, and Postgres identifiers (bytes).
MAX_NAME, MAX_IDENTIFIER_BYTES = 256, 63
# How far ahead a branch may expire.
MAX_EXPIRY = timedelta(days=30)
# What an endpoint gets when neither the request nor the project's defaults say.
DEFAULTS = {"autoscaling_limit_min_cu": 0.25, "autoscaling_limit_max_cu": 2, "suspend_timeout_seconds": 0}
ADJECTIVES = ["floral", "winter", "bitter", "dark", "quiet", "wispy", "cool", "shy",
              "young", "round", "small", "late", "calm", "bold", "misty", "red"]
NOUNS = ["king", "boat", "sound", "snowflake", "river", "meadow", "darkness", "field",
         "bird", "cloud", "leaf", "sea", "wave", "frost", "moon", "tree"]


# The fake's words for a 423: Neon documents the status for a request that
# conflicts with a running operation (https://neon.com/docs/reference/api/operations),
# not its message.
LOCKED_MESSAGE = "project already has running operations, scheduling of new ones is prohibited"
MUTATING = ("POST", "PATCH", "DELETE", "PUT")
# An operation's poll: GET /api/v2/projects/{id}/operations/{id}.
OPERATION_POLL = re.compile(re.escape(API_PREFIX) + r"/projects/[^/]+/operations/[^/]+")


class Faults:
    """Faults a test injects, none by default (README: Faults). Every fault
    that fires is noted in `fired` (fault, method, path), so a test can tell
    a fault that never happened from one the client survived.

    - `die_after` N: the Nth mutating request from now is carried out, then
      its connection is closed with no answer; for `down_for` seconds after,
      every request's connection is closed unanswered and nothing is done.
    - `error_for` SECONDS: from the next mutating request on, every API
      request is answered STATUS (500) for that long; a mutating one is
      carried out first when `after_work` (that first one always is: the
      API fell over while doing it).
    - `lock_first` K: the next K mutating requests to an existing project
      (its branches, roles, databases, endpoints) are answered 423 Locked
      and not carried out.
    - `malformed_once` METHOD PATH_SUFFIX: the next such request is carried
      out and answered with its status and a cut-off JSON body.
    - `delay_polls` SECONDS: every operation poll waits that long first."""

    def __init__(self):
        self.mutations = 0
        self.fired: list[dict] = []
        self.clear()

    def clear(self) -> None:
        self.die_at: int | None = None
        self.down_for = self.down_until = 0.0
        self.error_until, self.error_status, self.error_after_work = 0.0, 500, True
        # The window armed by `error_for`, opened by the next mutating request.
        self.error_window: float | None = None
        self.locked = 0
        self.malformed: tuple[str, str] | None = None
        self.poll_delay = 0.0

    def set(self, spec: dict) -> None:
        """Arm the faults SPEC names (the keys of `/_fake/faults`)."""
        known = {"die_after", "down_for", "error_for", "error_status", "after_work", "lock_first",
                 "malformed_once", "delay_polls"}
        unknown = set(spec) - known
        if unknown:
            raise ApiError(400, f"unknown faults {sorted(unknown)}; valid: {', '.join(sorted(known))}")
        if spec.get("die_after") is not None:
            self.die_at = self.mutations + int(spec["die_after"])
            self.down_for = float(spec.get("down_for") or 0)
        if spec.get("error_for") is not None:
            self.error_window = float(spec["error_for"])
            self.error_status = int(spec.get("error_status") or 500)
            self.error_after_work = bool(spec.get("after_work", True))
        if spec.get("lock_first") is not None:
            self.locked = int(spec["lock_first"])
        if spec.get("malformed_once") is not None:
            method, suffix = spec["malformed_once"]
            self.malformed = (str(method).upper(), str(suffix))
        if spec.get("delay_polls") is not None:
            self.poll_delay = float(spec["delay_polls"])

    def note(self, fault: str, method: str, path: str) -> None:
        self.fired.append({"fault": fault, "method": method, "path": path})


class ApiError(Exception):
    """A refusal: Neon's general error body (`code`, `message`), or BODY as
    it is for the answers whose schema is their own (a transfer's 406/422)."""

    def __init__(self, status: int, message: str, body: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.body = status, message, body




def rfc3339(t: datetime) -> str:
    """T in UTC to the second, as Neon writes times."""
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ttl_seconds(expires_at: str, at: datetime) -> int:
    """Neon's read-only `ttl_interval_seconds`: from AT (Neon's now) to the expiry."""
    t = datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
    return max(0, round((t - at).total_seconds()))


def is_compute_size(v) -> bool:
    """A size Neon offers: 0.25, 0.5, 1 to 16, then even numbers 18 to 56."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    return v in (0.25, 0.5) or (float(v).is_integer() and (1 <= v <= 16 or (18 <= v <= 56 and v % 2 == 0)))


def expiry(value, at: datetime) -> str:
    """An `expires_at` Neon accepts at AT (its own clock), normalized: RFC
    3339 with a time zone, in the future, at most 30 days away."""
    if not isinstance(value, str):
        raise ApiError(400, "expires_at must be an RFC 3339 time")
    try:
        t = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise ApiError(400, f"expires_at {value} is not an RFC 3339 time") from None
    if t.tzinfo is None or "T" not in value.upper():
        raise ApiError(400, f"expires_at {value} must have a time zone")
    if t <= at:
        raise ApiError(400, f"expires_at {value} must be in the future")
    if t > at + MAX_EXPIRY:
        raise ApiError(400, f"expires_at {value} must be at most 30 days from now")
    return rfc3339(t)


def is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def find(items: dict, key: str, what: str) -> dict:
    if key not in items:
        raise ApiError(404, f"{what} {key} not found")
    return items[key]


def obj(body: dict, key: str) -> dict:
    """BODY[KEY], which must be an object when present."""
    value = body.get(key) or {}
    if not isinstance(value, dict):
        raise ApiError(400, f"{key} must be an object")
    return value


def name_of(spec: dict, what: str) -> str:
    name = spec.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, f"{what}.name is required")
    return name


def long_name(name, what: str):
    """A project or branch name: at most 256 characters."""
    if isinstance(name, str) and len(name) > MAX_NAME:
        raise ApiError(400, f"{what}.name must be at most {MAX_NAME} characters")
    return name


def identifier(name: str, what: str) -> str:
    """A role or database name: a Postgres identifier, at most 63 bytes."""
    if len(name.encode()) > MAX_IDENTIFIER_BYTES:
        raise ApiError(400, f"{what} name {name} is longer than {MAX_IDENTIFIER_BYTES} bytes")
    return name


def role_name(name: str) -> str:
    """A role name Neon lets a user create: an identifier, not one of its own."""
    if name.startswith("pg_") or name in PROTECTED_ROLES:
        raise ApiError(400, f"role name {name} is reserved")
    return identifier(name, "role")


def org_id_of(value, what: str) -> str:
    """An organization ID of the shape Neon's OpenAPI schema gives (`^[a-z0-9-]{1,60}$`)."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise ApiError(400, f"{what} {value} is not an organization ID")
    return value


def check_settings(s: dict, base: dict | None = None) -> dict:
    """The endpoint settings in S, validated (also merged over BASE, then DEFAULTS)."""
    out = {k: s[k] for k in DEFAULTS if s.get(k) is not None}
    for key in ("autoscaling_limit_min_cu", "autoscaling_limit_max_cu"):
        v = out.get(key)
        if v is not None and not is_compute_size(v):
            raise ApiError(400, f"{key}: {v} is not a valid compute size; valid: 0.25, 0.5, 1 to 16, even numbers 18 to 56")
    t = out.get("suspend_timeout_seconds")
    if t is not None and (not is_int(t) or not (t in (-1, 0) or 60 <= t <= 604800)):
        raise ApiError(400, "suspend_timeout_seconds must be -1, 0 or from 60 to 604800")
    merged = {**DEFAULTS, **(base or {}), **out}
    low, high = merged["autoscaling_limit_min_cu"], merged["autoscaling_limit_max_cu"]
    if low > high:
        raise ApiError(400, "autoscaling_limit_min_cu must not be greater than autoscaling_limit_max_cu")
    if low != high and high > 16:
        raise ApiError(400, "autoscaling_limit_max_cu must be at most 16 for an autoscaling compute")
    if high - low > 8:
        raise ApiError(400, "the autoscaling range must not exceed 8 compute units")
    return out


def check_retention(seconds) -> int:
    if not is_int(seconds) or not 0 <= seconds <= 2592000:
        raise ApiError(400, "history_retention_seconds must be from 0 to 2592000")
    return seconds


def page(items: list, query: dict, default_limit: int | None, max_limit: int) -> tuple[list, bool]:
    """Items after the one whose ID is `cursor`, at most `limit`; and whether more follow."""
    raw = query.get("limit")
    limit = int(raw) if raw and raw.isdigit() else default_limit
    if raw is not None and (limit is None or not 1 <= limit <= max_limit):
        raise ApiError(400, f"limit must be from 1 to {max_limit}")
    if query.get("cursor"):
        ids = [i["id"] for i in items]
        items = items[ids.index(query["cursor"]) + 1:] if query["cursor"] in ids else []
    if limit is None:
        return items, False
    return items[:limit], len(items) > limit


def search(items: list[dict], query: dict) -> list[dict]:
    """The items whose name or ID contains the `search` parameter (any case)."""
    s = query.get("search", "").lower()
    return [i for i in items if s in i["name"].lower() or s in i["id"].lower()]


def public_role(role: dict) -> dict:
    return {k: v for k, v in role.items() if k != "password"}


class Api:
    """The in-memory state and what each route does to it (callers hold `lock`):
    projects = {project_id: {"project", "endpoints": {id: ...}, "operations": [...],
    "branches": {branch_id: {"branch", "roles": {name: ... with "password"}, "databases": {name: ...}}},
    "integration": None or "github"/"vercel"}}
    keys = {key: {"kind", "org_id", "memberships": {org: role}, "project_id"}}; `caller` is
    the key of the request being answered."""

    def __init__(self, api_key: str, polls_to_finish: int = 1, key_kind: str = "org", org_id: str = DEFAULT_ORG,
                 memberships: dict[str, str] | None = None, project_id: str | None = None,
                 clock_skew: timedelta = timedelta(0)):
        self.polls_to_finish = polls_to_finish
        # Neon's clock is its own; this one may run behind or ahead of ours.
        self.clock_skew = clock_skew
        self.keys: dict[str, dict] = {}
        self.add_key(api_key, key_kind, org_id, memberships, project_id)
        self.caller = self.keys[api_key]
        # Organization -> how many projects its plan allows (none: no limit).
        self.project_limits: dict[str, int] = {}
        self.lock = threading.RLock()
        self.reset()

    def add_key(self, key: str, kind: str, org_id: str = DEFAULT_ORG, memberships: dict[str, str] | None = None,
                project_id: str | None = None) -> None:
        """Another API key. An organization key acts as an admin of ORG_ID; a
        personal key has MEMBERSHIPS (organization -> "admin" or "member",
        default: admin of ORG_ID); a project-scoped key reaches PROJECT_ID only."""
        if kind not in KEY_KINDS:
            raise ValueError(f"key_kind={kind!r}; valid: {', '.join(KEY_KINDS)}")
        if (kind == "project") != (project_id is not None):
            raise ValueError("a project-scoped key, and only one, names its project_id")
        roles = dict(memberships or {org_id: "admin"}) if kind == "personal" else {}
        if any(r not in ORG_ROLES for r in roles.values()):
            raise ValueError(f"memberships={roles!r}; roles: {', '.join(ORG_ROLES)}")
        self.keys[key] = {"kind": kind, "org_id": org_id, "memberships": roles, "project_id": project_id}

    def current(self) -> datetime:
        """The fake's own time: ours plus its skew."""
        return datetime.now(timezone.utc) + self.clock_skew

    def now(self) -> str:
        return rfc3339(self.current())

    def role(self, key: dict, org: str) -> str | None:
        """What KEY may do in organization ORG: "admin", "member" or nothing."""
        if key["kind"] == "org":
            return "admin" if org == key["org_id"] else None
        return key["memberships"].get(org)

    def organization(self, given) -> str:
        """The organization a project listing or creation is for: the key's
        own, which a personal key must name (`org_id is required, ...`)."""
        key = self.caller
        if key["kind"] == "project":
            raise ApiError(403, "a project-scoped API key cannot create projects")
        if given is None or given == "":
            if key["kind"] == "personal":
                raise ApiError(400, ORG_ID_REQUIRED)
            return key["org_id"]
        org_id_of(given, "org_id")
        if self.role(key, given) is None:
            raise ApiError(403, f"the API key has no access to organization {given}")
        return given

    def authorize(self, method: str, segments: list[str]) -> None:
        """Whether the caller's key reaches what SEGMENTS name: a project of
        one of its organizations (a project-scoped key: its project only,
        and never to delete it)."""
        key = self.caller
        if segments[0] != "projects" or len(segments) < 2 or segments[1] not in self.projects:
            return
        pid, org = segments[1], self.projects[segments[1]]["project"]["org_id"]
        if key["kind"] == "project":
            if pid != key["project_id"]:
                raise ApiError(403, f"the API key is scoped to project {key['project_id']} and cannot reach {pid}")
            if method == "DELETE" and len(segments) == 2:
                raise ApiError(403, "a project-scoped API key cannot delete its project")
        elif self.role(key, org) is None:
            raise ApiError(403, f"the API key has no access to project {pid} of organization {org}")

    def reset(self) -> None:
        self.projects: dict[str, dict] = {}
        self.project_limits = {}
        self.polls: dict[str, int] = {}
        self.requests: list[dict] = []
        self.database_ids = itertools.count(1000001)
        self.faults = Faults()

    def new_id(self, prefix: str, taken) -> str:
        new = f"{prefix}{secrets.choice(ADJECTIVES)}-{secrets.choice(NOUNS)}-{100000 + secrets.randbelow(900000)}"
        return self.new_id(prefix, taken) if new in taken else new

    def project(self, pid: str) -> dict:
        return find(self.projects, pid, "project")

    def branch_of(self, pid: str, bid: str) -> tuple[dict, dict]:
        p = self.project(pid)
        return p, find(p["branches"], bid, "branch")

    def default_branch(self, p: dict) -> dict:
        return next(b for b in p["branches"].values() if b["branch"]["default"])

    def rw_endpoint(self, p: dict, bid: str) -> dict | None:
        return next((e for e in p["endpoints"].values()
                     if e["branch_id"] == bid and e["type"] == "read_write"), None)

    def operation(self, p: dict, action: str, branch_id=None, endpoint_id=None) -> dict:
        t = self.now()
        op = {"id": str(uuid.uuid4()), "project_id": p["project"]["id"], "action": action,
              "status": "running", "failures_count": 0, "created_at": t, "updated_at": t,
              "total_duration_ms": 0}
        op.update({k: v for k, v in (("branch_id", branch_id), ("endpoint_id", endpoint_id)) if v})
        p["operations"].append(op)
        if self.polls_to_finish <= 0:
            self.finish(p, op)
        return op

    def config_ops(self, p: dict, bid: str) -> list[dict]:
        """The apply_config a change to a branch's roles or databases starts."""
        ep = self.rw_endpoint(p, bid)
        return [self.operation(p, "apply_config", bid, ep["id"] if ep else None)]

    def finish(self, p: dict, op: dict) -> None:
        op.update(status="finished", updated_at=self.now(), total_duration_ms=1000)
        b = p["branches"].get(op.get("branch_id"))
        if b and op["action"] in ("create_timeline", "create_branch"):
            b["branch"].update(current_state="ready", state_changed_at=self.now())
            b["branch"].pop("pending_state", None)
        ep = p["endpoints"].get(op.get("endpoint_id"))
        if ep and op["action"] == "start_compute":
            ep["current_state"] = "active"
            ep.pop("pending_state", None)

    def new_branch(self, p: dict, name: str, parent: dict | None, spec: dict) -> dict:
        bid = self.new_id("br-", {b for q in self.projects.values() for b in q["branches"]})
        t = self.now()
        branch = {"id": bid, "project_id": p["project"]["id"], "name": name,
                  "current_state": "init", "pending_state": "ready", "state_changed_at": t,
                  "creation_source": "console", "primary": parent is None, "default": parent is None,
                  "protected": False, "cpu_used_sec": 0, "created_at": t, "updated_at": t, "init_source": "parent-data"}
        if parent is not None:
            branch["parent_id"] = parent["branch"]["id"]
            branch["parent_lsn"] = spec.get("parent_lsn") or f"0/{secrets.randbelow(1 << 28):X}"
        branch.update({k: spec[k] for k in ("parent_timestamp", "expires_at") if spec.get(k)})
        if branch.get("expires_at"):
            branch["ttl_interval_seconds"] = ttl_seconds(branch["expires_at"], self.current())
        entry = {"branch": branch, "roles": {}, "databases": {}}
        for role in (parent or {}).get("roles", {}).values():
            entry["roles"][role["name"]] = dict(role, branch_id=bid)
        for db in (parent or {}).get("databases", {}).values():
            entry["databases"][db["name"]] = dict(db, branch_id=bid, id=next(self.database_ids))
        p["branches"][bid] = entry
        return entry

    def new_endpoint(self, p: dict, bid: str, kind: str, settings: dict) -> dict:
        eid = self.new_id("ep-", {e for q in self.projects.values() for e in q["endpoints"]})
        t, region = self.now(), p["project"]["region_id"]
        proxy = f"{region.removeprefix('aws-')}.aws.neon.tech"
        ep = {"host": f"{eid}.{proxy}", "id": eid, "project_id": p["project"]["id"], "branch_id": bid,
              **DEFAULTS, **p["project"]["default_endpoint_settings"], **settings,
              "region_id": region, "type": kind, "current_state": "init", "pending_state": "active",
              "settings": {}, "pooler_enabled": False, "pooler_mode": "transaction", "disabled": False,
              "passwordless_access": True, "creation_source": "console", "created_at": t,
              "updated_at": t, "proxy_host": proxy, "provisioner": "k8s-neonvm"}
        p["endpoints"][eid] = ep
        return ep

    def new_role(self, b: dict, name: str) -> dict:
        t = self.now()
        b["roles"][name] = {"branch_id": b["branch"]["id"], "name": name, "protected": False,
                            "password": "npg_" + secrets.token_urlsafe(12), "created_at": t, "updated_at": t}
        return b["roles"][name]

    def new_database(self, b: dict, name: str, owner: str) -> dict:
        t = self.now()
        b["databases"][name] = {"id": next(self.database_ids), "branch_id": b["branch"]["id"], "name": name,
                                "owner_name": owner, "created_at": t, "updated_at": t}
        return b["databases"][name]

    @staticmethod
    def uri(role: dict, host: str, database: str) -> str:
        user, password = quote(role["name"], safe=""), quote(role["password"], safe="")
        # Neon's URIs require TLS and channel binding (SCRAM-SHA-256-PLUS).
        return f"postgresql://{user}:{password}@{host}/{quote(database, safe='')}?sslmode=require&channel_binding=require"

    def create_project(self, q, body):
        spec = obj(body, "project")
        org_id = self.organization(spec.get("org_id"))
        region = spec.get("region_id") or DEFAULT_REGION
        if region not in REGIONS:
            raise ApiError(400, f"region_id {region} is not supported")
        pg = spec.get("pg_version", DEFAULT_PG)
        if not is_int(pg) or pg not in PG_VERSIONS:
            raise ApiError(400, f"pg_version {pg} is not supported")
        settings = check_settings(obj(spec, "default_endpoint_settings"))
        retention = check_retention(spec.get("history_retention_seconds", 86400))
        branch_spec = obj(spec, "branch")
        long_name(spec.get("name"), "project")
        long_name(branch_spec.get("name"), "branch")
        if branch_spec.get("role_name"):
            role_name(branch_spec["role_name"])
        if branch_spec.get("database_name"):
            identifier(branch_spec["database_name"], "database")
        pid, t = self.new_id("", self.projects), self.now()
        project = {"id": pid, "platform_id": "aws", "region_id": region, "name": spec.get("name") or pid,
                   "provisioner": "k8s-neonvm", "default_endpoint_settings": settings, "pg_version": pg,
                   "proxy_host": f"{region.removeprefix('aws-')}.aws.neon.tech", "branch_logical_size_limit": 512, "branch_logical_size_limit_bytes": 536870912,
                   "store_passwords": True, "creation_source": "console",
                   "history_retention_seconds": retention, "created_at": t, "updated_at": t,
                   "owner_id": "5f3a1e8c-7d2b-4c91-a0e6-2b8d9f4c1a77", "org_id": org_id}
        p = self.projects[pid] = {"project": project, "branches": {}, "endpoints": {}, "operations": [],
                                  "integration": None}
        b = self.new_branch(p, branch_spec.get("name") or "main", None, {})
        bid = b["branch"]["id"]
        role = self.new_role(b, branch_spec.get("role_name") or "neondb_owner")
        db = self.new_database(b, branch_spec.get("database_name") or "neondb", role["name"])
        ep = self.new_endpoint(p, bid, "read_write", {})
        ops = [self.operation(p, "create_timeline", bid), self.operation(p, "start_compute", bid, ep["id"])]
        params = {"database": db["name"], "password": role["password"], "role": role["name"],
                  "host": ep["host"], "pooler_host": ep["host"].replace(ep["id"], ep["id"] + "-pooler", 1)}
        uris = [{"connection_uri": self.uri(role, ep["host"], db["name"]), "connection_parameters": params}]
        return 201, {"project": project, "connection_uris": uris, "roles": [role], "databases": [db],
                     "operations": ops, "branch": b["branch"], "endpoints": [ep]}

    def list_projects(self, q, body):
        if self.caller["kind"] == "project":
            # Its one project (Neon does not say what such a key lists).
            found = [p["project"] for pid, p in self.projects.items() if pid == self.caller["project_id"]]
        else:
            org_id = self.organization(q.get("org_id"))
            found = [p["project"] for p in self.projects.values() if p["project"]["org_id"] == org_id]
        items, _ = page(search(found, q), q, 10, 400)
        cursor = items[-1]["id"] if items else q.get("cursor")
        return 200, {"projects": items, "pagination": {"cursor": cursor} if cursor else {},
                     "applications": {}, "integrations": {}}

    def get_project(self, q, body, pid):
        return 200, {"project": self.project(pid)["project"]}

    def update_project(self, q, body, pid):
        project, spec = self.project(pid)["project"], obj(body, "project")
        current = project["default_endpoint_settings"]
        current.update(check_settings(obj(spec, "default_endpoint_settings"), current))
        if "history_retention_seconds" in spec:
            project["history_retention_seconds"] = check_retention(spec["history_retention_seconds"])
        if spec.get("name"):
            project["name"] = long_name(spec["name"], "project")
        project["updated_at"] = self.now()
        return 200, {"project": project, "operations": []}

    def delete_project(self, q, body, pid):
        protected = [b["branch"]["id"] for b in self.project(pid)["branches"].values() if b["branch"]["protected"]]
        if protected:
            raise ApiError(400, f"project {pid} has protected branches ({', '.join(protected)}) and cannot be deleted")
        p = self.projects.pop(pid)
        return 200, {"project": p["project"]}

    def create_branch(self, q, body, pid):
        p, spec = self.project(pid), obj(body, "branch")
        parent = find(p["branches"], spec["parent_id"], "branch") if spec.get("parent_id") else self.default_branch(p)
        name = long_name(spec.get("name"), "branch") or self.new_id("br-", set())
        if any(b["branch"]["name"] == name for b in p["branches"].values()):
            raise ApiError(409, f"branch {name} already exists")
        if parent["branch"].get("expires_at"):
            raise ApiError(400, f"branch {parent['branch']['id']} has an expiration time and cannot be a parent branch")
        if spec.get("expires_at") is not None:
            spec = dict(spec, expires_at=expiry(spec["expires_at"], self.current()))
        wanted = body.get("endpoints") or []
        if not isinstance(wanted, list) or any(
                not isinstance(e, dict) or e.get("type") not in ("read_write", "read_only") for e in wanted):
            raise ApiError(400, "endpoints must be a list of objects whose type is read_write or read_only")
        if sum(e["type"] == "read_write" for e in wanted) > 1:
            raise ApiError(400, "a branch can have only one read_write endpoint")
        settings = [check_settings(e, p["project"]["default_endpoint_settings"]) for e in wanted]
        b = self.new_branch(p, name, parent, spec)
        bid = b["branch"]["id"]
        eps = [self.new_endpoint(p, bid, e["type"], s) for e, s in zip(wanted, settings)]
        ops = [self.operation(p, "create_branch", bid)]
        ops += [self.operation(p, "start_compute", bid, ep["id"]) for ep in eps]
        return 201, {"branch": b["branch"], "endpoints": eps, "operations": ops,
                     "roles": [public_role(r) for r in b["roles"].values()],
                     "databases": list(b["databases"].values())}

    def list_branches(self, q, body, pid):
        found = search([b["branch"] for b in self.project(pid)["branches"].values()], q)
        items, more = page(found, q, None, 10000)
        pagination = {"sort_by": "updated_at", "sort_order": "desc", **({"next": items[-1]["id"]} if more else {})}
        return 200, {"branches": items, "annotations": {}, "pagination": pagination}

    def get_branch(self, q, body, pid, bid):
        return 200, {"branch": self.branch_of(pid, bid)[1]["branch"]}

    def update_branch(self, q, body, pid, bid):
        (p, b), spec = self.branch_of(pid, bid), obj(body, "branch")
        branch, name = b["branch"], spec.get("name")
        if name and name != branch["name"]:
            long_name(name, "branch")
            if any(other["branch"]["name"] == name for other in p["branches"].values()):
                raise ApiError(409, f"branch {name} already exists")
            branch["name"] = name
        if spec.get("expires_at") is not None:
            if branch["default"] or branch["protected"]:
                kind = "default" if branch["default"] else "protected"
                raise ApiError(400, f"branch {bid} is a {kind} branch and cannot have an expiration time")
            if any(c["branch"].get("parent_id") == bid for c in p["branches"].values()):
                raise ApiError(400, f"branch {bid} has child branches and cannot have an expiration time")
            branch["expires_at"] = expiry(spec["expires_at"], self.current())
            branch["ttl_interval_seconds"] = ttl_seconds(branch["expires_at"], self.current())
        elif "expires_at" in spec:
            branch.pop("expires_at", None)
            branch.pop("ttl_interval_seconds", None)
        if spec.get("protected") is not None:
            if spec["protected"] and branch.get("expires_at"):
                raise ApiError(400, f"branch {bid} has an expiration time and cannot be protected")
            branch["protected"] = bool(spec["protected"])
        branch["updated_at"] = self.now()
        return 200, {"branch": branch, "operations": []}

    def delete_branch(self, q, body, pid, bid):
        p = self.project(pid)
        if bid not in p["branches"]:
            # Neon: "204 Returned if the branch doesn't exist or has already been deleted".
            return 204, None
        b = p["branches"][bid]
        if b["branch"]["protected"]:
            raise ApiError(400, f"branch {bid} is protected and cannot be deleted")
        if b["branch"]["default"]:
            raise ApiError(400, f"branch {bid} is the project's default branch and cannot be deleted")
        children = [c["branch"]["id"] for c in p["branches"].values() if c["branch"].get("parent_id") == bid]
        if children:
            raise ApiError(400, f"branch {bid} has child branches ({', '.join(children)}) and cannot be deleted")
        eps = [e for e in p["endpoints"].values() if e["branch_id"] == bid]
        ops = [self.operation(p, "suspend_compute", bid, e["id"]) for e in eps]
        ops.append(self.operation(p, "delete_timeline", bid))
        for e in eps:
            del p["endpoints"][e["id"]]
        # Gone from every route. Neon keeps it recoverable for 7 days; nothing here recovers one.
        del p["branches"][bid]
        return 200, {"branch": b["branch"], "operations": ops}

    def expire(self, pid: str, bid: str) -> None:
        """Delete branch BID as Neon's background process does once its
        `expires_at` has come (with its computes); only an expiring branch."""
        p, b = self.branch_of(pid, bid)
        if not b["branch"].get("expires_at"):
            raise ApiError(400, f"branch {bid} has no expiration time: Neon would never delete it")
        for eid in [e["id"] for e in p["endpoints"].values() if e["branch_id"] == bid]:
            del p["endpoints"][eid]
        del p["branches"][bid]

    def transfer_projects(self, q, body, source):
        """Move projects to another organization: Admin in the source and at
        least Member in the destination; no project with a GitHub or Vercel
        integration (422); within the destination's plan (406). The projects
        keep their IDs, hosts and passwords."""
        org_id_of(source, "source_org_id")
        destination = org_id_of(body.get("destination_org_id"), "destination_org_id")
        ids = body.get("project_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 400 or not all(isinstance(i, str) for i in ids):
            raise ApiError(400, "project_ids must be a list of 1 to 400 project IDs")
        key = self.caller
        if key["kind"] == "project":
            raise ApiError(403, "a project-scoped API key cannot transfer projects")
        if self.role(key, source) != "admin":
            raise ApiError(403, f"transferring projects out of organization {source} needs the Admin role there")
        if self.role(key, destination) is None:
            raise ApiError(403, f"transferring projects into organization {destination} needs at least the Member role there")
        moving = []
        for pid in ids:
            p = self.project(pid)
            if p["project"]["org_id"] != source:
                raise ApiError(404, f"project {pid} not found in organization {source}")
            moving.append(p)
        integrated = [{"id": p["project"]["id"], "integration": p["integration"]} for p in moving if p["integration"]]
        if integrated:
            raise ApiError(422, "projects with integrations cannot be transferred", {"projects": integrated})
        limit = self.project_limits.get(destination)
        count = len(moving) + sum(1 for p in self.projects.values() if p["project"]["org_id"] == destination)
        if limit is not None and count > limit:
            raise ApiError(406, "the destination's plan allows fewer projects",
                           {"limits": [{"name": "projects_count", "expected": str(limit), "actual": str(count)}]})
        for p in moving:
            p["project"].update(org_id=destination, updated_at=self.now())
        return 200, {}

    def list_branch_endpoints(self, q, body, pid, bid):
        p, _ = self.branch_of(pid, bid)
        return 200, {"endpoints": [e for e in p["endpoints"].values() if e["branch_id"] == bid]}

    def get_endpoint(self, q, body, pid, eid):
        return 200, {"endpoint": find(self.project(pid)["endpoints"], eid, "endpoint")}

    def update_endpoint(self, q, body, pid, eid):
        p = self.project(pid)
        ep = find(p["endpoints"], eid, "endpoint")
        ep.update(check_settings(obj(body, "endpoint"), ep), updated_at=self.now())
        return 200, {"endpoint": ep, "operations": [self.operation(p, "apply_config", ep["branch_id"], eid)]}

    def list_roles(self, q, body, pid, bid):
        return 200, {"roles": [public_role(r) for r in self.branch_of(pid, bid)[1]["roles"].values()]}

    def create_role(self, q, body, pid, bid):
        p, b = self.branch_of(pid, bid)
        name = role_name(name_of(obj(body, "role"), "role"))
        if name in b["roles"]:
            raise ApiError(409, f"role {name} already exists")
        return 201, {"role": self.new_role(b, name), "operations": self.config_ops(p, bid)}

    def delete_role(self, q, body, pid, bid, name):
        """Like Neon, deleting a role also drops the databases it owns."""
        p, b = self.branch_of(pid, bid)
        role = find(b["roles"], name, "role")
        for db in [d for d in b["databases"].values() if d["owner_name"] == name]:
            del b["databases"][db["name"]]
        del b["roles"][name]
        return 200, {"role": public_role(role), "operations": self.config_ops(p, bid)}

    def list_databases(self, q, body, pid, bid):
        return 200, {"databases": list(self.branch_of(pid, bid)[1]["databases"].values())}

    def create_database(self, q, body, pid, bid):
        (p, b), spec = self.branch_of(pid, bid), obj(body, "database")
        name, owner = identifier(name_of(spec, "database"), "database"), spec.get("owner_name")
        if not isinstance(owner, str) or not owner:
            raise ApiError(400, "database.owner_name is required")
        find(b["roles"], owner, "role")
        if name in b["databases"]:
            raise ApiError(409, f"database {name} already exists")
        return 201, {"database": self.new_database(b, name, owner), "operations": self.config_ops(p, bid)}

    def update_database(self, q, body, pid, bid, name):
        (p, b), spec = self.branch_of(pid, bid), obj(body, "database")
        db, new_name = find(b["databases"], name, "database"), spec.get("name")
        if spec.get("owner_name"):
            db["owner_name"] = find(b["roles"], spec["owner_name"], "role")["name"]
        if new_name and new_name != name:
            identifier(new_name, "database")
            if new_name in b["databases"]:
                raise ApiError(409, f"database {new_name} already exists")
            b["databases"][new_name] = b["databases"].pop(name)
            db["name"] = new_name
        db["updated_at"] = self.now()
        return 200, {"database": db, "operations": self.config_ops(p, bid)}

    def delete_database(self, q, body, pid, bid, name):
        p, b = self.branch_of(pid, bid)
        find(b["databases"], name, "database")
        return 200, {"database": b["databases"].pop(name), "operations": self.config_ops(p, bid)}

    def connection_uri(self, q, body, pid):
        p = self.project(pid)
        b = find(p["branches"], q["branch_id"], "branch") if q.get("branch_id") else self.default_branch(p)
        for key in ("database_name", "role_name"):
            if not q.get(key):
                raise ApiError(400, f"{key} is required")
        db = find(b["databases"], q["database_name"], "database")
        role = find(b["roles"], q["role_name"], "role")
        ep = self.rw_endpoint(p, b["branch"]["id"])
        if ep is None:
            raise ApiError(404, f"branch {b['branch']['id']} has no read_write endpoint")
        pooled = q.get("pooled", "false").lower() == "true"
        host = ep["host"].replace(ep["id"], ep["id"] + "-pooler", 1) if pooled else ep["host"]
        return 200, {"uri": self.uri(role, host, db["name"])}

    def get_operation(self, q, body, pid, op_id):
        p = self.project(pid)
        op = find({o["id"]: o for o in p["operations"]}, op_id, "operation")
        if op["status"] == "running":
            self.polls[op_id] = self.polls.get(op_id, 0) + 1
            if self.polls[op_id] >= self.polls_to_finish:
                self.finish(p, op)
        return 200, {"operation": op}

    def list_operations(self, q, body, pid):
        items, _ = page(list(reversed(self.project(pid)["operations"])), q, 10, 1000)
        return 200, {"operations": items, "pagination": {"cursor": items[-1]["id"]} if items else {}}


B = "projects/{p}/branches/{b}"
# Path pattern (under /api/v2) -> {method: Api method}.
ROUTES = {
    "projects": {"POST": "create_project", "GET": "list_projects"},
    "projects/{p}": {"GET": "get_project", "PATCH": "update_project", "DELETE": "delete_project"},
    "projects/{p}/branches": {"POST": "create_branch", "GET": "list_branches"},
    B: {"GET": "get_branch", "PATCH": "update_branch", "DELETE": "delete_branch"},
    B + "/endpoints": {"GET": "list_branch_endpoints"},
    "projects/{p}/endpoints/{e}": {"GET": "get_endpoint", "PATCH": "update_endpoint"},
    B + "/roles": {"GET": "list_roles", "POST": "create_role"},
    B + "/roles/{n}": {"DELETE": "delete_role"},
    B + "/databases": {"GET": "list_databases", "POST": "create_database"},
    B + "/databases/{n}": {"PATCH": "update_database", "DELETE": "delete_database"},
    "projects/{p}/connection_uri": {"GET": "connection_uri"},
    "projects/{p}/operations": {"GET": "list_operations"},
    "projects/{p}/operations/{o}": {"GET": "get_operation"},
    "organizations/{s}/projects/transfer": {"POST": "transfer_projects"},
}


def route(method: str, segments: list[str]) -> tuple[str, list[str]]:
    """The Api method's name and the path parameters; ApiError 404/405 otherwise."""
    for pattern, methods in ROUTES.items():
        parts = pattern.split("/")
        if len(parts) == len(segments) and all(p[0] == "{" or p == s for p, s in zip(parts, segments)):
            if method not in methods:
                raise ApiError(405, f"{method} is not allowed here")
            return methods[method], [s for p, s in zip(parts, segments) if p[0] == "{"]
    raise ApiError(404, "not found")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    api: Api  # set on the subclass each FakeNeon makes
    sockets: set  # open connections, closed when the fake stops

    def setup(self) -> None:
        super().setup()
        self.sockets.add(self.connection)

    def finish(self) -> None:
        self.sockets.discard(self.connection)
        super().finish()

    def handle_one_request(self) -> None:
        # A client that left (Ctrl-C while a poll was held) has no one to read its answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle_one_request()

    def log_message(self, format, *args) -> None:  # noqa: A002
        pass  # nothing is logged; /_fake/requests has method, path and query

    def reply(self, status: int, payload) -> None:
        """STATUS with PAYLOAD as JSON, or with no body when PAYLOAD is None (204)."""
        self.reply_raw(status, None if payload is None else json.dumps(payload).encode())

    def reply_raw(self, status: int, data: bytes | None) -> None:
        """STATUS with DATA as its JSON body (no body when None), whatever DATA holds."""
        self.send_response(status)
        if data is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data or b"")))
        self.end_headers()
        self.wfile.write(data or b"")

    def fail(self, status: int, message: str, body: dict | None = None) -> None:
        self.reply(status, body if body is not None else
                   {"code": "", "message": message, "request_id": str(uuid.uuid4())})

    def drop(self) -> None:
        """Close the connection without an answer, as a server that dies does."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def handle_any(self) -> None:
        url, api = urlsplit(self.path), self.api
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        if self.command == "GET" and OPERATION_POLL.fullmatch(url.path):
            with api.lock:
                delay = api.faults.poll_delay
                if delay:
                    api.faults.note("delay_polls", self.command, url.path)
            # Outside the lock: other requests go on while this poll hangs.
            time.sleep(delay)
        with api.lock:
            if (self.command, url.path) == ("GET", "/_fake/requests"):
                return self.reply(200, api.requests)
            if (self.command, url.path) == ("GET", "/_fake/faults"):
                return self.reply(200, api.faults.fired)
            if self.command == "POST" and url.path in ("/_fake/faults", "/_fake/faults/clear"):
                try:
                    if url.path.endswith("/clear"):
                        api.faults.clear()
                    else:
                        spec = json.loads(raw or b"{}")
                        api.faults.set(spec if isinstance(spec, dict) else {"": spec})
                except (json.JSONDecodeError, TypeError, ValueError):
                    return self.fail(400, "the body must be an object of faults (see tests/fakeneon/README.md)")
                except ApiError as e:
                    return self.fail(e.status, e.message)
                return self.reply(200, {})
            if (self.command, url.path) == ("POST", "/_fake/reset"):
                api.reset()
                return self.reply(200, {})
            if (self.command, url.path) == ("POST", "/_fake/expire"):
                try:
                    target = json.loads(raw or b"{}")
                    api.expire(str(target.get("project_id")), str(target.get("branch_id")))
                except (json.JSONDecodeError, AttributeError):
                    return self.fail(400, "the body must be {\"project_id\": ..., \"branch_id\": ...}")
                except ApiError as e:
                    return self.fail(e.status, e.message)
                return self.reply(200, {})
            if url.path != API_PREFIX and not url.path.startswith(API_PREFIX + "/"):
                return self.fail(404, "not found")
            faults, now = api.faults, time.monotonic()
            if now < faults.down_until:
                faults.note("down", self.command, url.path)
                return self.drop()
            api.requests.append({"method": self.command, "path": url.path, "query": query})
            given = self.headers.get("Authorization") or ""
            key = api.keys.get(given.removeprefix("Bearer ")) if given.startswith("Bearer ") else None
            if key is None:
                return self.fail(401, "authorization failed" if given else "authentication required")
            api.caller = key
            mutating = self.command in MUTATING
            try:
                body = json.loads(raw) if raw.strip() else {}
                if not isinstance(body, dict):
                    raise ApiError(400, "the request body must be a JSON object")
                segments = [unquote(s) for s in url.path[len(API_PREFIX):].strip("/").split("/")]
                name, params = route(self.command, segments)
                api.authorize(self.command, segments)
                if mutating and faults.locked > 0 and len(segments) > 2 and segments[1] in api.projects:
                    faults.locked -= 1
                    faults.note("lock_first", self.command, url.path)
                    raise ApiError(423, LOCKED_MESSAGE)
                if mutating and faults.error_window is not None:
                    faults.error_until, faults.error_window = now + faults.error_window, None
                    erring = True
                else:
                    erring = now < faults.error_until
                    if erring and not (mutating and faults.error_after_work):
                        faults.note("error_for", self.command, url.path)
                        raise ApiError(faults.error_status, "internal server error")
                if mutating:
                    faults.mutations += 1
                status, payload = getattr(api, name)(query, body, *params)
                if erring:
                    # Carried out, and answered as a failure: the worst a 500 can hide.
                    faults.note("error_for", self.command, url.path)
                    raise ApiError(faults.error_status, "internal server error")
                if mutating and faults.die_at == faults.mutations:
                    faults.die_at = None
                    faults.down_until = now + faults.down_for
                    faults.note("die_after", self.command, url.path)
                    return self.drop()
                if faults.malformed and faults.malformed[0] == self.command and url.path.endswith(faults.malformed[1]):
                    faults.malformed = None
                    faults.note("malformed_once", self.command, url.path)
                    return self.reply_raw(status, json.dumps(payload).encode()[:40])
                self.reply(status, payload)
            except json.JSONDecodeError:
                self.fail(400, "the request body is not valid JSON")
            except ApiError as e:
                self.fail(e.status, e.message, e.body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = handle_any


class FakeNeon:
    """The fake on 127.0.0.1 (port 0: any free port), served by a daemon
    thread from `start()` (or entering the `with` block) to `stop()`."""

    def __init__(self, api_key: str = "fake-neon-key", polls_to_finish: int = 1, port: int = 0,
                 key_kind: str = "org", org_id: str = DEFAULT_ORG, memberships: dict[str, str] | None = None,
                 project_id: str | None = None, clock_skew: timedelta = timedelta(0)):
        self.api = Api(api_key, polls_to_finish, key_kind, org_id, memberships, project_id, clock_skew)
        self.sockets: set[socket.socket] = set()
        handler = type("FakeNeonHandler", (Handler,), {"api": self.api, "sockets": self.sockets})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}{API_PREFIX}"

    def start(self) -> "FakeNeon":
        threading.Thread(target=self.server.serve_forever, args=(0.05,), name="fake-neon", daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and close the connections clients keep alive."""
        self.server.shutdown()
        self.server.server_close()
        for conn in list(self.sockets):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> "FakeNeon":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def requests(self) -> list[dict]:
        """Method, path and query of every /api/v2 request so far."""
        with self.api.lock:
            return copy.deepcopy(self.api.requests)

    def state(self) -> dict:
        """A deep copy of every project (see `Api`), role passwords included."""
        with self.api.lock:
            return copy.deepcopy(self.api.projects)

    def reset(self) -> None:
        with self.api.lock:
            self.api.reset()

    def expire(self, project_id: str, branch_id: str) -> None:
        """Delete an expiring branch as Neon does when its time has come."""
        with self.api.lock:
            self.api.expire(project_id, branch_id)

    def add_key(self, key: str, kind: str, org_id: str = DEFAULT_ORG, memberships: dict[str, str] | None = None,
                project_id: str | None = None) -> None:
        """Accept another API key (see `Api.add_key`)."""
        with self.api.lock:
            self.api.add_key(key, kind, org_id, memberships, project_id)

    def add_integration(self, project_id: str, integration: str = "github") -> None:
        """Give a project a GitHub or Vercel integration (it then cannot be transferred)."""
        with self.api.lock:
            self.api.project(project_id)["integration"] = integration

    def inject(self, **faults) -> None:
        """Arm faults (see `Faults`): die_after=N (down_for=S), error_for=S
        (error_status, after_work), lock_first=K, malformed_once=(METHOD,
        PATH_SUFFIX), delay_polls=S."""
        with self.api.lock:
            self.api.faults.set(faults)

    def clear_faults(self) -> None:
        """Disarm every fault (what fired stays in `fired()`)."""
        with self.api.lock:
            self.api.faults.clear()

    def fired(self, fault: str | None = None) -> list[dict]:
        """The faults that fired so far (of one kind when FAULT is given)."""
        with self.api.lock:
            return [dict(f) for f in self.api.faults.fired if fault is None or f["fault"] == fault]

    def limit_projects(self, org_id: str, count: int) -> None:
        """Let organization ORG_ID's plan hold at most COUNT projects."""
        with self.api.lock:
            self.api.project_limits[org_id] = count


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="A fake of Neon's HTTP API v2.")
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--polls-to-finish", type=int, default=1)
    args = parser.parse_args(argv)
    fake = FakeNeon(api_key=args.api_key, polls_to_finish=args.polls_to_finish, port=args.port)
    print(fake.port, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        fake.server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
