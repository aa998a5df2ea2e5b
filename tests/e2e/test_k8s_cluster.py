"""The real pieces of Kubernetes work together: our CLI build, the real kubernetes provider
plugin (tools/k8s, installed into the Pulumi home as a user would) and a real kube-apiserver
with controllers and kwok Nodes (tools/k8s/cluster.py).

One program, tests/e2e/programs/k8s-raw-ts, written with @pulumi/kubernetes alone: a Namespace
enforcing the restricted Pod Security Standard, a Deployment of 2 replicas and a Service. `up`
returns only once the provider's await logic has seen the pods Ready, so the whole chain is
proven or the test fails. The engine takes only a plugin of exactly the version asked for, and
the SDK's default provider asks for the SDK's own: the npm SDK is pinned at the plugin's label
(tools/versions.env), so the program finds the plugin as a user's would."""

from __future__ import annotations

import json
import shutil

import harness

PROGRAM = harness.ROOT / "tests" / "e2e" / "programs" / "k8s-raw-ts"
NAMESPACE = "k8s-raw"
VERSIONS = harness.versions()


def program(tmp_path, k8s_cluster, **config: str):
    """The program on a fresh stack and backend, against the session's cluster."""
    installed = json.loads((PROGRAM / "package.json").read_text())["dependencies"]["@pulumi/kubernetes"]
    assert installed == VERSIONS["KUBERNETES_NODEJS_SDK_VERSION"], (
        f"{PROGRAM.name}/package.json pins @pulumi/kubernetes {installed}; tools/versions.env says "
        f"{VERSIONS['KUBERNETES_NODEJS_SDK_VERSION']}"
    )
    assert (PROGRAM / "node_modules" / "@pulumi" / "kubernetes").is_dir(), f"{PROGRAM} has no node_modules: run make k8s"
    harness.install_kubernetes_plugin()
    env = harness.kubernetes_env(tmp_path / "state", k8s_cluster.kubeconfig)
    # The plugin can come from nowhere but the Pulumi home.
    assert shutil.which("pulumi-resource-kubernetes", path=env["PATH"]) is None
    project = harness.copy_program(PROGRAM, tmp_path, PROGRAM)
    harness.select_stack(project, "dev", env, config)
    return project, env


def test_raw_kubernetes_objects_deploy_stay_unchanged_and_are_destroyed(tmp_path, k8s_cluster):
    label = VERSIONS["KUBERNETES_PROVIDER_VERSION"]
    project, env = program(tmp_path, k8s_cluster)

    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)

    outputs = json.loads(harness.pulumi(["stack", "output", "--json"], project, env).stdout)
    assert outputs["namespace"] == NAMESPACE
    assert outputs["readyReplicas"] == 2, outputs
    resources = json.loads(harness.pulumi(["stack", "export"], project, env).stdout)["deployment"]["resources"]
    providers = [r for r in resources if r["type"] == "pulumi:providers:kubernetes"]
    assert [p["inputs"].get("version") for p in providers] == [label], providers

    # What the API server holds: the objects, with the pods Ready on kwok's Nodes.
    ns = k8s_cluster.get("namespace", NAMESPACE)
    assert ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    deploy = k8s_cluster.get("deployment", "web", "-n", NAMESPACE)
    assert deploy["spec"]["replicas"] == 2
    assert deploy["status"].get("readyReplicas") == 2, deploy["status"]
    pods = k8s_cluster.get("pods", "-n", NAMESPACE, "-l", "app.kubernetes.io/name=web")["items"]
    assert [p["status"]["phase"] for p in pods] == ["Running", "Running"], [p["status"] for p in pods]
    assert all(p["spec"]["nodeName"].startswith("kwok-") for p in pods), [p["spec"].get("nodeName") for p in pods]
    service = k8s_cluster.get("service", "web", "-n", NAMESPACE)
    assert service["spec"]["clusterIP"] == outputs["clusterIp"]
    slices = k8s_cluster.get("endpointslices", "-n", NAMESPACE, "-l", "kubernetes.io/service-name=web")["items"]
    ready = [e for s in slices for e in s.get("endpoints") or [] if e["conditions"].get("ready")]
    assert len(ready) == 2, slices

    harness.pulumi(["preview", "--expect-no-changes"], project, env)

    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, env)
    gone = k8s_cluster.kubectl("get", "namespace", NAMESPACE, check=False)
    assert gone.returncode != 0 and "NotFound" in gone.stderr, gone.stdout + gone.stderr
