//! `launchpad:index:StaticSite` — a static build folder (an SPA by default)
//! on a private S3 bucket behind CloudFront.
//!
//! The bucket is private (BucketOwnerEnforced, public access block on); only
//! this distribution may read it, through an Origin Access Control, and the
//! bucket policy denies any request without TLS. Content upload is a native
//! resource added in a later change. Read [`args`] for the inputs and their
//! validation, [`plan`] for the children.

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

/// The component's schema definition; [`args::StaticSiteArgs`] decodes against it.
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:StaticSite",
    description: "A static website (a single-page app by default) served from a private S3 bucket through CloudFront over HTTPS.\n\nThe bucket is never public: ownership is BucketOwnerEnforced, the public access block is on, and the bucket policy lets only this site's CloudFront distribution read objects (through an Origin Access Control) and refuses requests without TLS.",
    inputs: &[
        PropertyDef::new(
            "path",
            TypeDef::String,
            "Local folder holding the built site (for example `./dist`), relative to the Pulumi program's folder. It must exist when the program runs.",
        )
        .required(),
        PropertyDef::new(
            "spa",
            TypeDef::Boolean,
            "Serve a single-page app: requests for paths that do not exist (S3 answers 403 or 404) get the index document with status 200, so client-side routes work. Defaults to `true`.",
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
            "For sites that are not single-page apps: the object served, with status 404, for paths that do not exist (for example `404.html`). Not allowed when `spa` is true.",
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
            "tags",
            TypeDef::Map(&TypeDef::String),
            "Tags applied to every child resource that supports tags.",
        ),
    ],
    outputs: &[
        PropertyDef::new(
            "url",
            TypeDef::String,
            "The site's HTTPS URL: on the custom domain when one is set.",
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
