#!/usr/bin/env python3
"""Start-up benchmark: our plugin vs a minimal Go and a minimal Node.js component provider.

`make bench` runs this. It builds `pulumi-resource-launchpad` in release
mode, builds the Go peer and the Construct driver (bench/startup/go-provider,
one Go module, into target/bench/startup; only when their sources changed),
installs the Node peer's dependencies (bench/startup/node-provider) when
missing, then launches each plugin N times, rotating the order, as the
Pulumi engine would: argv ends with an engine address and the plugin prints
only its port on stdout. For each launch it records

* start-up: wall time from just before spawn to the port line on stdout;
* CPU time: user+system time of all its threads when the port line is read
  (schedstat; much less sensitive than wall time to other load);
* memory: VmRSS from /proc/<pid>/status right after the port line;
* stop: SIGTERM to exit (SIGKILL after a timeout; informative only);

and, once, the size on disk (release binary, Go binary, node_modules). Then,
for each plugin in turn, the Construct driver serves a fake engine and
monitor, starts the plugin against it and sends it 100 Constructs at once
(a preview of a program declaring 100 components), recording VmRSS before
them and the peak (VmHWM) and VmRSS after. It prints a table with the ratios
peer / launchpad, then one JSON line (the last line) with every figure per
peer (bench/results.py's result line). No thresholds: it exits 0 unless a
plugin fails to build, install, start or construct. Python 3.11 standard
library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
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
import harness  # noqa: E402  (tests/e2e/harness.py, on the path results.py set: versions())
NODE_DIR = HERE / "node-provider"
GO_DIR = HERE / "go-provider"
# The Go peer and the Construct driver, built from GO_DIR; the stamp says from which sources.
GO_OUT = ROOT / "target" / "bench" / "startup"
GO_PEER = GO_OUT / "go-provider"
CONSTRUCT_DRIVER = GO_OUT / "construct-driver"
GO_STAMP = GO_OUT / ".stamp"
RELEASE_BINARY = ROOT / "target" / "release" / "pulumi-resource-launchpad"
# What `make build` leaves: the smoke run of `make test` (--debug) uses it rather than compile twice.
DEBUG_BINARY = ROOT / "target" / "debug" / "pulumi-resource-launchpad"
ENGINE = "127.0.0.1:1"  # never dialled before the port is printed
START_TIMEOUT = 60.0  # seconds to wait for the port line
STOP_TIMEOUT = 10.0  # seconds after SIGTERM before SIGKILL
SERVE_TIMEOUT = 300.0  # seconds for one Construct-driver run (start, Configure, every Construct)
# Every peer's Constructs get this stack config; only launchpad's StaticSite reads it.
SERVE_CONFIG = {"aws:region": "eu-west-1"}


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


def run_step(cmd: list[str], cwd: Path, what: str, env: dict[str, str] | None = None) -> None:
    """Run a build/install step in the foreground, failing loudly."""
    print(f"$ {' '.join(cmd)}   (in {cwd.relative_to(ROOT) if cwd != ROOT else '.'})", flush=True)
    proc = subprocess.run(cmd, cwd=cwd, env=None if env is None else {**os.environ, **env})
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


def go_sources_stamp(go: str) -> str:
    """What the Go binaries are built from: the toolchain, go.mod/go.sum and every .go file."""
    digest = hashlib.sha256()
    version = subprocess.run([go, "version"], capture_output=True, text=True, check=True).stdout
    digest.update(version.encode())
    files = [GO_DIR / "go.mod", GO_DIR / "go.sum", *sorted(GO_DIR.rglob("*.go"))]
    for path in files:
        digest.update(str(path.relative_to(GO_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_go_peer(pulumi_version: str) -> None:
    """Build the Go peer and the Construct driver unless the stamp says they are current."""
    requirement = f"github.com/pulumi/pulumi/sdk/v3 v{pulumi_version}"
    # A single-line `require` or a line of a `require (...)` block.
    if not re.search(rf"^(require\s+|\t){re.escape(requirement)}$", (GO_DIR / "go.mod").read_text(), re.M):
        raise BenchError(
            f"go-provider/go.mod does not require {requirement} (tools/versions.env PULUMI_VERSION); "
            f"run: cd bench/startup/go-provider && go get github.com/pulumi/pulumi/sdk/v3@v{pulumi_version} "
            "&& go mod tidy"
        )
    go = shutil.which("go")
    if go is None:
        raise BenchError("go is not on PATH (the Go peer and the Construct driver need Go)")
    stamp = go_sources_stamp(go)
    built = all(os.access(b, os.X_OK) for b in (GO_PEER, CONSTRUCT_DRIVER))
    if built and GO_STAMP.exists() and GO_STAMP.read_text().strip() == stamp:
        return
    GO_OUT.mkdir(parents=True, exist_ok=True)
    GO_STAMP.unlink(missing_ok=True)
    t0 = time.perf_counter()
    run_step(["nice", "-n", "10", go, "build", "-buildvcs=false", "-o", f"{GO_OUT}/", ".", "./construct-driver"],
             GO_DIR, "go build of the Go peer", env={"CGO_ENABLED": "0"})
    print(f"built the Go peer and the Construct driver in {time.perf_counter() - t0:.0f} s", flush=True)
    GO_STAMP.write_text(stamp + "\n")


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


# ---------------------------------------------------------------- serving Constructs


@dataclass
class Serving:
    """One Construct-driver run: the plugin's memory around N concurrent Constructs."""
    rss_idle_kib: int
    rss_peak_kib: int
    rss_after_kib: int
    wall_ms: float
    registrations: int  # all Constructs together
    constructs: int


