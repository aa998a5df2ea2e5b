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
//! 404 page for missing paths. `routes` put Functions (through their URLs,
//! signed by a Lambda origin access control) and WebServices under the
//! site's own domain; the Function's outputs come from the engine
//! (Construct reads them before planning). Read
//! [`args`] for the inputs and their validation, [`plan`] for the children.

pub mod args;
pub mod errors;
pub mod plan;
#[cfg(test)]
mod tests;

use launchpad_core::schema::{ComponentDef, EnumDef, PropertyDef, TypeDef};
use launchpad_core::{Component, ComponentPlan, ConstructContext, InputError, Inputs, PropertyMap};

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

/// The component's schema definition; its inputs are [`args::StaticSiteInputs`].
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:StaticSite",
    description: "A static website (a single-page app by default) served from a private S3 bucket through CloudFront over HTTPS.\n\nThe bucket is never public: ownership is BucketOwnerEnforced, the public access block is on, and the bucket policy lets only this site's CloudFront distribution read objects (through an Origin Access Control) and refuses requests without TLS. The bucket is the site's own: `pulumi destroy` deletes it with whatever it holds, unless the site has `retainOnDelete`.\n\nQuotas: each site takes one of several things CloudFront counts per AWS account, which many stacks in one account reach ([CloudFront quotas](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html)): a distribution (500 per account) and an origin access control (100), a response headers policy unless `securityHeaders.enabled` is false (only 20 per account), a CloudFront Function when `spa` is false or the site has `routes` (100), and a second origin access control when a route goes to a Function. Past one, `pulumi up` fails with CloudFront's `TooMany...` error; ask AWS to raise the quota before (the page says which can be raised).",
    inputs: <args::StaticSiteInputs as Inputs>::PROPERTIES,
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
