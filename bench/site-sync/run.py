#!/usr/bin/env python3
"""Site sync benchmark: launchpad's SiteContent vs `aws s3 sync` and rclone, on a real S3 server.

`make bench` runs this (after the other benchmarks). It builds the `site_sync` driver in
release mode (provider/site-sync/examples/site_sync.rs: Check, then Create or Update of
`launchpad:index:SiteContent`, exactly as the provider runs them), generates a site (the same
bytes every run, in target/site-sync-*/, deleted afterwards) and syncs it, one peer after the
other, each to its own bucket of one server on 127.0.0.1:

* launchpad: `site_sync DIR BUCKET STATE`;
* awscli: `aws s3 sync DIR s3://BUCKET`, from the e2e venv;
* rclone: `rclone sync DIR bench:BUCKET --transfers 32 --checkers 32` (our parallelism), its
  remote set by RCLONE_CONFIG_BENCH_* variables, no config file read or written;

three phases each: first sync, no-change resync, one changed file. Beside the first sync,
`ingest` writes the same files with a trivial parallel PUT loop (tools/s3peers: s3-ingest, 32
goroutines, one PutObject per file and nothing else): the server's own limit, beside which
a first sync is read. Each phase runs `--runs` rounds (default 3), the order of the peers
rotated each round so that what the machine does meanwhile (the server still writing back the
last peer's files, say) falls on each in turn; the table shows each figure's median. Every
round of the first sync starts from an empty bucket (launchpad: no state, a cold hash cache);
every round of the change edits the same page once more.

The server (`--server`):
* versitygw (default), a Go S3 gateway over a POSIX folder (in memory when there is room:
  `server_folder`), built by tools/s3peers/build.sh:
  a real server, keeping connections alive as S3 does (on two cores it shares the machine
  with the peer: see its CPU column). Requests are counted from its access log (one
  line per request), not by a proxy in the path: a Python proxy would set the pace itself.
  After the first sync and after the change, every peer's bucket folder must hold exactly the
  site's files, byte for byte, or the run fails. CloudFront is not involved (the driver gets
  no distributionId); moto keeps that side and fault injection in tests/.
* moto, behind the counting proxy of tests/moto/emulator.py: one Python process that sets the
  pace of a first sync itself, so only the CPU column says what a peer costs. Buckets are
  compared by key and size.

Sizes: `--files N` (default 10,000, about 100 MB) or `--large` (1,000 files, about 1 GB).
launchpad's hash cache lives in a fresh LAUNCHPAD_CACHE_DIR per run: cold for the first
sync, warm for the resyncs, as on a developer's machine. `--noop-files 100000` also times
launchpad's no-op at that size (goal < 2 s): a first sync of its own to get there, so only
when asked.

It prints wall time, the CPU time each peer itself used, the CPU time the server used meanwhile
(versitygw only: on two cores a peer and the server share the machine, so what a peer costs the
server slows its own sync too) and the requests the server got, with the ratios peer / launchpad
(higher = better for us), the goals beside what this run measured, then bench/results.py's
result line, the last thing printed. No thresholds: it exits 0 unless
a peer fails or stores something else.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV = ROOT / "target" / "e2e" / "venv" / "bin"
sys.path.insert(0, str(ROOT / "tests" / "moto"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(HERE.parent))
import cargo_example  # noqa: E402  (bench/cargo_example.py: --debug / --no-build and the driver)
import results  # noqa: E402  (bench/results.py: the result line every benchmark prints last)
import versitygw  # noqa: E402  (tests/e2e/versitygw.py: the server, its build, its fake credentials)
from versitygw import ACCESS_KEY, REGION, SECRET_KEY, tree  # noqa: E402

# The server's own limit (first sync only), then the sync tools.
PEERS = ("ingest", "launchpad", "awscli", "rclone")
PHASES = ("first sync", "no-change resync", "one file changed")
FIGURES = ("wall", "cpu", "server cpu", "requests")
# The sync tools' parallelism: rclone is told ours.
TRANSFERS = 32
METRICS = [results.Metric(f"{phase} {what}", f"{phase}: {label}", unit)
           for phase in PHASES
           for what, label, unit in (("wall", "wall", "s"), ("cpu", "CPU", "s"), ("server cpu", "server CPU", "s"),
                                     ("requests", "requests", "requests"))]


def generate(root: Path, files: int, large: bool, seed: int = 7) -> int:
    """A site of FILES files, the same bytes every run. The default mix: mostly small pages
    and chunks, some images, a few large media files (about 10 KB each on average: 10,000
    files are about 100 MB). LARGE: 1 MB files (1,000 of them are 1 GB) with a few pages.
    Returns the bytes."""
    rng = random.Random(seed)
    total = 0
    for i in range(files):
        roll = rng.random()
        if large and roll >= 0.02:
            size, name = rng.randint(800_000, 1_200_000), f"media/clip{i}.bin"
        elif roll < 0.70:
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


def differences(want: dict[str, tuple], got: dict[str, tuple]) -> str:
    """What GOT lacks, has extra, or holds differently, in a few words; '' when equal."""
    missing, extra = sorted(want.keys() - got.keys()), sorted(got.keys() - want.keys())
    other = sorted(k for k in want.keys() & got.keys() if want[k] != got[k])
    parts = [f"{len(keys)} {what} (e.g. {keys[0]})" for what, keys in
             (("missing", missing), ("extra", extra), ("different", other)) if keys]
    return "; ".join(parts)


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time, and the CPU time (user + system) the peer itself used."""
    before = results.children_cpu_s()
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    cpu = results.children_cpu_s() - before
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, cpu


