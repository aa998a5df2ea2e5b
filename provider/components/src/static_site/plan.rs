//! The StaticSite planner: validated args → the child resources.

use launchpad_core::{ChildResource, ComponentPlan, ConstructContext, Expr, Value};

use super::args::{SiteDomain, StaticSiteArgs};
use crate::AWS_PROVIDER_VERSION;
use crate::naming::{dns_label, truncate, unique_name};

/// AWS managed cache policy "CachingOptimized" (same ID in every account).
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/// The origin ID of the bucket inside the distribution.
const ORIGIN_ID: &str = "s3";
/// Seconds CloudFront caches an error response before asking the origin again.
const ERROR_CACHING_SECONDS: f64 = 10.0;
/// CloudFront only uses certificates from this region.
const CLOUDFRONT_CERTIFICATE_REGION: &str = "us-east-1";
/// TTL of the certificate validation record.
const VALIDATION_RECORD_TTL: f64 = 60.0;

/// Plan the children of a StaticSite named `ctx.name`.
pub fn plan(ctx: &ConstructContext, args: &StaticSiteArgs) -> ComponentPlan {
    let name = &ctx.name;
    let label = format!("launchpad StaticSite {name}");
    let tags = args.tags.clone().map(Expr::Value);
    let aws = |key: &str, token: &str, suffix: &str| aws_child(name, key, token, suffix);

    // The provider appends a 26-character unique suffix to bucketPrefix;
    // 37 characters keep the name within S3's 63.
    let mut prefix = truncate(&dns_label(name), 36);
    if prefix.is_empty() {
        prefix = "site".into();
    }
    let bucket = aws("bucket", "aws:s3/bucket:Bucket", "bucket")
        .input("bucketPrefix", format!("{prefix}-"))
        .input_opt("tags", tags.clone())
        // The prefix follows the component's name; renaming (with an alias) must not replace the bucket.
        .with_options(|o| o.ignore_changes.push("bucketPrefix".into()));

    let ownership = aws(
        "ownership",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "ownership",
    )
    .input("bucket", Expr::output("bucket", "id"))
    .input(
        "rule",
        Expr::object([("objectOwnership", "BucketOwnerEnforced".into())]),
    );

    let block = aws(
        "publicAccessBlock",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "public-access-block",
    )
    .input("bucket", Expr::output("bucket", "id"))
    .input("blockPublicAcls", true)
    .input("blockPublicPolicy", true)
    .input("ignorePublicAcls", true)
    .input("restrictPublicBuckets", true)
    // S3 refuses concurrent configuration writes on one bucket (OperationAborted).
    .with_options(|o| o.depends_on.push("ownership".into()));

    let oac = aws(
        "originAccessControl",
        "aws:cloudfront/originAccessControl:OriginAccessControl",
        "oac",
    )
    // OAC names are unique per account and at most 64 characters.
    .input(
        "name",
        unique_name(name, &ctx.unique_seed(super::DEFINITION.token), 64),
    )
    .input("description", truncate(&label, 256))
    .input("originAccessControlOriginType", "s3")
    .input("signingBehavior", "always")
    .input("signingProtocol", "sigv4")
    // Both follow the component's name: a rename (with an alias) changes nothing.
    .with_options(|o| o.ignore_changes = vec!["name".into(), "description".into()]);

    let distribution = aws(
        "distribution",
        "aws:cloudfront/distribution:Distribution",
        "cdn",
    )
    .input("enabled", true)
    .input("isIpv6Enabled", true)
    .input("httpVersion", "http2and3")
    .input("comment", truncate(&label, 128))
    // The comment follows the component's name: a rename (with an alias) changes nothing.
    .with_options(|o| o.ignore_changes.push("comment".into()))
    .input("defaultRootObject", &args.index_document)
    .input_opt("priceClass", args.price_class.clone())
    .input(
        "origins",
        Expr::Array(vec![Expr::object([
            ("originId", ORIGIN_ID.into()),
            (
                "domainName",
                Expr::output("bucket", "bucketRegionalDomainName"),
            ),
            (
                "originAccessControlId",
                Expr::output("originAccessControl", "id"),
            ),
        ])]),
    )
    .input(
        "defaultCacheBehavior",
        Expr::object([
            ("targetOriginId", ORIGIN_ID.into()),
            ("viewerProtocolPolicy", "redirect-to-https".into()),
            ("allowedMethods", Expr::strings(&["GET", "HEAD", "OPTIONS"])),
            ("cachedMethods", Expr::strings(&["GET", "HEAD"])),
            ("compress", true.into()),
            ("cachePolicyId", CACHING_OPTIMIZED.into()),
        ]),
    )
    .input("customErrorResponses", error_responses(args))
    .input(
        "restrictions",
        Expr::object([(
            "geoRestriction",
            Expr::object([("restrictionType", "none".into())]),
        )]),
    )
    .input("viewerCertificate", viewer_certificate(args))
    .input_opt("tags", tags.clone());
    let distribution = match &args.domain {
        Some(d) => distribution.input("aliases", Expr::Array(vec![(&d.name).into()])),
        None => distribution,
    };

    let bucket_arn = || Expr::output("bucket", "arn");
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
                            Expr::object([("AWS:SourceArn", Expr::output("distribution", "arn"))]),
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
        "bucketPolicy",
        "aws:s3/bucketPolicy:BucketPolicy",
        "bucket-policy",
    )
    .input("bucket", Expr::output("bucket", "id"))
    .input("policy", Expr::Json(Box::new(policy_document)))
    // A policy put while the public access block is still being applied can be refused.
    .with_options(|o| o.depends_on.push("publicAccessBlock".into()));

    let mut children = vec![bucket, ownership, block, oac];
    let url = match &args.domain {
        Some(d) => {
            children.extend(certificate_children(name, d, tags));
            // Known at preview, but only usable once the records point at the distribution.
            let url = d.name.clone().map(|n| format!("https://{n}"));
            Expr::After(
                Box::new(Value::from(&url).into()),
                vec!["distribution".into(), "recordA".into(), "recordAAAA".into()],
            )
        }
        None => Expr::Concat(vec![
            "https://".into(),
            Expr::output("distribution", "domainName"),
        ]),
    };
    children.extend([distribution, policy]);
    if let Some(d) = &args.domain {
        children.extend(alias_records(name, d));
    }
    let mut plan = ComponentPlan {
        children,
        outputs: [
            ("url".to_string(), url),
            ("bucketName".to_string(), Expr::output("bucket", "bucket")),
            (
                "distributionId".to_string(),
                Expr::output("distribution", "id"),
            ),
        ]
        .into(),
        ..ComponentPlan::default()
    };
    // What each input becomes, for `ignoreChanges`/`replaceOnChanges` on the site.
    for (input, child, property) in [
        ("priceClass", "distribution", "priceClass"),
        ("spa", "distribution", "customErrorResponses"),
        ("indexDocument", "distribution", "defaultRootObject"),
        ("indexDocument", "distribution", "customErrorResponses"),
        ("errorDocument", "distribution", "customErrorResponses"),
        ("tags", "bucket", "tags"),
        ("tags", "distribution", "tags"),
        ("tags", "certificate", "tags"),
        ("domain", "distribution", "aliases"),
        ("domain", "distribution", "viewerCertificate"),
        ("domain", "certificate", "domainName"),
        ("domain", "validationRecord", "zoneId"),
        ("domain", "recordA", "name"),
        ("domain", "recordA", "zoneId"),
        ("domain", "recordAAAA", "name"),
        ("domain", "recordAAAA", "zoneId"),
    ] {
        if plan.child(child).is_some() {
            plan.feeds(input, child, property);
        }
    }
    plan
}

