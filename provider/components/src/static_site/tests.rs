//! StaticSite through the real Construct loop against the fake monitor.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use launchpad_core::Value as V;
use launchpad_core::value::{OutputValue, PropertyMap, Value};
use launchpad_protocol::ProtocolError;
use launchpad_protocol::testing::{
    ConstructCall, FakeMonitor, FakeMonitorConfig, component_reference,
};

use super::StaticSite;
use crate::AWS_PROVIDER_VERSION;

/// The aws children every site has.
const CHILDREN: [&str; 6] = [
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "aws:cloudfront/distribution:Distribution",
    "aws:s3/bucketPolicy:BucketPolicy",
];
/// Our own resource that uploads the folder.
const CONTENT: &str = "launchpad:index:SiteContent";
/// The security headers (on by default).
const HEADERS: &str = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy";
/// Sub-path routing for sites that are not single-page apps.
const FUNCTION: &str = "aws:cloudfront/function:Function";

/// A built site folder with an index document, unique per test.
fn site_folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("launchpad-site-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("index.html"), "<h1>hi</h1>").expect("write");
    std::fs::write(dir.join("404.html"), "gone").expect("write");
    dir
}

fn inputs(path: &Path, extra: Vec<(&str, Value)>) -> PropertyMap {
    let mut m = PropertyMap::from([("path".to_string(), V::string(path.display().to_string()))]);
    m.extend(extra.into_iter().map(|(k, v)| (k.to_string(), v)));
    m
}

fn call(name: &str, inputs: PropertyMap) -> ConstructCall {
    ConstructCall::new(super::DEFINITION.token, name, inputs)
}

/// Outputs a real deployment would produce, keyed by type.
fn deployed_outputs() -> FakeMonitorConfig {
    FakeMonitorConfig {
        dry_run: false,
        outputs: Arc::new(|token, name, _inputs| {
            if token == "aws:acm/certificate:Certificate" {
                let option = V::Object(PropertyMap::from([
                    (
                        "resourceRecordName".to_string(),
                        V::string("_abc.www.example.com."),
                    ),
                    ("resourceRecordType".to_string(), V::string("CNAME")),
                    (
                        "resourceRecordValue".to_string(),
                        V::string("_xyz.acm-validations.aws."),
                    ),
                ]));
                return PropertyMap::from([
                    (
                        "arn".to_string(),
                        V::string("arn:aws:acm:us-east-1:123456789012:certificate/c1"),
                    ),
                    (
                        "domainValidationOptions".to_string(),
                        V::Array(vec![option]),
                    ),
                ]);
            }
            if token == CONTENT {
                return PropertyMap::from([
                    ("fileCount".to_string(), V::Number(2.0)),
                    ("totalBytes".to_string(), V::Number(1234.0)),
                    ("manifestHash".to_string(), V::string("m4n1f3st")),
                    ("invalidationId".to_string(), V::string("I2J3K4")),
                ]);
            }
            let pairs: Vec<(&str, String)> = match token {
                "aws:s3/bucket:Bucket" => vec![
                    ("bucket", format!("{name}-abc")),
                    ("region", "eu-west-1".to_string()),
                    ("arn", format!("arn:aws:s3:::{name}-abc")),
                    (
                        "bucketRegionalDomainName",
                        format!("{name}-abc.s3.us-east-1.amazonaws.com"),
                    ),
                ],
                "aws:cloudfront/distribution:Distribution" => vec![
                    (
                        "arn",
                        "arn:aws:cloudfront::123456789012:distribution/E123".to_string(),
                    ),
                    ("domainName", "d111.cloudfront.net".to_string()),
                    ("hostedZoneId", "Z2FDTNDATAQYW2".to_string()),
                ],
                "aws:route53/record:Record" => vec![("fqdn", format!("{name}.example.com"))],
                FUNCTION => vec![(
                    "arn",
                    format!("arn:aws:cloudfront::123456789012:function/{name}"),
                )],
                "aws:acm/certificateValidation:CertificateValidation" => vec![(
                    "certificateArn",
                    "arn:aws:acm:us-east-1:123456789012:certificate/c1".to_string(),
                )],
                _ => vec![],
            };
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), V::String(v)))
                .collect()
        }),
        ..FakeMonitorConfig::default()
    }
}

fn string_input<'a>(inputs: &'a PropertyMap, key: &str) -> &'a str {
    match inputs.get(key) {
        Some(Value::String(s)) => s,
        other => panic!("{key} is not a plain string: {other:?}"),
    }
}

#[tokio::test]
async fn preview_registers_the_component_and_every_child_under_it() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("preview");
    let resp = monitor
        .construct(&StaticSite, &call("site", inputs(&dir, vec![])))
        .await
        .expect("construct");

    let regs = monitor.registrations();
    assert_eq!(regs[0].type_token, "launchpad:index:StaticSite");
    assert!(!regs[0].custom);
    assert_eq!(resp.urn, regs[0].urn);
    let children: Vec<&str> = regs[1..].iter().map(|r| r.type_token.as_str()).collect();
    for token in CHILDREN {
        assert!(
            children.contains(&token),
            "{token} not registered: {children:?}"
        );
    }
    assert!(children.contains(&CONTENT) && children.contains(&HEADERS));
    assert!(
        !children.contains(&FUNCTION),
        "a single-page app needs no rewrite"
    );
    assert_eq!(children.len(), CHILDREN.len() + 2);
    for child in &regs[1..] {
        assert_eq!(child.parent, resp.urn, "{} parent", child.name);
        // SiteContent is served by this provider: our version, not aws's.
        let version = if child.type_token == CONTENT {
            crate::PACKAGE.version
        } else {
            AWS_PROVIDER_VERSION
        };
        assert_eq!(child.version, version, "{} version", child.name);
        assert!(child.custom);
        assert!(child.name.starts_with("site-"));
    }
    // In preview the URL and the policy depend on unknown outputs.
    let state = resp.state.clone();
    assert_eq!(state["url"], Value::unknown());
    assert_eq!(state["fileCount"], Value::unknown());
    assert_eq!(monitor.one(CHILDREN[5]).inputs["policy"], Value::unknown());
}

#[tokio::test]
async fn bucket_is_private_and_only_this_distribution_may_read_it() {
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let dir = site_folder("policy");
    let resp = monitor
        .construct(&StaticSite, &call("site", inputs(&dir, vec![])))
        .await
        .expect("construct");

    let ownership = monitor.one(CHILDREN[1]).inputs;
    assert_eq!(
        ownership["rule"],
        Value::Object(PropertyMap::from([(
            "objectOwnership".to_string(),
            V::string("BucketOwnerEnforced")
        )]))
    );
    let block = monitor.one(CHILDREN[2]).inputs;
    for flag in [
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ] {
        assert_eq!(block[flag], Value::Bool(true), "{flag}");
    }
    let oac = monitor.one(CHILDREN[3]).inputs;
    assert_eq!(string_input(&oac, "originAccessControlOriginType"), "s3");
    assert_eq!(string_input(&oac, "signingBehavior"), "always");

    let policy_reg = monitor.one(CHILDREN[5]);
    let policy: serde_json::Value =
        serde_json::from_str(string_input(&policy_reg.inputs, "policy")).expect("policy is JSON");
    let allow = &policy["Statement"][0];
    assert_eq!(allow["Principal"]["Service"], "cloudfront.amazonaws.com");
    assert_eq!(allow["Action"], "s3:GetObject");
    assert_eq!(allow["Resource"], "arn:aws:s3:::site-bucket-abc/*");
    assert_eq!(
        allow["Condition"]["StringEquals"]["AWS:SourceArn"],
        "arn:aws:cloudfront::123456789012:distribution/E123"
    );
    let deny = &policy["Statement"][1];
    assert_eq!(deny["Effect"], "Deny");
    assert_eq!(deny["Condition"]["Bool"]["aws:SecureTransport"], "false");

    // The policy waits for the bucket, the distribution and the public access block.
    let urn_of = |token: &str| monitor.one(token).urn;
    for token in [CHILDREN[0], CHILDREN[2], CHILDREN[4]] {
        assert!(
            policy_reg.dependencies.contains(&urn_of(token)),
            "policy must depend on {token}"
        );
    }
    assert!(policy_reg.property_dependencies["policy"].contains(&urn_of(CHILDREN[4])));

    let state = resp.state.clone();
    assert_eq!(state["url"], V::string("https://d111.cloudfront.net"));
    assert_eq!(state["bucketName"], V::string("site-bucket-abc"));
    assert_eq!(state["distributionId"], V::string("site-cdn-id"));
    assert_eq!(monitor.outputs()[0].0, resp.urn);
    assert!(resp.state_dependencies["url"].contains(&urn_of(CHILDREN[4])));
}

#[tokio::test]
async fn distribution_redirects_to_https_compresses_and_serves_the_spa_fallback() {
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let dir = site_folder("spa");
    monitor
        .construct(&StaticSite, &call("site", inputs(&dir, vec![])))
        .await
        .expect("construct");
    let d = monitor.one(CHILDREN[4]).inputs;
    let d = V::Object(d).to_json().expect("known");
    assert_eq!(
        d["defaultCacheBehavior"]["viewerProtocolPolicy"],
        "redirect-to-https"
    );
    assert_eq!(d["defaultCacheBehavior"]["compress"], true);
    assert_eq!(d["priceClass"], "PriceClass_100");
    assert_eq!(d["defaultRootObject"], "index.html");
    let errors = d["customErrorResponses"].as_array().expect("array");
    let codes: Vec<_> = errors.iter().map(|e| e["errorCode"].as_i64()).collect();
    assert_eq!(codes, vec![Some(403), Some(404)]);
    for e in errors {
        assert_eq!(e["responseCode"], 200);
        assert_eq!(e["responsePagePath"], "/index.html");
    }
}

/// The not-found page a plain site without an error document gets.
const NOT_FOUND_PAGE: &str = "aws:s3/bucketObjectv2:BucketObjectv2";

