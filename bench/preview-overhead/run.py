#!/usr/bin/env python3
"""Preview-overhead benchmark: N launchpad StaticSites vs the same as a TypeScript component.

`make bench` runs this after the start-up benchmark. Two Pulumi TypeScript
programs declare N StaticSites (N from stack config `n`):

* launchpad/: `new launchpad.StaticSite(`site${i}`, { path: "./site" })` through
  the generated SDK: each site is a Construct call to pulumi-resource-launchpad;
* ts-component/: the same six children with the same inputs written as a
  `pulumi.ComponentResource` on `@pulumi/aws` (ts-component/staticSite.ts).

Both reach the same `aws` stand-in (tests/standin), attached with
PULUMI_DEBUG_PROVIDERS, with a local file:// backend, as tests/e2e/harness.py
runs the examples. Before timing, one untimed `pulumi preview --json` of each at
N=1 checks that both send the stand-in the same children with the same inputs.
Then for each N one stack per program (created once, untimed) is previewed
--runs times, the two programs alternated (A B, B A, ...) so machine noise hits
both. Per preview it records the wall time of the `pulumi preview` command and
the CPU time of its process tree (pulumi, language host, node, our plugin; the
stand-ins' CPU is added from /proc). It prints medians per N and the ratio
launchpad / TypeScript (lower is better for us). No thresholds: it exits 0
unless something fails to build, install or preview. Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
import harness  # noqa: E402  (tests/e2e/harness.py: stand-ins, pulumi env, stacks)

LAUNCHPAD_DIR = HERE / "launchpad"
TS_DIR = HERE / "ts-component"
SITE_DIR = HERE / "site"
SDK_MODULES = ROOT / "examples" / "static-site-ts" / "node_modules"
RELEASE_PLUGIN = ROOT / "target" / "release" / "pulumi-resource-launchpad"
WORK = ROOT / "target" / "bench" / "preview-overhead"
CHILDREN_PER_SITE = 6  # bucket, ownership, public access block, OAC, distribution, policy
CLK_TCK = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """Something failed to build, install or preview."""


def versions_env() -> dict[str, str]:
    out = {}
    for line in (ROOT / "tools" / "versions.env").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
    return out


def run_step(cmd: list[str], cwd: Path, what: str) -> None:
    """Run a build/install step in the foreground, failing loudly."""
    where = cwd.relative_to(ROOT) if cwd != ROOT else "."
    print(f"$ {' '.join(cmd)}   (in {where})", flush=True)
    if subprocess.run(cmd, cwd=cwd).returncode != 0:
        raise BenchError(f"{what} failed")


# ---------------------------------------------------------------- preparation


def check_pins(pins: dict[str, str]) -> None:
    """ts-component/package.json must pin exactly what tools/versions.env says."""
    spec = json.loads((TS_DIR / "package.json").read_text())
    want = {
        "@pulumi/aws": pins["AWS_PROVIDER_VERSION"],
        "@pulumi/pulumi": pins["PULUMI_NODEJS_SDK_VERSION"],
        "typescript": pins["TYPESCRIPT_VERSION"],
        "@types/node": pins["TYPES_NODE_VERSION"],
    }
    have = {**spec.get("dependencies", {}), **spec.get("devDependencies", {})}
    wrong = [f"{k} {have.get(k)} (tools/versions.env: {v})" for k, v in want.items() if have.get(k) != v]
    if wrong:
        raise BenchError("ts-component/package.json pins " + ", ".join(wrong)
                         + "; update it and run `npm install --package-lock-only --ignore-scripts` there")


def installed_version(modules: Path, package: str) -> str | None:
    try:
        return json.loads((modules / package / "package.json").read_text()).get("version")
    except FileNotFoundError:
        return None


def install_ts_peer(pins: dict[str, str]) -> None:
    modules = TS_DIR / "node_modules"
    if (installed_version(modules, "@pulumi/aws") == pins["AWS_PROVIDER_VERSION"]
            and installed_version(modules, "@pulumi/pulumi") == pins["PULUMI_NODEJS_SDK_VERSION"]):
        return
    npm = shutil.which("npm")
    if npm is None:
        raise BenchError("npm is not on PATH")
    # --ignore-scripts: @pulumi/aws's install script would download the real plugin.
    run_step([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
             TS_DIR, "npm ci of the TypeScript peer")


def ensure_prerequisites() -> None:
    """The pinned CLI and the examples' node_modules (with the SDK), built by make."""
    if not os.access(harness.TOOLS_BIN / "pulumi", os.X_OK):
        run_step(["make", "toolchain"], ROOT, "make toolchain")
    if not (SDK_MODULES / "pulumi-launchpad" / "package.json").exists():
        run_step(["make", "examples"], ROOT, "make examples")


