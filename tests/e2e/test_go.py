"""Go programs end to end, through our Go language host (tools/cmd/pulumi-language-go)
and the generated sdk/go: the NeonDatabase example comes up against the fake Neon (its
preview without a key is test_neon.py's, beside the TypeScript one); the host reports Go
and the program's modules to `pulumi about`, and the launchpad plugin the SDK's
pulumi-plugin.json names to the engine; a program that does not compile fails with the
compiler's message. (The StaticSite example runs every test of test_preview.py, as the
TypeScript and Python ones do: conftest.py.)"""

from __future__ import annotations

import json

import harness

NEON_GO = harness.ROOT / "examples" / "neon-go"
STATIC_SITE_GO = harness.ROOT / "examples" / "static-site-go"


def test_neon_go_comes_up_with_a_secret_uri_and_then_plans_no_change(tmp_path, neon_env, neon):
    project = harness.copy_example(NEON_GO, tmp_path)
    harness.configure_neon(project, "up", neon_env, neon)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, neon_env)
    outputs = json.loads(harness.pulumi(["stack", "output", "--json", "--show-secrets"], project, neon_env).stdout)
    assert outputs["connectionUri"].startswith("postgresql://shop:"), outputs
    (p,) = neon.state().values()
    assert outputs["projectId"] == p["project"]["id"]
    shown = harness.pulumi(["stack", "output", "--json"], project, neon_env).stdout
    assert json.loads(shown)["connectionUri"] == "[secret]"
    harness.pulumi(["preview", "--expect-no-changes"], project, neon_env)
    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, neon_env)
    assert neon.state() == {}


def test_about_names_go_the_programs_modules_and_the_plugin_the_sdk_names(tmp_path, env):
    project = harness.copy_example(STATIC_SITE_GO, tmp_path)
    harness.select_stack(project, "about", env)
    about = json.loads(harness.pulumi(["about", "--json"], project, env).stdout)
    assert about["runtime"]["language"] == "go"
    assert about["runtime"]["version"].startswith("go version go1."), about["runtime"]
    deps = {d["name"]: d["version"] for d in about["dependencies"]}
    # Replaced by the local sdk/go: a module in place has no version.
    assert deps["github.com/launchpad-dev/launchpad/sdk/go"] == ""
    assert deps["github.com/pulumi/pulumi/sdk/v3"] == "v" + harness.versions()["PULUMI_VERSION"]
    # GetRequiredPackages: the plugin sdk/go's pulumi-plugin.json names, at the schema's version.
    plugins = {(p["name"], p["kind"]): p["version"] for p in about["plugins"]}
    schema = json.loads((harness.ROOT / "schema.json").read_text())
    assert plugins[("launchpad", "resource")] == schema["version"], about["plugins"]


def test_a_program_that_does_not_compile_fails_with_the_compilers_message(tmp_path, env):
    project = harness.copy_example(STATIC_SITE_GO, tmp_path)
    main = project / "main.go"
    main.write_text(main.read_text().replace("return nil\n\t})", "return undefinedName\n\t})", 1))
    harness.select_stack(project, "broken", env)
    proc = harness.pulumi(["preview"], project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "error in compiling Go" in output and "undefined: undefinedName" in output, output
