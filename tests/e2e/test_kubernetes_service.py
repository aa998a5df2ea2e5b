"""KubernetesService end to end, against the real pieces: our CLI build, the real kubernetes
provider (tools/k8s, installed into the Pulumi home as a user would) and a real kube-apiserver with
controllers, a scheduler and kwok Nodes (tools/k8s/cluster.py, the `k8s_cluster` fixture).

- the TypeScript and Python examples preview, planning every child, and come up (`up`, then
  `preview --expect-no-changes`) and go away (`destroy`);
- a quantity Kubernetes would refuse (`512MB`) fails preview naming `memory`, before any cluster
  is asked;
- `up`, then `preview --expect-no-changes`; a new image rolls the pods while the count the HPA
  chose survives the deploy; `refresh` finds nothing changed; `destroy` removes every object;
- an object the API server refuses fails `up` with the server's own reason;
- with a provider that renders YAML (the GitOps hand-off), `up` writes manifests that the API
  server accepts as they are (a server-side dry run of the folder).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

import harness

KUBERNETES_SERVICE = "launchpad:index:KubernetesService"
EXAMPLES = {
    "ts": harness.ROOT / "examples" / "kubernetes-ts",
    "py": harness.ROOT / "examples" / "kubernetes-py",
}
# Driven by stack config; its node_modules (the local SDK and @pulumi/kubernetes) are the TS example's.
PROGRAM = harness.ROOT / "tests" / "e2e" / "programs" / "kubernetes-service-ts"
IMAGE = "registry.example.test/team/web"
# The kinds every default KubernetesService makes, and the extra ones of each exposure.
CHILDREN = {
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:core/v1:Service",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
}
# `kubectl get` names of every kind a KubernetesService may make in its namespace.
KINDS = "deployment,service,serviceaccount,hpa,pdb,networkpolicy,ingress,httproute"


@pytest.fixture(scope="module")
def kubernetes_plugin():
    """The real kubernetes plugin, built once and installed into the shared Pulumi home."""
    harness.install_kubernetes_plugin()


@pytest.fixture
def k8s_env(tmp_path, k8s_cluster, kubernetes_plugin):
    return harness.kubernetes_env(tmp_path / "state", k8s_cluster.kubeconfig)


@pytest.fixture
def program(tmp_path):
    return harness.copy_program(PROGRAM, tmp_path, EXAMPLES["ts"])


def stack(program: Path, name: str, env: dict[str, str], **config: str) -> None:
    harness.select_stack(program, name, env, config={"image": f"{IMAGE}:1.0.0", **config})


def wait_for(cluster, namespace: str, what: str, probe, timeout_s: float = 120.0):
    """Poll PROBE until it returns something truthy; fail naming WHAT, with what NAMESPACE holds
    and its events."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            state = cluster.kubectl("get", "deploy,rs,pods,hpa", "-o", "wide", "-n", namespace, check=False)
            events = cluster.kubectl("get", "events", "--sort-by=.lastTimestamp", "-n", namespace, check=False)
            raise AssertionError(f"{what}: not after {timeout_s:.0f} s\n{state.stdout}\n{events.stdout}\n"
                                 f"(logs: {cluster.dir})")
        time.sleep(2)


class IngressController:
    """What the provider waits for from an ingress controller, which the local cluster lacks: an
    address in the status of each Ingress (ingress-nginx writes its load balancer's once it serves
    one). Runs until the block ends."""

    ADDRESS = "203.0.113.10"  # TEST-NET-3: an address nothing answers on

    def __init__(self, cluster):
        self.cluster = cluster
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "IngressController":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        status = json.dumps({"status": {"loadBalancer": {"ingress": [{"ip": self.ADDRESS}]}}})
        while not self.stopped.wait(1):
            listed = self.cluster.kubectl("get", "ingress", "-A", "-o", "json", check=False)
            if listed.returncode != 0:
                continue
            for ingress in json.loads(listed.stdout)["items"]:
                if not ingress.get("status", {}).get("loadBalancer", {}).get("ingress"):
                    meta = ingress["metadata"]
                    self.cluster.kubectl("patch", "ingress", meta["name"], "-n", meta["namespace"],
                                         "--subresource=status", "--type=merge", "-p", status, check=False)


