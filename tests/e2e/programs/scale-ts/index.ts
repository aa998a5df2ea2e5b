// `n` launchpad components in one stack, for the scale suite (tests/e2e/test_scale.py): a
// Function, a CloudRunService and a WebService in turn, each with the same inputs, so every
// component of a kind registers the same children. All of them are served by the aws and gcp
// stand-ins alone: the WebService runs in a given VPC (no lookup) and nothing needs S3.
// Its node_modules are examples/function-ts's.
import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();
const n = config.requireNumber("n");

for (let i = 0; i < n; i++) {
    switch (i % 3) {
        case 0:
            new launchpad.Function(`fn-${i}`, {
                path: "./code",
                runtime: "nodejs24.x" as unknown as launchpad.FunctionArgs["runtime"],
                handler: "index.handler",
            });
            break;
        case 1:
            new launchpad.CloudRunService(`run-${i}`, {
                image: "us-docker.pkg.dev/acme-scale/app/api:1.0.0",
                port: 8080,
            });
            break;
        default:
            new launchpad.WebService(`web-${i}`, {
                image: "ghcr.io/acme/api:1.0.0",
                port: 8000,
                network: {
                    vpcId: "vpc-0a1b2c3d4e5f60718",
                    subnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-1a2b3c4d5e6f70819"],
                },
            });
    }
}

export const components = n;
