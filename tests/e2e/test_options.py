"""Resource options given to a StaticSite (a remote component, served through
Construct) reach its children the way a user expects, seen through the real
`pulumi` CLI: in `pulumi stack export`, in `preview --json` steps, and in the
calls the stand-in aws provider received.

One program, tests/e2e/programs/options-ts, reads its options from stack
config; each test sets config on its own stack in a fresh backend.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import harness

PROGRAM = harness.ROOT / "tests" / "e2e" / "programs" / "options-ts"
# The program needs exactly the TypeScript example's dependencies.
DEPENDENCIES = harness.ROOT / "examples" / "static-site-ts"
STATIC_SITE = "launchpad:index:StaticSite"
# Every StaticSite without a domain has at least these children.
MIN_CHILDREN = 6
CHANGES = {"create", "delete", "replace", "create-replacement", "delete-replaced"}


class OptionsStack:
    """The options program on one stack of the test's own backend."""

    def __init__(self, project: Path, env: dict[str, str], stack: str):
        self.project, self.env, self.stack = project, env, stack

    def pulumi(self, *args: str) -> str:
        return harness.pulumi(list(args), self.project, self.env).stdout

    def configure(self, **config: str) -> None:
        pairs = [arg for key, value in config.items() for arg in ("--plaintext", f"{key}={value}")]
        self.pulumi("config", "set-all", *pairs)

    def up(self) -> None:
        self.pulumi("up", "--yes", "--skip-preview")

    def destroy(self) -> None:
        self.pulumi("destroy", "--yes", "--skip-preview")

    def preview(self, *args: str) -> list[dict]:
        return json.loads(self.pulumi("preview", "--json", *args))["steps"]

    def resources(self) -> list[dict]:
        """Every resource in the stack's state (`pulumi stack export`)."""
        return json.loads(self.pulumi("stack", "export"))["deployment"]["resources"]

    def outputs(self) -> dict:
        return json.loads(self.pulumi("stack", "output", "--json"))

    def deletes_recorded(self, standins: harness.Standins) -> list[str]:
        """URNs of this stack's resources the stand-in aws provider deleted."""
        prefix = f"urn:pulumi:{self.stack}::{self.project.name}::"
        return [r["urn"] for r in standins.records("aws") if r["method"] == "Delete" and r["urn"].startswith(prefix)]


@pytest.fixture
def options_stack(tmp_path, env):
    """`options_stack(name, **config)`: the program on stack NAME with that config."""

    def make(stack: str, **config: str) -> OptionsStack:
        project = harness.copy_program(PROGRAM, tmp_path, DEPENDENCIES)
        harness.select_stack(project, stack, env)
        s = OptionsStack(project, env, stack)
        if config:
            s.configure(**config)
        return s

    return make


def site_children(resources: list[dict]) -> list[dict]:
    """The states of the site's children, checking that there are some."""
    (site,) = [r for r in resources if r["type"] == STATIC_SITE]
    children = [r for r in resources if r.get("parent") == site["urn"]]
    assert len(children) >= MIN_CHILDREN, f"expected the site's children in state, got {[r['urn'] for r in children]}"
    return children


def by_urn(children: list[dict], field: str) -> dict[str, object]:
    """FIELD of each child, keyed by URN: what the assertion messages show."""
    return {c["urn"]: c.get(field) for c in children}


def test_retain_on_delete_keeps_every_child_in_the_cloud_on_destroy(options_stack, standins):
    stack = options_stack("retain", retainOnDelete="true")
    stack.up()
    migration = stack.outputs()["migrationUrn"]
    stack.destroy()

    deleted = stack.deletes_recorded(standins)
    # The migration bucket has no option: its delete shows that deletes are recorded.
    assert migration in deleted, deleted
    assert [urn for urn in deleted if STATIC_SITE in urn] == []


def test_protect_protects_every_child(options_stack):
    stack = options_stack("protect", protect="true")
    stack.up()
    children = site_children(stack.resources())
    assert all(c.get("protect") is True for c in children), by_urn(children, "protect")


def test_depends_on_makes_every_child_depend_on_the_resource(options_stack):
    stack = options_stack("depends", dependsOnMigration="true")
    stack.up()
    migration = stack.outputs()["migrationUrn"]
    children = site_children(stack.resources())
    assert all(migration in c.get("dependencies", []) for c in children), by_urn(children, "dependencies")


def test_deleted_with_skips_every_child_delete_when_the_resource_goes(options_stack, standins):
    stack = options_stack("deletedwith", deletedWithMigration="true")
    stack.up()
    migration = stack.outputs()["migrationUrn"]
    children = site_children(stack.resources())
    assert all(c.get("deletedWith") == migration for c in children), by_urn(children, "deletedWith")

    stack.destroy()
    deleted = stack.deletes_recorded(standins)
    assert migration in deleted, deleted
    assert [urn for urn in deleted if STATIC_SITE in urn] == []


def test_delete_before_replace_deletes_each_child_before_creating_its_replacement(options_stack):
    # `deleteBeforeReplace` is not part of the state `stack export` shows; what a user
    # sees is the order of the steps when a child is replaced.
    stack = options_stack("dbr", deleteBeforeReplace="true")
    stack.up()
    children = site_children(stack.resources())
    steps = stack.preview(*[arg for c in children for arg in ("--replace", c["urn"])])

    order = {}
    for c in children:
        ops = [s["op"] for s in steps if s["urn"] == c["urn"]]
        order[c["urn"]] = ops
    assert all(
        "delete-replaced" in ops and "create-replacement" in ops and ops.index("delete-replaced") < ops.index("create-replacement")
        for ops in order.values()
    ), order


def test_custom_timeouts_apply_to_every_child(options_stack):
    stack = options_stack("timeouts", createTimeout="7m")
    stack.up()
    children = site_children(stack.resources())
    # The state keeps timeouts in seconds.
    assert all((c.get("customTimeouts") or {}).get("create") == 420 for c in children), by_urn(children, "customTimeouts")


@pytest.mark.parametrize("option", ["providers", "provider"])
def test_an_explicit_aws_provider_manages_every_aws_child(options_stack, option):
    stack = options_stack(f"explicit-{option}", explicitProvider=option)
    stack.up()
    east = stack.outputs()["eastProviderUrn"]
    children = [c for c in site_children(stack.resources()) if c["type"].startswith("aws:")]
    # A provider reference is `<provider URN>::<provider ID>`.
    assert all(c.get("provider", "").startswith(east + "::") for c in children), by_urn(children, "provider")


def test_renaming_the_site_with_an_alias_replaces_nothing(options_stack):
    stack = options_stack("rename", siteName="site")
    stack.up()
    stack.configure(siteName="web", aliases="site")
    steps = stack.preview()

    changes = {s["urn"]: s["op"] for s in steps if s["op"] in CHANGES}
    assert changes == {}, changes
    # Updates are allowed (a description that contains the name); show which.
    updates = {s["urn"]: s.get("diffReasons") for s in steps if s["op"] == "update"}
    print("updated on rename:", json.dumps(updates, indent=2))


def test_refresh_right_after_up_changes_nothing(options_stack):
    stack = options_stack("refresh")
    stack.up()
    stack.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes")
    stack.pulumi("preview", "--expect-no-changes")
