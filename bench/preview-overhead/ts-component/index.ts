// N StaticSites, the TypeScript way: a ComponentResource on @pulumi/aws
// (./staticSite.ts). The launchpad program next door declares the same N.
import * as pulumi from "@pulumi/pulumi";
import { StaticSite } from "./staticSite";

const n = new pulumi.Config().requireNumber("n");
for (let i = 0; i < n; i++) {
    new StaticSite(`site${i}`, { path: "./site" });
}
