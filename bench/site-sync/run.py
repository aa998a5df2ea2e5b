#!/usr/bin/env python3
"""Site sync benchmark: launchpad's SiteContent vs `aws s3 sync`, one emulator.

`make bench` runs this (after the other benchmarks). It builds the `site_sync`
driver in release mode (provider/site-sync/examples/site_sync.rs: Check, then
Create or Update of `launchpad:index:SiteContent`, exactly as the provider runs
them), generates a site of N files (default 10,000, mixed sizes, about 100 MB,
the same bytes every run), starts moto's S3 behind the counting proxy of
tests/moto/emulator.py on 127.0.0.1, and syncs the folder to two buckets:

* launchpad: `site_sync DIR BUCKET STATE` (first sync, then a resync of the
  unchanged folder, then one after one changed file);
* awscli: `aws s3 sync DIR s3://BUCKET` (the same three), from the e2e venv.

Both talk to the same emulator through the same proxy, one after the other. It
prints wall time, the CPU time each peer itself used, the requests that reached
the emulator, and the ratios awscli / launchpad (higher = better for us). The
emulator is one Python process: on a first sync it, not the peers, sets the
pace, so the CPU column shows what each peer costs. No thresholds: it exits 0 unless a
peer fails; the no-change resync is judged against its goal (<= 0.2 s at 10,000
files). launchpad's hash cache lives in a fresh LAUNCHPAD_CACHE_DIR per run:
cold for the first sync, warm for the resyncs, as on a developer's machine.
`--noop-files 100000` also times launchpad's no-op at that size (goal < 2 s):
a first sync of its own to get there, so only when asked. The last line is
bench/results.py's result line (its `files`, `bytes`, `results` and `noop` keys
as before). Needs `make moto` (the venv with moto and awscli).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV = ROOT / "target" / "e2e" / "venv" / "bin"
RELEASE_DRIVER = ROOT / "target" / "release" / "examples" / "site_sync"
# What `make build` leaves: the smoke run of `make test` (--debug) uses it rather than compile twice.
DEBUG_DRIVER = ROOT / "target" / "debug" / "examples" / "site_sync"
sys.path.insert(0, str(ROOT / "tests" / "moto"))
sys.path.insert(0, str(HERE.parent))
import results  # noqa: E402  (bench/results.py: the result line every benchmark prints last)

PHASES = ("first sync", "no-change resync", "one file changed")
# Per phase: wall and CPU seconds, and the requests that reached the server (the fewer the better).
METRICS = [results.Metric(f"{phase} {what}", f"{phase}: {label}", unit)
           for phase in PHASES
           for what, label, unit in (("wall", "wall", "s"), ("cpu", "CPU", "s"), ("requests", "requests", "requests"))]


def generate(root: Path, files: int, seed: int = 7) -> int:
    """A site of FILES files: mostly small pages and chunks, some images, a
    few large media files (about 10 KB each on average: 10,000 files are about
    100 MB). Returns the bytes."""
    rng = random.Random(seed)
    total = 0
    for i in range(files):
        roll = rng.random()
        if roll < 0.70:
            size, name = rng.randint(500, 6_000), f"pages/s{i % 50}/page{i}.html"
        elif roll < 0.98:
            size, name = rng.randint(2_000, 25_000), f"assets/chunk-{i}.{rng.getrandbits(32):08x}.js"
        elif roll < 0.9997:
            size, name = rng.randint(20_000, 180_000), f"img/photo{i}.jpg"
        else:
            size, name = rng.randint(5_000_000, 15_000_000), f"media/video{i}.mp4"
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
        total += size
    return total


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time, and the CPU time (user + system) the peer itself used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def noop_resync(driver: Path, env: dict[str, str], s3, tmp: Path, files: int) -> dict[str, float]:
    """launchpad alone on a FILES-file site: a first sync (with a cold hash
    cache), then the timed no-change resync (warm)."""
    site, state, bucket = tmp / "dist", tmp / "state.json", "bench-launchpad-noop"
    generate(site, files)
    s3.create_bucket(Bucket=bucket)
    cmd = [str(driver), str(site), bucket, str(state)]
    timed(cmd, env)
    seconds, cpu = timed(cmd, env)
    return {"files": files, "seconds": seconds, "cpu": cpu}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing target/release driver instead of running cargo build")
    ap.add_argument("--noop-files", type=int, default=0, metavar="N",
                    help="also time launchpad's no-change resync of an N-file site (goal < 2 s at 100,000)")
    ap.add_argument("--debug", action="store_true",
                    help="use target/debug's driver as `make build` left it (no build); for the smoke run "
                    "of `make test`: its times are not launchpad's")
    args = ap.parse_args()
    load_start = results.load_average()
    if args.files < 1:
        ap.error("--files must be at least 1")
    if not (VENV / "aws").exists():
        raise SystemExit("the venv with moto and awscli is missing: run `make moto`")
    driver = DEBUG_DRIVER if args.debug else RELEASE_DRIVER
    if not args.debug and not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-p", "launchpad-site-sync", "--example", "site_sync"],
                       cwd=ROOT, check=True)
    if not os.access(driver, os.X_OK):
        raise SystemExit(f"{driver} is missing; " + ("run `make build`" if args.debug else "run without --no-build"))
    import emulator  # tests/moto: moto + the counting proxy

    with tempfile.TemporaryDirectory(prefix="site-sync-") as tmp, emulator.Moto() as moto:
        site = Path(tmp) / "dist"
        total = generate(site, args.files)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({
            "AWS_ENDPOINT_URL": moto.url, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            # launchpad's hash cache: empty (cold) for the first sync, then warm.
            "LAUNCHPAD_CACHE_DIR": str(Path(tmp) / "launchpad-cache"),
        })
        s3 = moto.client("s3", direct=True)
        for bucket in ("bench-launchpad", "bench-awscli"):
            s3.create_bucket(Bucket=bucket)
        state = Path(tmp) / "state.json"
        peers = {
            "launchpad": [str(driver), str(site), "bench-launchpad", str(state)],
            "awscli": [str(VENV / "aws"), "s3", "sync", str(site), "s3://bench-awscli", "--only-show-errors"],
        }
        measured: dict[str, dict[str, tuple[float, float, int]]] = {p: {} for p in peers}
        pages = sorted(site.glob("pages/*/*.html"))
        if not pages:
            raise SystemExit(f"the generated site of {args.files} files has no page to change; give more --files")
        changed = pages[0]
        for phase in PHASES:
            if phase == "one file changed":
                changed.write_bytes(changed.read_bytes() + b"<!-- edited -->")
            for peer, cmd in peers.items():
                moto.reset_requests()
                seconds, cpu = timed(cmd, env)
                measured[peer][phase] = (seconds, cpu, len(moto.requests()))
            if phase == "first sync":
                # A peer that exits 0 without uploading everything would make the ratios meaningless.
                for bucket in ("bench-launchpad", "bench-awscli"):
                    held = sum(page.get("KeyCount", 0)
                               for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket))
                    if held != args.files:
                        raise SystemExit(f"after the first sync {bucket} holds {held} objects, not {args.files}")
        noop = None
        if args.noop_files:
            noop = noop_resync(driver, env, s3, Path(tmp) / "noop", args.noop_files)

    print(f"site-sync: {args.files} files, {total / 1e6:.1f} MB, moto S3 on 127.0.0.1 behind a counting proxy;"
          f" load average {os.getloadavg()[0]:.1f}; driver {driver.relative_to(ROOT)}")
    print(f"{'':18}{'launchpad':>28}{'aws s3 sync':>28}{'awscli/launchpad':>20}")
    print(f"{'':18}{'wall':>9}{'cpu':>9}{'req':>10}{'wall':>9}{'cpu':>9}{'req':>10}{'wall':>10}{'cpu':>10}")
    for phase in PHASES:
        (lw, lc, lr), (aw, ac, ar) = measured["launchpad"][phase], measured["awscli"][phase]
        print(f"{phase:18}{lw:>8.2f}s{lc:>8.2f}s{lr:>10}{aw:>8.2f}s{ac:>8.2f}s{ar:>10}"
              f"{aw / lw:>9.1f}x{ac / max(lc, 0.001):>9.1f}x")
    peers = {peer: {f"{phase} {what}": figure for phase, figures in phases.items()
                    for what, figure in zip(("wall", "cpu", "requests"), figures)}
             for peer, phases in measured.items()}
    results.emit("site-sync", f"Site sync: {args.files:,} files, {total / 1e6:.1f} MB, to S3", debug=args.debug,
                 load_start=load_start, params={"files": args.files, "server": "moto behind a counting proxy"},
                 metrics=METRICS, peers=peers, variant="" if args.files == 10_000 else f"-{args.files}",
                 files=args.files, bytes=total, results=measured, noop=noop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
