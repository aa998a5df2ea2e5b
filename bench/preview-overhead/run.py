#!/usr/bin/env python3
"""Preview-overhead benchmark: N launchpad StaticSites vs the same as a TypeScript component.

`make bench` runs this after the start-up benchmark. Two Pulumi TypeScript
programs declare N StaticSites (N from stack config `n`):

* launchpad/: `new launchpad.StaticSite(`site${i}`, { path: "./site" })` through
  the generated SDK: each site is a Construct call to pulumi-resource-launchpad;
* ts-component/: the same aws children written as a `pulumi.ComponentResource`
  on `@pulumi/aws` (ts-component/staticSite.ts), with the site's files as one
  `aws.s3.BucketObjectv2` each where launchpad has its one SiteContent.

Both reach the same `aws` stand-in (tests/standin), attached with
PULUMI_DEBUG_PROVIDERS, with a local file:// backend, as tests/e2e/harness.py
runs the examples. Before timing, one untimed `pulumi preview --json` of each at
N=1 checks that both plan the same children, wired the same way (check_peers).
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
# What `make build` leaves: the smoke run of `make test` (--debug) uses it rather than compile twice.
DEBUG_PLUGIN = ROOT / "target" / "debug" / "pulumi-resource-launchpad"
WORK = ROOT / "target" / "bench" / "preview-overhead"
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

# The one part where the two programs differ on purpose: launchpad uploads the
# folder with its own SiteContent resource, the peer with one object per file.
SITE_CONTENT = "launchpad:index:SiteContent"
BUCKET_OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"


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
    name = lambda urn: urn.rsplit("::", 1)[1]  # noqa: E731
    children = {}
    for step in steps:
        state = step.get("newState") or {}
        if state.get("custom"):
            options = {
                "dependencies": sorted(map(name, state.get("dependencies") or [])),
                # An input without dependencies is no edge; the SDKs differ in whether they send it.
                "propertyDependencies": {k: sorted(map(name, v))
                                         for k, v in (state.get("propertyDependencies") or {}).items() if v},
                "ignoreChanges": sorted(state.get("ignoreChanges") or []),
            }
            children[name(state["urn"])] = Child(state.get("type", ""), state.get("inputs", {}), options)
    return Plan(children, sum(1 for s in steps if s.get("op") == "create"))


def normalized(inputs: dict) -> dict:
    """Inputs with the one intended difference blanked: the per-stack hash in
    unique names (the OAC's, the headers policy's), a hash of organization/
    project/stack/parent (the two programs are different projects)."""
    text = json.dumps(inputs, sort_keys=True)
    return json.loads(re.sub(r'"(site[0-9]+[a-z-]*)-[0-9a-f]{8}"', r'"\1-<hash>"', text))


def input_differences(a: dict, b: dict, at: str = "") -> list[str]:
    """The property paths whose values differ between two input maps."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b))
                for d in input_differences(a.get(k), b.get(k), f"{at}.{k}" if at else k)]
    return [] if a == b else [at or "(all)"]