def objects(cluster, namespace: str, instance: str) -> list[str]:
    """`kind/name` of every object of a KubernetesService's instance in NAMESPACE."""
    found = cluster.get(KINDS, "-n", namespace, "-l", f"app.kubernetes.io/instance={instance}")
    return sorted(f"{o['kind']}/{o['metadata']['name']}" for o in found["items"])


def test_the_typescript_example_pins_the_sdk_at_the_plugins_label():
    # The engine takes only the plugin version an SDK's default provider asks for (the SDK's own).
    pinned = json.loads((EXAMPLES["ts"] / "package.json").read_text())["dependencies"]["@pulumi/kubernetes"]
    versions = harness.versions()
    assert pinned == versions["KUBERNETES_NODEJS_SDK_VERSION"] == versions["KUBERNETES_PROVIDER_VERSION"]


@pytest.mark.parametrize("lang", sorted(EXAMPLES))
def test_the_examples_preview_every_child(lang, tmp_path, k8s_env):
    project = harness.copy_example(EXAMPLES[lang], tmp_path)
    harness.select_stack(project, "test", k8s_env)
    preview = harness.preview_children(project, k8s_env, KUBERNETES_SERVICE)
    assert CHILDREN <= set(preview.children), sorted(CHILDREN - set(preview.children))
    deployment = preview.one("kubernetes:apps/v1:Deployment").inputs
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    (container,) = pod["containers"]
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert container["resources"]["limits"]["memory"] == container["resources"]["requests"]["memory"]
    # With the HPA on (the examples' case), the count is the HPA's alone.
    assert "replicas" not in deployment["spec"], deployment["spec"]


@pytest.mark.parametrize("lang", sorted(EXAMPLES))
def test_the_examples_come_up_unchanged_and_go_away(lang, tmp_path, k8s_env, k8s_cluster):
    project = harness.copy_example(EXAMPLES[lang], tmp_path)
    harness.select_stack(project, "up", k8s_env)
    name = {"ts": "api", "py": "orders"}[lang]
    try:
        with IngressController(k8s_cluster):
            harness.pulumi(["up", "--yes", "--skip-preview"], project, k8s_env)
        outputs = json.loads(harness.pulumi(["stack", "output", "--json"], project, k8s_env).stdout)
        assert outputs["clusterDns"] == f"{name}.shop.svc.cluster.local", outputs
        # createNamespace: a namespace that enforces the restricted Pod Security Standard, which
        # admitted the pods below.
        labels = k8s_cluster.get("namespace", "shop")["metadata"]["labels"]
        assert labels["pod-security.kubernetes.io/enforce"] == "restricted", labels
        wait_for(k8s_cluster, "shop", "the autoscaler's 2 ready replicas",
                 lambda: k8s_cluster.get("deployment", name, "-n", "shop")["status"].get("readyReplicas") == 2)
        harness.pulumi(["preview", "--expect-no-changes"], project, k8s_env)
    finally:
        harness.pulumi(["destroy", "--yes", "--skip-preview"], project, k8s_env)
    gone = k8s_cluster.kubectl("get", "namespace", "shop", check=False)
    assert gone.returncode != 0 and "NotFound" in gone.stderr, gone.stdout + gone.stderr


