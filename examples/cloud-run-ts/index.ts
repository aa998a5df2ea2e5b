import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();

// Scale to zero, public, its own service account that may read exactly the
// `database-url` secret (create it in Secret Manager first).
const api = new launchpad.CloudRunService("api", {
    image: config.get("image") ?? "us-docker.pkg.dev/acme-prod/app/api:1.4.2",
    port: 8000,
    cpu: config.get("cpu") ?? "1",
    memory: config.get("memory") ?? "512Mi",
    concurrency: config.getNumber("concurrency") ?? 80,
    maxInstances: 20,
    public: true,
    environment: { LOG_LEVEL: "info" },
    secrets: { DATABASE_URL: { secret: "database-url" } },
    healthCheck: { startupPath: "/ready" },
    labels: { app: "cloud-run-ts", stack: pulumi.getStack().toLowerCase() },
});

export const url = api.url;
export const serviceAccountEmail = api.serviceAccountEmail;