def noop_resync(driver: Path, env: dict[str, str], s3, work: Path, files: int, runs: int) -> dict[str, float]:
    """launchpad alone on a FILES-file site: a first sync (with a cold hash cache), then RUNS
    timed no-change resyncs (warm): their medians."""
    site, state, bucket = work / "dist", work / "state.json", "bench-launchpad-noop"
    generate(site, files, large=False)
    s3.create_bucket(Bucket=bucket)
    cmd = [str(driver), str(site), bucket, str(state)]
    timed(cmd, env)
    walls, cpus = zip(*(timed(cmd, env) for _ in range(runs)))
    return {"files": files, "seconds": statistics.median(walls), "cpu": statistics.median(cpus)}


def server_folder(work: Path, site_bytes: int) -> Path:
    """Where versitygw keeps its buckets: in memory (/dev/shm) when it has room for every peer's
    copy of the site twice over, else beside the site under WORK. On a disk, creating files is
    not free and not S3's cost: perf of versitygw on ext4 showed its CPU mostly in the kernel's
    inode allocation (find_get_block_common, recently_deleted), more so the more files the disk
    had deleted lately, so the server's CPU per PUT rose from day to day and set the pace on two
    cores. S3 is not that server."""
    shm = Path("/dev/shm")
    need = 2 * len(PEERS) * site_bytes
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > need:
        return Path(tempfile.mkdtemp(prefix="site-sync-server-", dir=shm))
    return work / "server"


class Server:
    """An S3 server on 127.0.0.1 (`url`) that counts the requests it got (`_count`, in total)."""

    url = ""
    _seen = 0

    def _count(self) -> int:
        raise NotImplementedError

    def cpu(self) -> float | None:
        """The CPU time (user + system) the server has used so far; None when it is not one
        process of its own."""
        return None

    def requests(self) -> int:
        """Requests since the last call. A request may be counted just after its client saw
        the answer (or exited), so wait until the count settles."""
        count = self._count()
        while True:
            time.sleep(0.05)
            again = self._count()
            if again == count:
                break
            count = again
        seen, self._seen = self._seen, count
        return count - seen


class Versitygw(Server):
    """versitygw over a POSIX folder on 127.0.0.1 (tests/e2e/versitygw.py), its access log
    counting the requests."""

    def __init__(self, binary: Path, folder: Path) -> None:
        self.server = versitygw.Versitygw(binary, folder)
        self.url = self.server.url

    def _count(self) -> int:
        return self.server.requests()

    def cpu(self) -> float | None:
        return results.process_cpu_s([self.server.proc.pid])

    def stored(self, bucket: str) -> dict[str, tuple[int, str]]:
        return self.server.objects(bucket)

    def stop(self) -> None:
        self.server.stop()


