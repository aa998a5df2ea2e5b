// N of every launchpad component in one program, through the generated SDK (each is a Construct
// call to pulumi-resource-launchpad), with the inputs of the examples a user starts from
// (examples/*-ts). run.py links node_modules from examples/kubernetes-ts, `site` from
// bench/preview-overhead/site and `api` from examples/function-ts/api. Config: `n`, and `kinds`
// (comma-separated, default all) to leave some out. The peer (../ts-component) declares the same.
import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();
const n = config.requireNumber("n");
const kinds = (config.get("kinds") ?? "StaticSite,WebService,CloudRunService,NeonDatabase,Function,KubernetesService")
    .split(",");

// Each instance is named `<prefix>-<i>`: the peer replays the children of `<prefix>-0` under
// every other instance's name (ts-component/replay.ts).
const declare: Record<string, (name: string) => void> = {
    StaticSite: (name) => new launchpad.StaticSite(name, { path: "./site" }),
    WebService: (name) => new launchpad.WebService(name, {
        image: "ghcr.io/acme/api:1.4.2",
        port: 8000,
        cpu: 512,
        memory: 1024,
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        environment: { LOG_LEVEL: "info" },
        secrets: { DATABASE_URL: "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/database-url-AbCdEf" },
        healthCheck: { path: "/health", gracePeriodSeconds: 30 },
        scaling: { minCount: 2, maxCount: 10, cpuTargetPercent: 60, requestsPerTarget: 1000 },
        tags: { app: "preview-mix" },
    }),
    CloudRunService: (name) => new launchpad.CloudRunService(name, {
        image: "us-docker.pkg.dev/acme-prod/app/api:1.4.2",
        port: 8000,
        cpu: "1",
        memory: "512Mi",
        concurrency: 80,
        maxInstances: 20,
        public: true,
        environment: { LOG_LEVEL: "info" },
        secrets: { DATABASE_URL: { secret: "database-url" } },
        healthCheck: { startupPath: "/ready" },
        labels: { app: "preview-mix" },
    }),
    NeonDatabase: (name) => new launchpad.NeonDatabase(name, {
        region: "aws-eu-central-1",
        pgVersion: 17,
        minCu: 0.25,
        maxCu: 2,
        suspendTimeoutSeconds: 300,
        databaseName: "shop",
        roleName: "shop",
    }),
    Function: (name) => new launchpad.Function(name, {
        path: "./api",
        runtime: "nodejs24.x",
        handler: "index.handler",
        memory: 512,
        timeout: 10,
        environment: { GREETING: "hello from launchpad" },
        url: {},
        tags: { app: "preview-mix" },
    }),
    KubernetesService: (name) => new launchpad.KubernetesService(name, {
        image: "ghcr.io/acme/api:1.4.2",
        namespace: "shop",
        port: 8000,
        cpu: "250m",
        memory: "512Mi",
        environment: { LOG_LEVEL: "info" },
        secrets: { DATABASE_URL: { name: "api-database", key: "url" } },
        healthCheck: { path: "/healthz", startupTimeoutSeconds: 120 },
        autoscaling: { minReplicas: 2, maxReplicas: 8, cpuUtilization: 70 },
        ingress: {
            hosts: [`${name}.example.com`],
            className: "nginx",
            certManagerClusterIssuer: "letsencrypt-prod",
            controllerNamespace: "ingress-nginx",
        },
        labels: { team: "shop" },
    }),
};
const prefix: Record<string, string> = {
    StaticSite: "site", WebService: "web", CloudRunService: "run", NeonDatabase: "db", Function: "fn",
    KubernetesService: "svc",
};

for (const kind of kinds) {
    if (!(kind in declare)) {
        throw new Error(`kinds: ${kind} is not a launchpad component; valid: ${Object.keys(declare).join(", ")}`);
    }
    for (let i = 0; i < n; i++) {
        declare[kind](`${prefix[kind]}-${i}`);
    }
}
