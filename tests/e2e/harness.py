"""Drive example programs with the real `pulumi` CLI, offline.

The launchpad plugin comes from `target/debug` (found on PATH as an ambient
plugin); the `aws` and `gcp` plugins are our stand-ins (tests/standin), started
here on 127.0.0.1 and attached with PULUMI_DEBUG_PROVIDERS. State lives in a
local `file://` backend; nothing needs a cloud account. Where a test needs real
S3/CloudFront behaviour, an emulator (tests/moto) stands in for AWS: `aws_env`
points the plugin's AWS clients at it, and the aws stand-in started with an
emulator URL mirrors its buckets and distributions there.

The kubernetes plugin is the real one (tools/k8s), installed as a user would
into target/e2e/home, the Pulumi home of `make preview` and of Kubernetes runs
(`kubernetes_env`); those talk to a local control plane (tools/k8s/cluster.py).

Used by `make preview` (python3 tests/e2e/harness.py preview DIR...) and by
the end-to-end tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS_BIN = ROOT / "tools" / "bin"
PLUGIN_DIR = ROOT / "target" / "debug"
# The Pulumi home `make k8s` installs the real kubernetes plugin into (and `make preview` uses).
SHARED_HOME = ROOT / "target" / "e2e" / "home"


def versions() -> dict[str, str]:
    """The pins of tools/versions.env, by key."""
    lines = (ROOT / "tools" / "versions.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def standin_paths() -> dict[str, str]:
    """Build (if needed) the stand-ins and their schemas; return their paths."""
    out = subprocess.run(
        ["bash", str(ROOT / "tests" / "standin" / "build.sh")],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


class Standins:
    """The stand-in providers, one per package of STANDIN_PACKAGES in
    tools/versions.env (aws, gcp), running until the block ends. They check
    types strictly (`--strict-types`): the real bridged providers coerce `"80"`
    to a number, but a component of ours must send the schema's type."""

    def __init__(self, record_dir: Path, emulator: str | None = None):
        """EMULATOR: the URL of an S3 + CloudFront emulator (tests/moto); when
        given, the aws stand-in creates and deletes its `aws:s3/bucket:Bucket`s and
        `aws:cloudfront/distribution:Distribution`s there too (`--emulator`)."""
        self.record_dir = record_dir
        self.emulator = emulator
        self.procs: list[subprocess.Popen] = []
        self.ports: dict[str, int] = {}

    def __enter__(self) -> "Standins":
        paths = standin_paths()
        self.record_dir.mkdir(parents=True, exist_ok=True)
        # One stand-in per package of STANDIN_PACKAGES (tools/versions.env).
        for package in paths["STANDIN_PACKAGES"].split(","):
            schema = paths[f"STANDIN_{package.upper()}_SCHEMA"]
            proc = subprocess.Popen(
                [
                    paths["STANDIN_BIN"],
                    "--package", package,
                    "--schema", schema,
                    "--record", str(self.record_dir / f"{package}.jsonl"),
                    # Our planners send each property the schema's own type: a
                    # string where a number belongs is a failure, not a coercion.
                    "--strict-types",
                    *(["--emulator", self.emulator] if self.emulator and package == "aws" else []),
                ],
                stdout=subprocess.PIPE,
                stderr=open(self.record_dir / f"{package}.log", "w"),
                text=True,
            )
            self.procs.append(proc)
            line = proc.stdout.readline() if proc.stdout else ""
            if not line.strip().isdigit():
                raise RuntimeError(f"stand-in {package} did not print its port (got {line!r})")
            self.ports[package] = int(line)
        return self

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    @property
    def debug_providers(self) -> str:
        return ",".join(f"{name}:{port}" for name, port in self.ports.items())

    def records(self, package: str) -> list[dict]:
        """What the stand-in received (one JSON object per Check/Create)."""
        path = self.record_dir / f"{package}.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def pulumi_env(state_dir: Path, debug_providers: str) -> dict[str, str]:
    """Environment for an offline Pulumi run with a local backend."""
    (state_dir / "backend").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "PATH": os.pathsep.join([str(TOOLS_BIN), str(PLUGIN_DIR), env.get("PATH", "")]),
            "PULUMI_HOME": str(state_dir / "home"),
            "PULUMI_BACKEND_URL": (state_dir / "backend").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": "",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_DEBUG_PROVIDERS": debug_providers,
            "PULUMI_SKIP_CONFIRMATIONS": "true",
            # SiteContent's hash cache (provider/site-sync/src/hash_cache.rs): the run's own, not
            # the user's ~/.cache, so a test starts cold and leaves nothing behind.
            "LAUNCHPAD_CACHE_DIR": str(state_dir / "launchpad-cache"),
        }
    )
    return env


