import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();

// The cluster is the kubernetes provider's: the current kubeconfig context, or a
// `new k8s.Provider(...)` passed in `providers`. GitOps hand-off: with
// `pulumi config set renderYamlTo ./manifests`, a provider with `renderYamlToDirectory`
// writes the manifests there for Argo CD or Flux instead of applying them.
const renderTo = config.get("renderYamlTo");
const gitops = renderTo ? new k8s.Provider("gitops", { renderYamlToDirectory: renderTo }) : undefined;

const api = new launchpad.KubernetesService("api", {
    image: config.get("image") ?? "ghcr.io/acme/api:1.4.2",
    namespace: "shop",
    createNamespace: true,
    port: 8000,
    cpu: config.get("cpu") ?? "250m",
    memory: config.get("memory") ?? "512Mi",
    environment: { LOG_LEVEL: "info" },
    // Keys of a Secret that already exists in the namespace (`kubectl create secret ...`).
    secrets: { DATABASE_URL: { name: "api-database", key: "url" } },
    healthCheck: { path: "/healthz", startupTimeoutSeconds: 120 },
    autoscaling: { minReplicas: 2, maxReplicas: config.getNumber("maxReplicas") ?? 8, cpuUtilization: 70 },
    ingress: {
        hosts: ["api.example.com"],
        className: "nginx",
        certManagerClusterIssuer: "letsencrypt-prod",
        controllerNamespace: "ingress-nginx",
    },
    labels: { team: "shop" },
}, gitops ? { providers: { kubernetes: gitops } } : undefined);

export const url = api.url;
export const clusterDns = api.clusterDns;
