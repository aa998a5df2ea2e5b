"""Go programs end to end, through our Go language host (tools/cmd/pulumi-language-go)
and the generated sdk/go: the NeonDatabase example previews without a key and comes up
against the fake Neon; the host reports Go and the program's modules to `pulumi about`,
the launchpad plugin the SDK's pulumi-plugin.json names to the engine, and a program
that does not compile fails with the compiler's message. (The StaticSite example runs
every test of test_preview.py, as the TypeScript and Python ones do: conftest.py.)"""

from __future__ import annotations

import json

import harness
from test_neon import KEY, PROJECT, configure, neon, neon_env, steps  # noqa: F401 (fixtures)

NEON_GO = harness.ROOT / "examples" / "neon-go"
STATIC_SITE_GO = harness.ROOT / "examples" / "static-site-go"


def test_neon_go_previews_without_a_key_and_calls_nothing(tmp_path, neon_env, neon):
    project = harness.copy_example(NEON_GO, tmp_path)
    harness.select_stack(project, "preview", neon_env)
    assert steps(project, neon_env) == {
        "pulumi:pulumi:Stack": "create",
        "launchpad:index:NeonDatabase": "create",
        PROJECT: "create",
    }
    assert neon.requests() == []


def test_neon_go_comes_up_with_a_secret_uri_and_then_plans_no_change(tmp_path, neon_env, neon):
    project = harness.copy_example(NEON_GO, tmp_path)
    configure(project, "up", neon_env, neon)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, neon_env)
    outputs = json.loads(harness.pulumi(["stack", "output", "--json", "--show-secrets"], project, neon_env).stdout)
    assert outputs["connectionUri"].startswith("postgresql://shop:"), outputs
    assert outputs["projectId"] in {p["id"] for p in neon.state()["projects"]}
    shown = harness.pulumi(["stack", "output", "--json"], project, neon_env).stdout
    assert json.loads(shown)["connectionUri"] == "[secret]"
    harness.pulumi(["preview", "--expect-no-changes"], project, neon_env)
    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, neon_env)


def test_about_names_go_and_the_programs_modules(tmp_path, env):
    project = harness.copy_example(STATIC_SITE_GO, tmp_path)
    harness.select_stack(project, "about", env)
    about = json.loads(harness.pulumi(["about", "--json"], project, env).stdout)
    assert about["runtime"]["language"] == "go"
    assert about["language"]["version"].startswith("go version go1."), about["language"]
    deps = {d["name"]: d["version"] for d in about["dependencies"]}
    # Replaced by the local sdk/go: a module in place has no version.
    assert deps["github.com/launchpad-dev/launchpad/sdk/go"] == ""
    versions = harness.versions()
    assert deps["github.com/pulumi/pulumi/sdk/v3"] == "v" + versions["PULUMI_VERSION"]


def test_the_engine_is_told_the_launchpad_plugin_the_sdk_names(tmp_path, env):
    project = harness.copy_example(STATIC_SITE_GO, tmp_path)
    harness.select_stack(project, "plugins", env)
    # GetRequiredPackages reads sdk/go's pulumi-plugin.json: with automatic acquisition off
    # and no launchpad 0.1.0 in the plugin cache, `plugin install` says what it would fetch.
    proc = harness.pulumi(["install", "--no-dependencies"], project, env, check=False)
    output = proc.stdout + proc.stderr
    assert "launchpad" in output and "0.1.0" in output, output


def test_a_program_that_does_not_compile_fails_with_the_compilers_message(tmp_path, env):
    project = harness.copy_example(STATIC_SITE_GO, tmp_path)
    main = project / "main.go"
    main.write_text(main.read_text().replace("return nil\n\t})", "return undefinedName\n\t})", 1))
    harness.select_stack(project, "broken", env)
    proc = harness.pulumi(["preview"], project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "error in compiling Go" in output and "undefined: undefinedName" in output, output
