#!/usr/bin/env python3
"""Preview of a mix: N of every launchpad component in one program vs TypeScript components.

`make bench` runs this after kubernetes-preview, with and without PULUMI_SKIP_CHECKPOINTS. Two
Pulumi TypeScript programs declare, in one stack, N each of StaticSite, WebService,
CloudRunService, NeonDatabase, Function and KubernetesService (N from stack config `n`; config
`kinds` can leave kinds out), with the inputs of the examples (launchpad/index.ts):

* launchpad/: the components through the generated SDK: 6 × N Construct calls to our plugin;
* ts-component/: per instance, a TypeScript ComponentResource (ts-component/replay.ts) that
  registers exactly the children launchpad registers for one instance of that kind: the same
  types, names (derived from the instance's name), input values, dependencies, property
  dependencies, options (ignoreChanges, deleteBeforeReplace, the provider version, ...), and an
  input that depended on siblings is an Output of those siblings, unknown in preview where
  launchpad's was. What it registers is recorded once, untimed, from launchpad's own preview at
  N=1 (PULUMI_DEBUG_GRPC: the RegisterResource requests the engine received from our plugin),
  into a JSON the TypeScript program reads (`record`).

The peer is a TypeScript component with no logic of its own: no validation, no planning, no
provider SDK loaded (its children are `pulumi.CustomResource`s by type token), so it is the
cheapest a component written in TypeScript can be, and the ratio is conservative for launchpad.
Hand-written peers of StaticSite and KubernetesService, written as a user would with
@pulumi/aws and @pulumi/kubernetes, are bench/preview-overhead's and bench/kubernetes-preview's.

Both preview through our `pulumi` against what the e2e examples use: the aws and gcp stand-ins
(tests/standin, PULUMI_DEBUG_PROVIDERS), and for KubernetesService the real kubernetes plugin
(tools/k8s, from target/e2e/home) against a local control plane started here (tools/k8s/cluster.py,
~6 s, untimed) in which namespace `shop` exists, as bench/kubernetes-preview does; NeonDatabase
calls no API in preview. Before timing, one untimed `pulumi preview --json` of each at N=1 (with
PULUMI_DEBUG_GRPC) must show the same children on both sides: name, type, input values (unknowns
included), dependencies, property dependencies, ignoreChanges, and the options the state does not
keep (REPLAYED_OPTIONS). Any difference fails the run: a recording the replay cannot carry
faithfully (an option it does not know, a dependency outside the instance) fails before that.
Then each N is previewed --runs times, the two programs alternated; CPU is the `pulumi` process
tree's plus the stand-ins' (the control plane's is left out: a user's cluster runs elsewhere).
It prints medians and the ratio launchpad / TypeScript (lower is better for us), then
bench/results.py's result line. No thresholds. Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from peer_previews import (  # noqa: E402  (bench/peer_previews.py: what the preview benchmarks share)
    ROOT, add_plugin_options, add_runs_options, run_bench, add_skip_checkpoints_option, BenchError, child_differences,
    harness, installed_version, load_average, measure, Plan, planned, plugin_binary, print_header,
    print_table, private_plugin, program_env, register_requests, result_line, run_step,
    Series, skip_checkpoints_env, skip_checkpoints_variant, urn_name, with_registered_options,
)

sys.path.insert(0, str(ROOT / "tools" / "k8s"))
import cluster  # noqa: E402  (tools/k8s/cluster.py: the local control plane)

LAUNCHPAD_DIR = HERE / "launchpad"
TS_DIR = HERE / "ts-component"
# The generated SDK, @pulumi/pulumi and @pulumi/kubernetes at the pins: both programs use them
# (the peer only @pulumi/pulumi).
SDK_MODULES = ROOT / "examples" / "kubernetes-ts" / "node_modules"
# What the components' `path` inputs point at: the four-file site of preview-overhead, and the
# Function example's code folder.
FOLDERS = {"site": ROOT / "bench" / "preview-overhead" / "site", "api": ROOT / "examples" / "function-ts" / "api"}
WORK = ROOT / "target" / "bench" / "preview-mix"
NAMESPACE = "shop"
# Every kind, and the prefix of its instances' names (`<prefix>-<i>`, as both programs name them).
KINDS = {"StaticSite": "site", "WebService": "web", "CloudRunService": "run", "NeonDatabase": "db",
         "Function": "fn", "KubernetesService": "svc"}
TOKEN = "launchpad:index:"

# RegisterResource fields replay.ts carries over as options, and those that say nothing about the
# child (how the caller talks to the engine). A child setting any other field fails the recording.
REPLAYED_OPTIONS = ("version", "pluginDownloadURL", "deleteBeforeReplace", "ignoreChanges", "replaceOnChanges",
                    "additionalSecretOutputs", "protect", "retainOnDelete", "customTimeouts", "provider",
                    "deletedWith", "aliases")
NOT_OPTIONS = {"type", "name", "parent", "custom", "object", "dependencies", "propertyDependencies",
               "acceptSecrets", "acceptResources", "supportsPartialValues", "aliasSpecs", "parentStackTraceHandle",
               "stackTrace", "sourcePosition", "supportsResultReporting", "deleteBeforeReplaceDefined",
               "providers", "packageRef"}
# Compared between the two programs' requests at N=1, beside what the state keeps (Plan). The
# provider reference and aliases are compared through what they lead to: the state's
# dependencies and the children's URNs.
COMPARED_OPTIONS = ("version", "pluginDownloadURL", "deleteBeforeReplace", "replaceOnChanges",
                    "additionalSecretOutputs", "protect", "retainOnDelete", "customTimeouts")

# The special values of the engine's Struct encoding (sdk/go/common/resource/sig).
SIG = "4dabf18193072939515e22adb298388d"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"


# ---------------------------------------------------------------- preparation


def ensure_prerequisites(pins: dict[str, str], kubernetes: bool) -> None:
    """The pinned CLI, the Kubernetes example's node_modules (the SDK, @pulumi/kubernetes), and
    for KubernetesService the real kubernetes plugin installed into target/e2e/home."""
    if not os.access(harness.TOOLS_BIN / "pulumi", os.X_OK):
        run_step(["make", "toolchain"], ROOT, "make toolchain")
    if (not (SDK_MODULES / "pulumi-launchpad" / "package.json").exists()
            or installed_version(SDK_MODULES, "@pulumi/kubernetes") != pins["KUBERNETES_NODEJS_SDK_VERSION"]):
        run_step(["make", "examples"], ROOT, "make examples")
    if kubernetes:
        print("installing the kubernetes plugin (tools/k8s/build.sh install-plugin) ...", flush=True)
        harness.install_kubernetes_plugin()


def prepare_work(plugin: Path) -> tuple[Path, Path, Path, Path]:
    """A fresh work dir: copies of both programs with the SDK's node_modules and the components'
    folders linked into each, a private copy of the plugin, and the state dir for the file:// backend."""
    shutil.rmtree(WORK, ignore_errors=True)
    programs = WORK / "programs"
    programs.mkdir(parents=True)
    lp = harness.copy_program(LAUNCHPAD_DIR, programs, SDK_MODULES.parent)
    ts = harness.copy_program(TS_DIR, programs, SDK_MODULES.parent)
    for program in (lp, ts):  # the peer's SiteContent reads `./site` as launchpad's does
        for name, folder in FOLDERS.items():
            (program / name).symlink_to(folder)
    return lp, ts, private_plugin(plugin, WORK), WORK / "state"


