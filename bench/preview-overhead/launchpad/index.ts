// N StaticSites through launchpad's generated SDK (a remote component: each
// one is a Construct call to pulumi-resource-launchpad). node_modules is
// linked from examples/static-site-ts by bench/preview-overhead/run.py.
import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const n = new pulumi.Config().requireNumber("n");
for (let i = 0; i < n; i++) {
    new launchpad.StaticSite(`site${i}`, { path: "./site" });
}
