"""`pulumi preview` of launchpad's program and its TypeScript peer: run, time, compare, report.

What the preview benchmarks (bench/preview-overhead, bench/kubernetes-preview, bench/preview-mix)
share: a peer's pinned npm packages (`install_npm_peer`), `pulumi` in its own process group
(`pulumi_group`), what a preview planned (`planned`, from `pulumi preview --json`) and what a
program asked the engine for (`register_requests`, `with_registered_options`, from
PULUMI_DEBUG_GRPC: options the state does not keep, such as deleteBeforeReplace and the provider
version), the property paths where two input maps differ (`input_differences`), the timed loop
that alternates the two programs (`measure`, with fewer runs from LARGE_N on), the
PULUMI_SKIP_CHECKPOINTS variant every one of them runs in `make bench` (`SKIP_CHECKPOINTS`), the
table of medians (`print_table`) and the result line (`result_line`, bench/results.py). It knows no component and no cloud: each benchmark says which
programs, which helper processes (stand-ins) count towards the CPU time, and how many resources
a preview must plan. Start at `measure`. Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
import harness  # noqa: E402  (tests/e2e/harness.py: pulumi env, stacks, stand-ins)
import results  # noqa: E402  (bench/results.py: the result line every benchmark prints last)
from results import children_cpu_s, load_average, process_cpu_s  # noqa: E402, F401  (load_average and
# process_cpu_s re-exported to the preview benchmarks)

RELEASE_PLUGIN = ROOT / "target" / "release" / "pulumi-resource-launchpad"
# What `make build` leaves: the smoke runs of `make test` (--debug) use it rather than compile twice.
DEBUG_PLUGIN = ROOT / "target" / "debug" / "pulumi-resource-launchpad"


class BenchError(Exception):
    """Something failed to build, install or preview, or the two programs are not peers."""


def run_bench(body: Callable[[contextlib.ExitStack], None], failures: tuple[type[Exception], ...] = ()) -> int:
    """A preview benchmark's main after its arguments: BODY runs with an ExitStack for what it
    starts (a control plane), which is stopped however BODY ends. Exit 0 when it finishes; 1, the
    reason on stderr, when something fails to build, install, start or preview (BenchError,
    harness's own RuntimeError and CalledProcessError, and FAILURES); 130 on Ctrl-C or SIGTERM."""
    signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        with contextlib.ExitStack() as stack:
            body(stack)
        return 0
    except (BenchError, RuntimeError, subprocess.CalledProcessError, *failures) as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        return 130


def run_step(cmd: list[str], cwd: Path, what: str) -> None:
    """Run a build/install step in the foreground, failing loudly."""
    where = cwd.relative_to(ROOT) if cwd != ROOT else "."
    print(f"$ {' '.join(cmd)}   (in {where})", flush=True)
    if subprocess.run(cmd, cwd=cwd).returncode != 0:
        raise BenchError(f"{what} failed")


# ---------------------------------------------------------------- the two programs


def add_plugin_options(ap: argparse.ArgumentParser) -> None:
    """--plugin, --no-build and --debug: which pulumi-resource-launchpad to time (plugin_binary)."""
    ap.add_argument("--plugin", help="use this pulumi-resource-launchpad binary (no build); "
                    "default: target/release, built with cargo build --release")
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing target/release binary instead of running cargo build")
    ap.add_argument("--debug", action="store_true",
                    help="use target/debug's plugin as `make build` left it (no build); for the smoke run "
                    "of `make test`: its times are not launchpad's")


def plugin_binary(args: argparse.Namespace) -> Path:
    if args.plugin:
        plugin = Path(args.plugin).resolve()
    elif args.debug:
        plugin = DEBUG_PLUGIN
    else:
        if not args.no_build:
            run_step(["cargo", "build", "--release", "-p", "pulumi-resource-launchpad"], ROOT,
                     "cargo build --release")
        plugin = RELEASE_PLUGIN
    if not os.access(plugin, os.X_OK):
        raise BenchError(f"{plugin} is missing; run without --no-build, pass --plugin, "
                         "or for --debug run `make build`")
    return plugin





def private_plugin(plugin: Path, work: Path) -> Path:
    """A copy of PLUGIN in WORK/plugin (a rebuild mid-run cannot swap it); that folder goes first
    on PATH (program_env)."""
    plugin_dir = work / "plugin"
    plugin_dir.mkdir(parents=True)
    shutil.copy2(plugin, plugin_dir / "pulumi-resource-launchpad")
    return plugin_dir


# issue 19: every preview benchmark runs once more with PULUMI_SKIP_CHECKPOINTS=true on both sides.
SKIP_CHECKPOINTS = {
    "variant": "-skip-checkpoints",
    "variant_label": "with PULUMI_SKIP_CHECKPOINTS=true on both sides",
    "variant_note": "PULUMI_SKIP_CHECKPOINTS=true makes the engine keep its snapshot in memory instead of "
                    "serializing and verifying all of it after every step, which the pinned CLI does even in a "
                    "preview and which grows with the square of the resources (bench/README.md, \"Where the time "
                    "goes\"). Both programs pay it, so a time with it minus the same time without it is the "
                    "engine's own snapshot cost; what is left is the programs' own work (our plugin's, or node's "
                    "building the TypeScript component's resources) and the engine's per-resource steps.",
}


def add_skip_checkpoints_option(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--skip-checkpoints", action="store_true",
                    help="PULUMI_SKIP_CHECKPOINTS=true on both sides: the engine does not serialize its "
                    "whole snapshot on every step (bench/README.md); `make bench` runs both ways")


def skip_checkpoints_env(env: dict[str, str], skip: bool) -> dict[str, str]:
    """ENV, with PULUMI_SKIP_CHECKPOINTS=true when SKIP (for both programs alike)."""
    return dict(env, PULUMI_SKIP_CHECKPOINTS="true") if skip else env


def skip_checkpoints_variant(skip: bool) -> dict[str, str]:
    """result_line's variant arguments for a run with (or without) --skip-checkpoints."""
    return SKIP_CHECKPOINTS if skip else {}


def program_env(env: dict[str, str], plugin_dir: Path, type_check: bool) -> dict[str, str]:
    """ENV for previews of both programs: our copy of the plugin first on PATH (the engine takes
    the first ambient one), and ts-node transpile-only unless TYPE_CHECK."""
    env = dict(env, PATH=os.pathsep.join([str(plugin_dir), env["PATH"]]))
    if not type_check:
        # Type-checking a cloud SDK's declarations costs seconds of CPU per preview (~14 s for
        # @pulumi/aws), which is not what these benchmarks measure.
        env["PULUMI_NODEJS_TRANSPILE_ONLY"] = "true"
    return env


# ---------------------------------------------------------------- the TypeScript peer's packages


def typescript_pins(pins: dict[str, str], sdks: dict[str, str]) -> dict[str, str]:
    """What a TypeScript peer's package.json pins: SDKS (package -> version) and the
    @pulumi/pulumi, TypeScript and Node typings of PINS (tools/versions.env)."""
    return {
        **sdks,
        "@pulumi/pulumi": pins["PULUMI_NODEJS_SDK_VERSION"],
        "typescript": pins["TYPESCRIPT_VERSION"],
        "@types/node": pins["TYPES_NODE_VERSION"],
    }


def check_pins(program: Path, want: dict[str, str]) -> None:
    """PROGRAM/package.json must pin exactly WANT (package -> version, from tools/versions.env)."""
    spec = json.loads((program / "package.json").read_text())
    have = {**spec.get("dependencies", {}), **spec.get("devDependencies", {})}
    wrong = [f"{k} {have.get(k)} (tools/versions.env: {v})" for k, v in want.items() if have.get(k) != v]
    if wrong:
        raise BenchError(f"{program.relative_to(ROOT)}/package.json pins " + ", ".join(wrong)
                         + "; update it and run `npm install --package-lock-only --ignore-scripts` there")


def installed_version(modules: Path, package: str) -> str | None:
    try:
        return json.loads((modules / package / "package.json").read_text()).get("version")
    except FileNotFoundError:
        return None


def install_npm_peer(program: Path, want: dict[str, str]) -> None:
    """`npm ci` in PROGRAM from its committed lockfile unless WANT is installed already."""
    modules = program / "node_modules"
    if all(installed_version(modules, p) == v for p, v in want.items()):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise BenchError("npm is not on PATH")
    # --ignore-scripts: a provider SDK's install script would download the real plugin.
    run_step([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
             program, f"npm ci of {program.relative_to(ROOT)}")


# ---------------------------------------------------------------- one preview


def pulumi_group(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`pulumi ARGS --non-interactive` in its own process group, which is killed
    whole on any exit path: an interrupted preview leaves no plugin behind."""
    proc = subprocess.Popen(["pulumi", *args, "--non-interactive"], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out, err = proc.communicate()
    except BaseException:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # pulumi cancels and closes its plugins
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        raise
    finally:
        try:  # whatever is left in the group (a stuck plugin or language host)
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@dataclass
class Preview:
    wall_s: float
    cpu_s: float


def preview_once(project: Path, stack: str, env: dict[str, str], helpers: list[int], expect: int) -> Preview:
    """Time one `pulumi preview` of STACK; check it planned EXPECT creates. The CPU time is
    pulumi's process tree plus what the running HELPERS (pids: stand-ins, a cluster) used."""
    c0, h0 = children_cpu_s(), process_cpu_s(helpers)
    t0 = time.perf_counter()
    proc = pulumi_group(["preview", "--stack", stack], project, env)
    t1 = time.perf_counter()
    # pulumi's own tree (language host, node, plugins) is reaped inside it, so
    # RUSAGE_CHILDREN covers it; the helpers are ours and still running.
    cpu = children_cpu_s() - c0 + process_cpu_s(helpers) - h0
    if proc.returncode != 0:
        raise BenchError(f"pulumi preview of {project.name}/{stack} failed ({proc.returncode}):\n"
                         f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    m = re.search(r"\+ (\d+) to create", proc.stdout)
    if not m or int(m.group(1)) != expect:
        raise BenchError(f"{project.name}/{stack}: expected {expect} resources to create, preview said "
                         f"{m.group(0) if m else 'nothing'}:\n{proc.stdout[-2000:]}")
    return Preview(t1 - t0, cpu)


# ---------------------------------------------------------------- what a program planned


def urn_name(urn: str) -> str:
    return urn.rsplit("::", 1)[1]


@dataclass
class Child:
    """One custom resource of a preview, as the engine would register it."""
    type: str
    inputs: dict
    # Its dependencies (by name), property dependencies and ignoreChanges.
    options: dict


@dataclass
class Plan:
    """What `pulumi preview --json` of one program planned."""
    children: dict[str, Child]  # name -> every custom resource (not the stack, not the components)
    creates: int  # resources to create, the stack and the components included


def planned(project: Path, stack: str, env: dict[str, str]) -> Plan:
    """`pulumi preview --json` of STACK: its custom resources and how many creates."""
    proc = pulumi_group(["preview", "--stack", stack, "--json"], project, env)
    if proc.returncode != 0:
        raise BenchError(f"pulumi preview --json of {project.name}/{stack} failed ({proc.returncode}):\n"
                         f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    steps = json.loads(proc.stdout).get("steps", [])
    children = {}
    for step in steps:
        state = step.get("newState") or {}
        if state.get("custom"):
            options = {
                "dependencies": sorted(map(urn_name, state.get("dependencies") or [])),
                # An input without dependencies is no edge; the SDKs differ in whether they send it.
                "propertyDependencies": {k: sorted(map(urn_name, v))
                                         for k, v in (state.get("propertyDependencies") or {}).items() if v},
                "ignoreChanges": sorted(state.get("ignoreChanges") or []),
            }
            children[urn_name(state["urn"])] = Child(state.get("type", ""), state.get("inputs", {}), options)
    return Plan(children, sum(1 for s in steps if s.get("op") == "create"))


def register_requests(grpc_log: Path) -> list[dict]:
    """Every RegisterResource request of a PULUMI_DEBUG_GRPC log, as the resource monitor (the
    engine's server side) received them, in the order they arrived: components included."""
    found = []
    for line in grpc_log.read_text().splitlines():
        e = json.loads(line)
        if (e.get("metadata", {}).get("mode") == "server" and e.get("progress") == "request_started"
                and e.get("method", "").endswith("/RegisterResource")):
            found.append(e.get("request") or {})
    return found


def registrations(grpc_log: Path) -> dict[str, dict]:
    """Name -> the RegisterResource request of every custom resource in a PULUMI_DEBUG_GRPC log
    (the resource monitor's side): what the program or plugin asked for, options included."""
    return {r["name"]: r for r in register_requests(grpc_log) if r.get("custom")}


# What a RegisterResource request says that the state of a preview does not keep.
REGISTERED_OPTIONS = ("deleteBeforeReplace", "version")


def with_registered_options(plan: Plan, grpc_log: Path, options: tuple[str, ...] = REGISTERED_OPTIONS) -> Plan:
    """PLAN with each child's OPTIONS (from the RegisterResource requests of GRPC_LOG) added to
    its options, so that child_differences compares them too."""
    requests = registrations(grpc_log)
    for name, child in plan.children.items():
        request = requests.get(name, {})
        child.options.update({k: set_or_none(request.get(k)) for k in options})
    return plan


def set_or_none(value):
    """VALUE, or None where the request leaves it at protobuf's default (false, "", [], or a
    message of such, as the Node SDK sends `customTimeouts: {}` for none): the same to the engine."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if set_or_none(v) is not None}
    return value or None


def planned_with_registrations(project: Path, stack: str, env: dict[str, str], grpc_log: Path,
                               options: tuple[str, ...] = REGISTERED_OPTIONS) -> Plan:
    """planned() of STACK with PULUMI_DEBUG_GRPC=GRPC_LOG, and each child's OPTIONS from it."""
    grpc_log.unlink(missing_ok=True)
    return with_registered_options(planned(project, stack, dict(env, PULUMI_DEBUG_GRPC=str(grpc_log))),
                                   grpc_log, options)


def input_differences(a: dict, b: dict, at: str = "") -> list[str]:
    """The property paths whose values differ between two input maps."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b))
                for d in input_differences(a.get(k), b.get(k), f"{at}.{k}" if at else k)]
    return [] if a == b else [at or "(all)"]


def child_differences(a: dict[str, Child], b: dict[str, Child], normalized=lambda inputs: inputs) -> list[str]:
    """How two programs' children differ: a name on one side only, or another type, other
    options or other input values (after NORMALIZED, which blanks what may differ on purpose)."""
    problems = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            problems.append(f"{name}: only in {'launchpad' if name in a else 'the TypeScript peer'}")
        elif a[name].type != b[name].type:
            problems.append(f"{name}: type {a[name].type} vs {b[name].type}")
        elif a[name].options != b[name].options:
            problems.append(f"{name}: options differ\n  launchpad:  {json.dumps(a[name].options, sort_keys=True)}"
                            f"\n  TypeScript: {json.dumps(b[name].options, sort_keys=True)}")
        else:
            problems += [f"{name}.{d}: input differs" for d in input_differences(
                normalized(a[name].inputs), normalized(b[name].inputs))]
    return problems


# ---------------------------------------------------------------- timing


@dataclass
class Series:
    name: str
    project: Path
    per_unit: int = 0  # resources one component instance adds to a preview (itself and its children)
    runs: dict[int, list[Preview]] = field(default_factory=dict)

    def wall(self, n: int) -> float:
        return statistics.median(r.wall_s for r in self.runs[n])

    def cpu(self, n: int) -> float:
        return statistics.median(r.cpu_s for r in self.runs[n])


def create_stacks(series: tuple[Series, Series], sizes: list[int], env: dict[str, str]) -> None:
    """One stack `n<N>` per program and N, with config `n` (untimed)."""
    for s in series:
        for n in sizes:
            harness.select_stack(s.project, f"n{n}", env, {"n": str(n)})


# From this N on, a point is previewed --runs-large times rather than --runs: one preview of 500
# StaticSites takes minutes (the engine's snapshot work grows with the square of the resources).
LARGE_N = 500


def add_runs_options(ap: argparse.ArgumentParser, default_sizes: str) -> None:
    """--runs, --runs-large and --sizes (see runs_at)."""
    ap.add_argument("--runs", type=results.positive, default=5, help="previews per program and N (default 5)")
    ap.add_argument("--runs-large", type=results.positive, default=None,
                    help=f"previews per program at N >= {LARGE_N} (default: --runs); a preview of 500 "
                    "StaticSites takes minutes")
    ap.add_argument("--sizes", type=parse_sizes, default=parse_sizes(default_sizes),
                    help=f"comma-separated values of N (default {default_sizes})")


def runs_at(n: int, runs: int, runs_large: int | None) -> int:
    """How many previews per program at N: RUNS_LARGE from LARGE_N on (when given), else RUNS."""
    return runs_large if runs_large is not None and n >= LARGE_N else runs


def measure(a: Series, b: Series, sizes: list[int], runs: int, env: dict[str, str], helpers: list[int],
            runs_large: int | None = None) -> None:
    """Preview stack `n<N>` of both programs RUNS times per N (RUNS_LARGE from LARGE_N on, when
    given), alternated (A B, B A, ...) so that machine noise hits both; each preview must plan the
    stack and N × per_unit resources."""
    for n in sizes:
        runs_n = runs_at(n, runs, runs_large)
        print(f"N={n}: {runs_n} previews of each, alternating ...", flush=True)
        for i in range(runs_n):
            for s in ((a, b) if i % 2 == 0 else (b, a)):
                r = preview_once(s.project, f"n{n}", env, helpers, 1 + n * s.per_unit)
                s.runs.setdefault(n, []).append(r)
                print(f"  {s.name:<10} N={n:<4} {r.wall_s:6.2f} s wall  {r.cpu_s:6.2f} s CPU", flush=True)


# ---------------------------------------------------------------- output


def tool_version(argv: list[str], env: dict[str, str] | None = None) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, env=env).stdout.strip()
    except FileNotFoundError:
        return "?"


def print_header(runs: int, plugin: Path, env: dict[str, str], load_start: str, details: str) -> None:
    """The run's circumstances: runs, CPUs, load, date, the plugin and the tools' versions, then
    DETAILS (the SDKs, the benchmark's own settings)."""
    pins = harness.versions()
    print()
    print(f"pulumi preview, {runs} runs per point, alternated; {os.cpu_count()} CPUs, "
          f"load average {load_start} at start, {load_average()} at end; {time.strftime('%Y-%m-%d')}")
    print(f"plugin {plugin} ({plugin.stat().st_size / 2**20:.0f} MiB); pulumi "
          f"{tool_version(['pulumi', 'version'], env)}; node {tool_version(['node', '--version'])}; "
          f"@pulumi/pulumi {pins['PULUMI_NODEJS_SDK_VERSION']}, {details}")


def print_table(lp: Series, ts: Series, sizes: list[int], cpu_of: str) -> None:
    """Medians per N (wall and CPU), the ratios launchpad / TypeScript, and each side's range.
    CPU_OF says what the CPU column counts."""
    head = ("N", "launchpad", "TypeScript", "lp/TS", "CPU launchpad", "CPU TypeScript", "lp/TS (CPU)")
    rows = []
    for n in sizes:
        rows.append((str(n), f"{lp.wall(n):.2f} s", f"{ts.wall(n):.2f} s", f"{lp.wall(n) / ts.wall(n):.2f}",
                     f"{lp.cpu(n):.2f} s", f"{ts.cpu(n):.2f} s", f"{lp.cpu(n) / ts.cpu(n):.2f}"))
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(h.rjust(w) for h, w in zip(head, widths)))
    print(line)
    for r in rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))
    print(line)
    print(f"medians of wall time of `pulumi preview` and of CPU time ({cpu_of}); "
          "lp/TS < 1 means launchpad is faster")
    for s in (lp, ts):
        spread = ", ".join(f"N={n}: {min(r.wall_s for r in s.runs[n]):.2f}-{max(r.wall_s for r in s.runs[n]):.2f} s"
                           for n in sizes)
        print(f"  {s.name} wall range  {spread}")


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]  # nearest rank


def result_line(benchmark: str, title: str, series: tuple[Series, Series], sizes: list[int], runs: int,
                plugin: Path, load_start: str, params: dict, variant: str = "", variant_label: str = "",
                variant_note: str = "") -> None:
    """The table's figures, per program and N, as bench/results.py's result line; a plugin under a
    `debug` folder (--debug, or --plugin pointing at one) marks the figures as a debug build's.
    VARIANT (its file name's suffix), VARIANT_LABEL and VARIANT_NOTE: see results.emit."""
    metrics = [results.Metric(f"N={n} {what}", f"N={n}: {label}", "s")
               for n in sizes for what, label in (("wall", "wall (median)"), ("wall p90", "wall (p90)"),
                                                   ("cpu", "CPU (median)"))]
    peers = {}
    for s in series:
        figures: dict[str, float] = {"resources per unit": s.per_unit}
        for n in sizes:
            figures |= {f"N={n} wall": s.wall(n), f"N={n} wall p90": p90([r.wall_s for r in s.runs[n]]),
                        f"N={n} cpu": s.cpu(n)}
        peers[s.name.lower()] = figures
    results.emit(benchmark, title, debug="debug" in plugin.parts, load_start=load_start,
                 params={"runs": runs, "sizes": sizes, **{k: v for k, v in params.items() if v is not None}},
                 metrics=metrics, peers=peers,
                 variant=variant, variant_label=variant_label, variant_note=variant_note)


# ---------------------------------------------------------------- command line


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: expected numbers like 1,20,100") from None
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: every N must be at least 1")
    return sizes


def raise_interrupt(signum, frame):  # noqa: ARG001
    """SIGTERM handler: unwind like Ctrl-C, so every process group and helper is ended."""
    raise KeyboardInterrupt
