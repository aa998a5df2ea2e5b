#!/usr/bin/env python3
"""Preview-overhead benchmark: N launchpad StaticSites vs the same as a TypeScript component.

`make bench` runs this after the start-up benchmark, at N = 1, 20, 100 and 500
(--runs-large previews at N >= 500: one takes minutes), once as it is and once
with --skip-checkpoints (PULUMI_SKIP_CHECKPOINTS=true on both sides, which
leaves out the engine's own snapshot cost). Two Pulumi TypeScript
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
launchpad / TypeScript (lower is better for us), then bench/results.py's
result line. No thresholds: it exits 0 unless something fails to build,
install or preview. Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import peer_previews  # noqa: E402
from peer_previews import (  # noqa: E402  (bench/peer_previews.py: what the preview benchmarks share)
    ROOT, add_plugin_options, add_runs_options, run_bench, add_skip_checkpoints_option, BenchError, child_differences,
    create_stacks, harness, install_npm_peer, load_average, measure, planned, plugin_binary, print_header,
    print_table, private_plugin, process_cpu_s, program_env, result_line, run_step, Series,
    skip_checkpoints_env, skip_checkpoints_variant, typescript_pins,
)

LAUNCHPAD_DIR = HERE / "launchpad"
TS_DIR = HERE / "ts-component"
SITE_DIR = HERE / "site"
SDK_MODULES = ROOT / "examples" / "static-site-ts" / "node_modules"
WORK = ROOT / "target" / "bench" / "preview-overhead"


# ---------------------------------------------------------------- preparation


def peer_pins(pins: dict[str, str]) -> dict[str, str]:
    """What ts-component/package.json must pin (tools/versions.env's versions)."""
    return typescript_pins(pins, {"@pulumi/aws": pins["AWS_PROVIDER_VERSION"]})


def check_pins(pins: dict[str, str]) -> None:
    """ts-component/package.json must pin exactly what tools/versions.env says."""
    peer_previews.check_pins(TS_DIR, peer_pins(pins))


def install_ts_peer(pins: dict[str, str]) -> None:
    install_npm_peer(TS_DIR, {p: v for p, v in peer_pins(pins).items() if p.startswith("@pulumi/")})


def ensure_prerequisites() -> None:
    """The pinned CLI and the examples' node_modules (with the SDK), built by make."""
    if not os.access(harness.TOOLS_BIN / "pulumi", os.X_OK):
        run_step(["make", "toolchain"], ROOT, "make toolchain")
    if not (SDK_MODULES / "pulumi-launchpad" / "package.json").exists():
        run_step(["make", "examples"], ROOT, "make examples")


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
    return lp, ts, private_plugin(plugin, work), work / "state"


def bench_env(state: Path, standins: harness.Standins, plugin_dir: Path, type_check: bool,
              skip_checkpoints: bool = False) -> dict[str, str]:
    env = program_env(harness.pulumi_env(state, standins.debug_providers), plugin_dir, type_check)
    # The engine keeps its in-memory snapshot without serializing and verifying all
    # of it on every step (which it does even in preview).
    return skip_checkpoints_env(env, skip_checkpoints)


def standin_cpu_s(standins: harness.Standins) -> float:
    """CPU seconds the stand-ins have used so far (profile.py reads it around its preview)."""
    return process_cpu_s([p.pid for p in standins.procs])


# ---------------------------------------------------------------- same children?

# The one part where the two programs differ on purpose: launchpad uploads the
# folder with its own SiteContent resource, the peer with one object per file.
SITE_CONTENT = "launchpad:index:SiteContent"
BUCKET_OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"


def normalized(inputs: dict) -> dict:
    """Inputs with the one intended difference blanked: the per-stack hash in
    unique names (the OAC's, the headers policy's), a hash of organization/
    project/stack/parent (the two programs are different projects)."""
    text = json.dumps(inputs, sort_keys=True)
    return json.loads(re.sub(r'"(site[0-9]+[a-z-]*)-[0-9a-f]{8}"', r'"\1-<hash>"', text))


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
    problems += child_differences(shared_a, shared_b, normalized)
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


def report(lp: Series, ts: Series, peers: Peers, sizes: list[int], runs: int, plugin: Path,
           env: dict[str, str], args: argparse.Namespace, load_start: str) -> None:
    pins = harness.versions()
    print_header(runs, plugin, env, load_start,
                 f"@pulumi/aws {pins['AWS_PROVIDER_VERSION']}; "
                 f"{'type-checked' if args.type_check else 'transpile-only'}"
                 f"{'; PULUMI_SKIP_CHECKPOINTS=true' if args.skip_checkpoints else ''}")
    print(f"one site: launchpad {lp.per_unit} resources (the component, {peers.shared} aws children, one "
          f"SiteContent), TypeScript {ts.per_unit} (the component, the same {peers.shared}, "
          f"{peers.files} BucketObjectv2 for the site's {peers.files} files)")
    print_table(lp, ts, sizes, "its process tree + the aws stand-in")


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_runs_options(ap, "1,20,100")
    add_plugin_options(ap)
    ap.add_argument("--type-check", action="store_true",
                    help="let ts-node type-check both programs (default: transpile-only)")
    add_skip_checkpoints_option(ap)
    args = ap.parse_args()
    load_start = load_average()

    def body(stack: contextlib.ExitStack) -> None:
        pins = harness.versions()
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
            create_stacks((lp, ts), sizes, env)
            # Untimed: plugin/page-cache warm-up, and the two programs really are peers.
            print("checking both programs plan the same children (untimed preview --json, N=1) ...",
                  flush=True)
            peers = check_peers(lp.project, ts.project, env)
            # Each preview must plan the stack, then N sites as the N=1 check counted them.
            lp.per_unit, ts.per_unit = peers.lp_per_site, peers.ts_per_site
            measure(lp, ts, args.sizes, args.runs, env, [p.pid for p in standins.procs], args.runs_large)
            report(lp, ts, peers, args.sizes, args.runs, plugin, env, args, load_start)
            result_line("preview-overhead", "Preview overhead: `pulumi preview` of N StaticSites, launchpad vs "
                        "the same TypeScript component", (lp, ts), args.sizes, args.runs, plugin, load_start,
                        {"runs_large": args.runs_large, "type_check": args.type_check,
                         "skip_checkpoints": args.skip_checkpoints},
                        **skip_checkpoints_variant(args.skip_checkpoints))

    return run_bench(body)


if __name__ == "__main__":
    sys.exit(main())