/// The distribution's `customErrorResponses` as (errorCode, responseCode, responsePagePath).
fn error_responses(d: &serde_json::Value) -> Vec<(i64, i64, String)> {
    d["customErrorResponses"]
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            assert_eq!(e["errorCachingMinTtl"], 10, "{e}");
            (
                e["errorCode"].as_i64().expect("errorCode"),
                e["responseCode"].as_i64().expect("responseCode"),
                e["responsePagePath"].as_str().expect("path").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_plain_site_answers_a_missing_page_with_404_and_a_page_never_access_denied() {
    // S3 answers 403 AccessDenied for a key that does not exist when the
    // reader may not list the bucket, and the distribution may not
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html):
    // both mean "no such page".
    let dir = site_folder("plain");
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let args = inputs(
        &dir,
        vec![
            ("spa", V::Bool(false)),
            ("errorDocument", V::string("404.html")),
        ],
    );
    monitor
        .construct(&StaticSite, &call("site", args))
        .await
        .expect("construct");
    assert_eq!(
        error_responses(&distribution_json(&monitor)),
        [
            (403, 404, "/404.html".into()),
            (404, 404, "/404.html".into())
        ]
    );
    assert!(
        !monitor
            .registrations()
            .iter()
            .any(|r| r.type_token == NOT_FOUND_PAGE),
        "the site's own error page serves"
    );

    // Without an error document: a plain HTML page with 404, as S3 website
    // hosting sends (https://docs.aws.amazon.com/AmazonS3/latest/userguide/CustomErrorDocSupport.html),
    // not S3's AccessDenied XML. CloudFront only changes the status along
    // with a page, so the site keeps one of its own in its bucket.
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let args = inputs(&dir, vec![("spa", V::Bool(false))]);
    monitor
        .construct(&StaticSite, &call("site", args))
        .await
        .expect("construct");
    let page_path = "/.launchpad/404.html".to_string();
    assert_eq!(
        error_responses(&distribution_json(&monitor)),
        [(403, 404, page_path.clone()), (404, 404, page_path)]
    );
    let page = monitor.one(NOT_FOUND_PAGE);
    let p = V::Object(page.inputs.clone()).to_json().expect("known");
    assert_eq!(p["bucket"], "site-bucket-id");
    assert_eq!(p["key"], ".launchpad/404.html");
    assert_eq!(p["contentType"], "text/html; charset=utf-8");
    assert_eq!(p["cacheControl"], "no-cache");
    let html = p["content"].as_str().expect("content");
    assert!(
        html.starts_with("<!doctype html>") && html.contains("<title>404 Not Found</title>"),
        "{html}"
    );
    // Like the site's files, it goes in once only this distribution can read the bucket.
    assert!(
        page.dependencies.contains(&monitor.one(CHILDREN[5]).urn),
        "{:?}",
        page.dependencies
    );
}

#[tokio::test]
async fn explicit_providers_and_protect_reach_every_child() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("providers");
    let mut req = call("site", inputs(&dir, vec![]));
    let aws_ref =
        "urn:pulumi:dev::proj::pulumi:providers:aws::useast::04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    req.options.providers = [("aws".to_string(), aws_ref.to_string())].into();
    req.options.protect = Some(true);
    monitor
        .construct(&StaticSite, &req)
        .await
        .expect("construct");
    for child in &monitor.registrations()[1..] {
        // SiteContent belongs to this provider: an aws provider is not its own.
        let provider = if child.type_token == CONTENT {
            ""
        } else {
            aws_ref
        };
        assert_eq!(child.provider, provider, "{}", child.name);
        assert_eq!(child.protect, Some(true), "{}", child.name);
    }
}

#[tokio::test]
async fn destroy_empties_the_sites_own_bucket_unless_the_site_is_retained() {
    // S3 deletes no bucket that is not empty
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html); the
    // bucket is the site's own, so a file put there by hand must not stop destroy.
    let dir = site_folder("force-destroy");
    for retain in [None, Some(true)] {
        let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
        let mut req = call("site", inputs(&dir, vec![]));
        req.options.retain_on_delete = retain;
        monitor
            .construct(&StaticSite, &req)
            .await
            .expect("construct");
        let bucket = monitor.one(CHILDREN[0]);
        assert_eq!(bucket.inputs["forceDestroy"], V::Bool(true));
        // Retained, the engine never deletes it: the bucket stays with its files.
        assert_eq!(bucket.retain_on_delete, retain);
        assert_eq!(monitor.one(CONTENT).retain_on_delete, retain);
    }
}

#[tokio::test]
async fn additional_secret_outputs_are_returned_secret() {
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let dir = site_folder("additional-secrets");
    let mut req = call("site", inputs(&dir, vec![]));
    req.additional_secret_outputs = vec!["bucketName".into()];
    let resp = monitor
        .construct(&StaticSite, &req)
        .await
        .expect("construct");
    let state = resp.state.clone();
    assert_eq!(
        state["bucketName"],
        V::Secret(Box::new(V::string("site-bucket-abc")))
    );
    assert_eq!(state["distributionId"], V::string("site-cdn-id"));
}

#[tokio::test]
async fn secret_and_unknown_tags_stay_secret_and_unknown_in_children() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("secrets");
    let tags = V::Object(PropertyMap::from([(
        "owner".to_string(),
        V::Output(OutputValue {
            value: Some(Box::new(V::string("team-a"))),
            secret: true,
            dependencies: vec!["urn:pulumi:dev::proj::random:index:RandomPet::owner".into()],
        }),
    )]));
    monitor
        .construct(
            &StaticSite,
            &call("site", inputs(&dir, vec![("tags", tags)])),
        )
        .await
        .expect("construct");
    for token in [CHILDREN[0], CHILDREN[4]] {
        let reg = monitor.one(token);
        let t = reg.inputs["tags"].taint();
        assert!(t.secret, "{token} tags must stay secret");
        assert!(!format!("{:?}", reg.inputs).contains("team-a"));
        assert!(
            reg.property_dependencies["tags"]
                .contains("urn:pulumi:dev::proj::random:index:RandomPet::owner"),
            "{token} tags keep their dependency"
        );
    }
}

#[tokio::test]
async fn long_names_never_exceed_cloud_limits() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("long");
    let name = "A_Very_Long_Marketing_Site_Name_For_The_Spring_Campaign_2027_Europe";
    monitor
        .construct(&StaticSite, &call(name, inputs(&dir, vec![])))
        .await
        .expect("construct");
    let prefix = string_input(&monitor.one(CHILDREN[0]).inputs, "bucketPrefix").to_string();
    assert!(prefix.len() <= 37, "bucketPrefix {prefix} too long");
    assert!(
        prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    );
    let oac = string_input(&monitor.one(CHILDREN[3]).inputs, "name").to_string();
    assert!(oac.len() <= 64, "OAC name {oac} too long");
    let comment = string_input(&monitor.one(CHILDREN[4]).inputs, "comment").to_string();
    assert!(comment.len() <= 128);
}

fn object(pairs: &[(&str, Value)]) -> Value {
    V::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// A `cacheControl` list of `(pattern, value)` rules.
fn rules(pairs: &[(&str, &str)]) -> Value {
    V::Array(
        pairs
            .iter()
            .map(|(p, v)| object(&[("pattern", V::string(*p)), ("value", V::string(*v))]))
            .collect(),
    )
}

/// `securityHeaders` with `count` custom headers `X-Custom-<i>`, each value `value_len` long.
fn custom_headers(count: usize, value_len: usize) -> Value {
    let headers = (0..count)
        .map(|i| (format!("X-Custom-{i}"), V::string("v".repeat(value_len))))
        .collect();
    object(&[("customHeaders", V::Object(headers))])
}

fn domain(name: &str, zone: &str) -> Value {
    V::Object(PropertyMap::from([
        ("name".to_string(), V::string(name)),
        ("zoneId".to_string(), V::string(zone)),
    ]))
}

#[tokio::test]
async fn a_custom_domain_gets_a_validated_certificate_and_alias_records() {
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let dir = site_folder("domain");
    let args = inputs(
        &dir,
        vec![(
            "domain",
            domain("www.example.com", "/hostedzone/Z0123456789ABC"),
        )],
    );
    let resp = monitor
        .construct(&StaticSite, &call("site", args))
        .await
        .expect("construct");

    let cert = monitor.one("aws:acm/certificate:Certificate").inputs;
    assert_eq!(string_input(&cert, "domainName"), "www.example.com");
    assert_eq!(string_input(&cert, "validationMethod"), "DNS");
    assert_eq!(
        string_input(&cert, "region"),
        "us-east-1",
        "CloudFront needs us-east-1"
    );

    let validation_record = monitor.named("site-certificate-validation-record").inputs;
    assert_eq!(string_input(&validation_record, "zoneId"), "Z0123456789ABC");
    assert_eq!(
        string_input(&validation_record, "name"),
        "_abc.www.example.com."
    );
    assert_eq!(string_input(&validation_record, "type"), "CNAME");
    assert_eq!(
        validation_record["records"],
        V::Array(vec![V::string("_xyz.acm-validations.aws.")])
    );

    let validation = monitor
        .one("aws:acm/certificateValidation:CertificateValidation")
        .inputs;
    assert_eq!(
        validation["validationRecordFqdns"],
        V::Array(vec![V::string(
            "site-certificate-validation-record.example.com"
        )])
    );

    let d = monitor.one(CHILDREN[4]);
    let json = V::Object(d.inputs.clone()).to_json().expect("json");
    assert_eq!(json["aliases"], serde_json::json!(["www.example.com"]));
    assert_eq!(json["viewerCertificate"]["sslSupportMethod"], "sni-only");
    assert_eq!(
        json["viewerCertificate"]["minimumProtocolVersion"],
        "TLSv1.2_2021"
    );
    assert_eq!(
        json["viewerCertificate"]["acmCertificateArn"],
        "arn:aws:acm:us-east-1:123456789012:certificate/c1"
    );
    let validation_urn = monitor
        .one("aws:acm/certificateValidation:CertificateValidation")
        .urn;
    assert!(
        d.dependencies.contains(&validation_urn),
        "the distribution waits for an issued certificate"
    );

    for kind in ["a", "aaaa"] {
        let record = V::Object(monitor.named(&format!("site-record-{kind}")).inputs)
            .to_json()
            .expect("json");
        assert_eq!(record["name"], "www.example.com");
        assert_eq!(record["type"], kind.to_uppercase());
        assert_eq!(record["aliases"][0]["name"], "d111.cloudfront.net");
        assert_eq!(record["aliases"][0]["zoneId"], "Z2FDTNDATAQYW2");
    }
    let state = resp.state.clone();
    assert_eq!(state["url"], V::string("https://www.example.com"));
    let record_a = monitor.named("site-record-a").urn;
    assert!(
        resp.state_dependencies["url"].contains(&record_a),
        "url waits for the DNS records"
    );
}

#[tokio::test]
async fn a_zone_created_in_the_same_program_flows_through_preview_with_its_dependency() {
    let zone_urn = "urn:pulumi:dev::proj::aws:route53/zone:Zone::zone";
    let unknown_zone = V::Output(OutputValue {
        value: None,
        secret: false,
        dependencies: vec![zone_urn.into()],
    });
    let d = V::Object(PropertyMap::from([
        ("name".to_string(), V::string("www.example.com")),
        ("zoneId".to_string(), unknown_zone),
    ]));
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("zone-output");
    monitor
        .construct(
            &StaticSite,
            &call("site", inputs(&dir, vec![("domain", d)])),
        )
        .await
        .expect("an unknown zone ID is fine at preview");
    for record in [
        "site-certificate-validation-record",
        "site-record-a",
        "site-record-aaaa",
    ] {
        let reg = monitor.named(record);
        assert!(reg.inputs["zoneId"].taint().unknown, "{record}");
        assert!(
            reg.property_dependencies["zoneId"].contains(zone_urn),
            "{record} keeps the zone dependency"
        );
    }

    // A known zone ID keeps its dependency and is still validated.
    let bad_zone = V::Output(OutputValue {
        value: Some(Box::new(V::string("not-a-zone"))),
        secret: false,
        dependencies: vec![zone_urn.into()],
    });
    let d = V::Object(PropertyMap::from([
        ("name".to_string(), V::string("www.example.com")),
        ("zoneId".to_string(), bad_zone),
    ]));
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let err = monitor
        .construct(
            &StaticSite,
            &call("site", inputs(&dir, vec![("domain", d)])),
        )
        .await
        .expect_err("validated when known");
    assert!(
        err.to_string().starts_with("domain.zoneId=\"not-a-zone\""),
        "{err}"
    );
}

#[tokio::test]
async fn bucket_settings_are_applied_one_at_a_time_and_renames_keep_the_bucket() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("ordering");
    monitor
        .construct(&StaticSite, &call("site", inputs(&dir, vec![])))
        .await
        .expect("construct");
    let ownership = monitor.one(CHILDREN[1]).urn;
    assert!(monitor.one(CHILDREN[2]).dependencies.contains(&ownership));
    assert_eq!(
        monitor.one(CHILDREN[0]).raw.ignore_changes,
        vec!["bucketPrefix".to_string()]
    );
}

