#!/usr/bin/env python3
"""Start-up benchmark: our plugin vs a minimal Node.js component provider.

`make bench` runs this. It builds `pulumi-resource-launchpad` in release
mode, installs the Node peer's dependencies (bench/startup/node-provider)
when missing, then launches each plugin N times, alternating the two, as the
Pulumi engine would: argv ends with an engine address and the plugin prints
only its port on stdout. For each launch it records

* start-up: wall time from just before spawn to the port line on stdout;
* CPU time: user+system time of all its threads when the port line is read
  (schedstat; much less sensitive than wall time to other load);
* memory: VmRSS from /proc/<pid>/status right after the port line;
* stop: SIGTERM to exit (SIGKILL after a timeout; informative only);

and, once, the size on disk (release binary vs node_modules). It prints a
table and the ratios node / launchpad. No thresholds: it exits 0 unless a
plugin fails to build, install or start. The last line is the result line of
bench/results.py, one JSON object per run, one key per peer. Python 3.11
standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
import results  # noqa: E402  (bench/results.py: the result line every benchmark prints last)
from results import versions_env  # noqa: E402
NODE_DIR = HERE / "node-provider"
RELEASE_BINARY = ROOT / "target" / "release" / "pulumi-resource-launchpad"
# What `make build` leaves: the smoke run of `make test` (--debug) uses it rather than compile twice.
DEBUG_BINARY = ROOT / "target" / "debug" / "pulumi-resource-launchpad"
ENGINE = "127.0.0.1:1"  # never dialled before the port is printed
START_TIMEOUT = 60.0  # seconds to wait for the port line
STOP_TIMEOUT = 10.0  # seconds after SIGTERM before SIGKILL


class BenchError(Exception):
    """Something failed to build, install or start."""


# ---------------------------------------------------------------- children

_live: dict[int, subprocess.Popen] = {}
_defer_signals = False  # True while a child is spawned but not yet tracked
_pending_signal = False


def _reap_all() -> None:
    """Kill whatever plugin is still running (its whole process group)."""
    for pid, proc in list(_live.items()):
        if proc.poll() is None:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        _live.pop(pid, None)


def _on_signal(signum, frame):  # noqa: ARG001
    """SIGINT/SIGTERM: unwind (the `finally`s kill the children), unless we are
    between fork and tracking a child, in which case unwind right after."""
    global _pending_signal
    if _defer_signals:
        _pending_signal = True
        return
    raise KeyboardInterrupt


def spawn(argv: list[str], cwd: Path, stderr) -> subprocess.Popen:
    """Popen in its own process group, tracked before any signal can unwind."""
    global _defer_signals, _pending_signal
    _defer_signals = True
    try:
        # Own process group: a terminal Ctrl-C goes to us only, and we kill
        # the group ourselves so nothing outlives the run.
        proc = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=stderr, start_new_session=True, close_fds=True,
        )
        _live[proc.pid] = proc
    finally:
        _defer_signals = False
    if _pending_signal:
        _pending_signal = False
        raise KeyboardInterrupt
    return proc


def run_step(cmd: list[str], cwd: Path, what: str) -> None:
    """Run a build/install step in the foreground, failing loudly."""
    print(f"$ {' '.join(cmd)}   (in {cwd.relative_to(ROOT) if cwd != ROOT else '.'})", flush=True)
    proc = subprocess.run(cmd, cwd=cwd)
    if proc.returncode != 0:
        raise BenchError(f"{what} failed (exit {proc.returncode})")


# ---------------------------------------------------------------- preparation


def launchpad_binary(skip_build: bool, debug: bool) -> Path:
    if debug:
        if not os.access(DEBUG_BINARY, os.X_OK):
            raise BenchError(f"{DEBUG_BINARY} is missing; run `make build`")
        return DEBUG_BINARY
    if not skip_build:
        run_step(["cargo", "build", "--release", "-p", "pulumi-resource-launchpad"], ROOT,
                 "cargo build --release")
    if not os.access(RELEASE_BINARY, os.X_OK):
        raise BenchError(f"{RELEASE_BINARY} is missing; run without --no-build")
    return RELEASE_BINARY


def install_node_peer(pinned: str) -> None:
    installed = NODE_DIR / "node_modules" / "@pulumi" / "pulumi" / "package.json"
    if installed.exists():
        if json.loads(installed.read_text()).get("version") == pinned:
            return
    npm = shutil.which("npm")
    if npm is None:
        raise BenchError("npm is not on PATH (the Node peer needs Node.js and npm)")
    lock = NODE_DIR / "package-lock.json"
    cmd = [npm, "ci" if lock.exists() else "install", "--no-audit", "--no-fund"]
    run_step(cmd, NODE_DIR, "npm install of the Node peer")
    if not installed.exists():
        raise BenchError(f"{installed} missing after npm install")


def check_pin(pinned: str) -> None:
    spec = json.loads((NODE_DIR / "package.json").read_text())["dependencies"]["@pulumi/pulumi"]
    if spec != pinned:
        raise BenchError(
            f"node-provider/package.json pins @pulumi/pulumi {spec}, "
            f"tools/versions.env says {pinned}"
        )


# ---------------------------------------------------------------- one launch


@dataclass
class Launch:
    startup_ms: float
    cpu_ms: float
    rss_kib: int
    stop_ms: float
    port: int


def read_rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    raise BenchError(f"pid {pid} exited right after printing its port (no VmRSS)")


def read_cpu_ms(pid: int) -> float:
    """CPU time (all live threads, user+system) so far, from schedstat in ns.
    Unlike wall time it hardly moves when other work shares the CPUs."""
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                pass  # a thread that just ended
    except FileNotFoundError:
        raise BenchError(f"pid {pid} exited right after printing its port") from None
    return total / 1e6


def launch_once(name: str, argv: list[str], cwd: Path, probe: bool) -> Launch:
    """Spawn, time the port line, sample RSS, then SIGTERM and wait."""
    with tempfile.TemporaryFile() as errf:
        t0 = time.perf_counter()
        proc = spawn(argv, cwd, errf)
        try:
            fd = proc.stdout.fileno()
            buf = b""
            deadline = t0 + START_TIMEOUT
            while b"\n" not in buf:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise BenchError(f"{name}: no port line within {START_TIMEOUT:.0f} s")
                ready, _, _ = select.select([fd], [], [], left)
                if ready:
                    chunk = os.read(fd, 4096)
                    if not chunk:
                        break  # EOF: the process closed stdout / exited
                    buf += chunk
            t1 = time.perf_counter()
            if b"\n" not in buf:
                proc.wait(timeout=5)
                errf.seek(0)
                tail = errf.read()[-2000:].decode(errors="replace")
                raise BenchError(
                    f"{name}: exited (code {proc.returncode}) before printing a port; "
                    f"stdout={buf!r}\nstderr tail:\n{tail}"
                )
            rss = read_rss_kib(proc.pid)
            cpu = read_cpu_ms(proc.pid)
            line, _, rest = buf.partition(b"\n")
            text = line.decode(errors="replace").strip()
            if not text.isdigit() or rest.strip():
                raise BenchError(f"{name}: stdout must be only the port, got {buf!r}")
            port = int(text)
            if probe:  # once per plugin, outside the timed runs: is it really serving?
                with socket.create_connection(("127.0.0.1", port), timeout=5):
                    pass
            # Stop: SIGTERM, wait, SIGKILL if it lingers.
            s0 = time.perf_counter()
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                print(f"  warning: {name} ignored SIGTERM for {STOP_TIMEOUT:.0f} s; killing",
                      file=sys.stderr)
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            s1 = time.perf_counter()
            return Launch((t1 - t0) * 1e3, cpu, rss, (s1 - s0) * 1e3, port)
        finally:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
            else:
                try:  # any grandchild left in the group
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            proc.stdout.close()
            _live.pop(proc.pid, None)


def floor_once() -> float:
    """The harness's own cost: spawn `echo 0` the same way, time to its line."""
    echo = shutil.which("echo") or "/bin/echo"
    t0 = time.perf_counter()
    proc = spawn([echo, "0"], ROOT, subprocess.DEVNULL)
    try:
        line = proc.stdout.readline()
        t1 = time.perf_counter()
        if line.strip() != b"0":
            raise BenchError(f"echo printed {line!r}")
        proc.wait(timeout=10)
        return (t1 - t0) * 1e3
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        _live.pop(proc.pid, None)


