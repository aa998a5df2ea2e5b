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

    def preview(self, *args: str) -> list[harness.Step]:
        return harness.preview_steps(self.project, self.env, *args)

    def resources(self) -> list[dict]:
        """Every resource in the stack's state (`pulumi stack export`)."""
        return harness.stack_resources(self.project, self.env)

    def outputs(self) -> dict:
        return json.loads(self.pulumi("stack", "output", "--json"))

    def cloud_calls(self, standins: harness.Standins) -> list[tuple[str, str]]:
        """(method, URN) of every Create and Delete the stand-in aws provider
        received for this stack outside previews, in order. The record file is
        shared by the whole session: the stack name tells our calls apart."""
        prefix = f"urn:pulumi:{self.stack}::{self.project.name}::"
        return [
            (r["method"], r["urn"])
            for r in standins.records("aws")
            if r["method"] in ("Create", "Delete") and not r.get("preview") and r["urn"].startswith(prefix)
        ]

    def deleted(self, standins: harness.Standins) -> list[str]:
        return [urn for method, urn in self.cloud_calls(standins) if method == "Delete"]


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


def name(urn: str) -> str:
    return urn.split("::")[-1]


def each(children: list[dict], field: str, default: object = None) -> dict[str, object]:
    """FIELD of each child, by name: assertion failures then show which child differs."""
    return {name(c["urn"]): c.get(field, default) for c in children}


def every(children: list[dict], value: object) -> dict[str, object]:
    return {name(c["urn"]): value for c in children}


def test_retain_on_delete_keeps_every_child_in_the_cloud_on_destroy(options_stack, standins, moto):
    stack = options_stack("retain", retainOnDelete="true")
    stack.up()
    migration = stack.outputs()["migrationUrn"]
    children = site_children(stack.resources())
    (bucket,) = [c for c in children if c["type"] == "aws:s3/bucket:Bucket"]
    # The site's bucket is emptied on destroy (forceDestroy), unless it is kept.
    assert bucket["inputs"]["forceDestroy"] is True and bucket["retainOnDelete"] is True
    stack.destroy()

    deleted = stack.deleted(standins)
    # The migration bucket has no option: its delete shows that deletes are recorded.
    assert migration in deleted, deleted
    assert [name(urn) for urn in deleted if STATIC_SITE in urn] == []
    # Kept means kept with its files: the bucket and the site's files are still there.
    s3 = moto.client("s3", direct=True)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket["id"]).get("Contents", [])}
    assert "index.html" in keys, keys


def test_protect_protects_every_child(options_stack):
    stack = options_stack("protect", protect="true")
    stack.up()
    children = site_children(stack.resources())
    assert each(children, "protect") == every(children, True)


def test_depends_on_makes_every_child_depend_on_the_resource(options_stack):
    stack = options_stack("depends", dependsOnMigration="true")
    stack.up()
    migration = stack.outputs()["migrationUrn"]
    children = site_children(stack.resources())
    missing = {child: deps for child, deps in each(children, "dependencies", []).items() if migration not in deps}
    assert missing == {}


def test_deleted_with_skips_every_child_delete_when_the_resource_goes(options_stack, standins):
    stack = options_stack("deletedwith", deletedWithMigration="true")
    stack.up()
    migration = stack.outputs()["migrationUrn"]
    children = site_children(stack.resources())
    assert each(children, "deletedWith") == every(children, migration)

    stack.destroy()
    deleted = stack.deleted(standins)
    assert migration in deleted, deleted
    assert [name(urn) for urn in deleted if STATIC_SITE in urn] == []


def test_delete_before_replace_deletes_each_child_before_creating_its_replacement(options_stack, standins):
    # `deleteBeforeReplace` is not in the state `stack export` shows, and `preview --json`
    # shows one "replace" step either way: what tells is the order of the cloud calls.
    stack = options_stack("dbr", deleteBeforeReplace="true")
    stack.up()
    # The stand-ins see the aws children's calls (SiteContent is this provider's own).
    children = [c["urn"] for c in site_children(stack.resources()) if c["type"].startswith("aws:")]
    before = len(stack.cloud_calls(standins))
    stack.pulumi("up", "--yes", "--skip-preview", *[arg for urn in children for arg in ("--replace", urn)])

    calls = stack.cloud_calls(standins)[before:]
    order = {name(urn): [method for method, u in calls if u == urn] for urn in children}
    assert order == {name(urn): ["Delete", "Create"] for urn in children}


def test_custom_timeouts_apply_to_every_child(options_stack):
    stack = options_stack("timeouts", createTimeout="7m")
    stack.up()
    children = site_children(stack.resources())
    # The state keeps timeouts in seconds.
    assert each(children, "customTimeouts") == every(children, {"create": 420})


@pytest.mark.parametrize("option", ["providers", "provider"])
def test_an_explicit_aws_provider_manages_every_aws_child(options_stack, option):
    stack = options_stack(f"explicit-{option}", explicitProvider=option)
    stack.up()
    east = stack.outputs()["eastProviderUrn"]
    children = [c for c in site_children(stack.resources()) if c["type"].startswith("aws:")]
    # A provider reference is `<provider URN>::<provider ID>`.
    providers = {child: ref.rsplit("::", 1)[0] for child, ref in each(children, "provider", "").items()}
    assert providers == every(children, east)


def test_renaming_the_site_with_an_alias_creates_and_deletes_nothing(options_stack, standins):
    stack = options_stack("rename", siteName="site")
    stack.up()
    stack.configure(siteName="web", aliases="site")

    # The children follow their renamed parent; names and labels derived from
    # the old name are kept, so nothing in the cloud changes.
    stack.pulumi("preview", "--expect-no-changes")

    before = len(stack.cloud_calls(standins))
    stack.up()
    assert stack.cloud_calls(standins)[before:] == []
    resources = stack.resources()
    assert [name(r["urn"]) for r in resources if r["type"] == STATIC_SITE] == ["web"]
    assert all(name(c["urn"]).startswith("web-") for c in site_children(resources))


def test_refresh_right_after_up_changes_nothing(options_stack):
    stack = options_stack("refresh")
    stack.up()
    stack.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes")
    stack.pulumi("preview", "--expect-no-changes")


def test_ignore_changes_on_the_site_pins_the_child_input_it_names(options_stack):
    stack = options_stack("ignore", priceClass="PriceClass_100", ignoreChanges="priceClass")
    stack.up()
    stack.configure(priceClass="PriceClass_200")
    stack.pulumi("preview", "--expect-no-changes")


def test_replace_on_changes_on_the_site_replaces_the_child_its_input_becomes(options_stack):
    stack = options_stack("replace", priceClass="PriceClass_100", replaceOnChanges="priceClass")
    stack.up()
    stack.configure(priceClass="PriceClass_200")
    replaced = {s.name for s in stack.preview() if s.op == "replace"}
    assert replaced == {"site-cdn"}
