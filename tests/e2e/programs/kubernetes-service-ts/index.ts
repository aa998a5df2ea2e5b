// A KubernetesService whose every knob the end-to-end tests turn from stack config
// (tests/e2e/test_kubernetes_service.py). Its node_modules are examples/kubernetes-ts's.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();

// GitOps hand-off: with `renderYamlTo`, a provider that writes the manifests to that folder
// instead of applying them, for Argo CD or Flux.
const renderTo = config.get("renderYamlTo");
const render = renderTo
    ? new k8s.Provider("render", { renderYamlToDirectory: renderTo })
    : undefined;

const exposure = config.get("exposure") ?? "none";
const service = new launchpad.KubernetesService(
    "web",
    {
        name: config.get("name"),
        image: config.require("image"),
        namespace: config.get("namespace"),
        createNamespace: config.getBoolean("createNamespace") ?? false,
        memory: config.get("memory"),
        labels: config.getObject<Record<string, string>>("labels"),
        autoscaling: {
            enabled: config.getBoolean("autoscaling") ?? true,
            minReplicas: config.getNumber("minReplicas") ?? 2,
            maxReplicas: 5,
        },
        replicas: config.getNumber("replicas"),
        environment: { LOG_LEVEL: "info" },
        secrets: { DATABASE_URL: { name: "web-db", key: "url" } },
        healthCheck: { path: "/healthz" },
        ingress:
            exposure === "ingress"
                ? {
                      hosts: ["web.example.test"],
                      className: "nginx",
                      controllerNamespace: "ingress-nginx",
                      certManagerClusterIssuer: "letsencrypt",
                      // The local control plane has no ingress controller to give the Ingress
                      // an address, which the provider would otherwise wait 10 minutes for.
                      annotations: { "pulumi.com/skipAwait": "true" },
                  }
                : undefined,
        httpRoute:
            exposure === "httpRoute"
                ? { gatewayName: "public", gatewayNamespace: "gateways", hostnames: ["web.example.test"] }
                : undefined,
    },
    render ? { providers: { kubernetes: render } } : undefined,
);

export const name = service.name;
export const namespace = service.namespace;
export const clusterDns = service.clusterDns;
export const url = service.url;