# ---------------------------------------------------------------- stats / output


@dataclass
class Series:
    name: str
    argv: list[str]
    cwd: Path
    runs: list[Launch] = field(default_factory=list)

    def startup(self) -> list[float]:
        return [r.startup_ms for r in self.runs]


def p90(values: list[float]) -> float:
    s = sorted(values)
    return s[max(0, math.ceil(0.9 * len(s)) - 1)]  # nearest rank


def tree_bytes(path: Path) -> int:
    total = 0
    for dirpath, dirnames, filenames in os.walk(path):
        for fn in filenames:
            p = os.path.join(dirpath, fn)
            if not os.path.islink(p):
                total += os.path.getsize(p)
    return total


def fmt_ms(v: float) -> str:
    return f"{v:.1f} ms" if v < 100 else f"{v:.0f} ms"


def fmt_mib(nbytes: float) -> str:
    return f"{nbytes / 2**20:.1f} MiB"


def ratio(a: float, b: float) -> str:
    if b <= 0:
        return "n/a"
    r = a / b
    return f"{r:.1f}x" if r < 100 else f"{r:.0f}x"


def report(lp: Series, nd: Series, floor: list[float], runs: int) -> None:
    node_bin = shutil.which("node") or "node"
    node_version = subprocess.run([node_bin, "--version"], capture_output=True,
                                  text=True).stdout.strip()
    lp_start, nd_start = lp.startup(), nd.startup()
    lp_rss = statistics.median(r.rss_kib for r in lp.runs) * 1024
    nd_rss = statistics.median(r.rss_kib for r in nd.runs) * 1024
    binary = Path(lp.argv[0])
    lp_size = binary.stat().st_size
    nd_size = tree_bytes(NODE_DIR / "node_modules")
    node_rt = Path(os.path.realpath(node_bin)).stat().st_size
    lp_cpu = statistics.median(r.cpu_ms for r in lp.runs)
    nd_cpu = statistics.median(r.cpu_ms for r in nd.runs)
    lp_stop = statistics.median(r.stop_ms for r in lp.runs)
    nd_stop = statistics.median(r.stop_ms for r in nd.runs)

    rows = [
        ("start-up median", fmt_ms(statistics.median(lp_start)),
         fmt_ms(statistics.median(nd_start)),
         ratio(statistics.median(nd_start), statistics.median(lp_start))),
        ("start-up p90", fmt_ms(p90(lp_start)), fmt_ms(p90(nd_start)),
         ratio(p90(nd_start), p90(lp_start))),
        ("start-up min", fmt_ms(min(lp_start)), fmt_ms(min(nd_start)),
         ratio(min(nd_start), min(lp_start))),
        ("CPU time to port (median)", fmt_ms(lp_cpu), fmt_ms(nd_cpu), ratio(nd_cpu, lp_cpu)),
        ("RSS after start (median)", fmt_mib(lp_rss), fmt_mib(nd_rss), ratio(nd_rss, lp_rss)),
        ("size on disk", fmt_mib(lp_size) + " binary", fmt_mib(nd_size) + " node_modules",
         ratio(nd_size, lp_size)),
        ("stop, SIGTERM->exit (median)", fmt_ms(lp_stop), fmt_ms(nd_stop), ratio(nd_stop, lp_stop)),
    ]
    head = ("", "launchpad", "node", "node/launchpad")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    print()
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{runs} launches each, alternated; {os.cpu_count()} CPUs, load average {load}; "
          f"node {node_version}, @pulumi/pulumi {versions_env()['PULUMI_NODEJS_SDK_VERSION']}; "
          f"{time.strftime('%Y-%m-%d')}; plugin {binary.relative_to(ROOT)}")
    print(line)
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths))))
    print(line)
    for r in rows:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(r, widths))))
    print(line)
    print()
    m_lp, m_nd = statistics.median(lp_start), statistics.median(nd_start)
    print(f"start-up: launchpad {fmt_ms(m_lp)} vs node {fmt_ms(m_nd)} "
          f"({ratio(m_nd, m_lp)} faster)")
    print(f"cpu:      launchpad {fmt_ms(lp_cpu)} vs node {fmt_ms(nd_cpu)} "
          f"({ratio(nd_cpu, lp_cpu)} less)")
    print(f"memory:   launchpad {fmt_mib(lp_rss)} vs node {fmt_mib(nd_rss)} "
          f"({ratio(nd_rss, lp_rss)} less)")
    print(f"size:     launchpad {fmt_mib(lp_size)} vs node {fmt_mib(nd_size)} "
          f"({ratio(nd_size, lp_size)} smaller; the node runtime itself adds "
          f"{fmt_mib(node_rt)})")
    print(f"(harness floor: spawning `echo` and reading its line takes {fmt_ms(statistics.median(floor))} "
          f"median here; it is inside both start-up numbers)")


