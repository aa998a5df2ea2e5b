import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();
// Optional custom domain: `pulumi config set domain www.example.com` and `zoneId Z0123...`.
const domain = config.get("domain");

// `site/` stands in for your build output (for example Vite's `dist/`).
const site = new launchpad.StaticSite("site", {
    path: "./site",
    spa: true,
    priceClass: config.get("priceClass") as launchpad.PriceClass | undefined,
    domain: domain ? { name: domain, zoneId: config.require("zoneId") } : undefined,
    tags: { app: "static-site-ts", stack: pulumi.getStack() },
});

export const url = site.url;
export const bucketName = site.bucketName;
export const distributionId = site.distributionId;