#[tokio::test]
async fn the_custom_domain_url_is_known_at_preview() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("domain-preview");
    let args = inputs(
        &dir,
        vec![("domain", domain("example.com", "Z0123456789ABC"))],
    );
    let resp = monitor
        .construct(&StaticSite, &call("site", args))
        .await
        .expect("construct");
    let state = resp.state.clone();
    assert_eq!(state["url"], V::string("https://example.com"));
    // The aws children, SiteContent, the headers policy, then the domain's five.
    assert_eq!(monitor.registrations().len(), 1 + CHILDREN.len() + 2 + 5);
}

#[tokio::test]
async fn outputs_and_children_derived_from_secret_inputs_stay_secret() {
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let dir = site_folder("secret-inputs");
    let secret = |v: &str| V::Secret(Box::new(V::string(v)));
    let args = inputs(
        &dir,
        vec![
            ("indexDocument", secret("index.html")),
            (
                "domain",
                V::Secret(Box::new(domain("internal.example.com", "Z0123456789ABC"))),
            ),
        ],
    );
    let resp = monitor
        .construct(&StaticSite, &call("site", args))
        .await
        .expect("construct");
    let state = resp.state.clone();
    assert_eq!(state["url"], secret("https://internal.example.com"));
    let cert = monitor.one("aws:acm/certificate:Certificate").inputs;
    assert_eq!(cert["domainName"], secret("internal.example.com"));
    let d = monitor.one(CHILDREN[4]).inputs;
    assert_eq!(d["defaultRootObject"], secret("index.html"));
    assert!(d["customErrorResponses"].taint().secret);
    assert!(d["aliases"].taint().secret);
    let record = monitor.named("site-record-a").inputs;
    assert!(record["zoneId"].taint().secret && record["name"].taint().secret);
}

#[tokio::test]
async fn errors_about_secret_inputs_do_not_print_them() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("secret-errors");
    let bad = V::Secret(Box::new(domain("hidden_name.example.com", "Z1")));
    let args = inputs(&dir, vec![("domain", bad)]);
    let err = monitor
        .construct(&StaticSite, &call("site", args))
        .await
        .expect_err("upper case");
    let msg = err.to_string();
    assert!(
        msg.starts_with("domain.name=[secret] is not a valid host name"),
        "{msg}"
    );
    assert!(!msg.to_lowercase().contains("hidden"), "{msg}");

    // A plain site lists its folder; what is wrong there is told without the secret path.
    #[cfg(unix)]
    {
        let linked = site_folder("secret-path-link");
        let _ = std::fs::remove_file(linked.join("escape"));
        std::os::unix::fs::symlink("/etc", linked.join("escape")).expect("symlink");
        let secret_path = V::Secret(Box::new(V::string(linked.display().to_string())));
        let mut args = inputs(&linked, vec![("spa", V::Bool(false))]);
        args.insert("path".into(), secret_path);
        let err = monitor
            .construct(&StaticSite, &call("site", args))
            .await
            .expect_err("a link outside the folder");
        let msg = err.to_string();
        assert!(msg.starts_with("path=[secret] cannot be listed"), "{msg}");
        assert!(!msg.contains("secret-path-link"), "{msg}");
        // Not secret, the message says which file and where it leads.
        let args = inputs(&linked, vec![("spa", V::Bool(false))]);
        let err = monitor
            .construct(&StaticSite, &call("site", args))
            .await
            .expect_err("a link outside the folder");
        assert!(
            err.to_string().contains("\"escape\" in path \"")
                && err
                    .to_string()
                    .contains("is a link to /etc, outside the folder"),
            "{err}"
        );
    }
}

