// N of every kind, the TypeScript way: one ComponentResource per instance (./replay.ts), each
// registering the children launchpad registered for one instance of its kind. Config: `n`,
// `kinds` (as the launchpad program next door), and `recording`: the JSON bench/preview-mix/run.py
// recorded from launchpad's own preview at N=1 (kind -> RecordedKind).
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { RecordedKind, Replayed } from "./replay";

const config = new pulumi.Config();
const n = config.requireNumber("n");
const kinds = config.require("kinds").split(",");
const recording: Record<string, RecordedKind> = JSON.parse(fs.readFileSync(config.require("recording"), "utf8"));
// The same instance names as the launchpad program's.
const prefix: Record<string, string> = {
    StaticSite: "site", WebService: "web", CloudRunService: "run", NeonDatabase: "db", Function: "fn",
    KubernetesService: "svc",
};

for (const kind of kinds) {
    if (!(kind in recording) || !(kind in prefix)) {
        throw new Error(`kinds: nothing recorded for ${kind}; recorded: ${Object.keys(recording).join(", ")}`);
    }
    for (let i = 0; i < n; i++) {
        new Replayed(`peer:index:${kind}`, `${prefix[kind]}-${i}`, recording[kind]);
    }
}
