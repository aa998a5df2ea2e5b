// The objects a production service needs, written with @pulumi/kubernetes alone: proves the real
// kubernetes provider plugin, the engine and the local control plane (tools/k8s) work together.
// The namespace enforces the restricted Pod Security Standard, so the API server itself refuses
// a pod spec that does not meet it.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

const labels = { "app.kubernetes.io/name": "web" };

const ns = new k8s.core.v1.Namespace("ns", {
    metadata: {
        name: "k8s-raw",
        labels: { "pod-security.kubernetes.io/enforce": "restricted" },
    },
});

const deployment = new k8s.apps.v1.Deployment("web", {
    metadata: { name: "web", namespace: ns.metadata.name, labels },
    spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
            metadata: { labels },
            spec: {
                securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
                containers: [{
                    name: "web",
                    image: "registry.example/web:1.0.0",
                    ports: [{ name: "http", containerPort: 8080 }],
                    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
                    readinessProbe: { httpGet: { path: "/healthz", port: "http" } },
                    securityContext: {
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                    },
                }],
            },
        },
    },
});

const service = new k8s.core.v1.Service("web", {
    metadata: { name: "web", namespace: ns.metadata.name, labels },
    spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
}, { dependsOn: [deployment] });

export const namespace = ns.metadata.name;
export const readyReplicas = deployment.status.readyReplicas;
export const clusterIp = service.spec.clusterIP;