def plugin_binary(args: argparse.Namespace) -> Path:
    if args.plugin:
        plugin = Path(args.plugin).resolve()
    else:
        if not args.no_build:
            run_step(["cargo", "build", "--release", "-p", "pulumi-resource-launchpad"], ROOT,
                     "cargo build --release")
        plugin = RELEASE_PLUGIN
    if not os.access(plugin, os.X_OK):
        raise BenchError(f"{plugin} is missing; run without --no-build or pass --plugin")
    return plugin


def prepare_work(plugin: Path, work: Path = WORK) -> tuple[Path, Path, Path, Path]:
    """A fresh work dir: copies of both programs (their stack files stay out of
    the tree), a private copy of the plugin (a rebuild mid-run cannot swap it),
    and the state dir for the file:// backend and PULUMI_HOME."""
    shutil.rmtree(work, ignore_errors=True)
    programs = work / "programs"
    programs.mkdir(parents=True)
    lp = harness.copy_example(LAUNCHPAD_DIR, programs)
    ts = harness.copy_example(TS_DIR, programs)  # links ts-component/node_modules
    (lp / "node_modules").symlink_to(SDK_MODULES)
    for program in (lp, ts):
        (program / "site").symlink_to(SITE_DIR)
    plugin_dir = work / "plugin"
    plugin_dir.mkdir()
    shutil.copy2(plugin, plugin_dir / "pulumi-resource-launchpad")
    return lp, ts, plugin_dir, work / "state"


def bench_env(state: Path, standins: harness.Standins, plugin_dir: Path, type_check: bool,
              skip_checkpoints: bool = False) -> dict[str, str]:
    env = harness.pulumi_env(state, standins.debug_providers)
    # Our copy of the plugin first on PATH: the engine takes the first ambient one.
    env["PATH"] = os.pathsep.join([str(plugin_dir), env["PATH"]])
    if not type_check:
        # Both programs run transpile-only: type-checking @pulumi/aws's
        # declarations alone costs ~14 s of CPU, which is not what this measures.
        env["PULUMI_NODEJS_TRANSPILE_ONLY"] = "true"
    if skip_checkpoints:
        # Diagnostic: the engine keeps its in-memory snapshot without serializing
        # and verifying all of it on every step (which it does even in preview).
        env["PULUMI_SKIP_CHECKPOINTS"] = "true"
    return env


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


