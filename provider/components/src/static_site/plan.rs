//! The StaticSite planner: validated args → the child resources.

use std::collections::BTreeSet;

use launchpad_core::value::urn_name;
use launchpad_core::{
    ChildResource, ComponentPlan, ConstructContext, Expr, Input, ResourceInput, Value,
};

use super::args::{RouteTarget, SecurityHeaders, SiteDomain, SiteRoute, StaticSiteArgs};
use crate::AWS_PROVIDER_VERSION;
use crate::naming::{dns_label, truncate, unique_name};

/// AWS managed cache policy "CachingOptimized" (same ID in every account).
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/// AWS managed cache policy "CachingDisabled", for routes: an API's answers
/// are its own to cache
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html).
const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/// AWS managed origin request policy "AllViewerExceptHostHeader": a route's
/// origin gets the viewer's headers, cookies and query string, but its own
/// `Host`, which a function URL and a load balancer's certificate need
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html#managed-origin-request-policy-all-viewer-except-host-header).
const ALL_VIEWER_EXCEPT_HOST_HEADER: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/// Every method CloudFront forwards: a route is an API.
const ALL_METHODS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
/// Seconds CloudFront waits for an origin by default, and the most it
/// allows without a quota increase
/// (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomOriginConfig.html).
const DEFAULT_ORIGIN_READ_TIMEOUT: f64 = 30.0;
const MAX_ORIGIN_READ_TIMEOUT: f64 = 60.0;
/// The service principal of CloudFront, which a function allows to call it.
const CLOUDFRONT_PRINCIPAL: &str = "cloudfront.amazonaws.com";
/// The origin ID of the bucket inside the distribution.
const ORIGIN_ID: &str = "s3";
/// Seconds CloudFront caches an error response before asking the origin again.
const ERROR_CACHING_SECONDS: f64 = 10.0;
/// CloudFront only uses certificates from this region.
const CLOUDFRONT_CERTIFICATE_REGION: &str = "us-east-1";
/// TTL of the certificate validation record.
const VALIDATION_RECORD_TTL: f64 = 60.0;

/// The children's keys: expressions name children by these.
mod key {
    pub const BUCKET: &str = "bucket";
    pub const OWNERSHIP: &str = "ownership";
    pub const PUBLIC_ACCESS_BLOCK: &str = "publicAccessBlock";
    pub const BUCKET_POLICY: &str = "bucketPolicy";
    pub const ORIGIN_ACCESS_CONTROL: &str = "originAccessControl";
    pub const HEADERS_POLICY: &str = "headersPolicy";
    pub const PATH_REWRITE: &str = "pathRewrite";
    pub const SPA_FALLBACK: &str = "spaFallback";
    pub const LAMBDA_ORIGIN_ACCESS_CONTROL: &str = "lambdaOriginAccessControl";
    /// Followed by `-<function>-url` and `-<function>-invoke`.
    pub const LAMBDA_PERMISSION: &str = "lambdaPermission";
    pub const DISTRIBUTION: &str = "distribution";
    pub const CONTENT: &str = "content";
    pub const NOT_FOUND_PAGE: &str = "notFoundPage";
    pub const CERTIFICATE: &str = "certificate";
    pub const VALIDATION_RECORD: &str = "validationRecord";
    pub const CERTIFICATE_VALIDATION: &str = "certificateValidation";
    pub const RECORD_A: &str = "recordA";
    pub const RECORD_AAAA: &str = "recordAAAA";
}

/// The native resource that uploads the folder.
const SITE_CONTENT: &str = "launchpad:index:SiteContent";

/// Where a plain site without an error document keeps its not-found page:
/// a key no build tool writes (the args refuse a folder that holds it).
pub(super) const NOT_FOUND_PAGE_KEY: &str = ".launchpad/404.html";
/// That page: what S3 website hosting would send, a short HTML error page.
const NOT_FOUND_PAGE_HTML: &str = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>404 Not Found</title></head>\n<body><h1>404 Not Found</h1><p>There is no page at this address.</p></body>\n</html>\n";

/// Plan the children of a StaticSite named `ctx.name`.
pub fn plan(ctx: &ConstructContext, args: &StaticSiteArgs) -> ComponentPlan {
    let name = &ctx.name;
    let tags = args.inputs.tags.clone().map(Expr::Value);

    let mut children = bucket_children(ctx, tags.clone());
    if let Some(h) = args.security_headers() {
        children.push(headers_policy(ctx, h));
    }
    if args.has_site_function() {
        children.push(site_function(ctx, args));
    }
    let routes = route_origins(&args.inputs.routes);
    if routes
        .iter()
        .any(|o| matches!(o.target, OriginTarget::Function(_)))
    {
        children.push(lambda_origin_access_control(ctx));
    }
    children.extend(lambda_permissions(&ctx.name, &routes));
    children.push(distribution(ctx, args, &routes, tags.clone()));
    children.push(content(ctx, args));
    if !*args.inputs.spa && args.inputs.error_document.is_none() {
        children.push(not_found_page(ctx));
    }
    if let Some(d) = &args.inputs.domain {
        children.extend(certificate_children(name, d, tags));
        children.extend(alias_records(name, d));
    }

    let content_output = |property: &str| Expr::output(key::CONTENT, property);
    ComponentPlan {
        children,
        outputs: [
            ("url".to_string(), url(args)),
            (
                "bucketName".to_string(),
                Expr::output(key::BUCKET, "bucket"),
            ),
            (
                "distributionId".to_string(),
                Expr::output(key::DISTRIBUTION, "id"),
            ),
            ("fileCount".to_string(), content_output("fileCount")),
            ("manifestHash".to_string(), content_output("manifestHash")),
        ]
        .into(),
        warnings: route_warnings(&routes),
        ..ComponentPlan::default()
    }
}