def site_keys(folder: Path) -> list[str]:
    """The site folder's files as S3 keys."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@dataclass
class Peers:
    """The outcome of the check: what one site is in each program."""
    lp_per_site: int  # resources per site in launchpad's preview (component included)
    ts_per_site: int
    shared: int  # aws children both register
    files: int  # objects the peer registers per site (one SiteContent in launchpad)


def check_peers(lp: Path, ts: Path, env: dict[str, str], site: Path = SITE_DIR) -> Peers:
    """Both programs at N=1 must plan the same StaticSite: every child launchpad
    registers, the peer registers with the same name, type and options (its
    dependencies, property dependencies, ignoreChanges), except launchpad's
    SiteContent, for which the peer has one BucketObjectv2 per file of the site
    folder, waiting for what SiteContent waits for (less the distribution, which
    only SiteContent invalidates), with the same input values: a peer that sends
    less is not doing the same job, and a difference left as a note goes unseen."""
    a, b = planned(lp, "n1", env), planned(ts, "n1", env)
    content = {n: c for n, c in a.children.items() if c.type == SITE_CONTENT}
    objects = {n: c for n, c in b.children.items() if c.type == BUCKET_OBJECT}
    shared_a = {n: c for n, c in a.children.items() if n not in content}
    shared_b = {n: c for n, c in b.children.items() if n not in objects}
    problems = []
    if not shared_a:
        problems.append(f"launchpad registered no aws child for one site: {sorted(a.children)}")
    for name in sorted(set(shared_a) | set(shared_b)):
        if name not in shared_a or name not in shared_b:
            problems.append(f"{name}: only in {'launchpad' if name in shared_a else 'the TypeScript peer'}")
        elif shared_a[name].type != shared_b[name].type:
            problems.append(f"{name}: type {shared_a[name].type} vs {shared_b[name].type}")
        elif shared_a[name].options != shared_b[name].options:
            problems.append(f"{name}: options differ\n  launchpad:  {json.dumps(shared_a[name].options, sort_keys=True)}"
                            f"\n  TypeScript: {json.dumps(shared_b[name].options, sort_keys=True)}")
        else:
            problems += [f"{name}.{d}: input differs" for d in input_differences(
                normalized(shared_a[name].inputs), normalized(shared_b[name].inputs))]
    keys = site_keys(site)
    if len(content) != 1:
        problems.append(f"launchpad registered {len(content)} {SITE_CONTENT} for one site, expected 1")
    else:
        ((content_name, c),) = content.items()
        # SiteContent waits for the bucket and its policy, and for the distribution it invalidates.
        invalidates = c.options["propertyDependencies"].get("distributionId", [])
        waits_for = sorted(set(c.options["dependencies"]) - set(invalidates))
        got = sorted(o.inputs.get("key", "?") for o in objects.values())
        if got != keys:
            problems.append(f"the peer's objects have keys {got}; the site folder {site} has {keys}")
        for name, o in sorted(objects.items()):
            if o.options["dependencies"] != waits_for:
                problems.append(f"{name}: waits for {o.options['dependencies']}, launchpad's {content_name} "
                                f"for {waits_for} (and the distribution it invalidates)")
    if problems:
        raise BenchError("the TypeScript peer is not doing what launchpad does "
                         "(keep ts-component/staticSite.ts in step with static_site/plan.rs):\n"
                         + "\n".join(problems))
    return Peers(a.creates - 1, b.creates - 1, len(shared_a), len(objects))


# ---------------------------------------------------------------- output


@dataclass
class Series:
    name: str
    project: Path
    per_site: int = 0  # resources one site adds to a preview (the component and its children)
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


def report(lp: Series, ts: Series, peers: Peers, sizes: list[int], runs: int, plugin: Path,
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
    print(f"one site: launchpad {lp.per_site} resources (the component, {peers.shared} aws children, one "
          f"SiteContent), TypeScript {ts.per_site} (the component, the same {peers.shared}, "
          f"{peers.files} BucketObjectv2 for the site's {peers.files} files)")
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
    ap.add_argument("--debug", action="store_true",
                    help="use target/debug's plugin as `make build` left it (no build); for the smoke run "
                    "of `make test`: its times are not launchpad's")
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
            print("checking both programs plan the same children (untimed preview --json, N=1) ...",
                  flush=True)
            peers = check_peers(lp.project, ts.project, env)
            lp.per_site, ts.per_site = peers.lp_per_site, peers.ts_per_site
            for n in args.sizes:
                print(f"N={n}: {args.runs} previews of each, alternating ...", flush=True)
                for i in range(args.runs):
                    for s in ((lp, ts) if i % 2 == 0 else (ts, lp)):
                        # The stack, then N sites as the N=1 check counted them.
                        r = preview_once(s.project, f"n{n}", env, standins, 1 + n * s.per_site)
                        s.runs.setdefault(n, []).append(r)
                        print(f"  {s.name:<10} N={n:<4} {r.wall_s:6.2f} s wall  {r.cpu_s:6.2f} s CPU", flush=True)
            report(lp, ts, peers, args.sizes, args.runs, plugin, env, args, load_start)
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