/// Inputs beside a valid `path`, a replacement `path`, the property the
/// error must name, and a part of its message.
type RefusalCase = (
    Vec<(&'static str, Value)>,
    Option<&'static str>,
    &'static str,
    &'static str,
);

async fn refused(extra: Vec<(&str, Value)>, path: Option<&str>) -> (String, String, usize) {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("bad");
    let mut args = inputs(&dir, extra);
    if let Some(p) = path {
        args.insert("path".into(), V::string(p));
    }
    let err = monitor
        .construct(&StaticSite, &call("site", args))
        .await
        .expect_err("must be refused");
    let ProtocolError::Input(e) = &err else {
        panic!("expected an input error, got {err:?}");
    };
    (
        e.property.clone(),
        err.to_string(),
        monitor.registrations().len(),
    )
}

#[tokio::test]
async fn bad_inputs_fail_before_anything_is_registered_naming_the_property() {
    let no_zone = V::Object(PropertyMap::from([(
        "name".to_string(),
        V::string("example.com"),
    )]));
    // A folder holding the key a plain site keeps its own not-found page under.
    let own_page = site_folder("own-not-found-page");
    std::fs::create_dir_all(own_page.join(".launchpad")).expect("mkdir");
    std::fs::write(own_page.join(".launchpad/404.html"), "mine").expect("write");
    let own_page: &'static str = own_page.display().to_string().leak();
    // More files without an extension than a CloudFront Function can list.
    let extensionless = site_folder("too-many-extensionless");
    std::fs::create_dir_all(extensionless.join("notes")).expect("mkdir");
    for i in 0..1000 {
        std::fs::write(extensionless.join(format!("notes/{i:04}")), "n").expect("write");
    }
    let extensionless: &'static str = extensionless.display().to_string().leak();
    let long_name = "X".repeat(257);
    let long_name_at: &'static str = format!("securityHeaders.customHeaders.{long_name}").leak();
    let cases: Vec<RefusalCase> = vec![
        (
            vec![("spa", V::Bool(false))],
            Some(extensionless),
            "path",
            "has 1000 files without an extension",
        ),
        (
            vec![("spa", V::Bool(false))],
            Some(own_page),
            "path",
            "holds .launchpad/404.html, the key where a site with spa=false and no errorDocument keeps its own not-found page; set errorDocument=\".launchpad/404.html\" to serve yours",
        ),
        (
            vec![("priceClass", V::string("PriceClass_999"))],
            None,
            "priceClass",
            "PriceClass_100, PriceClass_200, PriceClass_All",
        ),
        (
            vec![],
            Some("./definitely-not-built"),
            "path",
            "is not a folder",
        ),
        (
            vec![("errorDocument", V::string("404.html"))],
            None,
            "errorDocument",
            "spa=false",
        ),
        (
            vec![("indexDocument", V::string("/index.html"))],
            None,
            "indexDocument",
            "no leading `/`",
        ),
        (
            vec![("indexDocument", V::string("main.html"))],
            None,
            "indexDocument",
            "is not in the site folder",
        ),
        (
            vec![("indexDocument", V::string("../etc/passwd"))],
            None,
            "indexDocument",
            "no `..`",
        ),
        (
            vec![
                ("spa", V::Bool(false)),
                ("errorDocument", V::string("missing.html")),
            ],
            None,
            "errorDocument",
            "is not in the site folder",
        ),
        (
            vec![("sap", V::Bool(true))],
            None,
            "sap",
            "valid properties: path, spa",
        ),
        (
            vec![("spa", V::string("yes"))],
            None,
            "spa",
            "must be a boolean",
        ),
        (
            vec![("domain", domain("WWW.example.com", "Z1"))],
            None,
            "domain.name",
            "use lower case",
        ),
        (
            vec![("domain", domain("*.example.com", "Z1"))],
            None,
            "domain.name",
            "wildcards",
        ),
        (
            vec![("domain", domain("www.example.com", "example.com"))],
            None,
            "domain.zoneId",
            "hosted zone ID",
        ),
        (
            vec![("domain", no_zone)],
            None,
            "domain.zoneId",
            "missing required property `domain.zoneId`",
        ),
        (
            vec![(
                "cacheControl",
                rules(&[("*.html", "no-cache"), ("", "no-store")]),
            )],
            None,
            "cacheControl[1].pattern",
            "cacheControl[1].pattern=\"\" is not a valid pattern: it matches no file",
        ),
        (
            vec![("cacheControl", rules(&[("*.{js,css}", "no-store")]))],
            None,
            "cacheControl[0].pattern",
            "one rule per pattern",
        ),
        (
            vec![(
                "cacheControl",
                rules(&[("*.html", "no-cache"), ("*.html", "max-age=60")]),
            )],
            None,
            "cacheControl[1].pattern",
            "repeats cacheControl[0].pattern; the first matching rule wins",
        ),
        (
            vec![(
                "cacheControl",
                rules(&[("*.html", "max-age=60\r\nX-Evil: 1")]),
            )],
            None,
            "cacheControl[0].value",
            "not a valid Cache-Control header: only printable ASCII characters are allowed (no line breaks)",
        ),
        (
            vec![(
                "cacheControl",
                V::Array(vec![object(&[("pattern", V::string("*.html"))])]),
            )],
            None,
            "cacheControl[0].value",
            "missing required property `cacheControl[0].value`",
        ),
        (
            vec![(
                "cacheControl",
                V::Array(vec![object(&[
                    ("patern", V::string("*.html")),
                    ("value", V::string("no-cache")),
                ])]),
            )],
            None,
            "cacheControl[0].patern",
            "valid properties: pattern, value",
        ),
        (
            vec![("keepPreviousDeploys", V::Number(-1.0))],
            None,
            "keepPreviousDeploys",
            "keepPreviousDeploys=-1 is not valid; it must be a whole number from 0 to 100",
        ),
        (
            vec![("uploadConcurrency", V::Number(0.0))],
            None,
            "uploadConcurrency",
            "uploadConcurrency=0 is not valid; it must be a whole number from 1 to 256",
        ),
        (
            vec![("uploadConcurrency", V::Number(1000.0))],
            None,
            "uploadConcurrency",
            "from 1 to 256",
        ),
        (
            vec![("uploadConcurrency", V::Number(2.5))],
            None,
            "uploadConcurrency",
            "must be an integer",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[("hstsMaxAgeSeconds", V::Number(-5.0))]),
            )],
            None,
            "securityHeaders.hstsMaxAgeSeconds",
            "securityHeaders.hstsMaxAgeSeconds=-5 is not valid; it must be a whole number from 0 to 2147483647",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[("frameOptions", V::string("ALLOW"))]),
            )],
            None,
            "securityHeaders.frameOptions",
            "frameOptions=\"ALLOW\" is not valid; valid: DENY, SAMEORIGIN",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[("referrerPolicy", V::string("strict"))]),
            )],
            None,
            "securityHeaders.referrerPolicy",
            "valid: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[("contentSecurityPolicy", V::string("a".repeat(1784)))]),
            )],
            None,
            "securityHeaders.contentSecurityPolicy",
            "CloudFront allows at most 1783 characters, it has 1784",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[(
                    "customHeaders",
                    object(&[("strict-transport-security", V::string("max-age=1"))]),
                )]),
            )],
            None,
            "securityHeaders.customHeaders.strict-transport-security",
            "is a security header, not a custom one; set its max-age with securityHeaders.hstsMaxAgeSeconds",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[(
                    "customHeaders",
                    object(&[("Permissions Policy", V::string("camera=()"))]),
                )]),
            )],
            None,
            "securityHeaders.customHeaders.Permissions Policy",
            "\"Permissions Policy\" is not a valid header name",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[(
                    "customHeaders",
                    object(&[("X-Team", V::string("a")), ("x-team", V::string("b"))]),
                )]),
            )],
            None,
            "securityHeaders.customHeaders.x-team",
            "x-team is set twice (header names ignore case)",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[("customHeaders", object(&[("X-Team", V::string("a\nb"))]))]),
            )],
            None,
            "securityHeaders.customHeaders.X-Team",
            "is not a valid header value",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[
                    ("enabled", V::Bool(false)),
                    ("contentSecurityPolicy", V::string("default-src 'self'")),
                ]),
            )],
            None,
            "securityHeaders.contentSecurityPolicy",
            "cannot be used with securityHeaders.enabled=false",
        ),
        // CloudFront's quotas on a response headers policy's custom headers
        // (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-custom-headers).
        (
            vec![("securityHeaders", custom_headers(11, 8))],
            None,
            "securityHeaders.customHeaders",
            "securityHeaders.customHeaders has 11 headers; CloudFront allows at most 10 custom headers in a response headers policy",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[(
                    "customHeaders",
                    object(&[(long_name.as_str(), V::string("1"))]),
                )]),
            )],
            None,
            long_name_at,
            "is 257 characters long; CloudFront allows header names of at most 256",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[(
                    "customHeaders",
                    object(&[("X-Long", V::string("v".repeat(1784)))]),
                )]),
            )],
            None,
            "securityHeaders.customHeaders.X-Long",
            "the value is 1784 characters long; CloudFront allows at most 1783",
        ),
        (
            vec![("securityHeaders", custom_headers(6, 1783))],
            None,
            "securityHeaders.customHeaders",
            "names and values add up to 10758 characters; CloudFront allows at most 10240 in a response headers policy",
        ),
        // Headers CloudFront manages itself
        // (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html#remove-headers-disallowed).
        (
            vec![(
                "securityHeaders",
                object(&[(
                    "customHeaders",
                    object(&[("Content-Length", V::string("10"))]),
                )]),
            )],
            None,
            "securityHeaders.customHeaders.Content-Length",
            "Content-Length is a header CloudFront manages itself",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[(
                    "customHeaders",
                    object(&[("transfer-encoding", V::string("chunked"))]),
                )]),
            )],
            None,
            "securityHeaders.customHeaders.transfer-encoding",
            "transfer-encoding is a header CloudFront manages itself",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[(
                    "customHeaders",
                    object(&[("X-Amz-Cf-Pop", V::string("FRA"))]),
                )]),
            )],
            None,
            "securityHeaders.customHeaders.X-Amz-Cf-Pop",
            "X-Amz-Cf-Pop is a header CloudFront manages itself",
        ),
        (
            vec![(
                "securityHeaders",
                object(&[(
                    "customHeaders",
                    object(&[("X-Edge-Origin", V::string("s3"))]),
                )]),
            )],
            None,
            "securityHeaders.customHeaders.X-Edge-Origin",
            "X-Edge-Origin is a header CloudFront manages itself",
        ),
    ];
    for (extra, path, property, part) in cases {
        let (prop, msg, registered) = refused(extra, path).await;
        assert_eq!(prop, property, "{msg}");
        assert!(msg.contains(part), "{property}: {msg}");
        assert_eq!(
            registered, 0,
            "nothing may be registered for bad {property}"
        );
    }
}

#[tokio::test]
async fn a_relative_path_starts_at_the_program_directory() {
    let dir = site_folder("relative");
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let mut c = call("site", inputs(Path::new("./site"), vec![]));
    let program = dir.join("program");
    std::fs::create_dir_all(program.join("site")).expect("mkdir");
    std::fs::write(program.join("site").join("index.html"), "hi").expect("write");
    c.program_directory = Some(program.clone());
    monitor
        .construct(&StaticSite, &c)
        .await
        .expect("found beside the program");
    // SiteContent gets the path as written and resolves it the same way.
    assert_eq!(string_input(&monitor.one(CONTENT).inputs, "path"), "./site");

    c.program_directory = Some(dir.join("elsewhere"));
    let e = monitor
        .construct(&StaticSite, &c)
        .await
        .expect_err("not there");
    assert!(
        e.to_string()
            .contains(&dir.join("elsewhere").join("./site").display().to_string()),
        "the message says where it looked: {e}"
    );
}

#[tokio::test]
async fn ignore_changes_on_the_site_reaches_the_children_its_inputs_become() {
    let dir = site_folder("ignore-changes");
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let mut c = call("site", inputs(&dir, vec![]));
    c.options.ignore_changes = vec!["priceClass".into(), "tags".into()];
    c.options.replace_on_changes = vec!["path".into(), "bucketName".into()];
    let resp = monitor.construct(&StaticSite, &c).await.expect("construct");
    let cdn = monitor.one(CHILDREN[4]).raw;
    assert_eq!(
        cdn.ignore_changes,
        vec![
            "comment".to_string(),
            "priceClass".to_string(),
            "tags".to_string()
        ]
    );
    let bucket = monitor.one(CHILDREN[0]).raw;
    assert_eq!(
        bucket.ignore_changes,
        vec!["bucketPrefix".to_string(), "tags".to_string()]
    );
    assert_eq!(
        monitor.one(CONTENT).raw.replace_on_changes,
        vec!["path".to_string()]
    );
    // `bucketName` is an output, not an input: the user is told, not ignored silently.
    let logs = monitor.logs();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert_eq!(logs[0].1, resp.urn);
    assert!(
        logs[0].2.contains("replaceOnChanges: `bucketName`"),
        "{}",
        logs[0].2
    );
}

