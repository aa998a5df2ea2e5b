"""versitygw, a real S3 server, on 127.0.0.1 over a POSIX folder: for the site-sync benchmark
(bench/site-sync/run.py) and the site-sync fault suite (tests/e2e/test_site_sync_faults_versitygw.py).

versitygw (`github.com/versity/versitygw`, a Go S3 gateway) is built from its Go module by
tools/s3peers/build.sh into target/bench-tools/ (`make s3peers`, or `tools/s3peers/build.sh
versitygw` for it alone: minutes when cold). Each bucket is a folder of `folder`, each object a
file under its key, so what a server holds can be read back without asking it (`objects`); its
own folder `.sgwtmp/` in each bucket holds uploads in progress and is not an object.

    gw = Versitygw(binary(), tmp / "s3")        # started; gw.url, fake credentials below
    ...
    gw.kill()                                   # SIGKILL, as an out-of-memory kill or a crash
    gw.start()                                  # again, on the same folder and port
    gw.stop()

Python 3.11 standard library only.
"""

from __future__ import annotations

import hashlib
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Fake credentials for a server on 127.0.0.1 that only this run uses: those harness.aws_env
# gives every AWS client, so a Pulumi run's environment needs nothing more.
ACCESS_KEY, SECRET_KEY, REGION = "testing", "testing", "us-east-1"
# Its own folder in each bucket, for uploads in progress: not an object.
TMP_FOLDER = ".sgwtmp/"
BUILD = "tools/s3peers/build.sh versitygw"


def built() -> Path | None:
    """The versitygw binary tools/s3peers/build.sh made for tools/versions.env's version, if it did
    (its stamp is written last: a build that stopped half-way does not count)."""
    version = next((line.split("=", 1)[1].strip() for line in (ROOT / "tools" / "versions.env").read_text().splitlines()
                    if line.startswith("VERSITYGW_VERSION=")), "")
    folder = ROOT / "target" / "bench-tools" / f"versitygw-{version}"
    binary = folder / "versitygw"
    return binary if (folder / ".stamp").is_file() and binary.is_file() else None


def build(*tools: str) -> dict[str, Path]:
    """tools/s3peers/build.sh TOOLS... (all of them when none): each built once per version;
    their paths by key (VERSITYGW, S3_INGEST, RCLONE)."""
    out = subprocess.run([str(ROOT / "tools" / "s3peers" / "build.sh"), *tools], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return {k: Path(v) for k, v in (line.split("=", 1) for line in out.splitlines() if "=" in line)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under ROOT: relative key -> (size, SHA-256)."""
    out = {}
    for path in root.rglob("*"):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = (path.stat().st_size,
                                                     hashlib.sha256(path.read_bytes()).hexdigest())
    return out


class Versitygw:
    """versitygw over FOLDER/buckets on 127.0.0.1 (`url`), with an access log (FOLDER/access.log,
    one line per request) and its messages in FOLDER/versitygw.out; started at once."""

    def __init__(self, binary: Path, folder: Path) -> None:
        self.binary = binary
        self.folder = folder / "buckets"
        self.log = folder / "access.log"
        # Its messages go to a file: a pipe nobody reads could fill and stall the server.
        self.output = folder / "versitygw.out"
        self.folder.mkdir(parents=True)
        self.url = f"http://127.0.0.1:{free_port()}"
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        """Start it on its folder and port (again, after `kill`); return once it answers."""
        # --keep-alive: HTTP/1.1 connections persist, as S3's do and as every SDK expects
        # (RFC 9112 section 9.3; https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/
        # node-reusing-connections.html). versitygw's default answers `Connection: close` to every
        # request, so each of a sync's 10,000 PUTs paid a TCP connect and close on both sides: a
        # cost of this server, not of S3 or of the client, which made it the bottleneck.
        with self.output.open("ab") as output:
            self.proc = subprocess.Popen(
                [str(self.binary), "--access", ACCESS_KEY, "--secret", SECRET_KEY, "--region", REGION,
                 "--port", self.url.removeprefix("http://"), "--keep-alive", "--quiet",
                 "--access-log", str(self.log), "posix", str(self.folder)],
                stdout=subprocess.DEVNULL, stderr=output)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url, timeout=1).close()
                return
            except urllib.error.HTTPError:
                return  # it answers (403 to an unsigned request): up
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"versitygw did not start on {self.url}:\n{self.output.read_text()[-2000:]}")
                time.sleep(0.05)

    def requests(self) -> int:
        """Requests it has logged so far (its own "log starts <time>" lines are not requests)."""
        with open(self.log, "rb") as f:
            return sum(1 for line in f if not line.startswith(b"log starts"))

    def objects(self, bucket: str) -> dict[str, tuple[int, str]]:
        """What BUCKET holds, read from its folder: key -> (size, SHA-256)."""
        return {k: v for k, v in tree(self.folder / bucket).items() if not k.startswith(TMP_FOLDER)}

    def kill(self) -> None:
        """SIGKILL: no request in flight is finished, nothing is cleaned up."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
