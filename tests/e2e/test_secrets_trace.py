"""Secrets at trace level, counted: no plaintext of a planted secret anywhere a user or an
operator could read it, with every log turned all the way up.

Each run is the real `pulumi` CLI at `-v=9 --logtostderr --logflow` with our plugin at
`LAUNCHPAD_LOG=trace`, against the stand-ins, moto and the fake Neon. The TypeScript examples
are copied and given secrets to carry: a secret stack config (`config.requireSecret`) and a
`pulumi.secret(...)` literal in WebService, Function and CloudRunService `environment` (in
StaticSite `tags`, which has no environment); the NeonDatabase example comes `up` with its API
key as a secret config and Neon's role password inside its connection URIs (secret outputs).
Beside each, a run with a bad input next to the secret, whose error message must not carry it.

Searched, per run: the plugin's own stderr (a wrapper on PATH tees it to a file), the CLI's
stdout and stderr, and `pulumi stack export`. Every count of plaintext must be zero. So that
the test cannot pass vacuously, every run must also show that it carried each secret: the
child provider (a stand-in, which records what it is sent) received the plaintext from our
plugin, or the fake Neon was called with the key and the state holds the URI as ciphertext;
and the plugin's trace log must be non-empty. The counts are printed as a table (`-s`).
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import harness

from fakeneon.server import FakeNeon

NEON_PROJECT = "launchpad:index:NeonProject"

CLI_TRACE = ["-v=9", "--logtostderr", "--logflow"]
# The places searched for plaintext, in the table's order.
PLACES = ("plugin stderr", "cli stdout", "cli stderr", "stack export", "node sdk debug")
# Not ours, counted apart: the Node.js SDK (@pulumi/pulumi, runtime/resource.js) debug-logs each
# RegisterResource response it gets from the engine, whose state holds secret outputs in
# plaintext; at -v=9 the engine writes that line (and its eventSink::Debug echo) to its log, and
# with `--debug` the CLI shows it on stdout.
# Any component or resource with a secret output does this, ours or not, so it is reported in
# its own column and not asserted; every other line of the CLI's output is.
NODE_SDK_DEBUG = "RegisterResource RPC finished: "
UPSTREAM = {"node sdk debug"}


def planted(label: str) -> str:
    """A fresh secret no other run or log could hold by chance."""
    return f"{label}{secrets.token_hex(12)}"


@dataclass
class Count:
    """Plaintext hits of each secret in each place, for one run."""

    run: str
    hits: dict[str, dict[str, int]] = field(default_factory=dict)
    plugin_log_bytes: int = 0
    saved_in: Path | None = None  # where the searched texts are kept


COUNTS: list[Count] = []


@pytest.fixture(scope="module", autouse=True)
def table():
    """Print every run's counts once the module is done (shown with `pytest -s`)."""
    yield
    if not COUNTS:
        return
    print("\nplaintext hits of planted secrets (LAUNCHPAD_LOG=trace, pulumi -v=9 --logtostderr --logflow;"
          " the last column is upstream's Node.js SDK, not asserted)")
    header = f"{'run':<34} {'secret':<20} " + " ".join(f"{p:>14}" for p in PLACES) + f" {'plugin log':>11}"
    print(header)
    for count in COUNTS:
        for secret, per_place in count.hits.items():
            row = " ".join(f"{per_place[p]:>14}" for p in PLACES)
            print(f"{count.run:<34} {secret:<20} {row} {count.plugin_log_bytes:>10}B")