#[tokio::test]
async fn the_folder_goes_up_through_site_content_once_the_bucket_is_locked_down() {
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let dir = site_folder("content");
    let cache = rules(&[("assets/**", "public, max-age=86400")]);
    let c = call(
        "site",
        inputs(
            &dir,
            vec![
                ("cacheControl", cache.clone()),
                ("uploadConcurrency", V::Number(64.0)),
            ],
        ),
    );
    let resp = monitor.construct(&StaticSite, &c).await.expect("construct");

    let content = monitor.one(CONTENT);
    assert_eq!(content.name, "site-content");
    assert_eq!(content.version, crate::PACKAGE.version);
    assert!(content.custom);
    let i = &content.inputs;
    assert_eq!(string_input(i, "path"), dir.display().to_string());
    assert_eq!(string_input(i, "bucket"), "site-bucket-abc");
    assert_eq!(string_input(i, "region"), "eu-west-1");
    assert_eq!(string_input(i, "distributionId"), "site-cdn-id");
    assert_eq!(i["cacheControl"], cache);
    assert_eq!(i["keepPreviousDeploys"], V::Number(1.0));
    assert_eq!(i["uploadConcurrency"], V::Number(64.0));

    // Nothing is uploaded before only this distribution can read the bucket.
    let policy = monitor.one(CHILDREN[5]).urn;
    assert!(
        content.dependencies.contains(&policy),
        "content waits for the policy"
    );
    let order: Vec<String> = monitor
        .registrations()
        .iter()
        .map(|r| r.urn.clone())
        .collect();
    let at = |urn: &String| order.iter().position(|u| u == urn).expect("registered");
    assert!(at(&policy) < at(&content.urn));

    // The URL resolves after the content: whatever reads it gets a working site.
    let state = resp.state.clone();
    assert_eq!(state["url"], V::string("https://d111.cloudfront.net"));
    assert!(resp.state_dependencies["url"].contains(&content.urn));
    assert_eq!(state["fileCount"], V::Number(2.0));
    assert_eq!(state["manifestHash"], V::string("m4n1f3st"));
    assert!(resp.state_dependencies["manifestHash"].contains(&content.urn));

    // Without rules, SiteContent gets none (its defaults apply).
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    monitor
        .construct(&StaticSite, &call("site", inputs(&dir, vec![])))
        .await
        .expect("construct");
    let i = monitor.one(CONTENT).inputs;
    assert!(!i.contains_key("cacheControl"), "{i:?}");
    assert_eq!(i["uploadConcurrency"], V::Number(32.0));
}

#[tokio::test]
async fn a_custom_domain_url_also_waits_for_the_content() {
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let dir = site_folder("domain-content");
    let args = inputs(
        &dir,
        vec![("domain", domain("www.example.com", "Z0123456789ABC"))],
    );
    let resp = monitor
        .construct(&StaticSite, &call("site", args))
        .await
        .expect("construct");
    assert!(resp.state_dependencies["url"].contains(&monitor.one(CONTENT).urn));
}

/// The distribution's inputs as JSON.
fn distribution_json(monitor: &FakeMonitor) -> serde_json::Value {
    V::Object(monitor.one(CHILDREN[4]).inputs)
        .to_json()
        .expect("known")
}

#[tokio::test]
async fn every_response_carries_security_headers_by_default() {
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let dir = site_folder("headers");
    monitor
        .construct(&StaticSite, &call("site", inputs(&dir, vec![])))
        .await
        .expect("construct");
    let policy = monitor.one(HEADERS);
    let p = V::Object(policy.inputs.clone()).to_json().expect("known");
    assert_eq!(
        p["securityHeadersConfig"],
        serde_json::json!({
            "strictTransportSecurity": {
                "accessControlMaxAgeSec": 63072000,
                "includeSubdomains": true,
                "preload": false,
                "override": true,
            },
            "contentTypeOptions": { "override": true },
            "frameOptions": { "frameOption": "DENY", "override": true },
            "referrerPolicy": { "referrerPolicy": "strict-origin-when-cross-origin", "override": true },
        })
    );
    assert!(p.get("customHeadersConfig").is_none());
    let name = p["name"].as_str().expect("name");
    assert!(
        name.starts_with("site-headers-") && name.len() <= 128,
        "{name}"
    );
    assert_eq!(
        distribution_json(&monitor)["defaultCacheBehavior"]["responseHeadersPolicyId"],
        "site-headers-id"
    );
}

#[tokio::test]
async fn security_headers_can_be_tuned_extended_or_turned_off() {
    let dir = site_folder("headers-tuned");
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let tuned = object(&[
        ("hstsMaxAgeSeconds", V::Number(300.0)),
        ("frameOptions", V::string("SAMEORIGIN")),
        ("referrerPolicy", V::string("no-referrer")),
        ("contentSecurityPolicy", V::string("default-src 'self'")),
        (
            "customHeaders",
            object(&[("Permissions-Policy", V::string("camera=()"))]),
        ),
    ]);
    monitor
        .construct(
            &StaticSite,
            &call("site", inputs(&dir, vec![("securityHeaders", tuned)])),
        )
        .await
        .expect("construct");
    let p = V::Object(monitor.one(HEADERS).inputs)
        .to_json()
        .expect("known");
    let h = &p["securityHeadersConfig"];
    assert_eq!(h["strictTransportSecurity"]["accessControlMaxAgeSec"], 300);
    assert_eq!(h["frameOptions"]["frameOption"], "SAMEORIGIN");
    assert_eq!(h["referrerPolicy"]["referrerPolicy"], "no-referrer");
    assert_eq!(
        h["contentSecurityPolicy"],
        serde_json::json!({"contentSecurityPolicy": "default-src 'self'", "override": true})
    );
    assert_eq!(
        p["customHeadersConfig"],
        serde_json::json!({"items": [
            {"header": "Permissions-Policy", "value": "camera=()", "override": true}
        ]})
    );

    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let off = object(&[("enabled", V::Bool(false))]);
    monitor
        .construct(
            &StaticSite,
            &call("site", inputs(&dir, vec![("securityHeaders", off)])),
        )
        .await
        .expect("construct");
    let tokens: Vec<String> = monitor
        .registrations()
        .into_iter()
        .map(|r| r.type_token)
        .collect();
    assert!(!tokens.iter().any(|t| t == HEADERS), "{tokens:?}");
    assert!(
        distribution_json(&monitor)["defaultCacheBehavior"]
            .get("responseHeadersPolicyId")
            .is_none()
    );
}

#[tokio::test]
async fn secret_header_values_stay_secret() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let dir = site_folder("headers-secret");
    let secret = |v: &str| V::Secret(Box::new(V::string(v)));
    let headers = object(&[
        (
            "contentSecurityPolicy",
            secret("default-src 'self' https://internal.example"),
        ),
        ("customHeaders", object(&[("X-Api-Key", secret("k3y"))])),
    ]);
    monitor
        .construct(
            &StaticSite,
            &call("site", inputs(&dir, vec![("securityHeaders", headers)])),
        )
        .await
        .expect("construct");
    let inputs = monitor.one(HEADERS).inputs;
    assert!(inputs["securityHeadersConfig"].taint().secret);
    assert!(inputs["customHeadersConfig"].taint().secret);
    let shown = format!("{inputs:?}");
    assert!(
        !shown.contains("k3y") && !shown.contains("internal"),
        "{shown}"
    );
}

/// A viewer-request event as CloudFront Functions hands it to `handler`
/// (cloudfront-js-2.0; https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html):
/// `uri` as the viewer sent it, and the query string as an object of
/// `{ value }`, with `multiValue` for a repeated name.
fn viewer_request(uri: &str, querystring: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "version": "1.0",
        "context": {
            "distributionDomainName": "d111111abcdef8.cloudfront.net",
            "distributionId": "EDFDVBD6EXAMPLE",
            "eventType": "viewer-request",
            "requestId": "EXAMPLEntjQpEXAMPLE_SG5Z-EXAMPLEPmPfEXAMPLEu3EqEXAMPLE==",
        },
        "viewer": { "ip": "198.51.100.11" },
        "request": {
            "method": "GET",
            "uri": uri,
            "querystring": querystring,
            "headers": { "host": { "value": "www.example.com" } },
            "cookies": {},
        },
    })
}

/// Run a CloudFront Function's `code` under Node.js for each event, the way
/// the cloudfront-js-2.0 runtime does: in strict mode, in a context with
/// only the ECMAScript built-ins (no `require`, `process`, timers or
/// `console`; https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-javascript-runtime-20.html),
/// so code that leans on Node fails here as it would at the edge.
fn run_function(code: &str, events: &[serde_json::Value]) -> Vec<serde_json::Value> {
    let script = format!(
        r#"const vm = require("vm");
const edge = vm.createContext({{}});
vm.runInContext('"use strict";\n' + {code}, edge, {{ filename: "function.js" }});
const out = [];
for (const event of {events}) {{
    out.push(JSON.parse(JSON.stringify(edge.handler(event))));
}}
process.stdout.write(JSON.stringify(out));"#,
        code = serde_json::to_string(code).expect("json"),
        events = serde_json::to_string(events).expect("json"),
    );
    // On stdin: many events would be longer than one argument may be.
    let mut node = std::process::Command::new("node")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs the CloudFront Function's code (install Node.js 20)");
    let mut stdin = node.stdin.take().expect("stdin");
    std::io::Write::write_all(&mut stdin, script.as_bytes()).expect("the script goes to node");
    drop(stdin);
    let out = node.wait_with_output().expect("node ends");
    assert!(
        out.status.success(),
        "the function's code fails: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the handler's results as JSON")
}

/// What the function made of a request: the URI it serves (`serve /x`), or
/// the redirect it answers with (`302 /x/`).
fn outcome(result: &serde_json::Value) -> String {
    match result.get("statusCode") {
        Some(code) => {
            assert_eq!(result["statusDescription"], "Found", "{result}");
            format!(
                "{code} {}",
                result["headers"]["location"]["value"]
                    .as_str()
                    .expect("location")
            )
        }
        None => {
            // The request goes on unchanged but for its URI.
            assert_eq!(result["method"], "GET", "{result}");
            assert_eq!(
                result["headers"]["host"]["value"], "www.example.com",
                "{result}"
            );
            format!("serve {}", result["uri"].as_str().expect("uri"))
        }
    }
}

