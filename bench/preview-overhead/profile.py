#!/usr/bin/env python3
"""Where a preview's time goes: one instrumented `pulumi preview` of one benchmark program.

    python3 bench/preview-overhead/profile.py [--program launchpad|typescript] [--n 100]
        [--plugin PATH] [--skip-checkpoints] [--pprof]

Same set-up as run.py (same programs, stand-ins, plugin copy; its own work dir
target/bench/preview-overhead-profile). After one untimed warm-up it runs the
preview once with

* PULUMI_DEBUG_GRPC: every RPC the engine makes as a client (to the language
  host and the providers, Construct included), with its duration;
* `--logtostderr --logflow -v=7`: the engine's timestamped log, where the
  resource monitor's side shows (RegisterResource received / finished,
  RegisterResourceOutputs, SupportsFeature);
* /proc sampled every 50 ms: CPU time of each process under `pulumi`;
* with --pprof, the engine's own CPU profile (`--profiling`), summarised with
  `go tool pprof -top` when Go is installed.

and prints the counts, the per-process CPU, and for launchpad a per-Construct
breakdown. The logging makes this run slower than run.py's; read the shares,
not the totals. Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (bench/preview-overhead/run.py: preparation, environment)
from run import BenchError, harness  # noqa: E402
from peer_previews import RELEASE_PLUGIN, pulumi_group  # noqa: E402  (bench/peer_previews.py, on the path run.py set)

WORK = run.ROOT / "target" / "bench" / "preview-overhead-profile"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- per-process CPU


def proc_table() -> dict[int, tuple[int, str, float]]:
    """pid -> (ppid, comm, CPU seconds so far)."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                text = f.read()
        except OSError:
            continue
        comm = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        out[int(name)] = (int(fields[1]), comm, (int(fields[11]) + int(fields[12])) / CLK_TCK)
    return out


def run_sampled(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, dict[str, float], float]:
    """Run ARGV; return its result, CPU seconds per process name in its tree
    (last sample of each process), and the wall time."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    result: dict[str, tuple[str, str]] = {}
    reader = threading.Thread(target=lambda: result.update(out=proc.communicate()))
    reader.start()
    last: dict[int, tuple[str, float]] = {}
    try:
        while reader.is_alive():
            table = proc_table()
            tree, grew = {proc.pid}, True
            while grew:
                grew = False
                for pid, (ppid, _, _) in table.items():
                    if ppid in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
            for pid in tree:
                if pid in table:
                    last[pid] = (table[pid][1], table[pid][2])
            time.sleep(0.05)
    finally:
        try:  # the whole group: pulumi and anything it started
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        reader.join()
    wall = time.perf_counter() - t0
    cpu: dict[str, float] = collections.defaultdict(float)
    for comm, seconds in last.values():
        cpu[comm] += seconds
    out, err = result.get("out", ("", ""))
    return subprocess.CompletedProcess(argv, proc.returncode, out, err), dict(cpu), wall


# ---------------------------------------------------------------- logs


def timestamp(text: str) -> float:
    base, _, frac = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(base).timestamp() + float("0." + (frac or "0"))


def client_rpcs(path: Path) -> dict[tuple[str, str], list[float]]:
    """PULUMI_DEBUG_GRPC: (method, callee) -> durations in ms of the engine's client calls."""
    out = collections.defaultdict(list)
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        e = json.loads(line)
        md = e.get("metadata", {})
        if md.get("mode") == "client" and "duration" in e:
            callee = md.get("name") or md.get("kind", "?")
            out[(e["method"].rsplit("/", 1)[1], callee)].append(e["duration"] / 1e6)
    return out


def monitor_counts(path: Path) -> collections.Counter:
    """What the resource monitor received (from PULUMI_DEBUG_GRPC, server side)."""
    c = collections.Counter()
    if not path.exists():
        return c
    for line in path.read_text().splitlines():
        e = json.loads(line)
        if e.get("metadata", {}).get("mode") == "server" and e.get("progress") == "request_started":
            method = e["method"].rsplit("/", 1)[1]
            req = e.get("request") or {}
            if method == "RegisterResource":
                kind = "remote component" if req.get("remote") else "custom" if req.get("custom") else "component"
                method += f" ({kind}{', no source position: from a plugin' if not req.get('sourcePosition') else ''})"
            elif method == "SupportsFeature":
                method += f" ({req.get('id')})"
            c[method] += 1
    return c


