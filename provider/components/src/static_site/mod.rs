//! `launchpad:index:StaticSite` — a static build folder (an SPA by default)
//! on a private S3 bucket behind CloudFront.
//!
//! The bucket is private (BucketOwnerEnforced, public access block on); only
//! this distribution may read it, through an Origin Access Control, and the
//! bucket policy denies any request without TLS. The folder's files go up
//! through this provider's own `launchpad:index:SiteContent` resource, a
//! child registered once the bucket is locked down; the distribution adds
//! security headers and, for sites that are not single-page apps, a
//! CloudFront Function serving `/about/` from `/about/index.html` (and
//! redirecting `/about` there, unless the folder has a file `about`) and a
//! 404 page for missing paths. Read
//! [`args`] for the inputs and their validation, [`plan`] for the children.

pub mod args;
pub mod plan;
#[cfg(test)]
mod tests;

use launchpad_core::schema::{
    ComponentDef, DefaultValue, EnumDef, ObjectTypeDef, PropertyDef, TypeDef,
};
use launchpad_core::{Component, ComponentPlan, ConstructContext, InputError, PropertyMap};

/// CloudFront price classes.
pub static PRICE_CLASS: EnumDef = EnumDef {
    token: "launchpad:index:PriceClass",
    description: "Which CloudFront edge locations serve the site.",
    values: &[
        ("PriceClass_100", "North America and Europe: the cheapest."),
        ("PriceClass_200", "Adds Asia, the Middle East and Africa."),
        ("PriceClass_All", "Every edge location."),
    ],
};

/// A custom domain served by the site.
pub static SITE_DOMAIN: ObjectTypeDef = ObjectTypeDef {
    token: "launchpad:index:SiteDomain",
    description: "A custom domain for a site: an ACM certificate (in us-east-1, as CloudFront requires) validated through DNS, and alias records pointing the name at the distribution.",
    properties: &[
        PropertyDef::new(
            "name",
            TypeDef::String,
            "The host name to serve, for example `www.example.com` (lower case, no wildcard).",
        )
        .required(),
        PropertyDef::new(
            "zoneId",
            TypeDef::String,
            "ID of the Route 53 hosted zone that holds `name`, for example `Z0123456789ABCDEFGHIJ`. Given explicitly so that preview needs no lookup and no AWS credentials.",
        )
        .required(),
    ],
};

/// `X-Frame-Options` values.
pub static FRAME_OPTIONS: EnumDef = EnumDef {
    token: "launchpad:index:FrameOptions",
    description: "The `X-Frame-Options` header: whether other sites may show this one in a frame.",
    values: &[
        ("DENY", "No site may frame it, not even this one."),
        ("SAMEORIGIN", "Only pages of the same origin may frame it."),
    ],
};

/// `Referrer-Policy` values CloudFront accepts.
pub static REFERRER_POLICY: EnumDef = EnumDef {
    token: "launchpad:index:ReferrerPolicy",
    description: "The `Referrer-Policy` header: how much of this site's URL browsers send to the pages it links to.",
    values: &[
        ("no-referrer", "Never send a referrer."),
        (
            "no-referrer-when-downgrade",
            "The full URL, except from HTTPS to HTTP.",
        ),
        ("origin", "Only the origin (scheme, host and port)."),
        (
            "origin-when-cross-origin",
            "The full URL to the same origin, only the origin elsewhere.",
        ),
        (
            "same-origin",
            "The full URL to the same origin, nothing elsewhere.",
        ),
        (
            "strict-origin",
            "Only the origin, and nothing from HTTPS to HTTP.",
        ),
        (
            "strict-origin-when-cross-origin",
            "The full URL to the same origin, only the origin elsewhere, nothing from HTTPS to HTTP (the browsers' default).",
        ),
        ("unsafe-url", "Always the full URL, even to HTTP."),
    ],
};