/// The code of the path function of a plain site whose index document is `index`.
async fn plain_site_function(dir: &Path, index: &str) -> String {
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    let args = inputs(
        dir,
        vec![("spa", V::Bool(false)), ("indexDocument", V::string(index))],
    );
    monitor
        .construct(&StaticSite, &call("site", args))
        .await
        .expect("construct");
    let function = monitor.one(FUNCTION);
    let f = &function.inputs;
    assert_eq!(string_input(f, "runtime"), "cloudfront-js-2.0");
    assert_eq!(f["publish"], V::Bool(true));
    let name = string_input(f, "name");
    assert!(name.starts_with("site-path-rewrite-"), "{name}");
    assert_eq!(
        distribution_json(&monitor)["defaultCacheBehavior"]["functionAssociations"],
        serde_json::json!([{
            "eventType": "viewer-request",
            "functionArn": "arn:aws:cloudfront::123456789012:function/site-path-rewrite",
        }])
    );
    string_input(f, "code").to_string()
}

#[tokio::test]
async fn a_plain_site_serves_folders_and_files_and_redirects_folders_to_their_trailing_slash() {
    let dir = site_folder("rewrite");
    std::fs::write(dir.join("home.html"), "home").expect("write");
    std::fs::create_dir_all(dir.join("about")).expect("mkdir");
    std::fs::write(dir.join("about/home.html"), "about").expect("write");
    // Files without an extension, which S3 website hosting serves as they are.
    std::fs::create_dir_all(dir.join(".well-known")).expect("mkdir");
    std::fs::write(dir.join(".well-known/apple-app-site-association"), "{}").expect("write");
    std::fs::write(dir.join("LICENSE"), "MIT").expect("write");
    std::fs::write(dir.join("café-menu"), "soup").expect("write");
    let code = plain_site_function(&dir, "home.html").await;
    let none = serde_json::json!({});
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        ("/", none.clone(), "serve /home.html"),
        ("/about/", none.clone(), "serve /about/home.html"),
        ("/docs/v2/", none.clone(), "serve /docs/v2/home.html"),
        // A file of the folder whose name has no dot is a file: iOS asks for
        // exactly this path, and a redirect would lose it.
        (
            "/.well-known/apple-app-site-association",
            none.clone(),
            "serve /.well-known/apple-app-site-association",
        ),
        ("/LICENSE", none.clone(), "serve /LICENSE"),
        ("/caf%C3%A9-menu", none.clone(), "serve /caf%C3%A9-menu"),
        ("/café-menu", none.clone(), "serve /café-menu"),
        // Any other last segment without a dot is a folder: redirected with a
        // 302, as S3 website hosting does, so that the page's relative links
        // resolve inside it (and no browser keeps the guess for good).
        ("/about", none.clone(), "302 /about/"),
        ("/docs/v2/intro", none.clone(), "302 /docs/v2/intro/"),
        ("/a.b/c", none.clone(), "302 /a.b/c/"),
        // S3 keys are case-sensitive.
        ("/license", none.clone(), "302 /license/"),
        (
            "/.well-known/apple",
            none.clone(),
            "302 /.well-known/apple/",
        ),
        (
            "/assets/app.3f9a1c.js",
            none.clone(),
            "serve /assets/app.3f9a1c.js",
        ),
        ("/robots.txt", none.clone(), "serve /robots.txt"),
        ("/about/home.html", none.clone(), "serve /about/home.html"),
        // The query string goes along, every value of a repeated name in order.
        (
            "/about",
            serde_json::json!({"utm_source": {"value": "news"}, "page": {"value": "2"}}),
            "302 /about/?utm_source=news&page=2",
        ),
        (
            "/search",
            serde_json::json!({
                "tag": {"value": "a", "multiValue": [{"value": "a"}, {"value": "b"}]},
                "draft": {"value": ""},
            }),
            "302 /search/?tag=a&tag=b&draft",
        ),
        // Encoded characters stay encoded, and raw ones are encoded: the
        // Location header carries ASCII either way.
        ("/caf%C3%A9", none.clone(), "302 /caf%C3%A9/"),
        ("/café", none.clone(), "302 /caf%C3%A9/"),
        ("/100%", none.clone(), "302 /100%25/"),
        (
            "/find",
            serde_json::json!({"q": {"value": "%E5%AE%B6"}, "raw": {"value": "a b&c#d"}}),
            "302 /find/?q=%E5%AE%B6&raw=a%20b%26c%23d",
        ),
        ("/emoji-\u{1F600}", none.clone(), "302 /emoji-%F0%9F%98%80/"),
        // Never a redirect to another host: `//evil` and `/\evil` are
        // protocol-relative to a browser.
        ("//evil", none.clone(), "302 /evil/"),
        ("/\\evil", none.clone(), "302 /%5Cevil/"),
        ("//evil.example", none.clone(), "serve //evil.example"),
    ];
    let events: Vec<_> = cases
        .iter()
        .map(|(uri, query, _)| viewer_request(uri, query.clone()))
        .collect();
    let results = run_function(&code, &events);
    let got: Vec<String> = results.iter().map(outcome).collect();
    let want: Vec<&str> = cases.iter().map(|(_, _, want)| *want).collect();
    assert_eq!(got, want);
    // A request served, folder or file, goes on with its query string as it came.
    let query = serde_json::json!({"v": {"value": "1"}});
    let served = run_function(
        &code,
        &[
            viewer_request("/about/", query.clone()),
            viewer_request("/LICENSE", query.clone()),
        ],
    );
    let got: Vec<String> = served.iter().map(outcome).collect();
    assert_eq!(got, ["serve /about/home.html", "serve /LICENSE"]);
    for request in &served {
        assert_eq!(request["querystring"], query);
    }

    // A single-page app routes through its error responses: no function.
    let monitor = FakeMonitor::start(deployed_outputs()).await;
    monitor
        .construct(&StaticSite, &call("site", inputs(&dir, vec![])))
        .await
        .expect("construct");
    assert!(
        !monitor
            .registrations()
            .iter()
            .any(|r| r.type_token == FUNCTION)
    );
    assert!(
        distribution_json(&monitor)["defaultCacheBehavior"]
            .get("functionAssociations")
            .is_none()
    );
}

/// CloudFront refuses a function larger than 10 KB
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-functions).
const MAX_FUNCTION_BYTES: usize = 10 * 1024;

#[tokio::test]
async fn the_path_function_fits_cloudfront_functions_limits_for_any_index_document() {
    // The longest index document a key allows, of the character JSON
    // escapes longest (`\u0001`): the code can never grow past this.
    let worst = "\u{1}".repeat(1024);
    let code = super::plan::path_rewrite_code(&worst, &BTreeSet::new());
    assert!(
        code.len() <= MAX_FUNCTION_BYTES,
        "{} bytes is over CloudFront's 10 KB",
        code.len()
    );
    let served = run_function(&code, &[viewer_request("/docs/", serde_json::json!({}))]);
    assert_eq!(served[0]["uri"], format!("/docs/{worst}"));
    // Quotes, backslashes and line separators stay inside the string literal.
    let tricky = "a\"b\\c\u{2028}d</script>.html";
    let served = run_function(
        &super::plan::path_rewrite_code(tricky, &BTreeSet::new()),
        &[viewer_request("/", serde_json::json!({}))],
    );
    assert_eq!(served[0]["uri"], format!("/{tricky}"));
}

#[tokio::test]
async fn files_without_an_extension_are_listed_up_to_10_kb_and_one_more_is_refused_at_preview() {
    let key = |i: usize| format!("notes/{i:04}");
    let list = |n: usize| (0..n).map(key).collect::<BTreeSet<_>>();
    // The most such files a function with the default index document holds.
    let fits = (0..)
        .take_while(|&n| {
            super::plan::path_rewrite_code("index.html", &list(n)).len() <= MAX_FUNCTION_BYTES
        })
        .last()
        .expect("the code without files fits");
    assert!(
        fits > 300,
        "room for only {fits} files without an extension"
    );

    let dir = site_folder("many-extensionless");
    std::fs::create_dir_all(dir.join("notes")).expect("mkdir");
    for i in 0..fits {
        std::fs::write(dir.join(key(i)), "n").expect("write");
    }
    let code = plain_site_function(&dir, "index.html").await;
    assert!(code.len() <= MAX_FUNCTION_BYTES, "{} bytes", code.len());
    let mut uris: Vec<String> = (0..fits).map(|i| format!("/{}", key(i))).collect();
    uris.push("/notes".into());
    uris.push(format!("/{}", key(fits)));
    let events: Vec<_> = uris
        .iter()
        .map(|uri| viewer_request(uri, serde_json::json!({})))
        .collect();
    let got: Vec<String> = run_function(&code, &events).iter().map(outcome).collect();
    let mut want: Vec<String> = (0..fits).map(|i| format!("serve /{}", key(i))).collect();
    want.push("302 /notes/".into());
    want.push(format!("302 /{}/", key(fits)));
    assert_eq!(got, want);

    // One more would fail at deploy: preview refuses it, saying what to do.
    std::fs::write(dir.join(key(fits)), "n").expect("write");
    let shown = dir.display().to_string();
    let (property, msg, registered) =
        refused(vec![("spa", V::Bool(false))], Some(shown.as_str())).await;
    assert_eq!(property, "path");
    assert_eq!(registered, 0, "{msg}");
    for part in [
        format!("path={shown:?} has {} files without an extension", fits + 1),
        "(such as \"notes/0000\", \"notes/0001\", \"notes/0002\")".to_string(),
        "over CloudFront's limit of 10240 bytes (10 KB)".to_string(),
        "give those files an extension, or set spa=true".to_string(),
    ] {
        assert!(msg.contains(&part), "{part}: {msg}");
    }
    // A single-page app lists nothing: the same folder is fine.
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    monitor
        .construct(&StaticSite, &call("site", inputs(&dir, vec![])))
        .await
        .expect("an SPA serves its files as they are");
}

