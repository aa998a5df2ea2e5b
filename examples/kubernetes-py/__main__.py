"""A production service on any Kubernetes cluster, with launchpad."""

import pulumi
import pulumi_launchpad as launchpad

config = pulumi.Config()

# The cluster is the kubernetes provider's: the current kubeconfig context, or a
# pulumi_kubernetes.Provider passed in `providers` (one with `render_yaml_to_directory`
# writes the manifests for Argo CD or Flux instead of applying them).
orders = launchpad.KubernetesService(
    "orders",
    image=config.get("image") or "ghcr.io/acme/orders:2.0.1",
    namespace="shop",
    create_namespace=True,
    port=8080,
    cpu=config.get("cpu") or "500m",
    memory=config.get("memory") or "1Gi",
    environment={"LOG_LEVEL": "info"},
    # Every key of an existing Secret, and one key of an existing ConfigMap.
    env_from_secrets=["orders-env"],
    config_maps={"FEATURES": launchpad.KubernetesKeyRefArgs(name="orders-flags", key="features")},
    health_check=launchpad.KubernetesHealthCheckArgs(path="/ready", startup_timeout_seconds=180),
    autoscaling=launchpad.KubernetesAutoscalingArgs(
        min_replicas=2, max_replicas=config.get_int("maxReplicas") or 6, memory_utilization=80
    ),
    ingress=launchpad.KubernetesIngressArgs(
        hosts=["orders.example.com"],
        class_name="nginx",
        cert_manager_cluster_issuer="letsencrypt-prod",
        controller_namespace="ingress-nginx",
    ),
    labels={"team": "shop"},
)

pulumi.export("url", orders.url)
pulumi.export("clusterDns", orders.cluster_dns)