def create_stacks(lp: Series, ts: Series, sizes: list[int], kinds: list[str], recording: Path,
                  env: dict[str, str]) -> None:
    """One stack `n<N>` per program and N, with config `n` and `kinds`; the peer's also names the
    recording it replays (written by the N=1 check, before any preview of the peer)."""
    for n in sizes:
        config = {"n": str(n), "kinds": ",".join(kinds)}
        harness.select_stack(lp.project, f"n{n}", env, config)
        harness.select_stack(ts.project, f"n{n}", env, dict(config, recording=str(recording)))


# ---------------------------------------------------------------- the recording


class RecordingError(BenchError):
    """launchpad registered something replay.ts cannot register the same way."""


def urn_type(urn: str) -> str:
    return urn.split("::")[2].split("$")[-1]


def replayable(value, where: str):
    """VALUE (from a RegisterResource request's Struct) in replay.ts's notation: the engine's
    special values become `$unknown`, `$secret`, `$archive` and `$asset` objects."""
    if value == UNKNOWN:
        return {"$unknown": True}
    if isinstance(value, list):
        return [replayable(v, where) for v in value]
    if not isinstance(value, dict):
        return value
    sig = value.get(SIG)
    if sig is None:
        if any(k.startswith("$") for k in value):
            raise RecordingError(f"{where}: a key starting with `$` would read as replay.ts's notation")
        return {k: replayable(v, f"{where}.{k}") for k, v in value.items()}
    if sig == SECRET_SIG:
        return {"$secret": replayable(value.get("value"), where)}
    if sig == OUTPUT_SIG:
        inner = replayable(value["value"], where) if "value" in value else {"$unknown": True}
        return {"$secret": inner} if value.get("secret") else inner
    if sig == ARCHIVE_SIG and "path" in value:
        return {"$archive": {"path": value["path"]}}
    if sig == ARCHIVE_SIG and "assets" in value:
        return {"$archive": {"assets": {k: replayable(v, f"{where}.{k}") for k, v in value["assets"].items()}}}
    if sig == ASSET_SIG and ("path" in value or "text" in value):
        return {"$asset": {k: value[k] for k in ("path", "text") if k in value}}
    raise RecordingError(f"{where}: a special value replay.ts does not replay: {json.dumps(value)[:200]}")


