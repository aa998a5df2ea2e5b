"""launchpad installed as a user installs any third-party Pulumi provider, from the
artifacts of `make dist` only: the plugin tarball into an EMPTY Pulumi home with
`pulumi plugin install --file`, the npm package and the Python wheel into fresh
projects, and `pulumi preview` taking the plugin from the plugin cache (ambient
plugins ignored, nothing of the checkout on PATH but the pinned CLI; the aws provider
is the stand-in, attached with PULUMI_DEBUG_PROVIDERS, as in the e2e tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from userenv import PLUGIN, RELEASES, ROOT, user_env

VERSIONS = dict(
    line.split("=", 1) for line in (ROOT / "tools" / "versions.env").read_text().splitlines()
    if line and not line.startswith("#")
)
STATIC_SITE = "launchpad:index:StaticSite"
CHILDREN = {
    "launchpad:index:SiteContent",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:cloudfront/distribution:Distribution",
}
FROM_PATH = f"using {PLUGIN} from $PATH"


def run(cmd: list, cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} failed ({proc.returncode}) in {cwd}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def pulumi(args: list, cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return run(["pulumi", *args, "--non-interactive"], cwd, env, check)


def install_plugin(dist, cwd: Path, env: dict[str, str]) -> None:
    pulumi(["plugin", "install", "resource", "launchpad", dist.version,
            "--file", dist.plugin, "--checksum", dist.sha256], cwd, env)


def installed(env: dict[str, str], cwd: Path) -> list[dict]:
    out = pulumi(["plugin", "ls", "--json"], cwd, env).stdout
    return [p for p in json.loads(out) if p["name"] == "launchpad"]


def write_site(project: Path) -> None:
    (project / "site" / "assets").mkdir(parents=True)
    (project / "site" / "index.html").write_text(
        '<!doctype html><title>hello</title><script src="/assets/app.1a2b3c.js"></script>\n')
    (project / "site" / "assets" / "app.1a2b3c.js").write_text('console.log("hello");\n')


# --- the plugin tarball ------------------------------------------------------------


def test_the_tarball_installs_into_an_empty_pulumi_home_and_is_listed(dist, tmp_path):
    env = user_env(tmp_path)
    assert not (tmp_path / "home").exists()
    install_plugin(dist, tmp_path, env)
    (plugin,) = installed(env, tmp_path)
    assert plugin["kind"] == "resource" and plugin["version"] == dist.version
    listed = pulumi(["plugin", "ls"], tmp_path, env).stdout
    assert any(line.split()[:3] == ["launchpad", "resource", dist.version] for line in listed.splitlines()), listed
    # Unpacked where the engine looks: $PULUMI_HOME/plugins/resource-<name>-v<version>/.
    binary = tmp_path / "home" / "plugins" / f"resource-launchpad-v{dist.version}" / PLUGIN
    assert run([binary, "--version"], tmp_path, env).stdout.strip() == dist.version


@pytest.mark.parametrize("damage", ["truncated", "not-gzip"])
def test_a_corrupted_tarball_fails_with_the_clis_error(dist, tmp_path, damage):
    env = user_env(tmp_path)
    data = dist.plugin.read_bytes()
    bad = tmp_path / dist.plugin.name
    # A download cut short; or bytes that only start like a gzip stream.
    bad.write_bytes(data[: len(data) // 2] if damage == "truncated" else data[:5] + bytes(4096))
    proc = pulumi(["plugin", "install", "resource", "launchpad", dist.version, "--file", bad], tmp_path, env, check=False)
    assert proc.returncode != 0
    expected = "unexpected EOF" if damage == "truncated" else "flate: corrupt input"
    assert f"error: installing [resource plugin launchpad-{dist.version}] from {bad}" in proc.stderr, proc.stderr
    assert expected in proc.stderr, proc.stderr
    assert installed(env, tmp_path) == [], "a failed install must leave nothing behind"


def test_a_wrong_checksum_fails_with_the_clis_error(dist, tmp_path, releases):
    """The CLI verifies --checksum on download (the schema's release location, here sent
    to dist/ served on 127.0.0.1); with --file it does not check it (CLI 3.274)."""
    env = user_env(tmp_path)
    env["PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"] = releases.override
    wrong = "0" * 64
    proc = pulumi(["plugin", "install", "resource", "launchpad", dist.version,
                   "--server", RELEASES, "--checksum", wrong], tmp_path, env, check=False)
    assert proc.returncode != 0
    assert f"invalid checksum, expected {wrong}, actual {dist.sha256}" in proc.stderr, proc.stderr
    assert installed(env, tmp_path) == []
    # The right one installs, from the tarball name the engine derives from the release location.
    pulumi(["plugin", "install", "resource", "launchpad", dist.version,
            "--server", RELEASES, "--checksum", dist.sha256], tmp_path, env)
    assert [p["version"] for p in installed(env, tmp_path)] == [dist.version]
    assert f"/{dist.plugin.name}" in releases.requests


# --- fresh projects ----------------------------------------------------------------


@pytest.fixture(scope="module")
def ts_project(tmp_path_factory, dist) -> Path:
    """A new TypeScript project that installs the packed npm package."""
    project = tmp_path_factory.mktemp("ts") / "site-ts"
    project.mkdir()
    write_site(project)
    (project / "Pulumi.yaml").write_text(
        "name: site-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n")
    (project / "package.json").write_text(json.dumps({
        "name": "site-ts", "private": True, "main": "index.ts",
        "dependencies": {
            "@pulumi/pulumi": VERSIONS["PULUMI_NODEJS_SDK_VERSION"],
            "pulumi-launchpad": f"file:{dist.npm}",
        },
        "devDependencies": {
            "typescript": VERSIONS["TYPESCRIPT_VERSION"],
            "@types/node": VERSIONS["TYPES_NODE_VERSION"],
        },
    }, indent=2))
    (project / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"strict": True, "target": "es2020", "module": "commonjs",
                            "moduleResolution": "node", "outDir": "bin"},
        "files": ["index.ts"],
    }, indent=2))
    (project / "index.ts").write_text(
        'import * as launchpad from "pulumi-launchpad";\n\n'
        'const site = new launchpad.StaticSite("site", { path: "./site" });\n'
        "export const url = site.url;\n")
    env = user_env(project.parent / "npm")
    run(["npm", "install", "--no-audit", "--no-fund"], project, env)
    installed_pkg = json.loads((project / "node_modules" / "pulumi-launchpad" / "package.json").read_text())
    assert installed_pkg["pulumi"]["server"] == RELEASES
    # An installed copy, not a link into the checkout.
    assert not (project / "node_modules" / "pulumi-launchpad").is_symlink()
    return project


@pytest.fixture(scope="module")
def py_project(tmp_path_factory, dist) -> Path:
    """A new Python project whose virtualenv pip-installs the wheel."""
    project = tmp_path_factory.mktemp("py") / "site-py"
    project.mkdir()
    write_site(project)
    (project / "Pulumi.yaml").write_text(
        "name: site-py\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n")
    (project / "__main__.py").write_text(
        "import pulumi\nimport pulumi_launchpad as launchpad\n\n"
        'site = launchpad.StaticSite("site", path="./site")\n'
        'pulumi.export("url", site.url)\n')
    env = user_env(project.parent / "pip")
    run(["python3", "-m", "venv", "venv"], project, env)
    run([project / "venv" / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check",
         dist.wheel, f"pulumi=={VERSIONS['PULUMI_PYTHON_SDK_VERSION']}"], project, env)
    location = run([project / "venv" / "bin" / "python", "-c",
                    "import pulumi_launchpad; print(pulumi_launchpad.__file__)"], project, env).stdout
    assert str(project / "venv") in location and str(ROOT) not in location
    return project


def preview(project: Path, stack: str, env: dict[str, str]) -> tuple[dict, str]:
    """`pulumi preview --json` of a new STACK: the plan and everything the CLI printed."""
    pulumi(["stack", "init", stack], project, env)
    proc = pulumi(["preview", "--json"], project, env, check=False)
    printed = proc.stdout + proc.stderr
    assert proc.returncode == 0, printed
    return json.loads(proc.stdout), printed


def assert_previews_the_site(plan: dict, printed: str) -> None:
    types = {s["newState"]["type"] for s in plan["steps"]}
    assert STATIC_SITE in types and CHILDREN <= types, sorted(types)
    assert FROM_PATH not in printed and "$PATH" not in printed, printed


@pytest.mark.parametrize("language", ["ts", "py"])
def test_a_fresh_project_previews_with_the_plugin_from_the_plugin_cache(dist, tmp_path, standins, request, language):
    project = request.getfixturevalue(f"{language}_project")
    # Only aws is attached to a running process; launchpad must come from the cache.
    env = user_env(tmp_path, debug_providers=f"aws:{standins.ports['aws']}")
    install_plugin(dist, project, env)
    plan, printed = preview(project, "cached", env)
    assert_previews_the_site(plan, printed)
    checks = [r for r in standins.records("aws") if r.get("method") == "Check" and project.name in r["urn"]]
    assert checks and [r for r in checks if r.get("failures")] == []


def test_preview_fetches_the_plugin_from_the_release_location_the_sdk_names(dist, tmp_path, standins, releases, ts_project):
    """Without `pulumi plugin install`: the engine reads the npm package's `pulumi` block
    and downloads the plugin from its `server` (dist/ on 127.0.0.1 stands in for it)."""
    env = user_env(tmp_path, debug_providers=f"aws:{standins.ports['aws']}")
    del env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"]
    env["PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"] = releases.override
    before = len(releases.requests)
    plan, printed = preview(ts_project, "downloaded", env)
    assert_previews_the_site(plan, printed)
    assert f"/{dist.plugin.name}" in releases.requests[before:]
    assert [p["version"] for p in installed(env, ts_project)] == [dist.version]


# --- `pulumi package add` ---------------------------------------------------------


def new_project_without_launchpad(root: Path, language: str, env: dict[str, str]) -> Path:
    """A new project that depends on the Pulumi SDK only, with a StaticSite program."""
    project = root / f"added-{language}"
    project.mkdir()
    write_site(project)
    if language == "ts":
        (project / "Pulumi.yaml").write_text(
            "name: added-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n")
        (project / "package.json").write_text(json.dumps({
            "name": "added-ts", "private": True, "main": "index.ts",
            "dependencies": {"@pulumi/pulumi": VERSIONS["PULUMI_NODEJS_SDK_VERSION"]},
            "devDependencies": {"typescript": VERSIONS["TYPESCRIPT_VERSION"],
                                "@types/node": VERSIONS["TYPES_NODE_VERSION"]},
        }, indent=2))
        (project / "index.ts").write_text(
            'import * as launchpad from "pulumi-launchpad";\n\n'
            'const site = new launchpad.StaticSite("site", { path: "./site" });\n'
            "export const url = site.url;\n")
    else:
        (project / "Pulumi.yaml").write_text(
            "name: added-py\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n")
        (project / "requirements.txt").write_text(f"pulumi=={VERSIONS['PULUMI_PYTHON_SDK_VERSION']}\n")
        (project / "__main__.py").write_text(
            "import pulumi\nimport pulumi_launchpad as launchpad\n\n"
            'site = launchpad.StaticSite("site", path="./site")\n'
            'pulumi.export("url", site.url)\n')
        run(["python3", "-m", "venv", "venv"], project, env)
        run([project / "venv" / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", "requirements.txt"], project, env)
    return project


@pytest.mark.parametrize("language", ["ts", "py"])
def test_package_add_generates_links_and_records_the_sdk_and_the_program_previews(dist, tmp_path, standins, language):
    """`pulumi package add launchpad@<version>` in a new project, with the plugin installed
    from the tarball: the SDK is generated into sdks/, linked into the program by our
    language host's Link (package.json / requirements.txt, then installed), the package is
    recorded in Pulumi.yaml, and the program previews with it."""
    env = user_env(tmp_path, debug_providers=f"aws:{standins.ports['aws']}")
    project = new_project_without_launchpad(tmp_path, language, env)
    install_plugin(dist, project, env)
    added = pulumi(["package", "add", f"launchpad@{dist.version}"], project, env)
    printed = added.stdout + added.stderr

    sdk = project / "sdks" / "launchpad"
    assert (sdk / ("package.json" if language == "ts" else "pyproject.toml")).is_file(), printed
    assert f"launchpad: launchpad@{dist.version}" in (project / "Pulumi.yaml").read_text()
    if language == "ts":
        assert "import * as launchpad from \"pulumi-launchpad\";" in printed, printed
        deps = json.loads((project / "package.json").read_text())["dependencies"]
        assert deps["pulumi-launchpad"] == "file:sdks/launchpad"
        # Installed, and compiled by the SDK's postinstall against the program's @pulumi/pulumi.
        installed_pkg = project / "node_modules" / "pulumi-launchpad"
        assert (installed_pkg / "bin" / "index.js").is_file(), printed
    else:
        assert "import pulumi_launchpad as pulumi_launchpad" in printed, printed
        assert "sdks/launchpad" in (project / "requirements.txt").read_text().splitlines()
        location = run([project / "venv" / "bin" / "python", "-c",
                        "import pulumi_launchpad; print(pulumi_launchpad.__file__)"], project, env).stdout
        assert str(project / "venv") in location, location

    plan, printed = preview(project, "added", env)
    assert_previews_the_site(plan, printed)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