/// The security headers CloudFront adds to every response.
pub static SECURITY_HEADERS: ObjectTypeDef = ObjectTypeDef {
    token: "launchpad:index:SecurityHeaders",
    description: "Security headers CloudFront adds to every response through a response headers policy, replacing any the bucket's objects carry: `Strict-Transport-Security` (with `includeSubDomains`, without `preload`), `X-Content-Type-Options: nosniff`, `X-Frame-Options`, `Referrer-Policy`, and optionally `Content-Security-Policy` and headers of your own.",
    properties: &[
        PropertyDef::new(
            "enabled",
            TypeDef::Boolean,
            "Attach the response headers policy. With `false` no policy is created and responses carry only what S3 sends. Defaults to `true`.",
        )
        .default(DefaultValue::Bool(true)),
        PropertyDef::new(
            "hstsMaxAgeSeconds",
            TypeDef::Integer,
            "`max-age` of `Strict-Transport-Security`: how long browsers refuse plain HTTP for this host (and its subdomains). Defaults to `63072000` (two years); lower it while trying HTTPS on a new domain.",
        )
        .default(DefaultValue::Number(63_072_000.0)),
        PropertyDef::new(
            "frameOptions",
            TypeDef::Enum(&FRAME_OPTIONS),
            "`X-Frame-Options`. Defaults to `DENY`.",
        )
        .default(DefaultValue::String("DENY")),
        PropertyDef::new(
            "referrerPolicy",
            TypeDef::Enum(&REFERRER_POLICY),
            "`Referrer-Policy`. Defaults to `strict-origin-when-cross-origin`.",
        )
        .default(DefaultValue::String("strict-origin-when-cross-origin")),
        PropertyDef::new(
            "contentSecurityPolicy",
            TypeDef::String,
            "A `Content-Security-Policy` header, for example `default-src 'self'; img-src 'self' data:` (at most 1783 characters). None by default: a policy has to fit the site.",
        ),
        PropertyDef::new(
            "customHeaders",
            TypeDef::Map(&TypeDef::String),
            "More headers to add to every response, name → value (for example `Permissions-Policy`). They replace headers of the same name from S3. The headers above are set with their own properties, not here, and headers CloudFront manages itself (`Content-Length`, `Transfer-Encoding`, `Via`, `X-Cache`, `X-Amz-Cf-*` and the like) not at all. CloudFront allows 10 of them (its default quota), names of up to 256 characters and values of up to 1783, 10240 characters in all.",
        ),
    ],
};