class MotoServer(Server):
    """moto behind the counting proxy of tests/moto/emulator.py."""

    def __init__(self, moto) -> None:
        self.moto = moto
        self.url = moto.url

    def _count(self) -> int:
        return len(self.moto.requests())

    def stored(self, bucket: str) -> dict[str, tuple[int, str]]:
        # Keys and sizes only: moto's ETags of multipart uploads are not the content's hash.
        # Straight to moto: a listing through the proxy would count as the next peer's request.
        pages = self.moto.client("s3", direct=True).get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {o["Key"]: (o["Size"], "") for page in pages for o in page.get("Contents", [])}

    def stop(self) -> None:
        pass


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", choices=("versitygw", "moto"), default="versitygw")
    ap.add_argument("--peers", default=",".join(PEERS),
                    help="comma-separated, launchpad always among them (default: all of %(default)s); "
                    "without versitygw, rclone and ingest nothing of tools/s3peers is built")
    ap.add_argument("--files", type=results.positive, help="site size (default 10,000 files, about 100 MB)")
    ap.add_argument("--large", action="store_true", help="1,000 files of about 1 MB: about 1 GB")
    ap.add_argument("--noop-files", type=int, default=0, metavar="N",
                    help="also time launchpad's no-change resync of an N-file site (goal < 2 s at 100,000)")
    ap.add_argument("--runs", type=results.positive, default=3,
                    help="rounds of each phase, the order of the peers rotated each round; the table shows "
                    "each figure's median (default %(default)s)")
    cargo_example.add_options(ap)
    args = ap.parse_args()
    load_start = results.load_average()
    peers_wanted = set(args.peers.split(",")) | {"launchpad"}
    if peers_wanted - set(PEERS):
        ap.error(f"--peers: unknown {', '.join(sorted(peers_wanted - set(PEERS)))}; choose among {', '.join(PEERS)}")
    files = args.files if args.files is not None else 1_000 if args.large else 10_000
    if not (VENV / "aws").exists():
        raise SystemExit("the venv with moto and awscli is missing: run `make moto`")
    driver = cargo_example.driver(args, "launchpad-site-sync", "site_sync")
    go_built = args.server == "versitygw" or bool(peers_wanted & {"ingest", "rclone"})
    # tools/s3peers/build.sh: versitygw, s3-ingest and rclone, built once per version.
    tools = versitygw.build() if go_built else {}
    import boto3
    from botocore.config import Config

    # In target/ (the 1 GB set would crowd a small /tmp), one folder per run: two runs may overlap.
    (ROOT / "target").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="site-sync-", dir=ROOT / "target"))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, work, True)
        site = work / "dist"
        total = generate(site, files, args.large)
        want = tree(site)
        if args.server == "versitygw":
            folder = server_folder(work, total)
            stack.callback(shutil.rmtree, folder, True)
            print(f"site-sync: versitygw stores in {folder}")
            server = Versitygw(tools["VERSITYGW"], folder)
        else:
            import emulator  # tests/moto: moto + the counting proxy

            server = MotoServer(stack.enter_context(emulator.Moto()))
        stack.callback(server.stop)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RCLONE_"))}
        env.update({
            "AWS_ENDPOINT_URL_S3": server.url, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            # launchpad's hash cache: empty (cold) for the first sync, then warm.
            "LAUNCHPAD_CACHE_DIR": str(work / "launchpad-cache"),
            # rclone's remote `bench:` from the environment; its config file is one that does not exist.
            "RCLONE_CONFIG": str(work / "rclone.conf"),
            "RCLONE_CONFIG_BENCH_TYPE": "s3", "RCLONE_CONFIG_BENCH_PROVIDER": "Other",
            "RCLONE_CONFIG_BENCH_ENDPOINT": server.url, "RCLONE_CONFIG_BENCH_REGION": REGION,
            "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": ACCESS_KEY, "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": SECRET_KEY,
            "RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE": "true",
        })
        s3 = boto3.client("s3", endpoint_url=server.url, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name=REGION,
                          config=Config(s3={"addressing_style": "path"}))
        state = work / "state.json"
        commands = {
            "launchpad": [str(driver), str(site), "bench-launchpad", str(state)],
            "awscli": [str(VENV / "aws"), "s3", "sync", str(site), "s3://bench-awscli", "--only-show-errors"],
        }
        if "rclone" in peers_wanted:
            commands["rclone"] = [str(tools["RCLONE"]), "sync", str(site), "bench:bench-rclone",
                                  "--transfers", str(TRANSFERS), "--checkers", str(TRANSFERS)]
        peers = {p: cmd for p, cmd in commands.items() if p in peers_wanted}
        server.requests()
        # Per peer and phase, each round's (wall, cpu, server cpu, requests): the table shows the
        # medians. The server's CPU is read once its request count has settled (`requests`).
        rounds: dict[tuple[str, str], list[tuple[float, float, float | None, int]]] = {}

        def record(peer: str, phase: str, cmd: list[str]) -> None:
            server_before = server.cpu()
            wall, cpu = timed(cmd, env)
            requests = server.requests()
            server_after = server.cpu()
            server_cpu = None if server_before is None else server_after - server_before
            rounds.setdefault((peer, phase), []).append((wall, cpu, server_cpu, requests))

        def empty(bucket: str) -> None:
            """Delete every key of BUCKET (an earlier round's), uncounted: its disk space is the
            next round's."""
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
                if keys:
                    s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
            server.requests()

        def compare(bucket: str, when: str) -> None:
            # A peer that exits 0 without storing exactly the site would make the ratios meaningless.
            wrong = differences(want if args.server == "versitygw" else {k: (v[0], "") for k, v in want.items()},
                                server.stored(bucket))
            if wrong:
                raise SystemExit(f"{when}, {bucket} does not hold the site: {wrong}")

        pages = sorted(site.glob("pages/*/*.html"))
        if not pages:
            raise SystemExit(f"the generated site of {files} files has no page to change; give more --files")
        # First syncs, --runs rounds: each into an empty bucket, launchpad from no state and a cold
        # hash cache; the buckets of the round before are emptied first (disk space).
        first = [p for p in PEERS if p in peers_wanted]
        for n in range(args.runs):
            for peer in first:
                if n:
                    empty(f"bench-{peer}")
                else:
                    s3.create_bucket(Bucket=f"bench-{peer}")
            server.requests()
            state.unlink(missing_ok=True)
            shutil.rmtree(work / "launchpad-cache", ignore_errors=True)
            for peer in results.rotated(first, n):
                if peer == "ingest":
                    record(peer, "first sync", [str(tools["S3_INGEST"]), "-workers", str(TRANSFERS), str(site),
                                                "bench-ingest"])
                else:
                    record(peer, "first sync", peers[peer])
                compare(f"bench-{peer}", "after the first sync")
        # The resyncs and the changes from there, --runs rounds each: each round of the change
        # edits the same page once more, so each is one changed file.
        for phase in PHASES[1:]:
            for n in range(args.runs):
                if phase == "one file changed":
                    pages[0].write_bytes(pages[0].read_bytes() + b"<!-- edited -->")
                    want = tree(site)
                for peer in results.rotated(list(peers), n):
                    record(peer, phase, peers[peer])
                    if phase != "no-change resync":
                        compare(f"bench-{peer}", f"after the {phase}")
        noop = noop_resync(driver, env, s3, work / "noop", args.noop_files, args.runs) if args.noop_files else None

    measured: dict[str, dict[str, float]] = {p: {} for p in PEERS if p in peers_wanted}
    for (peer, phase), runs in rounds.items():
        wall, cpu, server_cpu, requests = zip(*runs)
        measured[peer].update({f"{phase} wall": statistics.median(wall), f"{phase} cpu": statistics.median(cpu),
                               f"{phase} requests": statistics.median_low(requests)})
        if None not in server_cpu:
            measured[peer][f"{phase} server cpu"] = statistics.median(server_cpu)
    table(measured, files, total, args, driver)
    if noop:
        print(f"no-change resync of {noop['files']:,} files (launchpad alone): {noop['seconds']:.2f}s wall, "
              f"{noop['cpu']:.2f}s cpu")
    results.emit("site-sync", f"Site sync: {files:,} files, {total / 1e6:.1f} MB, to {args.server} on 127.0.0.1",
                 debug=args.debug, load_start=load_start, metrics=METRICS, peers=measured,
                 params={"files": files, "large": args.large, "server": args.server, "transfers": TRANSFERS,
                         "runs": args.runs},
                 variant="-large" if args.large else "" if files == 10_000 else f"-{files}",
                 files=files, bytes=total, noop=noop)
    return 0