def test_a_quantity_kubernetes_refuses_fails_preview_naming_memory(program, k8s_env):
    stack(program, "bad", k8s_env, memory="512MB")
    proc = harness.pulumi(["preview"], program, k8s_env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "memory" in output and "512MB" in output and "512Mi" in output, output


def test_up_rolls_a_new_image_keeps_the_hpas_count_refreshes_clean_and_destroys_everything(
    program, k8s_env, k8s_cluster
):
    # A namespace of the team's, which the component uses and must leave behind.
    ns = "web-e2e"
    k8s_cluster.kubectl("create", "namespace", ns)
    # minReplicas 3: the Deployment is created without a count (1 by the API's default); the HPA
    # then sets 3, which the next deploy must not undo.
    stack(program, "up", k8s_env, namespace=ns, minReplicas="3", exposure="ingress")
    harness.pulumi(["up", "--yes", "--skip-preview"], program, k8s_env)

    outputs = json.loads(harness.pulumi(["stack", "output", "--json"], program, k8s_env).stdout)
    assert outputs["clusterDns"] == f"web.{ns}.svc.cluster.local", outputs
    assert outputs["url"] == "https://web.example.test", outputs
    assert objects(k8s_cluster, ns, "web") == [
        "Deployment/web", "HorizontalPodAutoscaler/web", "Ingress/web", "NetworkPolicy/web",
        "PodDisruptionBudget/web", "Service/web", "ServiceAccount/web",
    ]
    wait_for(k8s_cluster, ns, "3 ready replicas set by the HPA",
             lambda: k8s_cluster.get("deployment", "web", "-n", ns)["status"].get("readyReplicas") == 3)

    harness.pulumi(["preview", "--expect-no-changes"], program, k8s_env)

    # A new image: a rolling update, and the count stays the HPA's.
    harness.pulumi(["config", "set", "image", f"{IMAGE}:1.1.0"], program, k8s_env)
    harness.pulumi(["up", "--yes", "--skip-preview"], program, k8s_env)
    deployment = k8s_cluster.get("deployment", "web", "-n", ns)
    assert deployment["spec"]["replicas"] == 3, deployment["spec"]
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == f"{IMAGE}:1.1.0"
    assert deployment["metadata"]["labels"]["app.kubernetes.io/version"] == "1.1.0"
    sets = k8s_cluster.get("replicasets", "-n", ns, "-l", "app.kubernetes.io/instance=web")["items"]
    assert {rs["spec"]["template"]["spec"]["containers"][0]["image"]: rs["spec"]["replicas"] for rs in sets} == {
        f"{IMAGE}:1.0.0": 0, f"{IMAGE}:1.1.0": 3,
    }

    harness.pulumi(["refresh", "--yes", "--expect-no-changes"], program, k8s_env)
    harness.pulumi(["preview", "--expect-no-changes"], program, k8s_env)

    harness.pulumi(["destroy", "--yes", "--skip-preview"], program, k8s_env)
    # Every object deleted by Pulumi itself (no namespace deletion to cascade), the namespace kept.
    assert objects(k8s_cluster, ns, "web") == []
    wait_for(k8s_cluster, ns, "the pods gone with their Deployment",
             lambda: k8s_cluster.get("pods", "-n", ns)["items"] == [], timeout_s=60)
    assert k8s_cluster.get("namespace", ns)["status"]["phase"] == "Active"


def test_an_object_the_api_server_refuses_fails_up_with_the_servers_reason(program, k8s_env):
    # A namespace that does not exist, and is not to be created: only the API server knows.
    stack(program, "refused", k8s_env, namespace="no-such-namespace")
    proc = harness.pulumi(["up", "--yes", "--skip-preview"], program, k8s_env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert 'namespaces "no-such-namespace" not found' in output, output


def test_rendered_yaml_is_what_the_api_server_accepts(program, k8s_env, k8s_cluster, tmp_path):
    ns = "web-render"
    k8s_cluster.kubectl("create", "namespace", ns)
    out = tmp_path / "manifests"
    # As in a GitOps pipeline, no cluster: the SDK would pass KUBECONFIG to the provider, which
    # refuses it beside renderYamlToDirectory.
    env = {k: v for k, v in k8s_env.items() if k != "KUBECONFIG"}
    stack(program, "render", env, namespace=ns, renderYamlTo=str(out), exposure="httpRoute")
    harness.pulumi(["up", "--yes", "--skip-preview"], program, env)

    files = sorted(p for p in out.rglob("*.yaml"))
    text = "\n".join(p.read_text() for p in files)
    for kind in ("ServiceAccount", "Deployment", "Service", "HorizontalPodAutoscaler",
                 "PodDisruptionBudget", "NetworkPolicy", "HTTPRoute"):
        assert f"kind: {kind}" in text, (kind, [p.name for p in files])
    # Nothing was applied: the provider only wrote files.
    assert objects(k8s_cluster, ns, "web") == []
    # What Argo CD or Flux would apply, the API server accepts (the HTTPRoute against its CRD).
    dry = k8s_cluster.kubectl("apply", "--dry-run=server", "-f", str(out), "--recursive", check=False)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "httproute.gateway.networking.k8s.io/web created (server dry run)" in dry.stdout, dry.stdout