/// The component's schema definition; [`args::StaticSiteArgs`] decodes against it.
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:StaticSite",
    description: "A static website (a single-page app by default) served from a private S3 bucket through CloudFront over HTTPS.\n\nThe bucket is never public: ownership is BucketOwnerEnforced, the public access block is on, and the bucket policy lets only this site's CloudFront distribution read objects (through an Origin Access Control) and refuses requests without TLS. The bucket is the site's own: `pulumi destroy` deletes it with whatever it holds, unless the site has `retainOnDelete`.\n\nQuotas: each site takes one of several things CloudFront counts per AWS account, which many stacks in one account reach ([CloudFront quotas](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html)): a distribution (500 per account) and an origin access control (100), a response headers policy unless `securityHeaders.enabled` is false (only 20 per account), and a CloudFront Function when `spa` is false (100). Past one, `pulumi up` fails with CloudFront's `TooMany...` error; ask AWS to raise the quota before (the page says which can be raised).",
    inputs: &[
        PropertyDef::new(
            "path",
            TypeDef::String,
            "Local folder holding the built site (for example `./dist`), relative to the Pulumi program's folder. It must exist when the program runs.\n\nEvery file in it is uploaded to the bucket, and on each update only what changed: a manifest of content hashes decides which keys are added, changed or removed (`pulumi preview --diff` lists them). Files get their `Content-Type` from the extension and a `Cache-Control` header from `cacheControl` or the defaults: fingerprinted assets (a content hash in the name, such as `app.3f9a1c.js`) `public, max-age=31536000, immutable`, HTML and everything else `no-cache`. HTML goes up last, stale keys are deleted after the new ones are in, and one CloudFront invalidation covers exactly the changed paths (none when nothing changed).",
        )
        .required(),
        PropertyDef::new(
            "spa",
            TypeDef::Boolean,
            "Serve a single-page app: requests for paths that do not exist (S3 answers 403 or 404) get the index document with status 200, so client-side routes work. With `false`, a CloudFront Function serves folders as S3 website hosting does: `/about/` gets `/about/index.html` (the `indexDocument` of that folder), and `/about`, whose last segment has no `.`, a 302 redirect to `/about/` (query string kept) so that the page's relative links resolve, unless `about` is a file of the folder: files whose name has no `.` (`LICENSE`, `.well-known/apple-app-site-association`) are served as they are. The function lists those files, and CloudFront allows it 10 KB: a folder with too many of them (a few hundred, depending on the length of their names) is refused at preview; give them an extension, or keep `spa` true. A path that does not exist gets `errorDocument`, or a plain \"404 Not Found\" page, with status 404. Defaults to `true`.",
        )
        .default(DefaultValue::Bool(true)),
        PropertyDef::new(
            "indexDocument",
            TypeDef::String,
            "The object served for `/` and, for single-page apps, for unknown paths. Defaults to `index.html`.",
        )
        .default(DefaultValue::String("index.html")),
        PropertyDef::new(
            "errorDocument",
            TypeDef::String,
            "For sites that are not single-page apps: the object served, with status 404, for paths that do not exist (for example `404.html`). Without it they get a plain \"404 Not Found\" page, which the site keeps in its bucket as `.launchpad/404.html`. Not allowed when `spa` is true.",
        ),
        PropertyDef::new(
            "priceClass",
            TypeDef::Enum(&PRICE_CLASS),
            "Which CloudFront edge locations serve the site. Defaults to `PriceClass_100`.",
        )
        .default(DefaultValue::String("PriceClass_100")),
        PropertyDef::new(
            "domain",
            TypeDef::Object(&SITE_DOMAIN),
            "Serve the site on a custom domain, with its own certificate. Without it the site is served on the distribution's `*.cloudfront.net` name.",
        ),
        PropertyDef::new(
            "cacheControl",
            // One definition of the rule type: SiteContent's, which applies the rules.
            TypeDef::Array(&TypeDef::Object(&launchpad_site_sync::CACHE_RULE)),
            "`Cache-Control` rules for the uploaded files, tried in order before the defaults (fingerprinted assets such as `app.3f9a1c.js`: `public, max-age=31536000, immutable`; HTML and everything else: `no-cache`); the first rule whose `pattern` matches a file's key (its path in the folder) wins. In a pattern `*` and `?` match within a folder and `**` across folders; a pattern without `/` matches the file name in any folder (`*.html`), one starting with `/` only at the top (`/robots.txt`). For example `[{ pattern: \"assets/**\", value: \"public, max-age=86400\" }]`. A changed rule updates the files whose header changes.",
        ),
        PropertyDef::new(
            "keepPreviousDeploys",
            TypeDef::Integer,
            "How many earlier deploys' fingerprinted assets stay in the bucket after a deploy (0-100), so that a browser tab opened before it can still load the chunks its page names. Other files the new build lacks are deleted once its files are in; `0` deletes all of them. Defaults to `1`.",
        )
        .default(DefaultValue::Number(1.0)),
        PropertyDef::new(
            "uploadConcurrency",
            TypeDef::Integer,
            "How many uploads are in flight at once, from 1 to 256. Raise it for thousands of small files on a fast link; lower it if S3 throttles (`SlowDown`) or the link is slow. Defaults to `32`.",
        )
        .default(DefaultValue::Number(32.0)),
        PropertyDef::new(
            "securityHeaders",
            TypeDef::Object(&SECURITY_HEADERS),
            "Security headers added to every response. On by default: `Strict-Transport-Security: max-age=63072000; includeSubDomains`, `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and `Referrer-Policy: strict-origin-when-cross-origin`, each replacing what S3 sends.",
        ),
        PropertyDef::new(
            "tags",
            TypeDef::Map(&TypeDef::String),
            "Tags applied to every child resource that supports tags.",
        ),
    ],
    outputs: &[
        PropertyDef::new(
            "url",
            TypeDef::String,
            "The site's HTTPS URL: on the custom domain when one is set. It resolves only once the content is uploaded, so whatever uses it waits for a working site.",
        )
        .required(),
        PropertyDef::new(
            "bucketName",
            TypeDef::String,
            "Name of the private S3 bucket holding the content.",
        )
        .required(),
        PropertyDef::new(
            "distributionId",
            TypeDef::String,
            "ID of the CloudFront distribution (for invalidations).",
        )
        .required(),
        PropertyDef::new(
            "fileCount",
            TypeDef::Integer,
            "How many files of `path` the bucket holds.",
        )
        .required(),
        PropertyDef::new(
            "manifestHash",
            TypeDef::String,
            "A hash of the deployed files' keys, contents and headers: it changes exactly when the site's content does.",
        )
        .required(),
    ],
};

/// The StaticSite component.
pub struct StaticSite;

impl Component for StaticSite {
    fn definition(&self) -> &'static ComponentDef {
        &DEFINITION
    }

    fn plan(
        &self,
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError> {
        let args = args::StaticSiteArgs::decode(ctx, inputs)?;
        Ok(plan::plan(ctx, &args))
    }
}