def engine_log(text: str) -> list[tuple[float, str]]:
    events = []
    for line in text.splitlines():
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if "time" in e:
            events.append((timestamp(e["time"]), e.get("msg", "")))
    return events


def construct_breakdown(events: list[tuple[float, str]]) -> None:
    """Per launchpad component: the steps of its Construct, from the engine's log."""
    t0 = events[0][0]
    site: dict[str, dict[str, float]] = collections.defaultdict(dict)
    for t, m in events:
        t -= t0
        if x := re.match(r"Provider\[[^]]*\]\.Construct\([^,]*, (\S+?),.*\) (executing|success)", m):
            site[x.group(1)]["construct " + x.group(2)] = t
        elif x := re.match(r"ResourceMonitor\.RegisterResource received: t=launchpad:index:StaticSite, name=(\S+?),", m):
            d = site[x.group(1)]
            d["component received" if "remote received" in d else "remote received"] = t
        elif x := re.match(r"ResourceMonitor\.RegisterResource operation finished: t=launchpad:index:StaticSite, urn=\S*::(\S+?),", m):
            site[x.group(1)].setdefault("component finished", t)
        elif x := re.match(r"ResourceMonitor\.RegisterResource (received|operation finished): t=aws:\S*, (?:name|urn)=(?:\S*::)?(\S+?)-[a-z-]+,", m):
            d = site[x.group(2)]
            key = "child " + x.group(1).split()[0]
            d.setdefault(key + " first", t)
            d[key + " last"] = t
        elif x := re.match(r"ResourceMonitor\.RegisterResourceOutputs received: urn=\S*StaticSite::(\S+?),", m):
            site[x.group(1)]["outputs received"] = t
    need = ("construct executing", "construct success", "component received", "component finished",
            "child received first", "child operation last", "outputs received")
    rows = [d for d in site.values() if all(k in d for k in need)]
    if not rows:
        print("  (no complete Construct found in the engine log)")
        return
    first = min(d["construct executing"] for d in rows)
    last = max(d["construct success"] for d in rows)
    print(f"  {len(rows)} Constructs: first call at {first:.2f} s, last response at {last:.2f} s "
          f"(log ends at {events[-1][0] - t0:.2f} s)")
    spans = [
        ("Construct call -> component registration", "construct executing", "component received"),
        ("  (connect, SupportsFeature, plan)", None, None),
        ("component registration round trip", "component received", "component finished"),
        ("component registered -> first child sent", "component finished", "child received first"),
        ("first child sent -> last child registered", "child received first", "child operation last"),
        ("last child -> RegisterResourceOutputs", "child operation last", "outputs received"),
        ("RegisterResourceOutputs -> Construct response", "outputs received", "construct success"),
        ("Construct total", "construct executing", "construct success"),
    ]
    print(f"  {'per Construct (ms)':<48} {'median':>8} {'p10':>8} {'p90':>8} {'max':>8}")
    for label, a, b in spans:
        if a is None:
            print(f"  {label}")
            continue
        xs = sorted((d[b] - d[a]) * 1e3 for d in rows)
        print(f"  {label:<48} {statistics.median(xs):8.1f} {xs[len(xs) // 10]:8.1f} "
              f"{xs[max(0, int(0.9 * len(xs)) - 1)]:8.1f} {xs[-1]:8.1f}")


