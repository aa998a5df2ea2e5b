#!/usr/bin/env python3
"""`make dist`: the release artifacts a user installs, in dist/ (git-ignored).

    dist/pulumi-resource-launchpad-v<version>-<os>-<arch>.tar.gz   the plugin, for
        `pulumi plugin install resource launchpad <version> --file ...`: the stripped
        release executable at the archive root, README.md and LICENSE beside it
    dist/pulumi-resource-launchpad-v<version>-<os>-<arch>.tar.gz.sha256   `sha256sum` format
    dist/pulumi-launchpad-<version>.tgz                 `npm pack` of the compiled TypeScript SDK
    dist/pulumi_launchpad-<version>-py3-none-any.whl    the Python SDK, built by the standard
    dist/pulumi_launchpad-<version>.tar.gz              `build` frontend (wheel from the sdist)

The version is the plugin's own (`--version`, i.e. the workspace Cargo.toml's), and
every generated file must agree with it: a stale SDK fails here, not at a user's.
The plugin is built for this machine only (os and arch from the host).

    python3 tools/dist.py --python target/dist/venv/bin/python

PYTHON is an interpreter with `build` and `setuptools` at the versions pinned in
tools/versions.env (`make dist` sets it up); the build runs without isolation, so it
uses exactly those and needs no download. `make dist` first runs `make sdk-build`,
which compiles sdk/nodejs into sdk/nodejs/bin. The plugin tarball is reproducible
(fixed owner, modes and order; the commit time, or SOURCE_DATE_EPOCH, as mtime), and
so are the npm package and the wheel; setuptools' sdist is not, byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
STAGE = ROOT / "target" / "dist" / "stage"
PLUGIN = "pulumi-resource-launchpad"
NPM_SDK = ROOT / "sdk" / "nodejs"
PY_SDK = ROOT / "sdk" / "python"
# Build outputs that may sit beside the generated Python sources: never shipped.
PY_IGNORE = shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", "*.pyc")


class DistError(Exception):
    pass


def run(cmd: list, show: bool = False, env: dict[str, str] | None = None) -> str:
    """Run CMD in the checkout (with ENV added); its stdout. Its stderr is shown when
    SHOW, else only when it fails."""
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=ROOT, text=True, env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE, stderr=None if show else subprocess.PIPE,
    )
    if proc.returncode != 0:
        raise DistError(f"`{' '.join(map(str, cmd))}` failed ({proc.returncode}):\n{proc.stdout}{proc.stderr or ''}")
    return proc.stdout


def host_platform() -> str:
    """`<os>-<arch>` in the engine's names (linux/darwin/windows, amd64/arm64)."""
    os_name = platform.system().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine().lower())
    if os_name not in ("linux", "darwin") or arch is None:
        raise DistError(f"no plugin archive name for {platform.system()} {platform.machine()}")
    return f"{os_name}-{arch}"


def source_date_epoch() -> int:
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    proc = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return int(proc.stdout.strip()) if proc.returncode == 0 and proc.stdout.strip() else 0


def pyproject_version(text: str) -> str | None:
    table = ""
    for line in (line.strip() for line in text.splitlines()):
        if line.startswith("["):
            table = line
        elif table == "[project]" and (m := re.fullmatch(r'version\s*=\s*"([^"]+)"', line)):
            return m.group(1)
    return None


def check_versions(version: str) -> None:
    """Every generated file carries the plugin's version (one version, set once)."""
    found = {
        "schema.json": json.loads((ROOT / "schema.json").read_text()).get("version"),
        "sdk/nodejs/package.json": json.loads((NPM_SDK / "package.json").read_text()).get("version"),
        "sdk/python/pyproject.toml": pyproject_version((PY_SDK / "pyproject.toml").read_text()),
        "sdk/python/pulumi_launchpad/pulumi-plugin.json":
            json.loads((PY_SDK / "pulumi_launchpad" / "pulumi-plugin.json").read_text()).get("version"),
    }
    stale = {name: v for name, v in found.items() if v != version}
    if stale:
        raise DistError(f"the plugin is version {version} but {stale}: run `make sdk`")
    compiled = NPM_SDK / "bin" / "package.json"
    if not compiled.exists() or compiled.read_text() != (NPM_SDK / "package.json").read_text():
        raise DistError("sdk/nodejs/bin is not compiled from the current sdk/nodejs: run `make sdk-build`")


def reproducible_tgz(out: Path, members: list[tuple[str, Path, int]], mtime: int) -> None:
    """Write OUT as a gzipped tar of (name, source, mode), owned by root, in this order."""
    with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, source, mode in members:
                info = tarfile.TarInfo(name)
                info.size = source.stat().st_size
                info.mode = mode
                info.mtime = mtime
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                with open(source, "rb") as f:
                    tar.addfile(info, f)