def standin_cpu_s(standins: harness.Standins) -> float:
    total = 0
    for proc in standins.procs:
        try:
            with open(f"/proc/{proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / CLK_TCK


def children_cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


@dataclass
class Preview:
    wall_s: float
    cpu_s: float


def preview_once(project: Path, stack: str, env: dict[str, str], standins: harness.Standins,
                 expect: int) -> Preview:
    """Time one `pulumi preview` of STACK; check it planned EXPECT creates."""
    c0, s0 = children_cpu_s(), standin_cpu_s(standins)
    t0 = time.perf_counter()
    proc = pulumi_group(["preview", "--stack", stack], project, env)
    t1 = time.perf_counter()
    # pulumi's own tree (language host, node, plugins) is reaped inside it, so
    # RUSAGE_CHILDREN covers it; the stand-ins are ours and still running.
    cpu = children_cpu_s() - c0 + standin_cpu_s(standins) - s0
    if proc.returncode != 0:
        raise BenchError(f"pulumi preview of {project.name}/{stack} failed ({proc.returncode}):\n"
                         f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    m = re.search(r"\+ (\d+) to create", proc.stdout)
    if not m or int(m.group(1)) != expect:
        raise BenchError(f"{project.name}/{stack}: expected {expect} resources to create, preview said "
                         f"{m.group(0) if m else 'nothing'}:\n{proc.stdout[-2000:]}")
    return Preview(t1 - t0, cpu)


# ---------------------------------------------------------------- same children?


def children_of(project: Path, stack: str, env: dict[str, str]) -> dict[str, tuple[str, dict, dict]]:
    """`pulumi preview --json`: name -> (type, inputs, options) of every aws child;
    the options are its dependencies (by name), property dependencies and ignoreChanges."""
    proc = pulumi_group(["preview", "--stack", stack, "--json"], project, env)
    if proc.returncode != 0:
        raise BenchError(f"pulumi preview --json of {project.name}/{stack} failed ({proc.returncode}):\n"
                         f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    steps = json.loads(proc.stdout).get("steps", [])
    name = lambda urn: urn.rsplit("::", 1)[1]  # noqa: E731
    out = {}
    for step in steps:
        state = step.get("newState") or {}
        kind = state.get("type", "")
        if kind.startswith("aws:") and state.get("custom"):
            options = {
                "dependencies": sorted(map(name, state.get("dependencies") or [])),
                "propertyDependencies": {k: sorted(map(name, v))
                                         for k, v in (state.get("propertyDependencies") or {}).items()},
                "ignoreChanges": state.get("ignoreChanges") or [],
            }
            out[name(state["urn"])] = (kind, state.get("inputs", {}), options)
    return out


def normalized(inputs: dict) -> dict:
    """Inputs with the one intended difference blanked: the OAC name's hash of
    organization/project/stack/parent (the two programs are different projects)."""
    text = json.dumps(inputs, sort_keys=True)
    return json.loads(re.sub(r'"(site[0-9]+)-[0-9a-f]{8}"', r'"\1-<hash>"', text))


def check_same_children(lp: Path, ts: Path, env: dict[str, str]) -> None:
    a, b = children_of(lp, "n1", env), children_of(ts, "n1", env)
    if len(a) != CHILDREN_PER_SITE:
        raise BenchError(f"launchpad registered {len(a)} aws children for one site, "
                         f"expected {CHILDREN_PER_SITE}: {sorted(a)}")
    problems = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            problems.append(f"{name}: only in {'launchpad' if name in a else 'the TypeScript peer'}")
        elif a[name][0] != b[name][0]:
            problems.append(f"{name}: type {a[name][0]} vs {b[name][0]}")
        elif normalized(a[name][1]) != normalized(b[name][1]):
            problems.append(f"{name}: inputs differ\n  launchpad:  {json.dumps(a[name][1], sort_keys=True)}"
                            f"\n  TypeScript: {json.dumps(b[name][1], sort_keys=True)}")
        elif a[name][2] != b[name][2]:
            problems.append(f"{name}: options differ\n  launchpad:  {json.dumps(a[name][2], sort_keys=True)}"
                            f"\n  TypeScript: {json.dumps(b[name][2], sort_keys=True)}")
    if problems:
        raise BenchError("the TypeScript peer is not registering what launchpad registers "
                         "(keep ts-component/staticSite.ts in step with static_site/plan.rs):\n"
                         + "\n".join(problems))


# ---------------------------------------------------------------- output


@dataclass
class Series:
    name: str
    project: Path
    runs: dict[int, list[Preview]] = field(default_factory=dict)

    def wall(self, n: int) -> float:
        return statistics.median(r.wall_s for r in self.runs[n])

    def cpu(self, n: int) -> float:
        return statistics.median(r.cpu_s for r in self.runs[n])


def tool_version(argv: list[str], env: dict[str, str] | None = None) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, env=env).stdout.strip()
    except FileNotFoundError:
        return "?"


def report(lp: Series, ts: Series, sizes: list[int], runs: int, plugin: Path,
           env: dict[str, str], args: argparse.Namespace, load_start: str) -> None:
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    pins = versions_env()
    print()
    print(f"pulumi preview, {runs} runs per point, alternated; {os.cpu_count()} CPUs, "
          f"load average {load_start} at start, {load} at end; {time.strftime('%Y-%m-%d')}")
    print(f"plugin {plugin} ({plugin.stat().st_size / 2**20:.0f} MiB); pulumi "
          f"{tool_version(['pulumi', 'version'], env)}; node {tool_version(['node', '--version'])}; "
          f"@pulumi/pulumi {pins['PULUMI_NODEJS_SDK_VERSION']}, @pulumi/aws {pins['AWS_PROVIDER_VERSION']}; "
          f"{'type-checked' if args.type_check else 'transpile-only'}"
          f"{'; PULUMI_SKIP_CHECKPOINTS=true' if args.skip_checkpoints else ''}")
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
    print("medians of wall time of `pulumi preview` and of CPU time (its process tree + the aws stand-in); "
          "lp/TS < 1 means launchpad is faster")
    for s in (lp, ts):
        spread = ", ".join(f"N={n}: {min(r.wall_s for r in s.runs[n]):.2f}-{max(r.wall_s for r in s.runs[n]):.2f} s"
                           for n in sizes)
        print(f"  {s.name} wall range  {spread}")


# ---------------------------------------------------------------- main


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: expected numbers like 1,20,100") from None
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: every N must be at least 1")
    return sizes


def _on_signal(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="previews per program and N (default 5)")
    ap.add_argument("--sizes", type=parse_sizes, default=[1, 20, 100],
                    help="comma-separated numbers of StaticSites (default 1,20,100)")
    ap.add_argument("--plugin", help="use this pulumi-resource-launchpad binary (no build); "
                    "default: target/release, built with cargo build --release")
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing target/release binary instead of running cargo build")
    ap.add_argument("--type-check", action="store_true",
                    help="let ts-node type-check both programs (default: transpile-only)")
    ap.add_argument("--skip-checkpoints", action="store_true",
                    help="diagnostic: PULUMI_SKIP_CHECKPOINTS=true, so the engine does not "
                    "serialize its whole snapshot on every step (see bench/README.md)")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    signal.signal(signal.SIGTERM, _on_signal)
    load_start = "/".join(f"{x:.1f}" for x in os.getloadavg())

    try:
        pins = versions_env()
        check_pins(pins)
        plugin = plugin_binary(args)
        ensure_prerequisites()
        install_ts_peer(pins)
        lp_dir, ts_dir, plugin_dir, state = prepare_work(plugin)
        with harness.Standins(Path(tempfile.mkdtemp(prefix="launchpad-bench-standins-"))) as standins:
            env = bench_env(state, standins, plugin_dir, args.type_check, args.skip_checkpoints)
            lp, ts = Series("launchpad", lp_dir), Series("TypeScript", ts_dir)
            sizes = sorted(set(args.sizes) | {1})  # N=1 always exists for the check
            print("creating stacks ...", flush=True)
            for s in (lp, ts):
                for n in sizes:
                    harness.select_stack(s.project, f"n{n}", env, {"n": str(n)})
            # Untimed: plugin/page-cache warm-up, and the two programs really are peers.
            print("checking both programs register the same children (untimed preview --json, N=1) ...",
                  flush=True)
            check_same_children(lp.project, ts.project, env)
            for n in args.sizes:
                expect = 1 + n * (1 + CHILDREN_PER_SITE)  # the stack, N components, their children
                print(f"N={n}: {args.runs} previews of each, alternating ...", flush=True)
                for i in range(args.runs):
                    for s in ((lp, ts) if i % 2 == 0 else (ts, lp)):
                        r = preview_once(s.project, f"n{n}", env, standins, expect)
                        s.runs.setdefault(n, []).append(r)
                        print(f"  {s.name:<10} N={n:<4} {r.wall_s:6.2f} s wall  {r.cpu_s:6.2f} s CPU", flush=True)
            report(lp, ts, args.sizes, args.runs, plugin, env, args, load_start)
        return 0
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    except (RuntimeError, subprocess.CalledProcessError) as e:  # harness's own failures
        print(f"bench: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
