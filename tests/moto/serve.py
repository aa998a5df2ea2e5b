"""An S3 + CloudFront emulator (moto's server) on 127.0.0.1, for tests in any language.

Contract (what a Rust, Go or shell caller may rely on):

    python3 tests/moto/serve.py [--port N] [--verbose]

- Binds 127.0.0.1 on a free port (or N), then prints the port and a newline as the
  FIRST line of stdout and flushes; nothing else is ever written to stdout.
- Serves until its stdin reaches end of file (the caller closed the pipe, or died),
  or it gets SIGTERM/SIGINT; then exits 0. When stdin is not a pipe, a socket or a
  terminal (e.g. /dev/null, as for a background job), stdin is not watched: it
  serves until killed.
- Endpoint: http://127.0.0.1:<port>. Any access key and secret are accepted; region
  us-east-1; S3 is path-style (http://127.0.0.1:<port>/<bucket>/<key>). moto picks
  the service from the SigV4 credential scope, so a CloudFront request must be
  signed (any credentials) or it is taken for S3. Unsigned S3 requests work.
  `POST /moto-api/reset` empties every service.
- Logs (stderr only): one line at start; request lines with --verbose.
- Needs moto[server] (tests/moto/requirements.txt). Run by a Python without it, the
  script re-executes itself with target/e2e/venv/bin/python (created by
  `make moto`); when that does not exist either it exits 2 with a message.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import stat
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_PYTHON = ROOT / "target" / "e2e" / "venv" / "bin" / "python"


def ensure_moto() -> None:
    """Re-exec with the project's venv when this interpreter has no moto."""
    try:
        importlib.import_module("moto.server")
    except ImportError:
        if VENV_PYTHON.exists() and Path(sys.executable).resolve() != VENV_PYTHON.resolve():
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])
        print(
            f"serve.py: moto is not installed for {sys.executable} and {VENV_PYTHON} does not exist; "
            "run `make moto` (installs tests/moto/requirements.txt into target/e2e/venv)",
            file=sys.stderr,
        )
        sys.exit(2)


def stdin_is_watchable() -> bool:
    try:
        mode = os.fstat(0).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(0)


def main() -> int:
    parser = argparse.ArgumentParser(description="moto server on 127.0.0.1; prints its port")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = parser.parse_args()

    ensure_moto()
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.ERROR)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    print(f"serve.py: moto on http://127.0.0.1:{port} (pid {os.getpid()})", file=sys.stderr, flush=True)

    if stdin_is_watchable():

        def watch_stdin() -> None:
            try:
                while os.read(0, 65536):
                    pass
            except OSError:
                pass
            stop.set()

        threading.Thread(target=watch_stdin, daemon=True).start()

    while not stop.wait(1.0):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