def phases(events: list[tuple[float, str]], component: str) -> None:
    t0 = events[0][0]
    def first(pattern: str) -> float | None:
        return next((t - t0 for t, m in events if re.search(pattern, m)), None)
    def last(pattern: str) -> float | None:
        return next((t - t0 for t, m in reversed(events) if re.search(pattern, m)), None)
    marks = [
        ("language host Run", first(r"langhost\[nodejs\]\.Run\(")),
        ("stack registered", first(r"RegisterResource received: t=pulumi:pulumi:Stack")),
        (f"first {component} registered", first(rf"RegisterResource received: t={re.escape(component)}")),
        ("first child registered", first(r"RegisterResource received: t=aws:")),
        ("last child finished", last(r"RegisterResource operation finished: t=aws:")),
        ("update complete", last(r"Update\(preview=true\) complete")),
    ]
    print("  " + ", ".join(f"{name} {t:.2f} s" for name, t in marks if t is not None))


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--program", choices=["launchpad", "typescript"], default="launchpad")
    ap.add_argument("--n", type=int, default=100, help="number of StaticSites (default 100)")
    ap.add_argument("--plugin", default=str(RELEASE_PLUGIN),
                    help="pulumi-resource-launchpad to use (default target/release; never built here)")
    ap.add_argument("--skip-checkpoints", action="store_true", help="PULUMI_SKIP_CHECKPOINTS=true")
    ap.add_argument("--pprof", action="store_true", help="also write and summarise the engine's CPU profile")
    args = ap.parse_args()
    try:
        pins = harness.versions()
        run.check_pins(pins)
        plugin = Path(args.plugin).resolve()
        if not os.access(plugin, os.X_OK):
            raise BenchError(f"{plugin} is missing; build it or pass --plugin")
        run.ensure_prerequisites()
        run.install_ts_peer(pins)
        lp_dir, ts_dir, plugin_dir, state = run.prepare_work(plugin, WORK)
        project = lp_dir if args.program == "launchpad" else ts_dir
        component = "launchpad:index:StaticSite" if args.program == "launchpad" else "bench:index:StaticSite"
        stack = f"n{args.n}"
        logs = WORK / "logs"
        logs.mkdir()
        with harness.Standins(Path(tempfile.mkdtemp(prefix="launchpad-profile-standins-"))) as standins:
            env = run.bench_env(state, standins, plugin_dir, False, args.skip_checkpoints)
            harness.select_stack(project, stack, env, {"n": str(args.n)})
            warm = pulumi_group(["preview", "--stack", stack], project, env)
            if warm.returncode != 0:
                raise BenchError(f"warm-up preview failed ({warm.returncode}):\n{warm.stdout[-2000:]}\n{warm.stderr[-2000:]}")
            grpc_log = logs / "grpc.jsonl"
            env = dict(env, PULUMI_DEBUG_GRPC=str(grpc_log))
            argv = ["pulumi", "preview", "--non-interactive", "--stack", stack,
                    "--logtostderr", "--logflow", "-v=7"]
            if args.pprof:
                argv += ["--profiling", str(logs / "engine")]
            s0 = run.standin_cpu_s(standins)
            proc, cpu, wall = run_sampled(argv, project, env)
            standin_cpu = run.standin_cpu_s(standins) - s0
        (logs / "engine.log").write_text(proc.stderr)
        (logs / "preview.txt").write_text(proc.stdout)
        if proc.returncode != 0:
            raise BenchError(f"preview failed ({proc.returncode}); see {logs}")

        print(f"\n{args.program}, N={args.n}, plugin {plugin}"
              f"{', PULUMI_SKIP_CHECKPOINTS=true' if args.skip_checkpoints else ''}; "
              f"load average {'/'.join(f'{x:.1f}' for x in os.getloadavg())}; logs in {logs}")
        print(f"wall {wall:.2f} s with -v=7 logging")
        print("CPU by process (s):  " + ",  ".join(
            f"{name} {sec:.2f}" for name, sec in sorted(cpu.items(), key=lambda x: -x[1]) if sec >= 0.005)
            + f",  aws/gcp stand-ins {standin_cpu:.2f}")
        print("resource monitor received:")
        for what, n in sorted(monitor_counts(grpc_log).items()):
            print(f"  {n:5}  {what}")
        print("engine as a client (count, median / max ms):")
        for (method, callee), ds in sorted(client_rpcs(grpc_log).items(), key=lambda x: (x[0][1], x[0][0])):
            if callee != "language":
                print(f"  {len(ds):5}  {callee} {method:<14} {statistics.median(ds):8.1f} {max(ds):8.1f}")
        events = engine_log(proc.stderr)
        print("engine log (s from CLI start):")
        phases(events, component)
        if args.program == "launchpad":
            construct_breakdown(events)
        if args.pprof:
            profiles = sorted(logs.glob("engine.*.cpu"))
            go = shutil.which("go")
            if profiles and go:
                top = subprocess.run([go, "tool", "pprof", "-top", "-cum", "-nodecount=25",
                                      str(harness.TOOLS_BIN / "pulumi"), str(profiles[0])],
                                     capture_output=True, text=True).stdout
                print("engine CPU profile (cumulative):")
                print("\n".join("  " + line for line in top.splitlines()[:32]))
            elif profiles:
                print(f"engine CPU profile: {profiles[0]} (go tool pprof -top -cum tools/bin/pulumi FILE)")
        return 0
    except (BenchError, RuntimeError) as e:
        print(f"profile: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nprofile: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