def install_kubernetes_plugin() -> None:
    """Build (if needed) the real kubernetes provider and install it into SHARED_HOME, unless
    that very binary is there already (tools/k8s/build.sh install-plugin; `make k8s` does the same)."""
    subprocess.run(
        ["bash", str(ROOT / "tools" / "k8s" / "build.sh"), "install-plugin"],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PULUMI_HOME": str(SHARED_HOME), "PATH": os.pathsep.join([str(TOOLS_BIN), os.environ.get("PATH", "")])},
    )


def kubernetes_env(state_dir: Path, kubeconfig: Path) -> dict[str, str]:
    """Environment for an offline Pulumi run against the cluster of KUBECONFIG: a local
    backend in STATE_DIR, and SHARED_HOME as the Pulumi home, where the real kubernetes
    plugin is installed (install_kubernetes_plugin). No stand-in is attached."""
    env = pulumi_env(state_dir, "")
    del env["PULUMI_DEBUG_PROVIDERS"]
    # The provider reads its cluster from KUBECONFIG; no inherited context may win.
    for key in [k for k in env if k.startswith(("KUBE", "PULUMI_K8S_"))]:
        del env[key]
    env["PULUMI_HOME"] = str(SHARED_HOME)
    env["KUBECONFIG"] = str(kubeconfig)
    return env


