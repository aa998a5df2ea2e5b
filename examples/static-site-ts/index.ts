import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();

// `site/` stands in for your build output (for example Vite's `dist/`).
const site = new launchpad.StaticSite("site", {
    path: "./site",
    spa: true,
    priceClass: config.get("priceClass") as launchpad.PriceClass | undefined,
    tags: { app: "static-site-ts", stack: pulumi.getStack() },
});

export const url = site.url;
export const bucketName = site.bucketName;
export const distributionId = site.distributionId;
