// A Function behind a StaticSite route, each input the end-to-end tests vary read from stack
// config (tests/e2e/test_function.py): the bad values must fail preview naming the property.
// Its node_modules are examples/function-ts's.
import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();
const schedule = config.get("scheduleExpression");
const authType = config.get("urlAuthType");

const api = new launchpad.Function("api", {
    path: "./code",
    // The tests send values the SDK's types may not list (a deprecated runtime): through
    // `unknown`, whatever those types are (a string or an enum), as a program built from
    // config would.
    runtime: (config.get("runtime") ?? "nodejs24.x") as unknown as launchpad.FunctionArgs["runtime"],
    handler: "index.handler",
    memory: config.getNumber("memory"),
    url: (authType ? { authType } : {}) as unknown as launchpad.FunctionArgs["url"],
    schedule: schedule ? { expression: schedule } : undefined,
});

new launchpad.StaticSite("site", {
    path: "./site",
    routes: (config.getObject<string[]>("routePaths") ?? ["/api/*"]).map((path) => ({ path, function: api })),
});

export const functionName = api.functionName;
