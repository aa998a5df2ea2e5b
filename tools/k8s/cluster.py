"""A local Kubernetes control plane for tests, on 127.0.0.1 only.

etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (fake Nodes whose Pods
turn Running and Ready without running anything), with one kwok Node per zone and the Gateway
API CRDs installed. The binaries are the ones tools/k8s/build.sh makes; this module knows
nothing of launchpad or Pulumi. Python 3.11 standard library, plus `openssl` for the
service-account signing key (Debian's ca-certificates depends on it, so any machine that
fetches over HTTPS has it).

Start reading at `Cluster`, a context manager:

    with Cluster(Path("/tmp/k8s")) as cluster:
        cluster.kubectl("get", "nodes")          # cluster.kubeconfig for other clients

or from a shell (the processes outlive the command; `stop` ends them by their PID files):

    python3 tools/k8s/cluster.py start DIR   # stdout: KUBECONFIG=DIR/kubeconfig
    python3 tools/k8s/cluster.py stop DIR

Every process writes DIR/<name>.log and DIR/<name>.pid; a failure names the log to read.
Unlike a real cluster there is no kubelet and no CNI: NetworkPolicies are stored but not
enforced, and no container image is ever pulled or run.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "tools" / "k8s" / "build.sh"
# The order processes start in; they stop in reverse.
PROCESSES = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")
DEFAULT_ZONES = ("zone-a", "zone-b")
# Plenty for a cold start on a busy 2-core machine; a healthy start takes seconds.
READY_TIMEOUT_SECONDS = 120.0


class ClusterError(RuntimeError):
    """The control plane did not start (or stop); the message names the log to read."""


@dataclass(frozen=True)
class Binaries:
    """What tools/k8s/build.sh made: the binaries' folder and the two sets of manifests."""

    bin_dir: Path
    gateway_crds: Path
    kwok_stages: Path

    @classmethod
    def build(cls) -> "Binaries":
        """Run tools/k8s/build.sh (a no-op when its stamp matches) and read its KEY=path lines."""
        proc = subprocess.run(["bash", str(BUILD_SCRIPT)], stdout=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise ClusterError(f"tools/k8s/build.sh failed ({proc.returncode}); its messages are above")
        paths = dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
        return cls(Path(paths["K8S_BIN"]), Path(paths["K8S_GATEWAY_CRDS"]), Path(paths["K8S_KWOK_STAGES"]))

    def path(self, name: str) -> str:
        return str(self.bin_dir / name)


def free_ports(count: int) -> list[int]:
    """COUNT distinct ports free on 127.0.0.1 now (all held open until all are chosen)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _log(message: str) -> None:
    print(f"k8s-cluster: {message}", file=sys.stderr, flush=True)


class Cluster:
    """The control plane in DIR (created if missing), running between `start` and `stop`.

    `kubeconfig` is an admin kubeconfig (bearer token, the API server's own CA);
    `kubectl(...)` runs the kubectl that was built with it."""

    def __init__(self, directory: Path, binaries: Binaries | None = None, zones: tuple[str, ...] = DEFAULT_ZONES):
        self.dir = directory.resolve()
        self.binaries = binaries
        self.zones = zones
        self.kubeconfig = self.dir / "kubeconfig"
        self._procs: dict[str, subprocess.Popen] = {}

    # --- life cycle

    def __enter__(self) -> "Cluster":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        """Start every process in order and wait until each is ready, the Nodes have lost
        their not-ready taint and the Gateway API CRDs are Established. If anything fails,
        stop whatever was started and raise ClusterError."""
        if self.binaries is None:
            self.binaries = Binaries.build()
        started = time.monotonic()
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            self._start_all()
        except Exception as e:
            self.stop()
            logs = "\n".join(f"  {self.dir / (name + '.log')}" for name in PROCESSES if (self.dir / f"{name}.log").exists())
            raise ClusterError(f"the control plane did not start: {e}\nthe logs:\n{logs}") from e
        except BaseException:
            self.stop()
            raise
        _log(f"ready in {time.monotonic() - started:.1f}s: KUBECONFIG={self.kubeconfig}")

    def stop(self) -> None:
        """End the processes this object started, or (for `cluster.py stop`) those named by the
        PID files in DIR, newest first: SIGTERM, then SIGKILL after 10 s. Only a PID whose
        command line is still the binary it was started as is signalled."""
        for name in reversed(PROCESSES):
            pid_file = self.dir / f"{name}.pid"
            proc = self._procs.pop(name, None)
            if proc is not None:
                _terminate_child(proc)
            elif pid_file.exists():
                pid, binary = pid_file.read_text().strip().split(" ", 1)
                _terminate_pid(int(pid), binary)
            pid_file.unlink(missing_ok=True)

    def detach(self) -> None:
        """Forget the started processes (they keep running; their PID files stay), so that
        a later `stop` of another Cluster on the same DIR ends them."""
        self._procs.clear()

    # --- what tests use

    def kubectl(self, *args: str, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
        """Run `kubectl ARGS` against this cluster, capturing its output; with CHECK, a
        failure raises ClusterError with both streams."""
        assert self.binaries is not None, "the cluster is not started"
        proc = subprocess.run(
            [self.binaries.path("kubectl"), f"--kubeconfig={self.kubeconfig}", *args],
            input=input,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if check and proc.returncode != 0:
            raise ClusterError(f"kubectl {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    def get(self, *args: str) -> dict:
        """`kubectl get ARGS -o json`, parsed."""
        return json.loads(self.kubectl("get", *args, "-o", "json").stdout)

    # --- starting

    def _start_all(self) -> None:
        assert self.binaries is not None
        etcd_client, etcd_peer, etcd_metrics, apiserver, kwok = free_ports(5)
        token = secrets.token_hex(16)
        self._write_credentials(token, apiserver)
        certs = self.dir / "certs"

        self._spawn(
            "etcd",
            f"--data-dir={self.dir / 'etcd-data'}",
            f"--listen-client-urls=http://127.0.0.1:{etcd_client}",
            f"--advertise-client-urls=http://127.0.0.1:{etcd_client}",
            f"--listen-peer-urls=http://127.0.0.1:{etcd_peer}",
            f"--initial-advertise-peer-urls=http://127.0.0.1:{etcd_peer}",
            f"--initial-cluster=default=http://127.0.0.1:{etcd_peer}",
            f"--listen-metrics-urls=http://127.0.0.1:{etcd_metrics}",
            # A throwaway store: losing it on a power cut costs nothing, and fsync is slow.
            "--unsafe-no-fsync",
        )
        self._wait("etcd", lambda: _http_ok(f"http://127.0.0.1:{etcd_client}/health"))

        self._spawn(
            "kube-apiserver",
            f"--etcd-servers=http://127.0.0.1:{etcd_client}",
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            f"--secure-port={apiserver}",
            # A self-signed serving certificate (with its CA) for 127.0.0.1 is made here.
            f"--cert-dir={certs}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={self.dir / 'sa.pub'}",
            f"--service-account-signing-key-file={self.dir / 'sa.key'}",
            "--service-cluster-ip-range=10.96.0.0/16",
            "--authorization-mode=AlwaysAllow",
            f"--token-auth-file={self.dir / 'tokens.csv'}",
            # One API server on loopback: no endpoint to reconcile (it would warn about 127.0.0.1).
            "--endpoint-reconciler-type=none",
            "--enable-priority-and-fairness=false",
        )
        readyz = f"https://127.0.0.1:{apiserver}/readyz"
        self._wait("kube-apiserver", lambda: _http_ok(readyz, token))

        self._spawn(
            "kube-controller-manager",
            f"--kubeconfig={self.kubeconfig}",
            "--bind-address=127.0.0.1",
            "--secure-port=0",  # no health endpoint: nothing reads it, and no fixed port to collide on
            "--leader-elect=false",
            f"--service-account-private-key-file={self.dir / 'sa.key'}",
            "--use-service-account-credentials=false",
            f"--root-ca-file={certs / 'apiserver.crt'}",
            # nodeipam needs --cluster-cidr, which kwok's pod IPs do not come from. Keep
            # nodelifecycle: it lifts the not-ready taint every new Node gets.
            "--controllers=*,-nodeipam",
        )
        self._spawn(
            "kube-scheduler",
            f"--kubeconfig={self.kubeconfig}",
            "--bind-address=127.0.0.1",
            "--secure-port=0",
            "--leader-elect=false",
        )
        self._spawn(
            "kwok",
            f"--kubeconfig={self.kubeconfig}",
            f"--config={self.binaries.kwok_stages}",
            "--manage-all-nodes=true",
            f"--server-address=127.0.0.1:{kwok}",
            "--node-ip=10.0.0.1",
            "--cidr=10.0.0.1/24",
            # Renew each Node's Lease, as a kubelet does (kwokctl's default). The heartbeat stage
            # it pairs with only rewrites the Node's status every ~10 minutes, so without Leases
            # the node lifecycle controller marks the Nodes NotReady within a minute and Pods
            # stop counting as ready.
            "--node-lease-duration-seconds=40",
        )

        self.kubectl("apply", "-f", "-", input=json.dumps(self._nodes()))
        self._wait("kube-controller-manager", self._nodes_schedulable, what="the Nodes to be Ready without taints")
        self.kubectl("apply", "--server-side", "-f", str(self.binaries.gateway_crds))
        self.kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=60s")
        # Pods of a new namespace wait for its default ServiceAccount; so do ours in `default`.
        self._wait("kube-controller-manager", self._default_service_account, what="the default ServiceAccount")

    def _write_credentials(self, token: str, apiserver_port: int) -> None:
        """The service-account key pair, the admin token and a kubeconfig that trusts the
        API server's self-signed CA (written by the API server into certs/)."""
        key, pub = self.dir / "sa.key", self.dir / "sa.pub"
        try:
            subprocess.run(
                ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(key)],
                check=True, capture_output=True,
            )
            subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)], check=True, capture_output=True)
        except FileNotFoundError as e:
            raise ClusterError("openssl is required to make the service-account key (Debian: apt-get install openssl)") from e
        except subprocess.CalledProcessError as e:
            raise ClusterError(f"openssl failed making {key}: {e.stderr.decode(errors='replace')}") from e
        (self.dir / "tokens.csv").write_text(f'{token},admin,admin,"system:masters"\n')
        kubeconfig = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "local",
                    "cluster": {
                        "server": f"https://127.0.0.1:{apiserver_port}",
                        "certificate-authority": str(self.dir / "certs" / "apiserver.crt"),
                    },
                }
            ],
            "users": [{"name": "admin", "user": {"token": token}}],
            "contexts": [{"name": "local", "context": {"cluster": "local", "user": "admin", "namespace": "default"}}],
            "current-context": "local",
        }
        self.kubeconfig.write_text(json.dumps(kubeconfig, indent=2) + "\n")
        self.kubeconfig.chmod(0o600)

    def _nodes(self) -> dict:
        """One kwok Node per zone, labelled as a cloud's nodes are (zone, hostname, os, arch)."""
        items = []
        for zone in self.zones:
            name = f"kwok-{zone}"
            items.append(
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "metadata": {
                        "name": name,
                        "annotations": {"node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake"},
                        "labels": {
                            "type": "kwok",
                            "kubernetes.io/hostname": name,
                            "kubernetes.io/os": "linux",
                            "kubernetes.io/arch": "amd64",
                            "topology.kubernetes.io/zone": zone,
                        },
                    },
                    "spec": {},
                    "status": {
                        "allocatable": {"cpu": "32", "memory": "256Gi", "pods": "110"},
                        "capacity": {"cpu": "32", "memory": "256Gi", "pods": "110"},
                    },
                }
            )
        return {"apiVersion": "v1", "kind": "List", "items": items}

    def _nodes_schedulable(self) -> bool:
        nodes = self.get("nodes")["items"]
        return len(nodes) == len(self.zones) and all(
            not n["spec"].get("taints")
            and any(c["type"] == "Ready" and c["status"] == "True" for c in n.get("status", {}).get("conditions", []))
            for n in nodes
        )

    def _default_service_account(self) -> bool:
        return self.kubectl("get", "serviceaccount", "default", "-n", "default", check=False).returncode == 0

    def _spawn(self, name: str, *args: str) -> None:
        assert self.binaries is not None
        binary = self.binaries.path(name)
        log = open(self.dir / f"{name}.log", "w")
        # Its own session: a Ctrl-C meant for the test runner reaches us, not the cluster,
        # so that stop() still finds every process to end in order.
        proc = subprocess.Popen([binary, *args], stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        log.close()
        self._procs[name] = proc
        (self.dir / f"{name}.pid").write_text(f"{proc.pid} {binary}\n")

    def _wait(self, name: str, ready, what: str = "") -> None:
        """Poll READY until it is true; fail naming NAME's log when NAME exits or time runs out."""
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        log = self.dir / f"{name}.log"
        while True:
            for proc_name, proc in self._procs.items():
                if proc.poll() is not None:
                    raise ClusterError(
                        f"{proc_name} exited ({proc.returncode}) while waiting for {what or name}; "
                        f"see {self.dir / (proc_name + '.log')}"
                    )
            try:
                if ready():
                    return
            except ClusterError:
                pass  # kubectl cannot reach the API server yet
            if time.monotonic() > deadline:
                raise ClusterError(f"{what or name} not ready after {READY_TIMEOUT_SECONDS:.0f}s; see {log}")
            time.sleep(0.2)


def _http_ok(url: str, token: str | None = None) -> bool:
    """True when URL answers 200 (the API server's certificate is not checked here: this is
    only a readiness poll on loopback; the kubeconfig checks it)."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(request, timeout=2, context=context) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _terminate_child(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _terminate_pid(pid: int, binary: str) -> None:
    """SIGTERM PID, then SIGKILL after 10 s, as long as it is still BINARY (a PID file may
    outlive its process, and the PID may now belong to another)."""

    def is_ours() -> bool:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
        except OSError:
            return False
        return cmdline == binary

    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        if not is_ours():
            return
        os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not is_ours() or _is_zombie(pid):
                return
            time.sleep(0.1)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: cluster.py start DIR | cluster.py stop DIR", file=sys.stderr)
        return 2
    cluster = Cluster(Path(argv[1]))
    try:
        if argv[0] == "start":
            cluster.start()
            print(f"KUBECONFIG={cluster.kubeconfig}")
            # The processes outlive this command; `stop DIR` ends them.
            cluster.detach()
        else:
            cluster.stop()
    except ClusterError as e:
        print(f"k8s-cluster: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