/// Where a route's origin is.
enum OriginTarget<'a> {
    /// A Function's URL.
    Function(&'a ResourceInput),
    /// A WebService's load balancer, by a name on its certificate.
    WebService(&'a Input<String>),
}

/// One origin of the distribution for routes: several routes to the same
/// target share it.
struct RouteOrigin<'a> {
    /// Its ID in the distribution.
    id: String,
    /// Its target.
    target: OriginTarget<'a>,
    /// For a function whose timeout is over CloudFront's default 30 s: how
    /// long CloudFront waits for it, in seconds.
    read_timeout: Option<f64>,
    /// The function's timeout as the user set it, when it exceeds what
    /// CloudFront waits without a quota increase.
    over_limit: Option<f64>,
}

/// The routes' origins, one per Function and one per WebService domain, in
/// the order the routes first name them.
fn route_origins(routes: &[SiteRoute]) -> Vec<RouteOrigin<'_>> {
    let mut origins: Vec<RouteOrigin<'_>> = Vec::new();
    for route in routes {
        let id = route_origin_id(route);
        let (target, timeout) = match &route.target {
            RouteTarget::Function { function, timeout } => {
                (OriginTarget::Function(function), *timeout)
            }
            RouteTarget::WebService { origin_domain } => {
                (OriginTarget::WebService(origin_domain), None)
            }
        };
        if origins.iter().any(|o| o.id == id) {
            continue;
        }
        let read_timeout = timeout
            .filter(|t| *t > DEFAULT_ORIGIN_READ_TIMEOUT)
            .map(|t| t.min(MAX_ORIGIN_READ_TIMEOUT));
        let over_limit = timeout.filter(|t| *t > MAX_ORIGIN_READ_TIMEOUT);
        origins.push(RouteOrigin {
            id,
            target,
            read_timeout,
            over_limit,
        });
    }
    origins
}

