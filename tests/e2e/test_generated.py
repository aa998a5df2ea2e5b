"""The committed schema and SDKs are what the code generates, and the SDKs work."""

from __future__ import annotations

import filecmp
import subprocess
from pathlib import Path

import harness

ROOT = harness.ROOT
# Build outputs that live beside the generated sources and are git-ignored.
IGNORED = {"bin", "node_modules", "__pycache__", "build", "dist"}


def tree(path: Path) -> dict[str, Path]:
    return {
        str(p.relative_to(path)): p
        for p in path.rglob("*")
        if p.is_file()
        and not IGNORED.intersection(p.relative_to(path).parts)
        and not p.name.endswith(".egg-info")
        and not any(part.endswith(".egg-info") for part in p.relative_to(path).parts)
    }


def test_committed_schema_is_what_the_plugin_prints():
    printed = subprocess.run(
        [str(harness.PLUGIN_DIR / "pulumi-resource-launchpad"), "--schema"],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout
    assert printed == (ROOT / "schema.json").read_text(), "schema.json is stale: run `make sdk`"


def test_committed_sdks_are_what_gen_sdk_produces(tmp_path):
    env = harness.pulumi_env(tmp_path / "state", "")
    for language in ("nodejs", "python", "go"):
        subprocess.run(
            ["pulumi", "package", "gen-sdk", str(ROOT / "schema.json"), "--language", language, "--out", str(tmp_path / "sdk")],
            check=True, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        fresh, committed = tree(tmp_path / "sdk" / language), tree(ROOT / "sdk" / language)
        assert sorted(fresh) == sorted(committed), f"sdk/{language} is stale: run `make sdk`"
        stale = [name for name in fresh if not filecmp.cmp(fresh[name], committed[name], shallow=False)]
        assert stale == [], f"sdk/{language} is stale ({stale}): run `make sdk`"


def test_python_sdk_installs_and_carries_the_schema_version():
    python = ROOT / "examples" / "static-site-py" / ".venv" / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c",
         "import importlib.metadata as m, inspect, pulumi_launchpad as l;"
         "print(m.version('pulumi_launchpad'));"
         "print(sorted(inspect.signature(l.StaticSiteArgs.__init__).parameters))"],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout.splitlines()
    assert out[0] == "0.1.0"
    for arg in ("path", "spa", "price_class", "index_document", "tags"):
        assert arg in out[1]


def test_typescript_sdk_compiles_and_types_the_example():
    example = ROOT / "examples" / "static-site-ts"
    package = (ROOT / "sdk" / "nodejs" / "bin" / "package.json").read_text()
    assert '"version": "0.1.0"' in package
    subprocess.run(
        [str(example / "node_modules" / ".bin" / "tsc"), "--noEmit", "-p", str(example)],
        check=True,
    )
