"""AWSGuard, the policy pack a security team runs on every preview, in mandatory mode on
`pulumi preview` of each AWS example (TypeScript): the pack runs through our nodejs
host's RunPlugin, and every violation it reports is one that docs/guide.md documents
as an exception, by rule name and child type (section "AWSGuard"). A one-rule Python
pack shows that the python host runs policy packs too."""

from __future__ import annotations

import re

import pytest

import harness

PACK = harness.ROOT / "tests" / "policy" / "awsguard"
PYTHON_PACK = harness.ROOT / "tests" / "policy" / "python-pack"
GUIDE = harness.ROOT / "docs" / "guide.md"
# The examples and the component each must plan (proof that there was something to check).
EXAMPLES = {
    "static-site-ts": "launchpad:index:StaticSite",
    "web-service-ts": "launchpad:index:WebService",
    "function-ts": "launchpad:index:Function",
}
# The CLI's report of one violation: `- [mandatory]  <rule>  (<type>: <name>)`.
VIOLATION = re.compile(r"^\s*- \[(mandatory|advisory)\]\s+([a-z0-9-]+)\s+\(([\w:/.-]+): ([^)]+)\)\s*$", re.M)
# A documented exception: `| `<rule>` | <Component> | `<type>` | why |`.
EXCEPTION = re.compile(r"^\| `([a-z0-9-]+)` \| (\w+) \| `([\w:/.-]+)` \|", re.M)


def documented_exceptions() -> set[tuple[str, str]]:
    """(rule, child type) of each exception in the guide's AWSGuard section."""
    text = GUIDE.read_text()
    start = text.index("## AWSGuard")
    end = text.find("\n## ", start + 1)
    return {(rule, child) for rule, _component, child in EXCEPTION.findall(text[start: end if end > 0 else None])}


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_awsguard_finds_nothing_but_the_documented_exceptions(example, tmp_path, standins):
    assert (PACK / "node_modules" / "@pulumi" / "awsguard").is_dir(), "run `make policy`"
    # Precondition: the guide's table was read (unread, every exception would look undocumented).
    exceptions = documented_exceptions()
    assert exceptions, "docs/guide.md has no table of exceptions in its AWSGuard section"
    env = harness.pulumi_env(tmp_path, standins.debug_providers)
    project = harness.copy_example(harness.ROOT / "examples" / example, tmp_path)
    harness.select_stack(project, "policy", env, config={"aws:region": "us-east-1"})
    proc = harness.pulumi(["preview", "--policy-pack", str(PACK)], project, env, check=False)
    printed = proc.stdout + proc.stderr

    # The pack ran (started by our host's RunPlugin) over a plan that has the component.
    assert "pulumi-awsguard@v0.1.0 (local:" in printed, printed
    assert EXAMPLES[example].split(":")[-1] in printed, printed
    violations = {(rule, child, name) for _level, rule, child, name in VIOLATION.findall(printed)}
    undocumented = {v for v in violations if v[:2] not in exceptions}
    assert undocumented == set(), f"AWSGuard violations not documented in docs/guide.md:\n{printed}"
    # Mandatory violations fail the preview; nothing else may.
    errors = [line for line in printed.splitlines() if "error:" in line and "preview failed" not in line]
    assert errors == [], printed
    assert (proc.returncode != 0) == bool(violations), printed


def test_a_python_policy_pack_runs_and_sees_the_children(tmp_path, standins):
    assert (PYTHON_PACK / ".venv" / "bin" / "python").exists(), "run `make policy`"
    env = harness.pulumi_env(tmp_path, standins.debug_providers)
    project = harness.copy_example(harness.ROOT / "examples" / "static-site-ts", tmp_path)
    harness.select_stack(project, "policy", env)
    proc = harness.pulumi(["preview", "--policy-pack", str(PYTHON_PACK)], project, env, check=False)
    printed = proc.stdout + proc.stderr
    assert "launchpad-python-pack@" in printed, printed
    violations = {(rule, child, name) for _level, rule, child, name in VIOLATION.findall(printed)}
    assert violations == {("bucket-tag-purpose", "aws:s3:Bucket", "site-bucket")}, printed
    assert proc.returncode != 0, "a mandatory violation fails the preview"
