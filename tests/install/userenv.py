"""A new user's environment for the install tests: what `make dist` built, an empty
Pulumi home with nothing from the checkout on PATH but the pinned CLI, and the
release artifacts served over HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "e2e"))

import harness  # noqa: E402

ROOT = harness.ROOT
DIST = ROOT / "dist"
PLUGIN = "pulumi-resource-launchpad"
# The schema's pluginDownloadURL: the release location the SDKs name
# (github://api.github.com/launchpad-dev/launchpad).
RELEASES = json.loads((ROOT / "schema.json").read_text())["pluginDownloadURL"]


@dataclass
class Dist:
    version: str
    plugin: Path  # the plugin tarball for this machine
    sha256: str
    npm: Path
    wheel: Path


def find_dist() -> Dist:
    """The artifacts of `make dist`, named from the one version."""
    version = json.loads((ROOT / "schema.json").read_text())["version"]
    plugin = DIST / f"{PLUGIN}-v{version}-linux-amd64.tar.gz"
    paths = [plugin, plugin.with_name(plugin.name + ".sha256"),
             DIST / f"pulumi-launchpad-{version}.tgz", DIST / f"pulumi_launchpad-{version}-py3-none-any.whl"]
    missing = [p.name for p in paths if not p.exists()]
    assert not missing, f"dist/ lacks {missing}: run `make dist`"
    digest, name = paths[1].read_text().split()
    assert name == plugin.name
    return Dist(version, plugin, digest, paths[2], paths[3])


def user_path() -> str:
    """PATH with nothing from the checkout but tools/bin (the pinned CLI and language
    hosts): no target/debug or target/release, so no ambient launchpad plugin."""
    keep = [str(harness.TOOLS_BIN)]
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry and not Path(entry).resolve().is_relative_to(ROOT):
            keep.append(entry)
    return os.pathsep.join(keep)


def user_env(tmp: Path, debug_providers: str = "") -> dict[str, str]:
    """A new user's offline Pulumi environment: an EMPTY Pulumi home in TMP, a local
    backend, ambient plugins ignored, fake AWS credentials aimed at a closed port (a
    preview must not touch AWS)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AWS_"))}
    (tmp / "backend").mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "PATH": user_path(),
            "PULUMI_HOME": str(tmp / "home"),
            "PULUMI_BACKEND_URL": (tmp / "backend").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": "",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_SKIP_CONFIRMATIONS": "true",
            "PULUMI_IGNORE_AMBIENT_PLUGINS": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        }
    )
    if debug_providers:
        env["PULUMI_DEBUG_PROVIDERS"] = debug_providers
    assert shutil.which(PLUGIN, path=env["PATH"]) is None, "a launchpad plugin is on the user's PATH"
    return harness.with_aws_env(env, "http://127.0.0.1:9")


class Releases:
    """dist/ served over HTTP on 127.0.0.1, standing in for the release location;
    `requests` lists the paths asked for."""

    def __init__(self, directory: Path):
        self.requests: list[str] = []
        releases = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                releases.requests.append(self.path)
                super().do_GET()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(directory))
        )
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Releases":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def override(self) -> str:
        """PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES sending the schema's release location here."""
        return f"^{RELEASES}={self.url}"
