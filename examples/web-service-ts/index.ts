import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();

// Replace the ARNs below with yours: an ACM certificate for your domain (in the
// service's region) and the Secrets Manager secret holding the database URL.
const api = new launchpad.WebService("api", {
    image: config.get("image") ?? "ghcr.io/acme/api:1.4.2",
    port: 8000,
    cpu: config.getNumber("cpu") ?? 512,
    memory: config.getNumber("memory") ?? 1024,
    certificateArn: config.get("certificateArn") ??
        "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
    environment: { LOG_LEVEL: "info" },
    secrets: {
        DATABASE_URL: config.get("databaseUrlSecretArn") ??
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/database-url-AbCdEf",
    },
    healthCheck: { path: "/health", gracePeriodSeconds: 30 },
    scaling: { minCount: 2, maxCount: 10, cpuTargetPercent: 60, requestsPerTarget: 1000 },
    tags: { app: "web-service-ts", stack: pulumi.getStack() },
});

export const url = api.url;
export const loadBalancerDnsName = api.loadBalancerDnsName;
export const serviceName = api.serviceName;
export const logGroupName = api.logGroupName;