def traced_env(env: dict[str, str], tmp_path: Path) -> tuple[dict[str, str], Path]:
    """ENV with the plugin at trace level, launched through a wrapper that tees its stderr to a
    file (returned) on its way to the engine, as a user's terminal would see it."""
    real = harness.PLUGIN_DIR / "pulumi-resource-launchpad"
    assert real.exists(), f"no plugin at {real}: run `make build`"
    wrapper_dir = tmp_path / "plugin-wrapper"
    wrapper_dir.mkdir()
    log = tmp_path / "plugin-stderr.log"
    wrapper = wrapper_dir / "pulumi-resource-launchpad"
    wrapper.write_text(f'#!/usr/bin/env bash\nexec "{real}" "$@" 2> >(tee -a "{log}" >&2)\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    env = dict(env)
    env["PATH"] = os.pathsep.join([str(wrapper_dir), env["PATH"]])
    env["LAUNCHPAD_LOG"] = "trace"
    return env, log


def count_run(run: str, log: Path, proc, export: str, planted_secrets: dict[str, str]) -> Count:
    """Count each secret's plaintext in each place of one run and record the row."""
    plugin = log.read_text(errors="replace") if log.exists() else ""
    def ours(text: str) -> str:
        return "".join(line for line in text.splitlines(keepends=True) if NODE_SDK_DEBUG not in line)

    def upstream(text: str) -> str:
        return "".join(line for line in text.splitlines(keepends=True) if NODE_SDK_DEBUG in line)

    texts = {
        "plugin stderr": plugin,
        "cli stdout": ours(proc.stdout),
        "cli stderr": ours(proc.stderr),
        "stack export": export,
        "node sdk debug": upstream(proc.stdout) + upstream(proc.stderr),
    }
    # Kept beside the plugin's log, so that a failure can be read where it happened.
    for place, text in texts.items():
        (log.parent / f"{run} - {place}.txt".replace(" ", "-")).write_text(text)
    count = Count(run=run, plugin_log_bytes=len(plugin), saved_in=log.parent)
    for name, value in planted_secrets.items():
        count.hits[name] = {place: texts[place].count(value) for place in PLACES}
    COUNTS.append(count)
    return count


def assert_no_plaintext(count: Count) -> None:
    leaks = {(secret, place): n for secret, per in count.hits.items() for place, n in per.items()
             if n and place not in UPSTREAM}
    assert not leaks, f"{count.run}: plaintext of a planted secret in {leaks} (the texts: {count.saved_in})"
    # A plugin that logged nothing would hide nothing: trace level must have been on.
    assert count.plugin_log_bytes > 0, f"{count.run}: the plugin wrote no trace log"


def plant(project: Path, anchor: str, replacement: str) -> None:
    """Rewrite the copied program's index.ts at ANCHOR (which must be there: an example that
    changed must fail here, not silently carry no secret)."""
    index = project / "index.ts"
    source = index.read_text()
    assert anchor in source, f"{anchor!r} not in {index}; update this test's planting"
    index.write_text(source.replace(anchor, replacement, 1))


def recorded(standins: harness.Standins, package: str, value: str) -> int:
    """How often the stand-in of PACKAGE received VALUE in plaintext, from our plugin's children."""
    path = standins.record_dir / f"{package}.jsonl"
    return path.read_text().count(value) if path.exists() else 0


@dataclass(frozen=True)
class Example:
    """A TypeScript example given secrets to carry, and a bad input to refuse beside them."""

    name: str
    package: str  # the stand-in its children go to
    anchor: str  # where the secrets are planted
    replacement: str  # the anchor with {config} and {literal} secrets added
    bad_config: dict[str, str]  # stack config that makes preview fail
    bad_anchor: str | None = None  # or a program change that does
    bad_replacement: str | None = None
    component: str = ""  # the component type that refuses the bad input
    refusal: str = ""  # how its error message starts


SECRET_ENV = 'API_TOKEN: new pulumi.Config().requireSecret("apiToken"), SIGNING_KEY: pulumi.secret("{literal}")'

EXAMPLES = [
    Example(
        name="web-service-ts",
        package="aws",
        anchor='environment: { LOG_LEVEL: "info" }',
        replacement='environment: { LOG_LEVEL: "info", ' + SECRET_ENV + " }",
        bad_config={"cpu": "300"},
        component="launchpad:index:WebService",
        refusal="cpu=300 is not a Fargate size",
    ),
    Example(
        name="function-ts",
        package="aws",
        anchor='environment: { GREETING: "hello from launchpad" }',
        replacement='environment: { GREETING: "hello from launchpad", ' + SECRET_ENV + " }",
        bad_config={},
        # Lambda's own variable, set to the secret: refused, and the value must stay out of the message.
        bad_anchor='environment: { GREETING: "hello from launchpad", ',
        bad_replacement='environment: { GREETING: "hello from launchpad", AWS_REGION: new pulumi.Config().requireSecret("apiToken"), ',
        component="launchpad:index:Function",
        refusal="environment.AWS_REGION: AWS_REGION is reserved by Lambda",
    ),
    Example(
        name="cloud-run-ts",
        package="gcp",
        anchor='environment: { LOG_LEVEL: "info" }',
        replacement='environment: { LOG_LEVEL: "info", ' + SECRET_ENV + " }",
        bad_config={"memory": "512MB"},
        component="launchpad:index:CloudRunService",
        refusal='memory="512MB" is not in Mi or Gi',
    ),
    Example(
        name="static-site-ts",
        package="aws",
        anchor='tags: { app: "static-site-ts", stack: pulumi.getStack() }',
        replacement='tags: { app: "static-site-ts", stack: pulumi.getStack(), '
        'token: new pulumi.Config().requireSecret("apiToken"), signing: pulumi.secret("{literal}") }',
        bad_config={"priceClass": "PriceClass_1"},
        component="launchpad:index:StaticSite",
        refusal='priceClass="PriceClass_1" is not valid',
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_a_preview_at_trace_level_shows_no_planted_secret(example, tmp_path, env, standins):
    project = harness.copy_example(harness.ROOT / "examples" / example.name, tmp_path)
    config_secret, literal = planted("cfgsecret"), planted("literalsecret")
    plant(project, example.anchor, example.replacement.replace("{literal}", literal))
    traced, log = traced_env(env, tmp_path)
    harness.select_stack(project, "trace", traced)
    harness.pulumi(["config", "set", "--secret", "apiToken", config_secret], project, traced)
    stack_file = (project / "Pulumi.trace.yaml").read_text()
    assert config_secret not in stack_file and "secure:" in stack_file, stack_file
    before = {v: recorded(standins, example.package, v) for v in (config_secret, literal)}

    proc = harness.pulumi(["preview", "--diff", *CLI_TRACE], project, traced)
    export = harness.pulumi(["stack", "export"], project, traced).stdout
    count = count_run(f"{example.name} preview", log, proc, export,
                      {"stack config": config_secret, "pulumi.secret": literal})
    assert_no_plaintext(count)
    # Carried: both secrets reached the child provider through our plugin (its Check gets them).
    for value in (config_secret, literal):
        assert recorded(standins, example.package, value) > before[value], (
            f"{example.name}: the {example.package} stand-in never received the planted secret; "
            "the run carried nothing to leak")
    # And the preview shows that a secret is there without showing it.
    assert "[secret]" in proc.stdout, proc.stdout[-2000:]

    # A bad input next to the secrets: the refusal names the property, never the secret.
    if example.bad_anchor is not None:
        plant(project, example.bad_anchor, example.bad_replacement or "")
    for key, value in example.bad_config.items():
        harness.pulumi(["config", "set", key, value], project, traced)
    log.unlink(missing_ok=True)
    failed = harness.pulumi(["preview", "--diff", *CLI_TRACE], project, traced, check=False)
    assert failed.returncode != 0, failed.stdout[-2000:]
    message = harness.problem(failed.stdout + failed.stderr, example.component)
    assert message.startswith(example.refusal), message
    export = harness.pulumi(["stack", "export"], project, traced).stdout
    assert_no_plaintext(count_run(f"{example.name} bad input", log, failed, export,
                                  {"stack config": config_secret, "pulumi.secret": literal}))


def test_a_neon_database_up_at_trace_level_shows_no_key_password_or_uri(tmp_path, env):
    env = {k: v for k, v in env.items() if k != "NEON_API_KEY"}
    key = planted("napi_")
    with FakeNeon(api_key=key) as neon:
        project = harness.copy_example(harness.ROOT / "examples" / "neon-ts", tmp_path)
        traced, log = traced_env(env, tmp_path)
        harness.configure_neon(project, "trace", traced, neon, key=key)

        proc = harness.pulumi(["up", "--yes", "--skip-preview", *CLI_TRACE], project, traced)
        export = harness.pulumi(["stack", "export"], project, traced).stdout
        outputs = json.loads(harness.pulumi(["stack", "output", "--json", "--show-secrets"], project, traced).stdout)
        (password,) = harness.neon_passwords(neon)
        uri, pooled = outputs["connectionUri"], outputs["pooledConnectionUri"]
        assert password in uri and password in pooled, (uri, pooled)
        planted_secrets = {"api key": key, "role password": password, "connection uri": uri, "pooled uri": pooled}
        count = count_run("neon-ts up", log, proc, export, planted_secrets)
        assert_no_plaintext(count)
        # Carried: the plugin called Neon with the key, and the state holds the URI, encrypted.
        assert neon.requests(), "the plugin never called the fake Neon"
        (child,) = [r for r in json.loads(export)["deployment"]["resources"] if r["type"] == NEON_PROJECT]
        assert "ciphertext" in child["outputs"]["connectionUri"], child["outputs"]["connectionUri"]

        # `--debug` shows the program's debug messages to the user: ours must carry no secret.
        log.unlink(missing_ok=True)
        debug = harness.pulumi(["preview", "--debug", *CLI_TRACE], project, traced)
        assert "debug: " in debug.stdout, debug.stdout[-2000:]
        assert_no_plaintext(count_run("neon-ts preview --debug", log, debug, export, planted_secrets))

        # A bad input beside the key and the stored secrets: refused, naming maxCu, nothing else.
        harness.pulumi(["config", "set", "maxCu", "10"], project, traced)
        log.unlink(missing_ok=True)
        failed = harness.pulumi(["up", "--yes", "--skip-preview", *CLI_TRACE], project, traced, check=False)
        assert failed.returncode != 0, failed.stdout[-2000:]
        message = harness.problem(failed.stdout + failed.stderr, "launchpad:index:NeonDatabase")
        assert message.startswith("maxCu=10 is more than 8 CU above"), message
        export = harness.pulumi(["stack", "export"], project, traced).stdout
        assert_no_plaintext(count_run("neon-ts bad input", log, failed, export, planted_secrets))