STARTUP_METRICS = [
    results.Metric("startup_median", "start-up median", "ms"),
    results.Metric("startup_p90", "start-up p90", "ms"),
    results.Metric("startup_min", "start-up min", "ms"),
    results.Metric("cpu_median", "CPU time to port (median)", "ms"),
    results.Metric("rss_median", "RSS after start (median)", "MiB"),
    results.Metric("size_on_disk", "size on disk (binary / node_modules)", "MiB"),
    results.Metric("stop_median", "stop, SIGTERM->exit (median)", "ms"),
]


def size_on_disk(s: Series) -> int:
    """What installing the plugin puts on disk: a binary, or a Node program's node_modules."""
    plugin = Path(s.argv[0])
    return tree_bytes(s.cwd / "node_modules") if plugin.name == "node" else plugin.stat().st_size


def result_line(series: list[Series], runs: int, debug: bool, floor: list[float], load_start: str) -> None:
    """The figures of the table, per peer, as bench/results.py's last line."""
    peers = {}
    for s in series:
        start = s.startup()
        peers[s.name] = {
            "startup_median": statistics.median(start), "startup_p90": p90(start), "startup_min": min(start),
            "cpu_median": statistics.median(r.cpu_ms for r in s.runs),
            "rss_median": statistics.median(r.rss_kib for r in s.runs) / 1024,
            "size_on_disk": size_on_disk(s) / 2**20,
            "stop_median": statistics.median(r.stop_ms for r in s.runs),
        }
    results.emit("startup", "Start-up: launching the plugin as the engine does, to its port",
                 debug=debug, load_start=load_start, metrics=STARTUP_METRICS, peers=peers,
                 params={"runs": runs, "alternated": True},
                 harness_floor_ms=statistics.median(floor))


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=30, help="launches of each plugin (default 30)")
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing target/release binary instead of running cargo build")
    ap.add_argument("--debug", action="store_true",
                    help="launch target/debug's plugin as `make build` left it (no build); for the smoke run "
                    "of `make test`: its times are not launchpad's")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    load_start = results.load_average()

    try:
        pinned = versions_env()["PULUMI_NODEJS_SDK_VERSION"]
        check_pin(pinned)
        binary = launchpad_binary(args.no_build, args.debug)
        install_node_peer(pinned)
        node = shutil.which("node")
        if node is None:
            raise BenchError("node is not on PATH")

        lp = Series("launchpad", [str(binary), ENGINE], ROOT)
        nd = Series("node", [node, str(NODE_DIR / "index.js"), ENGINE], NODE_DIR)

        # One untimed warm-up each (page cache, first-run effects), with a TCP
        # probe of the printed port to check both really serve.
        for s in (lp, nd):
            launch_once(s.name, s.argv, s.cwd, probe=True)

        print(f"timing {args.runs} launches of each, alternating ...", flush=True)
        floor: list[float] = []
        for i in range(args.runs):
            order = (lp, nd) if i % 2 == 0 else (nd, lp)
            for s in order:
                s.runs.append(launch_once(s.name, s.argv, s.cwd, probe=False))
            floor.append(floor_once())
        report(lp, nd, floor, args.runs)
        result_line([lp, nd], args.runs, args.debug, floor, load_start)
        return 0
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        return 130
    finally:
        _reap_all()


if __name__ == "__main__":
    sys.exit(main())