/// An AWS child named `<component>-<suffix>`, pinned to our aws provider version.
fn aws_child(name: &str, key: &str, token: &str, suffix: &str) -> ChildResource {
    ChildResource::new(key, token, format!("{name}-{suffix}"))
        .with_options(|o| o.version = Some(AWS_PROVIDER_VERSION.to_string()))
}

/// The default `*.cloudfront.net` certificate, or the validated ACM one.
fn viewer_certificate(args: &StaticSiteArgs) -> Expr {
    match args.domain {
        None => Expr::object([("cloudfrontDefaultCertificate", true.into())]),
        Some(_) => Expr::object([
            // The validation's ARN, so the distribution waits for an issued certificate.
            (
                "acmCertificateArn",
                Expr::output("certificateValidation", "certificateArn"),
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
            "certificate",
            &format!("domainValidationOptions[0].{field}"),
        )
    };
    vec![
        aws(
            "certificate",
            "aws:acm/certificate:Certificate",
            "certificate",
        )
        .input("domainName", &d.name)
        .input("validationMethod", "DNS")
        .input("region", CLOUDFRONT_CERTIFICATE_REGION)
        .input_opt("tags", tags),
        aws(
            "validationRecord",
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
            "certificateValidation",
            "aws:acm/certificateValidation:CertificateValidation",
            "certificate-validation",
        )
        .input("certificateArn", Expr::output("certificate", "arn"))
        .input(
            "validationRecordFqdns",
            Expr::Array(vec![Expr::output("validationRecord", "fqdn")]),
        )
        .input("region", CLOUDFRONT_CERTIFICATE_REGION),
    ]
}

/// A and AAAA alias records pointing the domain at the distribution.
fn alias_records(name: &str, d: &SiteDomain) -> Vec<ChildResource> {
    ["A", "AAAA"]
        .into_iter()
        .map(|kind| {
            aws_child(
                name,
                &format!("record{kind}"),
                "aws:route53/record:Record",
                &format!("record-{}", kind.to_lowercase()),
            )
            .input("zoneId", d.zone_id.clone())
            .input("name", &d.name)
            .input("type", kind)
            .input(
                "aliases",
                Expr::Array(vec![Expr::object([
                    ("name", Expr::output("distribution", "domainName")),
                    ("zoneId", Expr::output("distribution", "hostedZoneId")),
                    ("evaluateTargetHealth", false.into()),
                ])]),
            )
        })
        .collect()
}

/// SPA: missing paths (S3 answers 403 without list permission, or 404)
/// serve the index with 200. Otherwise an optional error page with 404.
fn error_responses(args: &StaticSiteArgs) -> Value {
    let (page, status) = match (&args.error_document, *args.spa) {
        (_, true) => (&args.index_document, 200.0),
        (Some(doc), false) => (doc, 404.0),
        (None, false) => return Value::Array(Vec::new()),
    };
    let path = Value::from(&page.clone().map(|p| format!("/{p}")));
    let responses = Value::Array(
        [403.0, 404.0]
            .into_iter()
            .map(|code| {
                Value::Object(
                    [
                        ("errorCode", Value::Number(code)),
                        ("responseCode", Value::Number(status)),
                        ("responsePagePath", path.clone()),
                        ("errorCachingMinTtl", Value::Number(ERROR_CACHING_SECONDS)),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                )
            })
            .collect(),
    );
    // The list itself follows from `spa`: secret if the user's `spa` was.
    Value::from(&args.spa.clone().map(|_| responses))
}