def aws_env(moto_url: str) -> dict[str, str]:
    """Environment that sends every AWS SDK client (our plugin's included) to the
    emulator at MOTO_URL with fake credentials, never to AWS."""
    return {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        # No shared config or credentials file may add a profile, a role or an endpoint.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


def with_aws_env(env: dict[str, str], moto_url: str) -> dict[str, str]:
    """ENV without any inherited AWS_* variable (a session token, a profile, a
    per-service AWS_ENDPOINT_URL_S3 would win over ours), plus aws_env(MOTO_URL)."""
    out = {k: v for k, v in env.items() if not k.startswith("AWS_")}
    out.update(aws_env(moto_url))
    return out


def pulumi(args: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    """Run `pulumi ARGS` in CWD, capturing output."""
    proc = subprocess.run(
        ["pulumi", *args, "--non-interactive"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"pulumi {' '.join(args)} failed ({proc.returncode}) in {cwd}:\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


@dataclass(frozen=True)
class Step:
    """One resource of a `pulumi preview --json`: what it is, what the preview
    would do to it and what it was given. RAW is the whole step (diffReasons,
    detailedDiff, ...) for what the fields leave out."""

    op: str
    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    inputs: dict
    dependencies: list[str]
    raw: dict = field(repr=False)

    @classmethod
    def of(cls, step: dict) -> "Step":
        # A delete has no new state: the old one says what goes.
        state = step.get("newState") or step.get("oldState") or {}
        return cls(
            op=step["op"],
            type=state.get("type", ""),
            name=step["urn"].split("::")[-1],
            urn=step["urn"],
            parent=state.get("parent", ""),
            custom=state.get("custom", False),
            inputs=state.get("inputs", {}),
            dependencies=state.get("dependencies", []),
            raw=step,
        )


def preview_steps(project: Path, env: dict[str, str], *args: str) -> list[Step]:
    """Every step `pulumi preview --json ARGS` plans for PROJECT's selected stack."""
    out = json.loads(pulumi(["preview", "--json", *args], project, env).stdout)
    return [Step.of(s) for s in out.get("steps", [])]


@dataclass(frozen=True)
class ComponentPreview:
    """The one component of a type in a preview, and its children by type."""

    # The component's URN.
    urn: str
    # Its own step; None when the preview lists none for it (an unchanged
    # component is left out of `preview --json` while its children change).
    component: Step | None
    children: dict[str, list[Step]]
    # Every step of the preview, the stack and other components included.
    steps: list[Step] = field(repr=False)

    def one(self, child_type: str) -> Step:
        """The only child of CHILD_TYPE; fails unless there is exactly one."""
        found = self.children.get(child_type, [])
        assert len(found) == 1, f"{len(found)} children of type {child_type}; the children: {sorted(self.children)}"
        return found[0]


def urn_type(urn: str) -> str:
    """The type token of URN (the last of its parent-qualified types)."""
    return urn.split("::")[2].split("$")[-1]


def preview_children(project: Path, env: dict[str, str], component_type: str, *args: str,
                     name: str | None = None) -> ComponentPreview:
    """Run `pulumi preview --json ARGS` for PROJECT's selected stack and pick out
    the one component of COMPONENT_TYPE (called NAME, when given) and the resources
    whose parent it is."""
    return find_component(preview_steps(project, env, *args), component_type, name)


def find_component(steps: list[Step], component_type: str, name: str | None = None) -> ComponentPreview:
    """The one component of COMPONENT_TYPE (called NAME, when given) among a preview's
    STEPS, found by its own step or its children's parent (an unchanged component may
    have no step of its own), and the resources whose parent it is."""

    def wanted(urn: str) -> bool:
        return urn_type(urn) == component_type and (name is None or urn.split("::")[-1] == name)

    urns = {s.urn for s in steps if s.type == component_type and wanted(s.urn)}
    urns |= {s.parent for s in steps if s.parent and wanted(s.parent)}
    called = "" if name is None else f" {name!r}"
    assert len(urns) == 1, f"{len(urns)} {component_type}{called} in the preview: {[s.urn for s in steps]}"
    (urn,) = urns
    children: dict[str, list[Step]] = {}
    for s in steps:
        if s.parent == urn:
            children.setdefault(s.type, []).append(s)
    component = next((s for s in steps if s.urn == urn), None)
    return ComponentPreview(urn=urn, component=component, children=children, steps=steps)


def stack_resources(project: Path, env: dict[str, str]) -> list[dict]:
    """The resources of PROJECT's selected stack, as `pulumi stack export` records them."""
    state = json.loads(pulumi(["stack", "export"], project, env).stdout)
    return state["deployment"]["resources"]


def problem(output: str, component_type: str) -> str:
    """The message of the first line of a run's OUTPUT where COMPONENT_TYPE refused its
    inputs (`error: <type> resource '<name>' has a problem: <message>`)."""
    lines = [line.strip() for line in output.splitlines() if f"error: {component_type} resource '" in line]
    assert lines and "has a problem: " in lines[0], output
    return lines[0].split("has a problem: ", 1)[1]


# The API key the fake Neon of the tests takes (conftest.py's `neon` fixture).
NEON_KEY = "napi_e2e_0123456789abcdefghijklmnopqrstuvwxyz"


def configure_neon(project: Path, stack: str, env: dict[str, str], neon, config: dict[str, str] | None = None,
                   key: str = NEON_KEY) -> None:
    """Select STACK with CONFIG and point launchpad at the fake NEON (tests/fakeneon), with KEY
    as the secret API key."""
    select_stack(project, stack, env, config)
    pulumi(["config", "set", "--secret", "launchpad:neonApiKey", key], project, env)
    pulumi(["config", "set", "launchpad:neonApiUrl", neon.url], project, env)


def neon_call(neon, method: str, path: str, body: dict | None = None) -> dict:
    """Call the fake Neon's API as someone else would (the console, a colleague)."""
    req = urllib.request.Request(
        neon.url + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {NEON_KEY}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


def neon_passwords(neon) -> list[str]:
    """Every role password the fake NEON holds."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "password" and isinstance(v, str):
                    found.append(v)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(neon.state())
    return found


def select_stack(project: Path, stack: str, env: dict[str, str], config: dict[str, str] | None = None) -> None:
    """Create (or select) STACK for the project and set its config."""
    if pulumi(["stack", "select", stack], project, env, check=False).returncode != 0:
        pulumi(["stack", "init", stack], project, env)
    for key, value in (config or {}).items():
        pulumi(["config", "set", key, value], project, env)


def copy_example(example: Path, into: Path) -> Path:
    """Copy an example so a test's stack files stay out of the tree; installed
    dependencies are linked, not copied."""
    return copy_program(example, into, example)


def copy_program(program: Path, into: Path, deps_from: Path) -> Path:
    """Copy a program (an example, or one of tests/e2e/programs) and link the
    installed dependencies of DEPS_FROM, which has the same ones."""
    dst = into / program.name
    shutil.copytree(program, dst, ignore=shutil.ignore_patterns("node_modules", ".venv", "Pulumi.*.yaml"))
    for deps in ("node_modules", ".venv"):
        if (deps_from / deps).exists():
            (dst / deps).symlink_to(deps_from / deps)
    if (dst / "go.mod").exists():
        anchor_go_replacements(dst, program)
    return dst


def anchor_go_replacements(copy: Path, original: Path) -> None:
    """A Go program's `replace ... => ../../sdk/go` is relative to its own folder: point
    the copy's at the same directories, absolute (go.sum needs no change)."""
    mod = json.loads(subprocess.run(
        ["go", "mod", "edit", "-json"], cwd=copy, check=True, stdout=subprocess.PIPE, text=True,
    ).stdout)
    for r in mod.get("Replace") or []:
        target = r["New"]["Path"]
        if target.startswith(("./", "../")):
            old = r["Old"]["Path"] + (f"@{r['Old']['Version']}" if r["Old"].get("Version") else "")
            subprocess.run(
                ["go", "mod", "edit", f"-replace={old}={(original / target).resolve()}"], cwd=copy, check=True,
            )


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "preview":
        print("usage: harness.py preview EXAMPLE_DIR...", file=sys.stderr)
        return 2
    state = ROOT / "target" / "e2e"
    with Standins(Path(tempfile.mkdtemp(prefix="launchpad-standins-"))) as standins:
        env = pulumi_env(state, standins.debug_providers)
        for example in argv[1:]:
            project = (ROOT / example).resolve()
            print(f"\n=== pulumi preview: {project.relative_to(ROOT)} ===", flush=True)
            select_stack(project, "dev", env)
            proc = subprocess.run(
                ["pulumi", "preview", "--non-interactive", "--diff"], cwd=project, env=env
            )
            if proc.returncode != 0:
                return proc.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
