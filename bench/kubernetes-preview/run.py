#!/usr/bin/env python3
"""Kubernetes preview benchmark: N launchpad KubernetesServices vs the same objects in TypeScript.

`make bench` runs this after preview-overhead, once as it is and once with --skip-checkpoints
(PULUMI_SKIP_CHECKPOINTS=true on both sides: the engine's snapshot cost left out). Two Pulumi
TypeScript programs declare N production services (N from stack config `n`, 20 by default) with
the same inputs (an image with a tag, a namespace, an Ingress with class, hosts, cert-manager
issuer and controller namespace, a Secret key as a variable, autoscaling, an HTTP health check, a
label):

* launchpad/: `new launchpad.KubernetesService(`svc${i}`, {...})` through the generated SDK: each
  service is a Construct call to pulumi-resource-launchpad;
* ts-component/: the same objects as a `pulumi.ComponentResource` on `@pulumi/kubernetes`
  (ts-component/kubernetesService.ts), as a TypeScript user writes it.

Both preview through our `pulumi` with the real kubernetes plugin (tools/k8s, installed into
target/e2e/home as `make k8s` does) against a local control plane started here
(tools/k8s/cluster.py, ~6 s, untimed), in which the services' namespace exists. That is a
user's preview: with a reachable cluster the provider asks the API server for a server-side
dry run of every object, so the preview reports what the server would accept, and both
programs pay for it alike. Without a cluster (`--no-cluster`: a kubeconfig that does not exist)
the provider previews offline: measured once on 2026-12-05 (bench/README.md) that saves both
programs ~0.8 s at N=20 and leaves the ratio where it was (0.77 against 0.79), but a user
previews a deployment against the cluster it goes to, and an offline preview checks less.

Before timing, one untimed `pulumi preview --json` of each at N=1 (with PULUMI_DEBUG_GRPC)
checks that both register the same children: names, types, input values, dependencies, and the
options the state does not keep (deleteBeforeReplace, the provider version). Any difference
fails the run. Then for each N one stack per program (created once, untimed) is previewed
--runs times, the two programs alternated. Per preview it records the wall time of the `pulumi
preview` command and the CPU time of its process tree (pulumi, language host, node, our plugin,
the kubernetes plugin); the control plane's CPU is left out, since a user's cluster runs
elsewhere. It prints medians per N and the ratio launchpad / TypeScript (lower is better for
us), then bench/results.py's result line. No thresholds: it exits 0 unless something fails to
build, install, start or preview. Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from peer_previews import (  # noqa: E402  (bench/peer_previews.py: what the preview benchmarks share)
    ROOT, add_plugin_options, add_runs_options, run_bench, add_skip_checkpoints_option, BenchError, check_pins,
    child_differences, create_stacks, harness, install_npm_peer, installed_version, load_average, measure,
    planned_with_registrations, plugin_binary, print_header, print_table, private_plugin, program_env,
    result_line, run_step, Series, skip_checkpoints_env, skip_checkpoints_variant,
    typescript_pins,
)

sys.path.insert(0, str(ROOT / "tools" / "k8s"))
import cluster  # noqa: E402  (tools/k8s/cluster.py: the local control plane)

LAUNCHPAD_DIR = HERE / "launchpad"
TS_DIR = HERE / "ts-component"
# The Kubernetes example's dependencies: the generated SDK and @pulumi/kubernetes at the pin.
SDK_MODULES = ROOT / "examples" / "kubernetes-ts" / "node_modules"
WORK = ROOT / "target" / "bench" / "kubernetes-preview"
# The namespace both programs deploy into; it exists, as a user's would.
NAMESPACE = "shop"


# ---------------------------------------------------------------- preparation


def peer_pins(pins: dict[str, str]) -> dict[str, str]:
    """What ts-component/package.json must pin (tools/versions.env's versions)."""
    return typescript_pins(pins, {"@pulumi/kubernetes": pins["KUBERNETES_NODEJS_SDK_VERSION"]})


def ensure_prerequisites(pins: dict[str, str]) -> None:
    """The pinned CLI, the Kubernetes example's node_modules (with the SDK), and the real
    kubernetes plugin installed into target/e2e/home (built once per version by tools/k8s)."""
    if not os.access(harness.TOOLS_BIN / "pulumi", os.X_OK):
        run_step(["make", "toolchain"], ROOT, "make toolchain")
    if (not (SDK_MODULES / "pulumi-launchpad" / "package.json").exists()
            or installed_version(SDK_MODULES, "@pulumi/kubernetes") != pins["KUBERNETES_NODEJS_SDK_VERSION"]):
        run_step(["make", "examples"], ROOT, "make examples")
    print("installing the kubernetes plugin (tools/k8s/build.sh install-plugin) ...", flush=True)
    harness.install_kubernetes_plugin()


def prepare_work(plugin: Path) -> tuple[Path, Path, Path, Path]:
    """A fresh work dir: copies of both programs (their stack files stay out of the tree), a
    private copy of the plugin (a rebuild mid-run cannot swap it), the state dir for the
    file:// backend, and the control plane's folder."""
    shutil.rmtree(WORK, ignore_errors=True)
    programs = WORK / "programs"
    programs.mkdir(parents=True)
    lp = harness.copy_program(LAUNCHPAD_DIR, programs, SDK_MODULES.parent)
    ts = harness.copy_example(TS_DIR, programs)  # links ts-component/node_modules
    return lp, ts, private_plugin(plugin, WORK), WORK / "state"


# ---------------------------------------------------------------- same children?


@dataclass
class Peers:
    """The outcome of the check: what one service is in each program."""
    lp_per_service: int  # resources per service in launchpad's preview (component included)
    ts_per_service: int
    objects: int  # Kubernetes objects both register per service


def check_peers(lp: Path, ts: Path, env: dict[str, str]) -> Peers:
    """Both programs at N=1 must register the same KubernetesService: every object launchpad
    registers, the peer registers with the same name, type, input values, dependencies,
    deleteBeforeReplace and provider version, and nothing more. A peer that sends less is not
    doing the same job, and a difference left as a note goes unseen."""
    a, b = (planned_with_registrations(program, "n1", env, WORK / f"{program.name}.grpc.jsonl")
            for program in (lp, ts))
    problems = []
    if not a.children:
        problems.append("launchpad registered no Kubernetes object for one service")
    problems += child_differences(a.children, b.children)
    if problems:
        raise BenchError("the TypeScript peer is not doing what launchpad does "
                         "(keep ts-component/kubernetesService.ts in step with kubernetes/plan.rs):\n"
                         + "\n".join(problems))
    return Peers(a.creates - 1, b.creates - 1, len(a.children))


# ---------------------------------------------------------------- output


def report(lp: Series, ts: Series, peers: Peers, sizes: list[int], runs: int, plugin: Path,
           env: dict[str, str], args: argparse.Namespace, load_start: str) -> None:
    pins = harness.versions()
    cluster_used = ("no cluster (the provider previews offline)" if args.no_cluster
                    else f"local kube-apiserver {pins['KUBERNETES_VERSION']} (server-side dry runs)")
    print_header(runs, plugin, env, load_start,
                 f"@pulumi/kubernetes {pins['KUBERNETES_NODEJS_SDK_VERSION']}, kubernetes plugin "
                 f"{pins['KUBERNETES_PROVIDER_VERSION']}; "
                 f"{'type-checked' if args.type_check else 'transpile-only'}; {cluster_used}"
                 f"{'; PULUMI_SKIP_CHECKPOINTS=true' if args.skip_checkpoints else ''}")
    print(f"one service: launchpad {lp.per_unit} resources (the component, {peers.objects} Kubernetes objects), "
          f"TypeScript {ts.per_unit} (the component, the same {peers.objects})")
    print_table(lp, ts, sizes, "its process tree: pulumi, node, our plugin, the kubernetes plugin")


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_runs_options(ap, "1,20")
    add_plugin_options(ap)
    ap.add_argument("--type-check", action="store_true",
                    help="let ts-node type-check both programs (default: transpile-only)")
    ap.add_argument("--no-cluster", action="store_true",
                    help="diagnostic: start no control plane; the kubernetes provider previews offline")
    add_skip_checkpoints_option(ap)
    args = ap.parse_args()
    if args.no_cluster and args.skip_checkpoints:
        ap.error("--no-cluster and --skip-checkpoints: one variant at a time (each is compared with the plain run)")
    load_start = load_average()

    def body(stack: contextlib.ExitStack) -> None:
        pins = harness.versions()
        check_pins(TS_DIR, peer_pins(pins))
        plugin = plugin_binary(args)
        ensure_prerequisites(pins)
        install_npm_peer(TS_DIR, {p: v for p, v in peer_pins(pins).items() if p.startswith("@pulumi/")})
        lp_dir, ts_dir, plugin_dir, state = prepare_work(plugin)
        if args.no_cluster:
            kubeconfig = WORK / "no-cluster" / "kubeconfig"  # never written: no cluster configured
        else:
            print("starting the local control plane (tools/k8s/cluster.py, untimed) ...", flush=True)
            control_plane = stack.enter_context(cluster.Cluster(WORK / "cluster"))
            control_plane.kubectl("create", "namespace", NAMESPACE)
            kubeconfig = control_plane.kubeconfig
        env = skip_checkpoints_env(program_env(harness.kubernetes_env(state, kubeconfig), plugin_dir,
                                               args.type_check), args.skip_checkpoints)
        lp, ts = Series("launchpad", lp_dir), Series("TypeScript", ts_dir)
        print("creating stacks ...", flush=True)
        create_stacks((lp, ts), sorted(set(args.sizes) | {1}), env)  # N=1 always exists for the check
        # Untimed: plugin/page-cache warm-up, and the two programs really are peers.
        print("checking both programs register the same children (untimed preview --json, N=1) ...", flush=True)
        peers = check_peers(lp.project, ts.project, env)
        # Each preview must plan the stack, then N services as the N=1 check counted them.
        lp.per_unit, ts.per_unit = peers.lp_per_service, peers.ts_per_service
        measure(lp, ts, args.sizes, args.runs, env, helpers=[], runs_large=args.runs_large)
        report(lp, ts, peers, args.sizes, args.runs, plugin, env, args, load_start)
        result_line("kubernetes-preview", "Kubernetes preview: `pulumi preview` of N KubernetesServices, "
                    "launchpad vs the same TypeScript component", (lp, ts), args.sizes, args.runs, plugin,
                    load_start, {"runs_large": args.runs_large, "type_check": args.type_check,
                                 "cluster": not args.no_cluster, "skip_checkpoints": args.skip_checkpoints},
                    **(skip_checkpoints_variant(True) if args.skip_checkpoints
                       else {"variant": "-no-cluster"} if args.no_cluster else {}))

    return run_bench(body, (cluster.ClusterError,))


if __name__ == "__main__":
    sys.exit(main())
