// SiteContent on its own: the folder ./site (written by the test) deployed into a bucket that
// exists already, named by the stack's config, on whatever S3 server AWS_ENDPOINT_URL names.
// No other resource: every S3 request of a deploy is SiteContent's.
import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();
const content = new launchpad.SiteContent("site", {
    path: "./site",
    bucket: config.require("bucket"),
    // Nothing kept from earlier deploys: the bucket must hold exactly the folder.
    keepPreviousDeploys: 0,
    uploadConcurrency: config.getNumber("uploadConcurrency"),
});

export const fileCount = content.fileCount;
export const manifestHash = content.manifestHash;