#[tokio::test]
async fn function_and_policy_names_stay_within_cloudfront_limits_and_differ_per_stack() {
    let name = "A_Very_Long_Marketing_Site_Name_For_The_Spring_Campaign_2027_Europe";
    let dir = site_folder("long-function");
    let mut names = Vec::new();
    for stack in ["dev", "prod"] {
        let monitor = FakeMonitor::start(FakeMonitorConfig {
            stack: stack.into(),
            ..FakeMonitorConfig::default()
        })
        .await;
        let args = inputs(&dir, vec![("spa", V::Bool(false))]);
        monitor
            .construct(&StaticSite, &call(name, args))
            .await
            .expect("construct");
        for (token, max) in [(FUNCTION, 64), (HEADERS, 128)] {
            let n = string_input(&monitor.one(token).inputs, "name").to_string();
            assert!(n.len() <= max, "{token} name {n} longer than {max}");
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{n}"
            );
            names.push(n);
        }
    }
    assert_ne!(names[0], names[2], "function names are unique per stack");
    assert_ne!(names[1], names[3], "policy names are unique per stack");
}

#[tokio::test]
async fn a_long_name_still_gives_each_account_unique_child_a_name_of_its_own() {
    // Past 54 characters the readable part is cut before any suffix, so
    // only the hash can tell two names of one type apart.
    let name = "A_Very_Long_Marketing_Site_Name_For_The_Spring_Campaign_2027_Europe";
    let dir = site_folder("long-variants");
    let monitor = FakeMonitor::start(with_components()).await;
    let args = inputs(
        &dir,
        vec![("routes", V::Array(vec![to_function("api/*", API)]))],
    );
    monitor
        .construct(&StaticSite, &call(name, args))
        .await
        .expect("construct");
    let oac = "aws:cloudfront/originAccessControl:OriginAccessControl";
    let oacs: BTreeSet<String> = monitor
        .registrations()
        .iter()
        .filter(|r| r.type_token == oac)
        .map(|r| string_input(&r.inputs, "name").to_string())
        .collect();
    assert_eq!(
        oacs.len(),
        2,
        "bucket and lambda OACs share a name: {oacs:?}"
    );

    // Turning `spa` on replaces the path function with the fallback: Pulumi
    // creates the new one before deleting the old, so their names must differ.
    let mut functions = BTreeSet::new();
    for spa in [false, true] {
        let monitor = FakeMonitor::start(with_components()).await;
        let routes = V::Array(vec![to_function("api/*", API)]);
        let args = inputs(&dir, vec![("spa", V::Bool(spa)), ("routes", routes)]);
        monitor
            .construct(&StaticSite, &call(name, args))
            .await
            .expect("construct");
        functions.insert(string_input(&monitor.one(FUNCTION).inputs, "name").to_string());
    }
    assert_eq!(
        functions.len(),
        2,
        "both site functions share a name: {functions:?}"
    );
}

// ---- routes ----

const ADMIN: &str = "urn:pulumi:dev::proj::launchpad:index:Function::admin";
const API: &str = "urn:pulumi:dev::proj::launchpad:index:Function::api";
const OPEN: &str = "urn:pulumi:dev::proj::launchpad:index:Function::open";
const NO_URL: &str = "urn:pulumi:dev::proj::launchpad:index:Function::nourl";
/// Another Function named `api`, inside a component of the program's.
const OTHER_API: &str = "urn:pulumi:dev::proj::acme:index:Billing$launchpad:index:Function::api";
const APP: &str = "urn:pulumi:dev::proj::launchpad:index:WebService::app";
const PLAIN_HTTP: &str = "urn:pulumi:dev::proj::launchpad:index:WebService::plain";
const DISTRIBUTION_ARN: &str = "arn:aws:cloudfront::123456789012:distribution/E123";
const LAMBDA: &str = "aws:lambda/permission:Permission";

/// A Function's outputs as its Construct registers them (the contract of
/// issue 17); `url` only with a URL.
fn function_outputs(name: &str, auth: Option<&str>, timeout: f64) -> PropertyMap {
    let mut m = PropertyMap::from([
        (
            "functionName".to_string(),
            V::string(format!("{name}-4f2a")),
        ),
        ("aliasName".to_string(), V::string("live")),
        ("timeout".to_string(), V::Number(timeout)),
    ]);
    if let Some(auth) = auth {
        m.insert(
            "url".into(),
            V::string(format!("https://{name}url.lambda-url.eu-west-1.on.aws/")),
        );
        m.insert("urlAuthType".into(), V::string(auth));
    }
    m
}

/// The deployed outputs, and the components a program made before the site.
fn with_components() -> FakeMonitorConfig {
    FakeMonitorConfig {
        components: [
            (ADMIN, function_outputs("admin", Some("AWS_IAM"), 90.0)),
            (API, function_outputs("api", Some("AWS_IAM"), 20.0)),
            (OPEN, function_outputs("open", Some("NONE"), 20.0)),
            (NO_URL, function_outputs("nourl", None, 20.0)),
            (
                OTHER_API,
                function_outputs("billing-api", Some("AWS_IAM"), 20.0),
            ),
            (
                APP,
                PropertyMap::from([("httpsListener".to_string(), V::Bool(true))]),
            ),
            (
                PLAIN_HTTP,
                PropertyMap::from([("httpsListener".to_string(), V::Bool(false))]),
            ),
        ]
        .into_iter()
        .map(|(urn, outputs)| (urn.to_string(), outputs))
        .collect(),
        ..deployed_outputs()
    }
}

fn route(pairs: Vec<(&str, Value)>) -> Value {
    V::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn to_function(path: &str, urn: &str) -> Value {
    route(vec![
        ("path", V::string(path)),
        ("function", component_reference(urn)),
    ])
}

fn to_service(path: &str, urn: &str, domain: Option<&str>) -> Value {
    let mut pairs = vec![
        ("path", V::string(path)),
        ("webService", component_reference(urn)),
    ];
    if let Some(d) = domain {
        pairs.push(("originDomain", V::string(d)));
    }
    route(pairs)
}

/// Construct a site with these routes (and more inputs) as `pulumi up` would.
async fn site_with_routes(routes: Vec<Value>, extra: Vec<(&str, Value)>) -> FakeMonitor {
    let monitor = FakeMonitor::start(with_components()).await;
    let dir = site_folder("routes");
    let mut extra = extra;
    extra.push(("routes", V::Array(routes)));
    monitor
        .construct(&StaticSite, &call("site", inputs(&dir, extra)))
        .await
        .expect("construct");
    monitor
}

#[tokio::test]
async fn a_function_route_reaches_its_url_signed_by_cloudfront_for_this_distribution_only() {
    let monitor = site_with_routes(
        vec![
            to_function("/api/admin/*", ADMIN),
            to_function("api/*", API),
        ],
        vec![],
    )
    .await;
    let d = distribution_json(&monitor);
    let oac_id = "site-lambda-oac-id";
    let headers_id = "site-headers-id";
    let origin = |id: &str, host: &str, timeout: Option<u32>| {
        let mut custom = serde_json::json!({
            "httpPort": 80,
            "httpsPort": 443,
            "originProtocolPolicy": "https-only",
            "originSslProtocols": ["TLSv1.2"],
        });
        if let Some(t) = timeout {
            custom["originReadTimeout"] = serde_json::json!(t);
        }
        serde_json::json!({
            "originId": id,
            "domainName": host,
            "customOriginConfig": custom,
            "originAccessControlId": oac_id,
        })
    };
    assert_eq!(d["origins"][0]["originId"], "s3");
    assert_eq!(
        d["origins"].as_array().expect("origins")[1..],
        [
            // A 90 s function: CloudFront waits the most it may without a quota increase.
            origin(
                "function-admin",
                "adminurl.lambda-url.eu-west-1.on.aws",
                Some(60)
            ),
            origin("function-api", "apiurl.lambda-url.eu-west-1.on.aws", None),
        ]
    );
    let behavior = |pattern: &str, origin: &str| {
        serde_json::json!({
            "pathPattern": pattern,
            "targetOriginId": origin,
            "viewerProtocolPolicy": "redirect-to-https",
            "allowedMethods": ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
            "cachedMethods": ["GET", "HEAD"],
            "cachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            "originRequestPolicyId": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
            "responseHeadersPolicyId": headers_id,
        })
    };
    // In the user's order: CloudFront takes the first match.
    assert_eq!(
        d["orderedCacheBehaviors"],
        serde_json::json!([
            behavior("/api/admin/*", "function-admin"),
            behavior("api/*", "function-api"),
        ])
    );
    // The SPA fallback is the default behaviour's function, not error responses.
    assert!(d.get("customErrorResponses").is_none(), "{d}");
    assert_eq!(
        d["defaultCacheBehavior"]["functionAssociations"][0]["functionArn"],
        "arn:aws:cloudfront::123456789012:function/site-spa-fallback"
    );

    let oac = V::Object(monitor.named("site-lambda-oac").inputs)
        .to_json()
        .expect("known");
    assert_eq!(oac["originAccessControlOriginType"], "lambda");
    assert_eq!(oac["signingBehavior"], "always");
    assert_eq!(oac["signingProtocol"], "sigv4");

    let distribution_urn = monitor.one(CHILDREN[4]).urn;
    let mut permissions: Vec<serde_json::Value> = Vec::new();
    for (function, urn) in [("admin", ADMIN), ("api", API)] {
        for suffix in ["url", "invoke"] {
            let p = monitor.named(&format!("site-{function}-{suffix}"));
            assert_eq!(p.type_token, LAMBDA);
            assert_eq!(p.version, AWS_PROVIDER_VERSION);
            // After the distribution, whose ARN it names, and the function.
            assert!(p.dependencies.contains(&distribution_urn));
            assert!(p.property_dependencies["function"].contains(urn));
            assert!(p.property_dependencies["qualifier"].contains(urn));
            permissions.push(V::Object(p.inputs).to_json().expect("known"));
        }
    }
    let permission = |function: &str, action: &str, extra: (&str, serde_json::Value)| {
        let mut p = serde_json::json!({
            "action": action,
            "function": format!("{function}-4f2a"),
            "qualifier": "live",
            "principal": "cloudfront.amazonaws.com",
            "sourceArn": DISTRIBUTION_ARN,
        });
        p[extra.0] = extra.1;
        p
    };
    let by_url = ("functionUrlAuthType", serde_json::json!("AWS_IAM"));
    let via_url = ("invokedViaFunctionUrl", serde_json::json!(true));
    assert_eq!(
        permissions,
        [
            permission("admin", "lambda:InvokeFunctionUrl", by_url.clone()),
            permission("admin", "lambda:InvokeFunction", via_url.clone()),
            permission("api", "lambda:InvokeFunctionUrl", by_url),
            permission("api", "lambda:InvokeFunction", via_url),
        ]
    );
    assert_eq!(
        monitor
            .registrations()
            .iter()
            .filter(|r| r.type_token == LAMBDA)
            .count(),
        4
    );
    // The 90 s function: its answers after 60 s are 504s, said at preview.
    let warnings: Vec<String> = monitor.logs().into_iter().map(|(_, _, m)| m).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("function admin may run 90 s") && warnings[0].contains("504"),
        "{}",
        warnings[0]
    );
}

