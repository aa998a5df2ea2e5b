// N KubernetesServices through launchpad's generated SDK (a remote component:
// each one is a Construct call to pulumi-resource-launchpad), with the inputs a
// production service sets. node_modules is linked from examples/kubernetes-ts by
// bench/kubernetes-preview/run.py. The TypeScript peer (../ts-component) declares
// the same N with the same inputs; run.py checks both plan the same objects.
import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const n = new pulumi.Config().getNumber("n") ?? 20;
for (let i = 0; i < n; i++) {
    new launchpad.KubernetesService(`svc${i}`, {
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