def serve_once(peer: Peer, constructs: int, program: Path) -> Serving:
    """Start `peer` under the Construct driver in `program` and send it `constructs` Constructs."""
    config = [arg for key, value in SERVE_CONFIG.items() for arg in ("-config", f"{key}={value}")]
    cmd = [str(CONSTRUCT_DRIVER), "-type", peer.component, "-inputs", json.dumps(peer.inputs),
           "-constructs", str(constructs), "-cwd", str(program), *config, "--", *peer.command]
    with tempfile.TemporaryFile() as errf:
        proc = spawn(cmd, ROOT, errf)
        try:
            out, _ = proc.communicate(timeout=SERVE_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise BenchError(f"{peer.name}: {constructs} Constructs took over {SERVE_TIMEOUT:.0f} s") from None
        finally:
            try:  # the driver's group holds the plugin too
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
            _live.pop(proc.pid, None)
        if proc.returncode != 0:
            errf.seek(0)
            tail = errf.read()[-2000:].decode(errors="replace")
            raise BenchError(f"{peer.name}: the Construct driver failed (exit {proc.returncode}):\n{tail}")
    lines = out.decode(errors="replace").strip().splitlines()
    try:
        data = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        raise BenchError(f"{peer.name}: the Construct driver printed no JSON line: {out!r}") from None
    return Serving(data["rss_idle_kib"], data["rss_peak_kib"], data["rss_after_kib"], data["wall_ms"],
                   data["registrations"], data["constructs"])


def program_directory(root: Path) -> Path:
    """The program the Constructs come from: a one-page site for launchpad's StaticSite."""
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<p>hi</p>\n")
    return root


# ---------------------------------------------------------------- stats / output


@dataclass
class Peer:
    """One plugin under test: how to start it, what it weighs, what it constructs."""
    name: str
    command: list[str]  # argv without the engine address
    cwd: Path
    size_bytes: int
    size_what: str
    component: str  # the type token its Constructs ask for
    inputs: dict
    runs: list[Launch] = field(default_factory=list)
    serving: list[Serving] = field(default_factory=list)

    @property
    def argv(self) -> list[str]:
        return [*self.command, ENGINE]

    def startup(self) -> list[float]:
        return [r.startup_ms for r in self.runs]

    def figures(self) -> dict[str, float | int | str]:
        """Every figure of this peer, as the JSON line carries it."""
        start = self.startup()
        med = statistics.median
        return {
            "startup_median_ms": round(med(start), 3),
            "startup_p90_ms": round(p90(start), 3),
            "startup_min_ms": round(min(start), 3),
            "cpu_to_port_ms": round(med(r.cpu_ms for r in self.runs), 3),
            "rss_after_start_bytes": int(med(r.rss_kib for r in self.runs) * 1024),
            "stop_ms": round(med(r.stop_ms for r in self.runs), 3),
            "size_bytes": self.size_bytes,
            "size_of": self.size_what,
            "serve_rss_idle_bytes": int(med(s.rss_idle_kib for s in self.serving) * 1024),
            "serve_rss_peak_bytes": int(med(s.rss_peak_kib for s in self.serving) * 1024),
            "serve_rss_after_bytes": int(med(s.rss_after_kib for s in self.serving) * 1024),
            "serve_wall_ms": round(med(s.wall_ms for s in self.serving), 3),
            "serve_registrations_per_construct": self.serving[0].registrations / self.serving[0].constructs,
        }


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


# The table's rows: label, the figure, how to print it (ratios are peer / launchpad).
ROWS: list[tuple[str, str, object]] = [
    ("start-up median", "startup_median_ms", fmt_ms),
    ("start-up p90", "startup_p90_ms", fmt_ms),
    ("start-up min", "startup_min_ms", fmt_ms),
    ("CPU time to port (median)", "cpu_to_port_ms", fmt_ms),
    ("RSS after start (median)", "rss_after_start_bytes", fmt_mib),
    ("size on disk", "size_bytes", fmt_mib),
    ("stop, SIGTERM->exit (median)", "stop_ms", fmt_ms),
    ("RSS idle, configured", "serve_rss_idle_bytes", fmt_mib),
    ("RSS peak, {n} Constructs", "serve_rss_peak_bytes", fmt_mib),
    ("RSS after {n} Constructs", "serve_rss_after_bytes", fmt_mib),
    ("{n} Constructs, wall", "serve_wall_ms", fmt_ms),
]


def report(peers: list[Peer], floor: list[float], runs: int, constructs: int, debug: bool,
           load_start: str) -> None:
    node_bin = shutil.which("node") or "node"
    node_version = subprocess.run([node_bin, "--version"], capture_output=True,
                                  text=True).stdout.strip()
    go_version = subprocess.run([shutil.which("go") or "go", "env", "GOVERSION"], capture_output=True,
                                text=True).stdout.strip()
    versions = harness.versions()
    base, others = peers[0], peers[1:]
    figures = {p.name: p.figures() for p in peers}
    head = ("", *(p.name for p in peers), *(f"{p.name}/{base.name}" for p in others))
    rows = []
    for label, key, fmt in ROWS:
        cells = [fmt(figures[p.name][key]) for p in peers]
        if key == "size_bytes":
            cells = [f"{c} {p.size_what}" for c, p in zip(cells, peers)]
        rows.append((label.format(n=constructs), *cells,
                     *(ratio(figures[p.name][key], figures[base.name][key]) for p in others)))
    rows.append(("registrations per Construct", *(f'{figures[p.name]["serve_registrations_per_construct"]:g}'
                                                  for p in peers), *("" for _ in others)))
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    load = os.getloadavg()
    plugin = Path(base.command[0]).relative_to(ROOT)
    print()
    print(f"{runs} launches each, rotated; {len(base.serving)} x {constructs} concurrent Constructs each; "
          f"{os.cpu_count()} CPUs, load average {'/'.join(f'{x:.1f}' for x in load)}; "
          f"node {node_version}, @pulumi/pulumi {versions['PULUMI_NODEJS_SDK_VERSION']}; "
          f"{go_version}, sdk/v3 v{versions['PULUMI_VERSION']}; {time.strftime('%Y-%m-%d')}; plugin {plugin}")
    print(line)
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths))))
    print(line)
    for r in rows:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    print(line)
    print()
    b = figures[base.name]
    for what, key, fmt, better in (("start-up", "startup_median_ms", fmt_ms, "faster"),
                                   ("cpu", "cpu_to_port_ms", fmt_ms, "less"),
                                   ("memory", "rss_after_start_bytes", fmt_mib, "less"),
                                   ("serving", "serve_rss_peak_bytes", fmt_mib, "less"),
                                   ("size", "size_bytes", fmt_mib, "smaller")):
        versus = "; ".join(f"{p.name} {fmt(figures[p.name][key])} ({ratio(figures[p.name][key], b[key])} {better})"
                           for p in others)
        print(f"{what + ':':<10}{base.name} {fmt(b[key])} vs {versus}")
    node_rt = Path(os.path.realpath(node_bin)).stat().st_size
    print(f"(the node runtime itself adds {fmt_mib(node_rt)} on disk; launchpad's Constructs are StaticSites, "
          f"each registering {b['serve_registrations_per_construct']:g} resources, the peers' one component each)")
    print(f"(harness floor: spawning `echo` and reading its line takes {fmt_ms(statistics.median(floor))} "
          f"median here; it is inside every start-up number)")
    # The last line: bench/results.py's result line, one key per peer, sizes in MiB.
    metrics = [results.Metric(result_key(key), label.format(n=constructs), "ms" if fmt is fmt_ms else "MiB")
               for label, key, fmt in ROWS]
    peers_mib = {name: {result_key(k): v / 2**20 if k.endswith("_bytes") else v for k, v in f.items()}
                 for name, f in figures.items()}
    results.emit("startup", "Start-up and memory: launching the plugin as the engine does, then serving Constructs",
                 debug=debug, load_start=load_start, metrics=metrics, peers=peers_mib,
                 params={"runs": runs, "serve_runs": len(base.serving), "constructs": constructs, "rotated": True},
                 harness_floor_ms=round(statistics.median(floor), 3), node_runtime_mib=node_rt / 2**20,
                 versions={"node": node_version, "go": go_version})