/// A function whose timeout is longer than CloudFront waits: its slow
/// answers become 504s unless the account's quota is raised.
fn route_warnings(origins: &[RouteOrigin<'_>]) -> Vec<String> {
    origins
        .iter()
        .filter_map(|o| {
            let timeout = o.over_limit?;
            let OriginTarget::Function(function) = o.target else {
                return None;
            };
            Some(format!(
                "routes: function {} may run {timeout} s, but CloudFront waits at most {MAX_ORIGIN_READ_TIMEOUT} s for an answer without a quota increase (its origin response timeout), so a slower answer is a 504; ask AWS to raise the quota, or lower the function's timeout",
                urn_name(&function.urn)
            ))
        })
        .collect()
}

/// The origin access control CloudFront signs function URL requests with.
fn lambda_origin_access_control(ctx: &ConstructContext) -> ChildResource {
    let name = unique_variant(ctx, &format!("{}-lambda", ctx.name), "lambda", 64);
    origin_access_control(
        ctx,
        key::LAMBDA_ORIGIN_ACCESS_CONTROL,
        "lambda-oac",
        name,
        "lambda",
    )
}

/// An account-unique name of at most `max` characters for the `variant`
/// child of a type the site has more than one of: the variant goes into the
/// hash, since a long `readable` name is cut before its suffix.
fn unique_variant(ctx: &ConstructContext, readable: &str, variant: &str, max: usize) -> String {
    let seed = ctx.unique_seed(super::DEFINITION.token);
    unique_name(readable, &format!("{seed}:{variant}"), max)
}

/// An origin access control signing every request (SigV4) to origins of
/// `origin_type`, with the account-unique `name`.
fn origin_access_control(
    ctx: &ConstructContext,
    key: &str,
    suffix: &str,
    name: String,
    origin_type: &str,
) -> ChildResource {
    aws_child(
        &ctx.name,
        key,
        "aws:cloudfront/originAccessControl:OriginAccessControl",
        suffix,
    )
    .input("name", name)
    .input("description", truncate(&label(&ctx.name), 256))
    .input("originAccessControlOriginType", origin_type)
    .input("signingBehavior", "always")
    .input("signingProtocol", "sigv4")
    // Both follow the component's name: a rename (with an alias) changes nothing.
    .with_options(|o| o.ignore_changes = vec!["name".into(), "description".into()])
}

/// What lets exactly this distribution call each routed function's `live`
/// alias through its URL: `lambda:InvokeFunctionUrl`, and
/// `lambda:InvokeFunction` limited to calls through the URL, which Lambda
/// requires too for URLs created since October 2025, and for every URL from
/// 2026-11-01, when the grace AWS gave accounts with older URLs ends
/// (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
fn lambda_permissions(name: &str, origins: &[RouteOrigin<'_>]) -> Vec<ChildResource> {
    let mut children = Vec::new();
    for origin in origins {
        let OriginTarget::Function(function) = origin.target else {
            continue;
        };
        let fn_name = urn_name(&function.urn);
        let permission = |suffix: &str, action: &str| {
            aws_child(
                name,
                &format!("{}-{fn_name}-{suffix}", key::LAMBDA_PERMISSION),
                "aws:lambda/permission:Permission",
                &format!("{fn_name}-{suffix}"),
            )
            .input("action", action)
            .input_opt("function", function.output("functionName"))
            .input_opt("qualifier", function.output("aliasName"))
            .input("principal", CLOUDFRONT_PRINCIPAL)
            .input("sourceArn", Expr::output(key::DISTRIBUTION, "arn"))
        };
        children.push(
            permission("url", "lambda:InvokeFunctionUrl").input("functionUrlAuthType", "AWS_IAM"),
        );
        children.push(
            permission("invoke", "lambda:InvokeFunction").input("invokedViaFunctionUrl", true),
        );
    }
    children
}

/// The distribution's origin for a route target.
fn route_origin(origin: &RouteOrigin<'_>) -> Expr {
    let (domain, oac) = match origin.target {
        // `https://<id>.lambda-url.<region>.on.aws/`: the host is the third `/` field.
        OriginTarget::Function(function) => (
            Expr::field(function.output("url").unwrap_or(Value::Null).into(), '/', 2),
            Some(Expr::output(key::LAMBDA_ORIGIN_ACCESS_CONTROL, "id")),
        ),
        OriginTarget::WebService(domain) => (domain.into(), None),
    };
    let mut custom = vec![
        ("httpPort", Expr::from(80.0)),
        ("httpsPort", 443.0.into()),
        ("originProtocolPolicy", "https-only".into()),
        ("originSslProtocols", Expr::strings(&["TLSv1.2"])),
    ];
    if let Some(t) = origin.read_timeout {
        custom.push(("originReadTimeout", t.into()));
    }
    let mut fields = vec![
        ("originId", Expr::from(origin.id.as_str())),
        ("domainName", domain),
        ("customOriginConfig", Expr::object(custom)),
    ];
    if let Some(oac) = oac {
        fields.push(("originAccessControlId", oac));
    }
    Expr::object(fields)
}

/// A route's cache behaviour: nothing cached, every method, the viewer's
/// request but its `Host`, the site's security headers.
fn route_behavior(route: &SiteRoute, origin_id: &str, headers_policy: bool) -> Expr {
    let mut behavior = vec![
        ("pathPattern", Expr::from(&route.path)),
        ("targetOriginId", origin_id.into()),
        ("viewerProtocolPolicy", "redirect-to-https".into()),
        ("allowedMethods", Expr::strings(&ALL_METHODS)),
        ("cachedMethods", Expr::strings(&["GET", "HEAD"])),
        ("cachePolicyId", CACHING_DISABLED.into()),
        (
            "originRequestPolicyId",
            ALL_VIEWER_EXCEPT_HOST_HEADER.into(),
        ),
    ];
    if headers_policy {
        behavior.push((
            "responseHeadersPolicyId",
            Expr::output(key::HEADERS_POLICY, "id"),
        ));
    }
    Expr::object(behavior)
}

/// The origin ID of a route's target, as [`route_origins`] names it.
fn route_origin_id(route: &SiteRoute) -> String {
    match &route.target {
        RouteTarget::Function { function, .. } => format!("function-{}", urn_name(&function.urn)),
        RouteTarget::WebService { origin_domain } => {
            format!("service-{}", origin_domain.as_str())
        }
    }
}

/// The site's URL. It waits for the content: `Expr::After` resolves to the
/// URL and adds the content child to its dependencies, so the output is
/// resolved only once SiteContent has been created or updated, and
/// whatever reads `url` waits for a site that serves its files. A custom
/// domain also waits for its alias records.
fn url(args: &StaticSiteArgs) -> Expr {
    match &args.inputs.domain {
        Some(d) => {
            // Known at preview, but only usable once the records point at the distribution.
            let url = d.name.clone().map(|n| format!("https://{n}"));
            Expr::After(
                Box::new(Value::from(&url).into()),
                vec![
                    key::DISTRIBUTION.into(),
                    key::RECORD_A.into(),
                    key::RECORD_AAAA.into(),
                    key::CONTENT.into(),
                ],
            )
        }
        None => Expr::After(
            Box::new(Expr::Concat(vec![
                "https://".into(),
                Expr::output(key::DISTRIBUTION, "domainName"),
            ])),
            vec![key::CONTENT.into()],
        ),
    }
}

/// The private bucket, its ownership, public access block and policy, and
/// the Origin Access Control CloudFront reads it through.
fn bucket_children(ctx: &ConstructContext, tags: Option<Expr>) -> Vec<ChildResource> {
    let name = &ctx.name;
    let aws = |key: &str, token: &str, suffix: &str| aws_child(name, key, token, suffix);

    // The provider appends a 26-character unique suffix to bucketPrefix;
    // 37 characters keep the name within S3's 63.
    let mut prefix = truncate(&dns_label(name), 36);
    if prefix.is_empty() {
        prefix = "site".into();
    }
    let bucket = aws(key::BUCKET, "aws:s3/bucket:Bucket", "bucket")
        .input("bucketPrefix", format!("{prefix}-"))
        // The bucket is the site's own: destroy takes it with whatever it holds
        // (a file put there by hand, the not-found page), as S3 deletes no bucket
        // that is not empty. `retainOnDelete` keeps it: the engine then never deletes it.
        .input("forceDestroy", true)
        .input_opt("tags", tags)
        // The prefix follows the component's name; renaming (with an alias) must not replace the bucket.
        .with_options(|o| o.ignore_changes.push("bucketPrefix".into()));

    let ownership = aws(
        key::OWNERSHIP,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "ownership",
    )
    .input("bucket", Expr::output(key::BUCKET, "id"))
    .input(
        "rule",
        Expr::object([("objectOwnership", "BucketOwnerEnforced".into())]),
    );

    let block = aws(
        key::PUBLIC_ACCESS_BLOCK,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "public-access-block",
    )
    .input("bucket", Expr::output(key::BUCKET, "id"))
    .input("blockPublicAcls", true)
    .input("blockPublicPolicy", true)
    .input("ignorePublicAcls", true)
    .input("restrictPublicBuckets", true)
    // S3 refuses concurrent configuration writes on one bucket (OperationAborted).
    .with_options(|o| o.depends_on.push(key::OWNERSHIP.into()));

    // OAC names are unique per account and at most 64 characters.
    let unique = unique_name(name, &ctx.unique_seed(super::DEFINITION.token), 64);
    let oac = origin_access_control(ctx, key::ORIGIN_ACCESS_CONTROL, "oac", unique, "s3");

    let bucket_arn = || Expr::output(key::BUCKET, "arn");
    let objects = || Expr::Concat(vec![bucket_arn(), "/*".into()]);
    let policy_document = Expr::object([
        ("Version", "2012-10-17".into()),
        (
            "Statement",
            Expr::Array(vec![
                Expr::object([
                    ("Sid", "AllowThisDistributionToRead".into()),
                    ("Effect", "Allow".into()),
                    (
                        "Principal",
                        Expr::object([("Service", "cloudfront.amazonaws.com".into())]),
                    ),
                    ("Action", "s3:GetObject".into()),
                    ("Resource", objects()),
                    (
                        "Condition",
                        Expr::object([(
                            "StringEquals",
                            Expr::object([(
                                "AWS:SourceArn",
                                Expr::output(key::DISTRIBUTION, "arn"),
                            )]),
                        )]),
                    ),
                ]),
                Expr::object([
                    ("Sid", "DenyInsecureTransport".into()),
                    ("Effect", "Deny".into()),
                    ("Principal", "*".into()),
                    ("Action", "s3:*".into()),
                    ("Resource", Expr::Array(vec![bucket_arn(), objects()])),
                    (
                        "Condition",
                        Expr::object([(
                            "Bool",
                            Expr::object([("aws:SecureTransport", "false".into())]),
                        )]),
                    ),
                ]),
            ]),
        ),
    ]);
    let policy = aws(
        key::BUCKET_POLICY,
        "aws:s3/bucketPolicy:BucketPolicy",
        "bucket-policy",
    )
    .input("bucket", Expr::output(key::BUCKET, "id"))
    .input("policy", Expr::Json(Box::new(policy_document)))
    // A policy put while the public access block is still being applied can be refused.
    .with_options(|o| o.depends_on.push(key::PUBLIC_ACCESS_BLOCK.into()));

    vec![bucket, ownership, block, oac, policy]
}

/// The distribution: HTTPS only, compressed, the SPA fallback or error
/// page, security headers and sub-path routing when the site has them.
fn distribution(
    ctx: &ConstructContext,
    args: &StaticSiteArgs,
    routes: &[RouteOrigin<'_>],
    tags: Option<Expr>,
) -> ChildResource {
    let mut behavior = vec![
        ("targetOriginId", ORIGIN_ID.into()),
        ("viewerProtocolPolicy", "redirect-to-https".into()),
        ("allowedMethods", Expr::strings(&["GET", "HEAD", "OPTIONS"])),
        ("cachedMethods", Expr::strings(&["GET", "HEAD"])),
        ("compress", true.into()),
        ("cachePolicyId", CACHING_OPTIMIZED.into()),
    ];
    if args.security_headers().is_some() {
        behavior.push((
            "responseHeadersPolicyId",
            Expr::output(key::HEADERS_POLICY, "id"),
        ));
    }
    if args.has_site_function() {
        behavior.push((
            "functionAssociations",
            Expr::Array(vec![Expr::object([
                ("eventType", "viewer-request".into()),
                ("functionArn", Expr::output(site_function_key(args), "arn")),
            ])]),
        ));
    }
    let mut origins = vec![Expr::object([
        ("originId", ORIGIN_ID.into()),
        (
            "domainName",
            Expr::output(key::BUCKET, "bucketRegionalDomainName"),
        ),
        (
            "originAccessControlId",
            Expr::output(key::ORIGIN_ACCESS_CONTROL, "id"),
        ),
    ])];
    origins.extend(routes.iter().map(route_origin));
    let distribution = aws_child(
        &ctx.name,
        key::DISTRIBUTION,
        "aws:cloudfront/distribution:Distribution",
        "cdn",
    )
    .input("enabled", true)
    .input("isIpv6Enabled", true)
    .input("httpVersion", "http2and3")
    .input("comment", truncate(&label(&ctx.name), 128))
    // The comment follows the component's name: a rename (with an alias) changes nothing.
    .with_options(|o| o.ignore_changes.push("comment".into()))
    .input("defaultRootObject", &args.inputs.index_document)
    .input_opt("priceClass", args.inputs.price_class.clone())
    .input("origins", Expr::Array(origins))
    .input("defaultCacheBehavior", Expr::object(behavior))
    .input(
        "restrictions",
        Expr::object([(
            "geoRestriction",
            Expr::object([("restrictionType", "none".into())]),
        )]),
    )
    .input("viewerCertificate", viewer_certificate(args))
    .input_opt("tags", tags);
    // With routes, a single-page app falls back through its function: error
    // responses would turn the routes' 403 and 404 into the app's HTML.
    let distribution = if *args.inputs.spa && !args.inputs.routes.is_empty() {
        distribution
    } else {
        distribution.input("customErrorResponses", error_responses(args))
    };
    let headers_policy = args.security_headers().is_some();
    let behaviors: Vec<Expr> = args
        .inputs
        .routes
        .iter()
        .map(|r| route_behavior(r, &route_origin_id(r), headers_policy))
        .collect();
    let distribution = if behaviors.is_empty() {
        distribution
    } else {
        distribution.input("orderedCacheBehaviors", Expr::Array(behaviors))
    };
    match &args.inputs.domain {
        Some(d) => distribution.input("aliases", Expr::Array(vec![(&d.name).into()])),
        None => distribution,
    }
}

/// The response headers policy: HSTS, nosniff, frame options, referrer
/// policy, and the user's CSP and custom headers, each replacing what S3 sends.
fn headers_policy(ctx: &ConstructContext, h: &SecurityHeaders) -> ChildResource {
    let mut security = vec![
        (
            "strictTransportSecurity",
            Expr::object([
                (
                    "accessControlMaxAgeSec",
                    Value::from(&h.hsts_max_age_seconds).into(),
                ),
                ("includeSubdomains", true.into()),
                // Preload lists are hard to leave: the user submits the domain on purpose.
                ("preload", false.into()),
                ("override", true.into()),
            ]),
        ),
        (
            "contentTypeOptions",
            Expr::object([("override", true.into())]),
        ),
        (
            "frameOptions",
            Expr::object([
                ("frameOption", h.frame_options.clone().into()),
                ("override", true.into()),
            ]),
        ),
        (
            "referrerPolicy",
            Expr::object([
                ("referrerPolicy", h.referrer_policy.clone().into()),
                ("override", true.into()),
            ]),
        ),
    ];
    if let Some(csp) = &h.content_security_policy {
        security.push((
            "contentSecurityPolicy",
            Expr::object([
                ("contentSecurityPolicy", csp.clone().into()),
                ("override", true.into()),
            ]),
        ));
    }
    let policy = aws_child(
        &ctx.name,
        key::HEADERS_POLICY,
        "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
        "headers",
    )
    // Policy names are unique per account and at most 128 characters.
    .input(
        "name",
        unique_name(
            &format!("{}-headers", ctx.name),
            &ctx.unique_seed(super::DEFINITION.token),
            128,
        ),
    )
    .input("comment", truncate(&label(&ctx.name), 128))
    .input("securityHeadersConfig", Expr::object(security))
    // Both follow the component's name: a rename (with an alias) changes nothing.
    .with_options(|o| o.ignore_changes = vec!["name".into(), "comment".into()]);
    let Some(custom) = h.custom_headers.as_ref().filter(|c| !c.is_empty()) else {
        return policy;
    };
    let items = custom
        .iter()
        .map(|(header, value)| {
            Expr::object([
                ("header", header.as_str().into()),
                ("value", value.clone().into()),
                ("override", true.into()),
            ])
        })
        .collect();
    policy.input(
        "customHeadersConfig",
        Expr::object([("items", Expr::Array(items))]),
    )
}

/// The key of the site's CloudFront Function: the path rewrite of a plain
/// site, or the fallback of a single-page app with routes.
fn site_function_key(args: &StaticSiteArgs) -> &'static str {
    if *args.inputs.spa {
        key::SPA_FALLBACK
    } else {
        key::PATH_REWRITE
    }
}

/// The site's viewer-request CloudFront Function, on the default behaviour
/// only (routes never meet it): for a plain site, serving a folder's index
/// document for `/about/` and redirecting `/about` there, as S3 website
/// hosting does (the private bucket only answers exact keys); for a
/// single-page app with routes, its fallback to the index document.
fn site_function(ctx: &ConstructContext, args: &StaticSiteArgs) -> ChildResource {
    let spa = *args.inputs.spa;
    let code =
        args.inputs.index_document.clone().map(|index| {
            StaticSiteArgs::site_function_code(spa, &index, &args.extensionless_files)
        });
    let suffix = if spa { "spa-fallback" } else { "path-rewrite" };
    aws_child(
        &ctx.name,
        site_function_key(args),
        "aws:cloudfront/function:Function",
        suffix,
    )
    // Function names are unique per account: at most 64 of [A-Za-z0-9-_].
    .input(
        "name",
        unique_variant(ctx, &format!("{}-{suffix}", ctx.name), suffix, 64),
    )
    .input("comment", truncate(&label(&ctx.name), 128))
    .input("runtime", "cloudfront-js-2.0")
    // The distribution can only use the published (LIVE) stage.
    .input("publish", true)
    .input("code", Value::from(&code))
    .with_options(|o| o.ignore_changes = vec!["name".into(), "comment".into()])
}

/// CloudFront refuses a function whose code is larger than 10 KB
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-functions).
pub(super) const MAX_FUNCTION_CODE_BYTES: usize = 10_240;

/// Whether the file at `key` has no `.` in its name: the path function
/// would take a request for it for a folder unless it lists the key.
pub(super) fn has_no_extension(key: &str) -> bool {
    !key.rsplit('/').next().unwrap_or(key).contains('.')
}

/// The viewer-request handler, for the cloudfront-js-2.0 runtime (ES 5.1
/// and a little more, strict mode, no Node modules, at most 10 KB; the
/// tests run it under Node.js in a bare context and check the size for
/// the longest index document). It does what S3 website hosting does
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/IndexDocumentSupport.html),
/// which the private bucket, answering exact keys only, does not:
///
/// - a URI ending in `/` is a folder: its index document is served;
/// - a URI whose last segment has a `.`, or that names one of `files` (the
///   folder's keys without a `.` in their name, such as
///   `.well-known/apple-app-site-association` or `LICENSE`), is a file,
///   served as it is (both read with the URI's percent-escapes decoded, as
///   S3 reads the key);
/// - any other URI is a folder named without its slash: it gets a 302 to
///   the same path with `/` and the query string, as S3 answers when the
///   key is missing (a 302, not a 301, so that no browser keeps the guess
///   for good), so that the page's relative links resolve inside the folder.
///
/// The `Location` keeps the viewer's percent-escapes and escapes what may
/// not stand in a URL as it is, whichever form CloudFront hands over, and
/// always starts with a single `/`: `//host` would be another site.
/// The code grows with `files`; the args refuse a folder whose list would
/// not fit in [`MAX_FUNCTION_CODE_BYTES`].
pub(super) fn path_rewrite_code(index_document: &str, files: &BTreeSet<String>) -> String {
    let site_files = site_files_js(index_document, files);
    format!(
        r#"// launchpad StaticSite: /about/ serves /about/ + INDEX; /about redirects to /about/ unless it is a file.
{site_files}
// What may not stand as it is in a path, or in a query string's name or value:
// a `%` that starts no escape, a character outside RFC 3986's sets (a
// surrogate pair as one character).
var PATH_UNSAFE = /%(?![0-9A-Fa-f]{{2}})|[\uD800-\uDBFF][\uDC00-\uDFFF]|[^A-Za-z0-9\-._~!$&'()*+,;=:@\/%]/g;
var QUERY_UNSAFE = /%(?![0-9A-Fa-f]{{2}})|[\uD800-\uDBFF][\uDC00-\uDFFF]|[^A-Za-z0-9\-._~!$'()*+,;=:@\/?%]/g;

function percentEncoded(text, unsafe) {{
    return text.replace(unsafe, function (c) {{
        try {{
            return encodeURIComponent(c);
        }} catch (e) {{
            // A lone surrogate: what a UTF-8 decoder makes of it.
            return '%EF%BF%BD';
        }}
    }});
}}

// The query string from CloudFront's object of {{ value }} (with multiValue for a repeated name).
function queryString(querystring) {{
    var parts = [];
    for (var name in querystring) {{
        var field = querystring[name];
        var values = field.multiValue ? field.multiValue : [field];
        var key = percentEncoded(name, QUERY_UNSAFE);
        for (var i = 0; i < values.length; i++) {{
            var value = values[i].value;
            parts.push(value === '' ? key : key + '=' + percentEncoded(value, QUERY_UNSAFE));
        }}
    }}
    return parts.join('&');
}}

function handler(event) {{
    var request = event.request;
    var uri = request.uri;
    if (uri.charAt(uri.length - 1) === '/') {{
        request.uri = uri + INDEX;
        return request;
    }}
    if (isFile(uri)) {{
        return request;
    }}
    var target = '/' + percentEncoded(uri, PATH_UNSAFE).replace(/^\/+/, '') + '/';
    var query = queryString(request.querystring || {{}});
    return {{
        statusCode: 302,
        statusDescription: 'Found',
        headers: {{ location: {{ value: query ? target + '?' + query : target }} }}
    }};
}}
"#
    )
}

/// What both site functions know of the folder, as JavaScript: `INDEX`,
/// `FILES` (the keys without a `.` in their name, each with a leading `/`)
/// and `isFile(uri)`: whether a URI names a file rather than a folder or an
/// app route — its last segment has a `.`, or it is one of `FILES` (both
/// read with the URI's percent-escapes decoded, as S3 reads the key).
fn site_files_js(index_document: &str, files: &BTreeSet<String>) -> String {
    let index = js_string(index_document);
    // Keys start with `/`, so none is a name objects inherit (`constructor`, `__proto__`).
    let files = files
        .iter()
        .map(|key| format!("{}:1", js_string(&format!("/{key}"))))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        r#"var INDEX = {index};
// The site's files without a `.` in their name: served as files, not taken for folders.
var FILES = {{{files}}};

// The key S3 looks up for a path, which may come percent-encoded or not.
function decoded(uri) {{
    try {{
        return decodeURIComponent(uri);
    }} catch (e) {{
        // A `%` that starts no escape, or escapes no UTF-8: no key is spelled so.
        return uri;
    }}
}}

function isFile(uri) {{
    var path = decoded(uri);
    return path.slice(path.lastIndexOf('/') + 1).indexOf('.') !== -1 || FILES[path] === 1;
}}
"#
    )
}

/// The viewer-request handler of a single-page app with routes, for the
/// cloudfront-js-2.0 runtime: a URI that names a file ([`site_files_js`]'s
/// `isFile`) goes on as it is; any other is an app route and gets the index
/// document. It sits on the default behaviour only, so it never sees a
/// route's paths, and it replaces the distribution's error responses, which
/// would also rewrite the routes' 403 and 404. Like the path rewrite, it
/// grows with `files`; the args refuse a folder whose list would not fit
/// in [`MAX_FUNCTION_CODE_BYTES`].
pub(super) fn spa_fallback_code(index_document: &str, files: &BTreeSet<String>) -> String {
    let site_files = site_files_js(index_document, files);
    format!(
        r#"// launchpad StaticSite: a single-page app's paths that name no file get INDEX.
{site_files}
function handler(event) {{
    var request = event.request;
    if (!isFile(request.uri)) {{
        request.uri = '/' + INDEX;
    }}
    return request;
}}
"#
    )
}

/// A JavaScript string literal: JSON's, with U+2028/9 escaped (a line end in ES5).
fn js_string(text: &str) -> String {
    serde_json::Value::String(text.to_string())
        .to_string()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A plain site's not-found page when it names no error document, kept in
/// its bucket beside the folder's files (SiteContent leaves keys it did not
/// upload alone). Not tagged: S3 allows an object ten tags, and the site's
/// files carry none either.
fn not_found_page(ctx: &ConstructContext) -> ChildResource {
    aws_child(
        &ctx.name,
        key::NOT_FOUND_PAGE,
        "aws:s3/bucketObjectv2:BucketObjectv2",
        "not-found-page",
    )
    .input("bucket", Expr::output(key::BUCKET, "id"))
    .input("key", NOT_FOUND_PAGE_KEY)
    .input("content", NOT_FOUND_PAGE_HTML)
    .input("contentType", "text/html; charset=utf-8")
    .input("cacheControl", "no-cache")
    // Objects go in only once nobody but this distribution can read them.
    .with_options(|o| o.depends_on.push(key::BUCKET_POLICY.into()))
}

/// The folder's files, uploaded by this provider's SiteContent resource
/// once the bucket is locked down, invalidated on the distribution.
fn content(ctx: &ConstructContext, args: &StaticSiteArgs) -> ChildResource {
    ChildResource::new(key::CONTENT, SITE_CONTENT, format!("{}-content", ctx.name))
        // A native resource of this provider, not of aws.
        .with_options(|o| o.version = Some(crate::PACKAGE.version.to_string()))
        // As the user wrote it: SiteContent resolves it against the program's folder.
        .input("path", &args.inputs.path)
        .input("bucket", Expr::output(key::BUCKET, "bucket"))
        // Where the bucket really is, whichever aws provider made it.
        .input("region", Expr::output(key::BUCKET, "region"))
        .input("distributionId", Expr::output(key::DISTRIBUTION, "id"))
        .input_opt("cacheControl", args.inputs.cache_control.clone())
        .input(
            "keepPreviousDeploys",
            Value::from(&args.inputs.keep_previous_deploys),
        )
        .input(
            "uploadConcurrency",
            Value::from(&args.inputs.upload_concurrency),
        )
        // Objects go in only once nobody but this distribution can read them.
        .with_options(|o| o.depends_on.push(key::BUCKET_POLICY.into()))
}

/// The description the site's children carry.
fn label(name: &str) -> String {
    format!("launchpad StaticSite {name}")
}

/// An AWS child named `<component>-<suffix>`, pinned to our aws provider version.
fn aws_child(name: &str, key: &str, token: &str, suffix: &str) -> ChildResource {
    ChildResource::new(key, token, format!("{name}-{suffix}"))
        .with_options(|o| o.version = Some(AWS_PROVIDER_VERSION.to_string()))
}

/// The default `*.cloudfront.net` certificate, or the validated ACM one.
fn viewer_certificate(args: &StaticSiteArgs) -> Expr {
    match args.inputs.domain {
        None => Expr::object([("cloudfrontDefaultCertificate", true.into())]),
        Some(_) => Expr::object([
            // The validation's ARN, so the distribution waits for an issued certificate.
            (
                "acmCertificateArn",
                Expr::output(key::CERTIFICATE_VALIDATION, "certificateArn"),
            ),
            ("sslSupportMethod", "sni-only".into()),
            ("minimumProtocolVersion", "TLSv1.2_2021".into()),
        ]),
    }
}

/// An ACM certificate in us-east-1 and its DNS validation.
fn certificate_children(name: &str, d: &SiteDomain, tags: Option<Expr>) -> Vec<ChildResource> {
    let aws = |key: &str, token: &str, suffix: &str| aws_child(name, key, token, suffix);
    let option = |field: &str| {
        Expr::output(
            key::CERTIFICATE,
            &format!("domainValidationOptions[0].{field}"),
        )
    };
    vec![
        aws(
            key::CERTIFICATE,
            "aws:acm/certificate:Certificate",
            "certificate",
        )
        .input("domainName", &d.name)
        .input("validationMethod", "DNS")
        .input("region", CLOUDFRONT_CERTIFICATE_REGION)
        .input_opt("tags", tags),
        aws(
            key::VALIDATION_RECORD,
            "aws:route53/record:Record",
            "certificate-validation-record",
        )
        .input("zoneId", d.zone_id.clone())
        .input("name", option("resourceRecordName"))
        .input("type", option("resourceRecordType"))
        .input("records", Expr::Array(vec![option("resourceRecordValue")]))
        .input("ttl", Value::Number(VALIDATION_RECORD_TTL))
        // A re-created certificate reuses the same record name.
        .input("allowOverwrite", true),
        aws(
            key::CERTIFICATE_VALIDATION,
            "aws:acm/certificateValidation:CertificateValidation",
            "certificate-validation",
        )
        .input("certificateArn", Expr::output(key::CERTIFICATE, "arn"))
        .input(
            "validationRecordFqdns",
            Expr::Array(vec![Expr::output(key::VALIDATION_RECORD, "fqdn")]),
        )
        .input("region", CLOUDFRONT_CERTIFICATE_REGION),
    ]
}

/// A and AAAA alias records pointing the domain at the distribution.
fn alias_records(name: &str, d: &SiteDomain) -> Vec<ChildResource> {
    [("A", key::RECORD_A), ("AAAA", key::RECORD_AAAA)]
        .into_iter()
        .map(|(kind, key)| {
            aws_child(
                name,
                key,
                "aws:route53/record:Record",
                &format!("record-{}", kind.to_lowercase()),
            )
            .input("zoneId", d.zone_id.clone())
            .input("name", &d.name)
            .input("type", kind)
            .input(
                "aliases",
                Expr::Array(vec![Expr::object([
                    ("name", Expr::output(key::DISTRIBUTION, "domainName")),
                    ("zoneId", Expr::output(key::DISTRIBUTION, "hostedZoneId")),
                    ("evaluateTargetHealth", false.into()),
                ])]),
            )
        })
        .collect()
}

/// What a path that is not in the bucket gets. S3 answers 403 AccessDenied
/// for a missing key when the reader may not list the bucket, as this
/// distribution may not (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html),
/// so 403 and 404 both mean "no such page". A single-page app serves its
/// index with 200; a plain site its error document, or the not-found page,
/// with 404. CloudFront changes the status only along with a page
/// (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomErrorResponse.html).
/// The responses apply to every behaviour, routes included, and a cached
/// error answers every viewer of that path: with routes nothing is cached,
/// so one viewer's 403 from an API is not everyone's page for 10 s.
fn error_responses(args: &StaticSiteArgs) -> Value {
    let caching = if args.inputs.routes.is_empty() {
        ERROR_CACHING_SECONDS
    } else {
        0.0
    };
    let (page, status) = match (&args.inputs.error_document, *args.inputs.spa) {
        (_, true) => (args.inputs.index_document.clone(), 200.0),
        (Some(doc), false) => (doc.clone(), 404.0),
        (None, false) => (Input::plain(NOT_FOUND_PAGE_KEY.to_string()), 404.0),
    };
    let path = Value::from(&page.map(|p| format!("/{p}")));
    let responses = Value::Array(
        [403.0, 404.0]
            .into_iter()
            .map(|code| {
                Value::Object(
                    [
                        ("errorCode", Value::Number(code)),
                        ("responseCode", Value::Number(status)),
                        ("responsePagePath", path.clone()),
                        ("errorCachingMinTtl", Value::Number(caching)),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                )
            })
            .collect(),
    );
    // The list itself follows from `spa`: secret if the user's `spa` was.
    Value::from(&args.inputs.spa.clone().map(|_| responses))
}