def record_kind(requests: list[dict], kind: str) -> dict:
    """What launchpad registered for the instance `<prefix>-0` of KIND, as replay.ts's
    RecordedKind: every resource under the component, in the order the engine received them, its
    names, parent, dependencies and property dependencies by sibling name."""
    instance = f"{KINDS[kind]}-0"
    component = (TOKEN + kind, instance)
    siblings: dict[tuple[str, str], str] = {}  # (type, name) -> name, for what is under the component
    children = []

    def sibling(urn: str, child: str, what: str) -> str:
        key = (urn_type(urn), urn_name(urn))
        if key not in siblings:
            raise RecordingError(f"{instance}/{child}: its {what} {urn} is not under the component; replay.ts "
                                 "wires only siblings")
        return siblings[key]

    for r in requests:
        parent = r.get("parent", "")
        if not parent or (urn_type(parent), urn_name(parent)) not in (component, *siblings):
            continue
        name = r["name"]
        if instance not in name:
            raise RecordingError(f"{instance}: child {name} does not carry the instance's name; replayed under "
                                 "another instance it would clash")
        unknown = sorted(k for k, v in r.items() if k not in NOT_OPTIONS and k not in REPLAYED_OPTIONS and v)
        if unknown:
            raise RecordingError(f"{instance}/{name} sets {', '.join(unknown)}, which replay.ts does not replay")
        options = {k: r[k] for k in REPLAYED_OPTIONS if r.get(k) and k not in ("provider", "deletedWith", "aliases")}
        if r.get("provider"):
            options["provider"] = sibling(r["provider"].rsplit("::", 1)[0], name, "provider")
        if r.get("deletedWith"):
            options["deletedWith"] = sibling(r["deletedWith"], name, "deletedWith")
        if r.get("aliases"):
            options["aliases"] = [{k: v for k, v in (a.get("spec") or {}).items() if k in ("name", "type")}
                                  for a in r["aliases"]]
        property_deps = {k: [sibling(u, name, f"{k} dependency") for u in v.get("urns", [])]
                         for k, v in (r.get("propertyDependencies") or {}).items() if v.get("urns")}
        inputs = {k: replayable(v, f"{instance}/{name}.{k}") for k, v in (r.get("object") or {}).items()}
        children.append({
            "name": name,
            "type": r["type"],
            "custom": bool(r.get("custom")),
            **({"parent": siblings[(urn_type(parent), urn_name(parent))]} if (urn_type(parent), urn_name(parent))
               in siblings else {}),
            "inputs": inputs,
            "dependsOn": [sibling(u, name, "dependency") for u in r.get("dependencies") or []],
            "propertyDependencies": property_deps,
            "options": options,
        })
        siblings[(r["type"], name)] = name
    if not children:
        raise RecordingError(f"launchpad registered nothing under {kind} {instance}")
    return {"instance": instance, "children": children}


def record(grpc_log: Path, kinds: list[str], out: Path) -> dict:
    """Write OUT: kind -> RecordedKind, from launchpad's preview of `n1` (GRPC_LOG)."""
    requests = register_requests(grpc_log)
    recording = {kind: record_kind(requests, kind) for kind in kinds}
    out.write_text(json.dumps(recording, indent=1, sort_keys=True) + "\n")
    return recording


# ---------------------------------------------------------------- same children?


def check_peers(lp: Path, ts: Path, env: dict[str, str], kinds: list[str], recording: Path) -> tuple[Plan, Plan]:
    """launchpad's preview at N=1 is recorded (untimed), then the peer's must show the same
    children: every child launchpad registers, the peer registers with the same name, type, input
    values, dependencies, property dependencies, ignoreChanges and COMPARED_OPTIONS, and nothing
    more; and both must plan as many resources."""
    lp_log, ts_log = WORK / "launchpad.grpc.jsonl", WORK / "typescript.grpc.jsonl"
    a = planned(lp, "n1", dict(env, PULUMI_DEBUG_GRPC=str(lp_log)))
    recorded = record(lp_log, kinds, recording)
    counts = ", ".join(f"{kind} {len(r['children'])}" for kind, r in recorded.items())
    print(f"recorded the children of one of each: {counts}, into {recording.relative_to(ROOT)}", flush=True)
    with_registered_options(a, lp_log, COMPARED_OPTIONS)
    b = with_registered_options(planned(ts, "n1", dict(env, PULUMI_DEBUG_GRPC=str(ts_log))), ts_log,
                                COMPARED_OPTIONS)
    problems = []
    if not a.children:
        problems.append("launchpad registered no child")
    problems += child_differences(a.children, b.children)
    if a.creates != b.creates:
        problems.append(f"launchpad plans {a.creates} resources at N=1, the peer {b.creates}")
    if problems:
        raise BenchError("the replaying peer does not register what launchpad does (bench/preview-mix/"
                         "ts-component/replay.ts, or the recording in run.py):\n" + "\n".join(problems))
    return a, b


