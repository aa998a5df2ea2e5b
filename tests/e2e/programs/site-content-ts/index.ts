// SiteContent on its own: a folder deployed into a bucket the program
// manages itself (declared generically: no @pulumi/aws needed; the stand-in
// aws provider serves it and creates it in the emulator).
import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

class Bucket extends pulumi.CustomResource {
    public readonly bucket!: pulumi.Output<string>;
    constructor(name: string) {
        super("aws:s3/bucket:Bucket", name, { bucket: undefined }, {});
    }
}

const bucket = new Bucket("docs");
const content = new launchpad.SiteContent("docs", {
    path: "./www",
    bucket: bucket.bucket,
    cacheControl: [{ pattern: "*.txt", value: "public, max-age=60" }],
});

export const bucketName = bucket.bucket;
export const fileCount = content.fileCount;
export const manifestHash = content.manifestHash;