def result_key(key: str) -> str:
    """A figure's key in the result line: byte counts are given in MiB there."""
    return key.removesuffix("_bytes") + "_mib" if key.endswith("_bytes") else key


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=results.positive, default=30, help="launches of each plugin (default 30)")
    ap.add_argument("--serve-runs", type=results.positive, default=None,
                    help="Construct-driver runs of each plugin (default 3, or --runs if fewer)")
    ap.add_argument("--constructs", type=results.positive, default=100,
                    help="concurrent Constructs per driver run (default 100)")
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing target/release binary instead of running cargo build")
    ap.add_argument("--debug", action="store_true",
                    help="launch target/debug's plugin as `make build` left it (no build); for the smoke run "
                    "of `make test`: its times are not launchpad's")
    args = ap.parse_args()
    serve_runs = args.serve_runs if args.serve_runs is not None else min(3, args.runs)
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    load_start = results.load_average()

    try:
        versions = harness.versions()
        pinned = versions["PULUMI_NODEJS_SDK_VERSION"]
        check_pin(pinned)
        binary = launchpad_binary(args.no_build, args.debug)
        build_go_peer(versions["PULUMI_VERSION"])
        install_node_peer(pinned)
        node = shutil.which("node")
        if node is None:
            raise BenchError("node is not on PATH")

        greeting = {"name": "world"}
        peers = [
            Peer("launchpad", [str(binary)], ROOT, binary.stat().st_size, "binary",
                 "launchpad:index:StaticSite", {"path": "site"}),
            Peer("go", [str(GO_PEER)], GO_DIR, GO_PEER.stat().st_size, "binary",
                 "gobench:index:Greeting", greeting),
            Peer("node", [node, str(NODE_DIR / "index.js")], NODE_DIR,
                 tree_bytes(NODE_DIR / "node_modules"), "node_modules", "nodebench:index:Greeting", greeting),
        ]

        # One untimed warm-up each (page cache, first-run effects), with a TCP
        # probe of the printed port to check each really serves.
        for p in peers:
            launch_once(p.name, p.argv, p.cwd, probe=True)

        print(f"timing {args.runs} launches of each, rotating the order ...", flush=True)
        floor: list[float] = []
        for i in range(args.runs):
            for p in results.rotated(peers, i):
                p.runs.append(launch_once(p.name, p.argv, p.cwd, probe=False))
            floor.append(floor_once())

        print(f"serving {args.constructs} concurrent Constructs, {serve_runs} run(s) of each ...", flush=True)
        with tempfile.TemporaryDirectory(prefix="launchpad-bench-startup-") as tmp:
            program = program_directory(Path(tmp))
            for i in range(serve_runs):
                for p in results.rotated(peers, i):
                    p.serving.append(serve_once(p, args.constructs, program))
        report(peers, floor, args.runs, args.constructs, args.debug, load_start)
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