#[tokio::test]
async fn two_routes_to_one_function_share_its_origin_and_permissions() {
    let monitor = site_with_routes(
        vec![to_function("/api/*", API), to_function("/auth/*", API)],
        vec![],
    )
    .await;
    let d = distribution_json(&monitor);
    assert_eq!(d["origins"].as_array().expect("origins").len(), 2);
    assert_eq!(
        d["orderedCacheBehaviors"][1]["targetOriginId"],
        "function-api"
    );
    let permissions = monitor
        .registrations()
        .iter()
        .filter(|r| r.type_token == LAMBDA)
        .count();
    assert_eq!(permissions, 2);
}

#[tokio::test]
async fn a_web_service_route_goes_to_its_origin_domain_over_https_without_lambda_children() {
    let monitor = site_with_routes(
        vec![to_service("/app/*", APP, Some("app.example.com"))],
        vec![("securityHeaders", route(vec![("enabled", V::Bool(false))]))],
    )
    .await;
    let d = distribution_json(&monitor);
    assert_eq!(
        d["origins"][1],
        serde_json::json!({
            "originId": "service-app.example.com",
            "domainName": "app.example.com",
            "customOriginConfig": {
                "httpPort": 80,
                "httpsPort": 443,
                "originProtocolPolicy": "https-only",
                "originSslProtocols": ["TLSv1.2"],
            },
        })
    );
    let b = &d["orderedCacheBehaviors"][0];
    assert_eq!(b["targetOriginId"], "service-app.example.com");
    // Without the security headers policy there is none to attach.
    assert!(b.get("responseHeadersPolicyId").is_none(), "{b}");
    let lambda_children = monitor
        .registrations()
        .iter()
        .filter(|r| r.type_token == LAMBDA || r.name == "site-lambda-oac")
        .count();
    assert_eq!(lambda_children, 0);
}

#[tokio::test]
async fn a_single_page_app_with_routes_falls_back_to_its_index_for_app_paths_only() {
    let dir = site_folder("spa-routes");
    std::fs::write(dir.join("LICENSE"), "MIT").expect("write");
    let monitor = FakeMonitor::start(with_components()).await;
    let routes = V::Array(vec![to_function("/api/*", API)]);
    monitor
        .construct(
            &StaticSite,
            &call("site", inputs(&dir, vec![("routes", routes)])),
        )
        .await
        .expect("construct");
    let function = monitor.named("site-spa-fallback");
    assert_eq!(function.type_token, FUNCTION);
    assert_eq!(
        string_input(&function.inputs, "runtime"),
        "cloudfront-js-2.0"
    );
    let code = string_input(&function.inputs, "code").to_string();
    let none = serde_json::json!({});
    let cases = [
        ("/", "serve /index.html"),
        ("/dashboard", "serve /index.html"),
        ("/users/42/", "serve /index.html"),
        ("/caf%C3%A9", "serve /index.html"),
        // Files go on as they are: with an extension, or a file of the folder without one.
        ("/assets/app.3f9a1c.js", "serve /assets/app.3f9a1c.js"),
        ("/favicon.ico", "serve /favicon.ico"),
        ("/LICENSE", "serve /LICENSE"),
    ];
    let events: Vec<_> = cases
        .iter()
        .map(|(uri, _)| viewer_request(uri, none.clone()))
        .collect();
    let got: Vec<String> = run_function(&code, &events).iter().map(outcome).collect();
    let want: Vec<&str> = cases.iter().map(|(_, want)| *want).collect();
    assert_eq!(got, want);
    // The function is on the default behaviour only: routes never meet it.
    let d = distribution_json(&monitor);
    assert!(
        d["orderedCacheBehaviors"][0]
            .get("functionAssociations")
            .is_none()
    );
    assert!(d.get("customErrorResponses").is_none());
}

/// A plain site keeps its error page with routes: CloudFront's error
/// responses apply to every behaviour. It must not cache them, or one
/// viewer's 403 from the API (signed out) would answer everyone on that
/// path for 10 s, whatever their credentials.
#[tokio::test]
async fn a_plain_site_with_routes_caches_no_error_answer() {
    let monitor = site_with_routes(
        vec![to_function("/api/*", API)],
        vec![("spa", V::Bool(false))],
    )
    .await;
    let d = distribution_json(&monitor);
    let errors = d["customErrorResponses"].as_array().expect("array");
    assert_eq!(errors.len(), 2, "{d}");
    for e in errors {
        assert_eq!(e["errorCachingMinTtl"], 0, "{e}");
        assert_eq!(e["responseCode"], 404, "{e}");
    }
}

#[tokio::test]
async fn bad_routes_fail_before_anything_is_registered_naming_the_route() {
    let long = format!("/{}", "a".repeat(255));
    let cases: Vec<(Vec<Value>, &str, &str)> = vec![
        (
            vec![to_function("/*", API)],
            "routes[0].path",
            "`*` and `/*` are the default behaviour",
        ),
        (
            vec![to_function("*", API)],
            "routes[0].path",
            "`*` and `/*` are the default behaviour",
        ),
        (vec![to_function("", API)], "routes[0].path", "it is empty"),
        (
            vec![to_function(&long, API)],
            "routes[0].path",
            "at most 255 characters",
        ),
        (
            vec![to_function("/api/ *", API)],
            "routes[0].path",
            "a space or a control character",
        ),
        // CloudFront refuses the distribution at deploy for a character
        // outside its path pattern set; preview says so first.
        (
            vec![to_function("/api/v1(beta)/*", API)],
            "routes[0].path",
            "`(` is not allowed: CloudFront takes only A-Z, a-z, 0-9 and _ - . * ? $ / ~ \" ' @ : + &",
        ),
        (
            vec![to_function("/caf%C3%A9/*", API)],
            "routes[0].path",
            "`%` is not allowed",
        ),
        (
            vec![to_function("/api/*", API), to_function("api/*", ADMIN)],
            "routes[1].path",
            "repeats routes[0].path",
        ),
        (
            vec![
                to_function("/api/*", API),
                to_function("/api/admin/*", ADMIN),
            ],
            "routes[1].path",
            "is never used: routes[0].path=\"/api/*\" comes first",
        ),
        (
            vec![to_function("/a?c/*", API), to_function("/abc/x", ADMIN)],
            "routes[1].path",
            "is never used",
        ),
        // The origin and the permissions are named after the Function: two of
        // one name would share them, and the second route would reach the first.
        (
            vec![
                to_function("/api/*", API),
                to_function("/billing/*", OTHER_API),
            ],
            "routes[1].function",
            "is named \"api\" like the function of routes[0].function",
        ),
        (
            vec![to_function("/api/*", OPEN)],
            "routes[0].function",
            "authType=\"NONE\"; a route needs url.authType \"AWS_IAM\"",
        ),
        (
            vec![to_function("/api/*", NO_URL)],
            "routes[0].function",
            "has no url; give the Function `url: {}`",
        ),
        (
            vec![route(vec![
                ("path", V::string("/api/*")),
                ("function", component_reference(API)),
                ("webService", component_reference(APP)),
                ("originDomain", V::string("app.example.com")),
            ])],
            "routes[0]",
            "exactly one of `function` and `webService`; it has both",
        ),
        (
            vec![route(vec![("path", V::string("/api/*"))])],
            "routes[0]",
            "it has neither",
        ),
        (
            vec![to_service("/app/*", APP, None)],
            "routes[0].originDomain",
            "is required with webService",
        ),
        (
            vec![route(vec![
                ("path", V::string("/api/*")),
                ("function", component_reference(API)),
                ("originDomain", V::string("api.example.com")),
            ])],
            "routes[0].originDomain",
            "only for webService routes",
        ),
        (
            vec![to_service("/app/*", APP, Some("App.Example.com"))],
            "routes[0].originDomain",
            "use lower case",
        ),
        (
            vec![to_service("/app/*", PLAIN_HTTP, Some("app.example.com"))],
            "routes[0].webService",
            "has no HTTPS listener",
        ),
        (
            vec![route(vec![
                ("path", V::string("/api/*")),
                ("function", component_reference(APP)),
            ])],
            "routes[0].function",
            "must be a launchpad.Function, got a launchpad.WebService",
        ),
        (
            vec![route(vec![
                ("path", V::string("/api/*")),
                ("function", V::string("api")),
            ])],
            "routes[0].function",
            "must be a launchpad.Function, got the string \"api\"",
        ),
    ];
    for (routes, property, message) in cases {
        let monitor = FakeMonitor::start(with_components()).await;
        let dir = site_folder("bad-routes");
        let args = inputs(&dir, vec![("routes", V::Array(routes))]);
        let err = monitor
            .construct(&StaticSite, &call("site", args))
            .await
            .expect_err("must be refused");
        let ProtocolError::Input(e) = &err else {
            panic!("expected an input error, got {err:?}");
        };
        assert_eq!(e.property, property, "{err}");
        assert!(err.to_string().contains(message), "{property}: {err}");
        assert!(monitor.registrations().is_empty(), "{property}: {err}");
    }
}
