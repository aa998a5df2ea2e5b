// N KubernetesServices, the TypeScript way: a ComponentResource on
// @pulumi/kubernetes (./kubernetesService.ts). The launchpad program next door
// declares the same N with the same inputs.
import * as pulumi from "@pulumi/pulumi";
import { KubernetesService } from "./kubernetesService";

const n = new pulumi.Config().getNumber("n") ?? 20;
for (let i = 0; i < n; i++) {
    new KubernetesService(`svc${i}`, {
        image: `ghcr.io/acme/svc${i}:1.4.2`,
        namespace: "shop",
        port: 8000,
        cpu: "250m",
        memory: "512Mi",
        environment: { LOG_LEVEL: "info" },
        secrets: { DATABASE_URL: { name: `svc${i}-database`, key: "url" } },
        healthCheck: { path: "/healthz", startupTimeoutSeconds: 120 },
        autoscaling: { minReplicas: 2, maxReplicas: 8, cpuUtilization: 70 },
        ingress: {
            hosts: [`svc${i}.example.com`],
            className: "nginx",
            certManagerClusterIssuer: "letsencrypt-prod",
            controllerNamespace: "ingress-nginx",
        },
        labels: { team: "shop" },
    });
}