def plugin_archive(version: str, binary: Path, mtime: int) -> Path:
    """The plugin tarball (stripped executable at the root, README.md, LICENSE) and its .sha256."""
    if shutil.which("strip") is None:
        raise DistError("`strip` (binutils) is needed to strip the release binary")
    staged = STAGE / "plugin" / PLUGIN
    staged.parent.mkdir(parents=True)
    shutil.copy2(binary, staged)
    run(["strip", staged])
    name = f"{PLUGIN}-v{version}-{host_platform()}.tar.gz"
    archive = DIST / name
    reproducible_tgz(archive, [
        (PLUGIN, staged, 0o755),
        ("README.md", ROOT / "README.md", 0o644),
        ("LICENSE", ROOT / "LICENSE", 0o644),
    ], mtime)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    (DIST / f"{name}.sha256").write_text(f"{digest}  {name}\n")
    return archive


def npm_package(version: str) -> Path:
    """`npm pack` of the compiled SDK (with LICENSE); checks it has the JS, the typings
    and the `pulumi` block that lets the engine find the plugin."""
    staged = STAGE / "npm"
    shutil.copytree(NPM_SDK / "bin", staged)
    shutil.copy2(ROOT / "LICENSE", staged / "LICENSE")
    out = json.loads(run(["npm", "pack", "--json", "--ignore-scripts", "--pack-destination", DIST, staged]))
    tgz = DIST / out[0]["filename"]
    with tarfile.open(tgz) as tar:
        names = set(tar.getnames())
        package = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
    sources = [p.relative_to(NPM_SDK) for p in NPM_SDK.rglob("*.ts")]
    expected = {"package/LICENSE", "package/README.md"} | {
        f"package/{ts.with_suffix(ext)}"
        for ts in sources if not {"node_modules", "bin"} & set(ts.parts)
        for ext in (".js", ".d.ts")
    }
    if missing := sorted(expected - names):
        raise DistError(f"{tgz.name} lacks {missing}")
    plugin = package.get("pulumi", {})
    if package.get("version") != version or plugin.get("version") != version or not plugin.get("server"):
        raise DistError(f"{tgz.name}: package.json has version {package.get('version')} and pulumi {plugin}")
    return tgz


def python_packages(python: str, version: str, mtime: int) -> list[Path]:
    """An sdist and a wheel (built from that sdist) with the `build` frontend; checks the
    wheel carries pulumi-plugin.json."""
    staged = STAGE / "python"
    shutil.copytree(PY_SDK, staged, ignore=PY_IGNORE)
    # pyproject.toml's `readme = "README.md"`: the generated package README.
    shutil.copy2(PY_SDK / "pulumi_launchpad" / "README.md", staged / "README.md")
    shutil.copy2(ROOT / "LICENSE", staged / "LICENSE")
    before = set(DIST.iterdir())
    run([python, "-m", "build", "--no-isolation", "--outdir", DIST, staged],
        env={"SOURCE_DATE_EPOCH": str(mtime)})
    built = sorted(set(DIST.iterdir()) - before)
    wheels = [p for p in built if p.suffix == ".whl"]
    if len(wheels) != 1 or len(built) != 2:
        raise DistError(f"expected one wheel and one sdist, got {[p.name for p in built]}")
    with zipfile.ZipFile(wheels[0]) as whl:
        plugin = json.loads(whl.read("pulumi_launchpad/pulumi-plugin.json"))
    if plugin.get("version") != version or not plugin.get("server"):
        raise DistError(f"{wheels[0].name}: pulumi-plugin.json is {plugin}")
    return built


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="an interpreter with `build` and `setuptools`")
    args = parser.parse_args(argv)
    try:
        for shipped in ("README.md", "LICENSE"):
            if not (ROOT / shipped).is_file():
                raise DistError(f"{shipped} is missing at the top of the checkout: the release artifacts ship it")
        run(["cargo", "build", "--release", "--locked", "-p", PLUGIN], show=True)
        binary = ROOT / "target" / "release" / PLUGIN
        version = run([binary, "--version"]).strip()
        check_versions(version)
        shutil.rmtree(DIST, ignore_errors=True)
        shutil.rmtree(STAGE, ignore_errors=True)
        DIST.mkdir()
        STAGE.mkdir(parents=True)
        mtime = source_date_epoch()
        artifacts = [plugin_archive(version, binary, mtime)]
        artifacts.append(artifacts[0].with_name(artifacts[0].name + ".sha256"))
        artifacts.append(npm_package(version))
        artifacts.extend(python_packages(args.python, version, mtime))
    except DistError as e:
        print(f"dist: {e}", file=sys.stderr)
        return 1
    for path in artifacts:
        print(f"dist/{path.name}  ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