def table(measured: dict[str, dict[str, float]], files: int, total: int, args, driver: Path) -> None:
    """One row per phase and peer, with the ratios peer / launchpad."""
    print(f"site-sync: {files} files, {total / 1e6:.1f} MB, {args.server} on 127.0.0.1; load average "
          f"{os.getloadavg()[0]:.1f}; driver {driver.relative_to(ROOT)}" + (" (debug build)" if args.debug else ""))
    print(f"{'':18}{'peer':>11}{'wall':>10}{'cpu':>10}{'server':>10}{'requests':>10}{'wall/ours':>11}"
          f"{'cpu/ours':>10}")
    for phase in PHASES:
        ours = measured["launchpad"]
        for peer, figures in measured.items():
            if f"{phase} wall" not in figures:
                continue
            wall, cpu, server_cpu, reqs = (figures.get(f"{phase} {f}") for f in FIGURES)
            ratio_wall = wall / max(ours[f"{phase} wall"], 1e-9)
            ratio_cpu = cpu / max(ours[f"{phase} cpu"], 1e-9)
            server = "n/a" if server_cpu is None else f"{server_cpu:.2f}s"
            print(f"{phase:18}{peer:>11}{wall:>9.2f}s{cpu:>9.2f}s{server:>10}{reqs:>10}{ratio_wall:>10.2f}x"
                  f"{ratio_cpu:>9.2f}x")


if __name__ == "__main__":
    sys.exit(main())
