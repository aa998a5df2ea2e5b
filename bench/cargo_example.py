"""A benchmark's Rust driver: a cargo example of this workspace, run from the release build
(built first unless --no-build) or, with --debug, as `make build` left it in target/debug (the
smoke run of `make test`, which compiles nothing twice). Shared by bench/site-sync and
bench/construct-cost."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_options(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing target/release driver instead of running cargo build")
    ap.add_argument("--debug", action="store_true",
                    help="use target/debug's driver as `make build` left it (no build); for the smoke run "
                    "of `make test`: its times are not launchpad's")


def driver(args: argparse.Namespace, package: str, example: str) -> Path:
    """The example's binary for ARGS (add_options), built when the release one is asked for."""
    path = ROOT / "target" / ("debug" if args.debug else "release") / "examples" / example
    if not args.debug and not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-p", package, "--example", example], cwd=ROOT, check=True)
    if not os.access(path, os.X_OK):
        raise SystemExit(f"{path} is missing; " + ("run `make build`" if args.debug else "run without --no-build"))
    return path
