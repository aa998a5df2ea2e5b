"""YAML programs end to end, run by upstream's own YAML language host (pulumi-yaml, built by
tools/build.sh): both YAML examples preview through the real engine, our plugin and the aws
stand-in, which checks every child against the real aws schema; the StaticSite one comes up
(its content into the S3 emulator) and then previews no changes. A wrong input type fails
preview naming the property: where pulumi-yaml lets the value through (it turns a number into
a string for a string property, but sends the number), with our own message; where its type
check against our schema refuses the value first (a string for a boolean), with its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import harness

EXAMPLES = {
    "launchpad:index:StaticSite": harness.ROOT / "examples" / "static-site-yaml",
    "launchpad:index:WebService": harness.ROOT / "examples" / "web-service-yaml",
}
STATIC_SITE = "launchpad:index:StaticSite"
# The one warning every e2e run has: the plugin is found on PATH.
PLUGIN_ON_PATH = "using pulumi-resource-launchpad from $PATH"


def yaml_project(component_type: str, into: Path) -> Path:
    project = harness.copy_example(EXAMPLES[component_type], into)
    assert "runtime: yaml" in (project / "Pulumi.yaml").read_text()
    return project


@pytest.mark.parametrize("component_type", sorted(EXAMPLES))
def test_the_yaml_example_previews_its_component_and_every_child(component_type, tmp_path, env, standins):
    project = yaml_project(component_type, tmp_path)
    harness.select_stack(project, "test", env)
    proc = harness.pulumi(["preview"], project, env)
    # The YAML host's own diagnostics (`Warning: Field 'description' does not exist ...`, in
    # colour) do not fail a preview: the example must have none.
    warnings = [
        line for line in proc.stdout.splitlines()
        if ("Warning" in line or "warning:" in line) and PLUGIN_ON_PATH not in line
    ]
    assert warnings == [], proc.stdout

    preview = harness.preview_children(project, env, component_type)
    assert preview.component is not None and preview.component.op == "create"
    assert preview.children, f"{component_type} planned no children"
    for found in preview.children.values():
        for child in found:
            assert child.op == "create", (child.urn, child.op)
    checks = [
        r for r in standins.records("aws")
        if r.get("method") == "Check" and component_type in r["urn"] and f"::{project.name}::" in r["urn"]
    ]
    assert checks, "no aws child reached the stand-in"
    failures = [(r["token"], r["failures"]) for r in checks if r.get("failures")]
    assert failures == [], failures


def test_the_static_site_yaml_example_comes_up_and_then_previews_no_changes(tmp_path, env, moto):
    project = yaml_project(STATIC_SITE, tmp_path)
    harness.select_stack(project, "up", env)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    outputs = json.loads(harness.pulumi(["stack", "output", "--json"], project, env).stdout)
    assert outputs["url"].startswith("https://"), outputs
    assert outputs["fileCount"] == 2, outputs
    # The site folder went into the site's bucket in the emulator.
    bucket = outputs["bucketName"]
    listed = moto.client("s3", direct=True).list_objects_v2(Bucket=bucket).get("Contents", [])
    assert {o["Key"] for o in listed} == {"index.html", "assets/app.3f9a1c.js"}
    # The plan is stable: running the program again changes nothing.
    harness.pulumi(["preview", "--expect-no-changes"], project, env)
    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, env)


# Each wrong input written into the StaticSite example (the line it replaces, the line it
# writes) and what the message must name: the property, the value and what is valid.
OUR_REFUSALS = {
    "a number for the price class": (
        "priceClass: ${priceClass}", "priceClass: 3", ["`priceClass`", "the number 3", "PriceClass_100"]),
    "a number for the path": ("path: ./site", "path: 42", ["`path`", "a string", "the number 42"]),
    "a fraction for an integer": (
        "path: ./site", "path: ./site\n      keepPreviousDeploys: 1.5",
        ["`keepPreviousDeploys`", "an integer", "the number 1.5"]),
}


def with_line(project: Path, old: str, new: str) -> None:
    program = project / "Pulumi.yaml"
    text = program.read_text()
    assert text.count(old) == 1, f"{old!r} is not one line of {program}"
    program.write_text(text.replace(old, new))


@pytest.mark.parametrize("case", sorted(OUR_REFUSALS))
def test_a_wrong_input_type_the_yaml_host_lets_through_fails_with_our_message(case, tmp_path, env):
    old, new, named = OUR_REFUSALS[case]
    project = yaml_project(STATIC_SITE, tmp_path)
    with_line(project, old, new)
    harness.select_stack(project, "bad", env)
    proc = harness.pulumi(["preview"], project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    message = harness.problem(output, STATIC_SITE)
    for fragment in named:
        assert fragment in message, message


def test_a_string_for_a_boolean_is_refused_by_the_yaml_hosts_type_check_naming_the_property(tmp_path, env):
    """pulumi-yaml checks each property against our schema before it registers anything: a
    string for `spa` (a boolean) never reaches the plugin, and its message names `spa`."""
    project = yaml_project(STATIC_SITE, tmp_path)
    with_line(project, "spa: ${spa}", "spa: maybe")
    harness.select_stack(project, "bad", env)
    proc = harness.pulumi(["preview"], project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "spa: Cannot assign type 'string' to type 'boolean'" in output, output
    assert "has a problem" not in output, output
