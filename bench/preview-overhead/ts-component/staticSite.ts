// launchpad's StaticSite as a plain TypeScript ComponentResource on @pulumi/aws:
// the peer bench/preview-overhead/run.py compares launchpad with. It validates
// the same inputs and registers the same aws children, with the same names,
// inputs and options, as provider/components/src/static_site/plan.rs does for a
// single-page app without a custom domain (the benchmark sets neither, so those
// branches are left out). The site's files go up the way a TypeScript user
// writes it: one aws.s3.BucketObjectv2 per file, where launchpad has its one
// SiteContent resource. Keep it in step with plan.rs: run.py checks, before
// timing, that both programs send the aws stand-in the same children.
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
/** Cache-Control of fingerprinted assets (their name changes with their content). */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** Cache-Control of HTML and everything else: revalidate each time. */
const NO_CACHE = "no-cache";

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
    /** The response headers policy CloudFront adds to every response. On by default. */
    securityHeaders?: SecurityHeadersArgs;
    /** Tags applied to every child that takes them. */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface SecurityHeadersArgs {
    /** Attach the policy. Default true. */
    enabled?: boolean;
    /** `max-age` of Strict-Transport-Security. Default two years. */
    hstsMaxAgeSeconds?: number;
    /** X-Frame-Options. Default DENY. */
    frameOptions?: "DENY" | "SAMEORIGIN";
    /** Referrer-Policy. Default strict-origin-when-cross-origin. */
    referrerPolicy?: pulumi.Input<string>;
    /** Content-Security-Policy; none by default. */
    contentSecurityPolicy?: pulumi.Input<string>;
    /** More headers, name -> value. */
    customHeaders?: Record<string, pulumi.Input<string>>;
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
        const files = siteFiles(args.path);

        const label = `launchpad StaticSite ${name}`;
        const seed = uniqueSeed(StaticSite.__pulumiType, name, opts);
        const parent = { parent: this };

        // The provider appends a 26-character suffix to bucketPrefix; 37 characters keep S3's 63.
        const prefix = truncate(dnsLabel(name), 36) || "site";
        const bucket = new aws.s3.Bucket(`${name}-bucket`, {
            bucketPrefix: `${prefix}-`,
            // The site's own bucket: destroy takes it with whatever it holds.
            forceDestroy: true,
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
            name: uniqueName(name, seed, 64),
            description: truncate(label, 256),
            originAccessControlOriginType: "s3",
            signingBehavior: "always",
            signingProtocol: "sigv4",
        }, { ...parent, ignoreChanges: ["name", "description"] });

        const headers = args.securityHeaders?.enabled === false ? undefined
            : headersPolicy(name, seed, label, args.securityHeaders ?? {}, parent);

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
                responseHeadersPolicyId: headers?.id,
            },
            customErrorResponses: errorResponses(spa, indexDocument, args.errorDocument),
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
            tags: args.tags,
        }, { ...parent, ignoreChanges: ["comment"] });

        const objects = pulumi.interpolate`${bucket.arn}/*`;
        // A policy put while the public access block is still being applied can be refused.
        const policy = new aws.s3.BucketPolicy(`${name}-bucket-policy`, {
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

        // The files go in only once nobody but this distribution can read them.
        for (const key of files) {
            new aws.s3.BucketObjectv2(`${name}-${key}`, {
                bucket: bucket.id,
                key,
                source: new pulumi.asset.FileAsset(path.join(args.path, key)),
                contentType: contentType(key),
                cacheControl: isFingerprinted(key) ? IMMUTABLE : NO_CACHE,
            }, { ...parent, dependsOn: [policy] });
        }

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

/** HSTS, nosniff, frame options and referrer policy, plus the user's CSP and headers, each overriding S3's. */
function headersPolicy(name: string, seed: string, label: string, h: SecurityHeadersArgs,
    parent: pulumi.CustomResourceOptions): aws.cloudfront.ResponseHeadersPolicy {
    const custom = Object.entries(h.customHeaders ?? {});
    return new aws.cloudfront.ResponseHeadersPolicy(`${name}-headers`, {
        // Policy names are unique per account and at most 128 characters.
        name: uniqueName(`${name}-headers`, seed, 128),
        comment: truncate(label, 128),
        securityHeadersConfig: {
            strictTransportSecurity: {
                accessControlMaxAgeSec: h.hstsMaxAgeSeconds ?? 63072000,
                includeSubdomains: true,
                preload: false,
                override: true,
            },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: h.frameOptions ?? "DENY", override: true },
            referrerPolicy: { referrerPolicy: h.referrerPolicy ?? "strict-origin-when-cross-origin", override: true },
            contentSecurityPolicy: h.contentSecurityPolicy === undefined ? undefined
                : { contentSecurityPolicy: h.contentSecurityPolicy, override: true },
        },
        customHeadersConfig: custom.length === 0 ? undefined : {
            items: custom.map(([header, value]) => ({ header, value, override: true })),
        },
    }, { ...parent, ignoreChanges: ["name", "comment"] });
}

/** Every file under the folder, as S3 keys (`/`-separated), in order. */
function siteFiles(folder: string): string[] {
    const keys: string[] = [];
    const walk = (dir: string, prefix: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
            if (entry.isDirectory()) {
                walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
            } else {
                keys.push(`${prefix}${entry.name}`);
            }
        }
    };
    walk(folder, "");
    if (keys.length === 0) {
        throw new Error(`path=${JSON.stringify(folder)} has no files: build the site first`);
    }
    return keys;
}

const CONTENT_TYPES: Record<string, string> = {
    html: "text/html; charset=utf-8", htm: "text/html; charset=utf-8", css: "text/css; charset=utf-8",
    js: "text/javascript; charset=utf-8", mjs: "text/javascript; charset=utf-8",
    json: "application/json; charset=utf-8", map: "application/json; charset=utf-8",
    txt: "text/plain; charset=utf-8", xml: "application/xml; charset=utf-8", svg: "image/svg+xml; charset=utf-8",
    png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
    avif: "image/avif", ico: "image/x-icon", woff: "font/woff", woff2: "font/woff2", wasm: "application/wasm",
};

function contentType(key: string): string {
    const ext = key.includes(".") ? key.slice(key.lastIndexOf(".") + 1).toLowerCase() : "";
    return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

/** `app.3f9a1c.js`, `index-BfX2c3_d.js`: a content hash in the name (never HTML). */
function isFingerprinted(key: string): boolean {
    const name = key.slice(key.lastIndexOf("/") + 1);
    if (/\.html?$/i.test(name) || !name.includes(".")) {
        return false;
    }
    const stem = name.slice(0, name.lastIndexOf("."));
    return stem.split(/[.-]/).slice(1).some(s =>
        (s.length >= 6 && /^[0-9a-f]+$/i.test(s) && /[0-9]/.test(s) && /[a-f]/i.test(s))
        || (s.length >= 8 && /^\w+$/.test(s) && /[0-9]/.test(s)));
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
