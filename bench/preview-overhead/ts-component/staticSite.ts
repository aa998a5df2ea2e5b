// launchpad's StaticSite as a plain TypeScript ComponentResource on @pulumi/aws:
// the peer bench/preview-overhead/run.py compares launchpad with. It validates
// the same inputs and registers the same six children, with the same names and
// the same inputs, as provider/components/src/static_site/plan.rs does without
// a custom domain (the benchmark never sets one, so that branch is left out).
// Keep it in step with plan.rs: run.py checks, before timing, that both
// programs send the aws stand-in the same children with the same inputs.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** AWS managed cache policy "CachingOptimized" (same ID in every account). */
const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/** The origin ID of the bucket inside the distribution. */
const ORIGIN_ID = "s3";
/** Seconds CloudFront caches an error response before asking the origin again. */
const ERROR_CACHING_SECONDS = 10;

export type PriceClass = "PriceClass_100" | "PriceClass_200" | "PriceClass_All";

export interface StaticSiteArgs {
    /** Local folder holding the built site, relative to the program's folder. */
    path: string;
    /** Single-page app fallback (403/404 -> indexDocument with 200). Default true. */
    spa?: boolean;
    /** Object served for `/`. Default `index.html`. */
    indexDocument?: string;
    /** Object served with 404 for missing paths (spa=false only). */
    errorDocument?: string;
    /** CloudFront price class. Default PriceClass_100. */
    priceClass?: pulumi.Input<PriceClass>;
    /** Tags applied to every child that takes them. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class StaticSite extends pulumi.ComponentResource {
    public static readonly __pulumiType = "bench:index:StaticSite";

    public readonly url: pulumi.Output<string>;
    public readonly bucketName: pulumi.Output<string>;
    public readonly distributionId: pulumi.Output<string>;

    constructor(name: string, args: StaticSiteArgs, opts?: pulumi.ComponentResourceOptions) {
        super(StaticSite.__pulumiType, name, {}, opts);
        const spa = args.spa ?? true;
        const indexDocument = args.indexDocument ?? "index.html";
        validate(args, spa, indexDocument);

        const label = `launchpad StaticSite ${name}`;
        const parent = { parent: this };

        // The provider appends a 26-character suffix to bucketPrefix; 37 characters keep S3's 63.
        const prefix = truncate(dnsLabel(name), 36) || "site";
        const bucket = new aws.s3.Bucket(`${name}-bucket`, {
            bucketPrefix: `${prefix}-`,
            tags: args.tags,
        }, { ...parent, ignoreChanges: ["bucketPrefix"] });

        const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, parent);

        // S3 refuses concurrent configuration writes on one bucket (OperationAborted).
        const block = new aws.s3.BucketPublicAccessBlock(`${name}-public-access-block`, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, { ...parent, dependsOn: [ownership] });

        // OAC names are unique per account and at most 64 characters.
        const oac = new aws.cloudfront.OriginAccessControl(`${name}-oac`, {
            name: uniqueName(name, uniqueSeed(StaticSite.__pulumiType, name, opts), 64),
            description: truncate(label, 256),
            originAccessControlOriginType: "s3",
            signingBehavior: "always",
            signingProtocol: "sigv4",
        }, { ...parent, ignoreChanges: ["name", "description"] });

        const distribution = new aws.cloudfront.Distribution(`${name}-cdn`, {
            enabled: true,
            isIpv6Enabled: true,
            httpVersion: "http2and3",
            comment: truncate(label, 128),
            defaultRootObject: indexDocument,
            priceClass: args.priceClass ?? "PriceClass_100",
            origins: [{
                originId: ORIGIN_ID,
                domainName: bucket.bucketRegionalDomainName,
                originAccessControlId: oac.id,
            }],
            defaultCacheBehavior: {
                targetOriginId: ORIGIN_ID,
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS"],
                cachedMethods: ["GET", "HEAD"],
                compress: true,
                cachePolicyId: CACHING_OPTIMIZED,
            },
            customErrorResponses: errorResponses(spa, indexDocument, args.errorDocument),
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
            tags: args.tags,
        }, { ...parent, ignoreChanges: ["comment"] });

        const objects = pulumi.interpolate`${bucket.arn}/*`;
        // A policy put while the public access block is still being applied can be refused.
        new aws.s3.BucketPolicy(`${name}-bucket-policy`, {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AllowThisDistributionToRead",
                        Effect: "Allow",
                        Principal: { Service: "cloudfront.amazonaws.com" },
                        Action: "s3:GetObject",
                        Resource: objects,
                        Condition: { StringEquals: { "AWS:SourceArn": distribution.arn } },
                    },
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, objects],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        }, { ...parent, dependsOn: [block] });

        this.url = pulumi.interpolate`https://${distribution.domainName}`;
        this.bucketName = bucket.bucket;
        this.distributionId = distribution.id;
        this.registerOutputs({
            url: this.url,
            bucketName: this.bucketName,
            distributionId: this.distributionId,
        });
    }
}

/** The same checks launchpad's args.rs makes before registering anything. */
function validate(args: StaticSiteArgs, spa: boolean, indexDocument: string): void {
    if (!fs.statSync(args.path, { throwIfNoEntry: false })?.isDirectory()) {
        throw new Error(`path=${JSON.stringify(args.path)} is not a folder (looked for ${path.resolve(args.path)}); ` +
            "build the site first or point `path` at its output folder");
    }
    siteFile("indexDocument", indexDocument, args.path);
    if (args.errorDocument !== undefined) {
        siteFile("errorDocument", args.errorDocument, args.path);
        if (spa) {
            throw new Error(`errorDocument=${JSON.stringify(args.errorDocument)} cannot be used with spa=true`);
        }
    }
}

function siteFile(property: string, key: string, folder: string): void {
    if (key === "" || key.startsWith("/") || key.split("/").includes("..") || /\s/.test(key) || key.length > 1024) {
        throw new Error(`${property}=${JSON.stringify(key)} is not a valid object name`);
    }
    if (!fs.statSync(path.join(folder, key), { throwIfNoEntry: false })?.isFile()) {
        throw new Error(`${property}=${JSON.stringify(key)} is not in the site folder ${JSON.stringify(folder)}`);
    }
}

/** SPA: 403/404 serve the index with 200; otherwise an optional 404 page. */
function errorResponses(spa: boolean, indexDocument: string, errorDocument?: string) {
    const page = spa ? indexDocument : errorDocument;
    if (page === undefined) {
        return [];
    }
    return [403, 404].map(errorCode => ({
        errorCode,
        responseCode: spa ? 200 : 404,
        responsePagePath: `/${page}`,
        errorCachingMinTtl: ERROR_CACHING_SECONDS,
    }));
}

/** launchpad's ConstructContext::unique_seed; a top-level component's parent is the stack. */
function uniqueSeed(token: string, name: string, opts?: pulumi.ComponentResourceOptions): string {
    if (opts?.parent) {
        throw new Error("this benchmark peer supports top-level StaticSites only");
    }
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const parent = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    return `${pulumi.getOrganization()}/${project}/${stack}/${parent}/${token}/${name}`;
}

/** Lower-case `[a-z0-9-]`, runs of `-` collapsed, none leading or trailing. */
function dnsLabel(name: string): string {
    let out = "";
    for (const ch of name.toLowerCase()) {
        const c = /^[a-z0-9]$/.test(ch) ? ch : "-";
        if (!(c === "-" && (out === "" || out.endsWith("-")))) {
            out += c;
        }
    }
    return out.replace(/-+$/, "");
}

function truncate(name: string, max: number): string {
    return Array.from(name).slice(0, max).join("").replace(/-+$/, "");
}

function uniqueName(name: string, seed: string, max: number): string {
    const hash = crypto.createHash("sha256").update(seed).digest("hex").slice(0, 8);
    const readable = truncate(dnsLabel(name), Math.max(0, max - hash.length - 1));
    return readable === "" ? hash : `${readable}-${hash}`;
}
