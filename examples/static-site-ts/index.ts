import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();
// Optional custom domain: `pulumi config set domain www.example.com` and `zoneId Z0123...`.
const domain = config.get("domain");

// `site/` stands in for your build output (for example Vite's `dist/`).
const site = new launchpad.StaticSite("site", {
    path: "./site",
    // `pulumi config set spa false` for a plain site: /about/ serves about/index.html.
    spa: config.getBoolean("spa") ?? true,
    priceClass: config.get("priceClass") as launchpad.PriceClass | undefined,
    domain: domain ? { name: domain, zoneId: config.require("zoneId") } : undefined,
    // Tried before the defaults (fingerprinted assets cached for a year, the rest `no-cache`);
    // the first matching rule wins.
    cacheControl: [{ pattern: "*.html", value: "public, max-age=0, must-revalidate" }],
    tags: { app: "static-site-ts", stack: pulumi.getStack() },
});

export const url = site.url;
export const bucketName = site.bucketName;
export const distributionId = site.distributionId;
export const fileCount = site.fileCount;