# ---------------------------------------------------------------- output


def report(lp: Series, ts: Series, a: Plan, kinds: list[str], args: argparse.Namespace, plugin: Path,
           env: dict[str, str], load_start: str, kubernetes: bool) -> None:
    pins = harness.versions()
    print_header(args.runs, plugin, env, load_start,
                 "aws and gcp stand-ins"
                 + (f", kubernetes plugin {pins['KUBERNETES_PROVIDER_VERSION']} against a local kube-apiserver "
                    f"{pins['KUBERNETES_VERSION']}" if kubernetes else "")
                 + f"; {'type-checked' if args.type_check else 'transpile-only'}"
                 + ("; PULUMI_SKIP_CHECKPOINTS=true" if args.skip_checkpoints else ""))
    print(f"one of each of {', '.join(kinds)}: {lp.per_unit} resources on either side (the components and "
          f"{len(a.children)} custom children); the peer replays launchpad's children, no logic of its own")
    print_table(lp, ts, args.sizes, "its process tree + the aws and gcp stand-ins")


# ---------------------------------------------------------------- main


def parse_kinds(text: str) -> list[str]:
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    wrong = [k for k in kinds if k not in KINDS]
    if not kinds or wrong:
        raise argparse.ArgumentTypeError(f"--kinds {text!r}: valid kinds are {', '.join(KINDS)}")
    return kinds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_runs_options(ap, "1,20")
    add_plugin_options(ap)
    ap.add_argument("--kinds", type=parse_kinds, default=list(KINDS),
                    help=f"comma-separated components to declare N of (default all: {','.join(KINDS)})")
    ap.add_argument("--type-check", action="store_true",
                    help="let ts-node type-check both programs (default: transpile-only)")
    add_skip_checkpoints_option(ap)
    args = ap.parse_args()
    load_start = load_average()
    kubernetes = "KubernetesService" in args.kinds

    def body(stack: contextlib.ExitStack) -> None:
        pins = harness.versions()
        plugin = plugin_binary(args)
        ensure_prerequisites(pins, kubernetes)
        lp_dir, ts_dir, plugin_dir, state = prepare_work(plugin)
        with harness.Standins(Path(tempfile.mkdtemp(prefix="launchpad-bench-standins-"))) as standins:
            if kubernetes:
                print("starting the local control plane (tools/k8s/cluster.py, untimed) ...", flush=True)
                control_plane = stack.enter_context(cluster.Cluster(WORK / "cluster"))
                control_plane.kubectl("create", "namespace", NAMESPACE)
                kubeconfig = control_plane.kubeconfig
            else:
                kubeconfig = WORK / "no-cluster" / "kubeconfig"  # never written, never read
            # The Kubernetes environment (target/e2e/home's kubernetes plugin, KUBECONFIG), with the
            # aws and gcp stand-ins attached as for the examples.
            env = dict(harness.kubernetes_env(state, kubeconfig), PULUMI_DEBUG_PROVIDERS=standins.debug_providers)
            env = skip_checkpoints_env(program_env(env, plugin_dir, args.type_check), args.skip_checkpoints)
            lp, ts = Series("launchpad", lp_dir), Series("TypeScript", ts_dir)
            recording = WORK / "recording.json"
            print("creating stacks ...", flush=True)
            create_stacks(lp, ts, sorted(set(args.sizes) | {1}), args.kinds, recording, env)
            print("recording launchpad's children and checking the peer registers the same (untimed "
                  "preview --json, N=1) ...", flush=True)
            a, b = check_peers(lp.project, ts.project, env, args.kinds, recording)
            # Each preview must plan the stack, then N of each kind as the N=1 check counted them.
            lp.per_unit, ts.per_unit = a.creates - 1, b.creates - 1
            measure(lp, ts, args.sizes, args.runs, env, [p.pid for p in standins.procs], args.runs_large)
            report(lp, ts, a, args.kinds, args, plugin, env, load_start, kubernetes)
            result_line("preview-mix", f"Preview of a mix: `pulumi preview` of N of each of {len(args.kinds)} "
                        "components in one program, launchpad vs TypeScript components registering the same "
                        "children", (lp, ts), args.sizes, args.runs, plugin, load_start,
                        {"runs_large": args.runs_large, "kinds": ",".join(args.kinds),
                         "type_check": args.type_check, "skip_checkpoints": args.skip_checkpoints},
                        **skip_checkpoints_variant(args.skip_checkpoints))

    return run_bench(body, (cluster.ClusterError,))


if __name__ == "__main__":
    sys.exit(main())
