import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const stack = pulumi.getStack();

// `api/` is the function's built folder (here a single file; for a bundled app, esbuild's
// output folder). It answers GET /api/hello. arm64 by default; `url: {}` gives it a function
// URL that only signed (AWS_IAM) requests may call: the site below is the one that may.
const api = new launchpad.Function("api", {
    path: "./api",
    runtime: "nodejs24.x",
    handler: "index.handler",
    memory: 512,
    timeout: 10,
    environment: { GREETING: "hello from launchpad" },
    url: {},
    tags: { app: "function-ts", stack },
});

// A nightly job: the same kind of folder, run once a day by EventBridge Scheduler with the
// `input` below as its event. Its role may invoke only this function's `live` alias.
const nightly = new launchpad.Function("nightly", {
    path: "./jobs",
    runtime: "nodejs24.x",
    handler: "nightly.handler",
    timeout: 60,
    schedule: { expression: "rate(1 day)", input: { task: "report" } },
    tags: { app: "function-ts", stack },
});

// The site and its API on one domain: CloudFront sends /api/* to the function's URL, signed
// with Origin Access Control, and everything else to the site's bucket. No CORS needed.
const site = new launchpad.StaticSite("site", {
    path: "./site",
    routes: [{ path: "/api/*", function: api }],
    tags: { app: "function-ts", stack },
});

export const url = site.url;
export const functionName = api.functionName;
export const nightlyFunctionName = nightly.functionName;
