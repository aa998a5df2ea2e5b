//! Every file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`
//! through the body its fuzz target runs, on stable: the seed corpus keeps
//! the targets honest without nightly, and a crash `make fuzz` once found
//! stays a test. A target with no seed at all fails: an empty folder would
//! make this suite pass without testing anything.

use std::fs;

use launchpad_fuzz_bodies::{TARGETS, fuzz_dir};

/// Feed every seed and regression of `target` to its body; fail when there is none.
fn replay(target: &str) {
    let (_, body) = TARGETS
        .into_iter()
        .find(|(name, _)| *name == target)
        .expect("a fuzz target of that name");
    let mut fed = 0;
    for kind in ["corpus", "regressions"] {
        let dir = fuzz_dir().join(kind).join(target);
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .map(|e| e.expect("a readable folder entry").path())
            // A regression's note (`<crash>.md`) says where it came from.
            .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "md"))
            .collect();
        files.sort();
        for file in files {
            let data = fs::read(&file).expect("a readable corpus file");
            let run = std::panic::catch_unwind(|| body(&data));
            assert!(run.is_ok(), "{target} panics on {}", file.display());
            fed += 1;
        }
    }
    assert!(fed > 0, "no corpus for the fuzz target {target}");
}

#[test]
fn replays_codec() {
    replay("codec");
}

#[test]
fn replays_component_inputs() {
    replay("component_inputs");
}

#[test]
fn replays_native_check() {
    replay("native_check");
}

#[test]
fn replays_neon_envelopes() {
    replay("neon_envelopes");
}

#[test]
fn replays_site_manifest() {
    replay("site_manifest");
}

#[test]
fn every_target_is_replayed() {
    // A target added to TARGETS without a `replays_` test above would go unreplayed.
    let replayed = include_str!("replay.rs");
    for (target, _) in TARGETS {
        assert!(
            replayed.contains(&format!("fn replays_{target}()")),
            "no replays_{target} test"
        );
    }
}

/// Rewrites the seed corpus from real inputs: the examples' component
/// inputs, SiteContent and Neon resource inputs as the components plan
/// them, and the Neon API answers the client tests replay
/// (`provider/neon/tests/neon/`). Run by hand after an input changes:
/// `cargo test -p launchpad-fuzz-bodies -- --ignored write_seed_corpus`.
#[test]
#[ignore = "writes fuzz/corpus; run by hand"]
fn write_seed_corpus() {
    use launchpad_core::Value;
    use launchpad_protocol::codec::{EncodeOptions, encode_struct};
    use prost::Message;

    let secret = r#"{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "hunter2"}"#;
    let unknown = r#""04da6b54-80e4-46f7-96ec-b56ff0331ba9""#;
    let static_site = r#"{"path": "site", "spa": true, "priceClass": "PriceClass_100",
        "cacheControl": [{"pattern": "*.html", "value": "public, max-age=0, must-revalidate"}],
        "tags": {"app": "static-site-yaml", "stack": "dev"}}"#;
    let web_service = r#"{"image": "ghcr.io/acme/api:1.4.2", "port": 8000, "cpu": 512, "memory": 1024,
        "environment": {"LOG_LEVEL": "info"},
        "secrets": {"DATABASE_URL": "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/database-url-AbCdEf"},
        "healthCheck": {"path": "/health"},
        "scaling": {"minCount": 2, "maxCount": 6, "memoryTargetPercent": 75}}"#;
    let cloud_run = r#"{"image": "us-docker.pkg.dev/acme-prod/app/api:1.4.2", "port": 8000,
        "cpu": "1", "memory": "512Mi", "concurrency": 80, "maxInstances": 20, "public": true,
        "environment": {"LOG_LEVEL": "info"}, "secrets": {"DATABASE_URL": {"secret": "database-url"}},
        "healthCheck": {"startupPath": "/ready"}, "labels": {"app": "cloud-run-ts"}}"#;
    let neon = r#"{"region": "aws-us-east-1", "minCu": 0.25, "maxCu": 1, "databaseName": "app"}"#;
    let kubernetes = r#"{"image": "nginx:1.27", "port": 80, "replicas": 2}"#;
    let function = r#"{"path": "site", "runtime": "nodejs24.x", "handler": "index.handler",
        "schedule": {"expression": "rate(1 day)", "input": {"task": "report"}}}"#;
    let site_content = r#"{"path": "site", "bucket": "site-bucket", "region": "us-east-1",
        "cacheControl": [{"pattern": "assets/**", "value": "public, max-age=31536000, immutable"}]}"#;
    let neon_project = r#"{"name": "fuzz", "region": "aws-us-east-1", "pgVersion": 17}"#;
    let neon_branch =
        r#"{"projectId": "fuzz-project-123", "name": "preview", "parentBranch": "main"}"#;
    let files = r#"{"files": {"index.html": {"hash": "9f86d081884c7d659a2feaa0c55ad015",
        "size": 74, "contentType": "text/html; charset=utf-8", "cacheControl": "no-cache"},
        "assets/app.3f9a1c.js": {"hash": "60303ae22b998861bce3b28f33eec1be", "size": 21,
        "contentType": "text/javascript; charset=utf-8",
        "cacheControl": "public, max-age=31536000, immutable"}}}"#;

    let encoded = |json: &str| {
        let json: serde_json::Value = serde_json::from_str(json).expect("a seed is JSON");
        let Value::Object(map) = Value::from_json(&json) else {
            panic!("a seed is an object")
        };
        encode_struct(&map, EncodeOptions::default()).encode_to_vec()
    };
    let selected = |selector: u8, json: &str| [vec![selector], encoded(json)].concat();
    let mut seeds: Vec<(&str, String, Vec<u8>)> = vec![
        ("codec", "static-site".into(), encoded(static_site)),
        ("codec", "web-service".into(), encoded(web_service)),
        (
            "codec",
            "secret".into(),
            encoded(&format!(r#"{{"password": {secret}}}"#)),
        ),
        (
            "codec",
            "unknown".into(),
            encoded(&format!(r#"{{"url": {unknown}, "list": [1, {unknown}]}}"#)),
        ),
        ("codec", "empty".into(), encoded("{}")),
    ];
    for (i, (name, json)) in [
        ("static-site", static_site),
        ("web-service", web_service),
        ("cloud-run", cloud_run),
        ("neon-database", neon),
        ("kubernetes", kubernetes),
        ("function", function),
    ]
    .into_iter()
    .enumerate()
    {
        let i = u8::try_from(i).expect("six components");
        seeds.push(("component_inputs", name.into(), selected(i, json)));
        seeds.push((
            "component_inputs",
            format!("{name}-preview"),
            selected(i | 0x80, json),
        ));
    }
    for (i, (name, json)) in [
        ("site-content", site_content),
        ("neon-project", neon_project),
        ("neon-branch", neon_branch),
    ]
    .into_iter()
    .enumerate()
    {
        let i = u8::try_from(i).expect("three resources");
        seeds.push(("native_check", name.into(), selected(i, json)));
    }
    seeds.push(("site_manifest", "two-files".into(), encoded(files)));
    seeds.push(("site_manifest", "empty".into(), encoded(r#"{"files": {}}"#)));
    let answers =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../provider/neon/tests/neon");
    let mut bodies: Vec<_> = fs::read_dir(&answers)
        .expect("the Neon client tests' answers")
        .map(|e| e.expect("a readable folder entry").path())
        .collect();
    bodies.sort();
    for body in bodies {
        let name = body
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let status: u16 = match name.as_str() {
            "error_bad_request" => 400,
            "error_unauthorized" => 401,
            "error_not_found" => 404,
            "error_locked" => 423,
            "error_rate_limited" => 429,
            "error_internal" => 500,
            "error_unavailable" => 503,
            _ => 200,
        };
        let data = [
            status.to_be_bytes().to_vec(),
            fs::read(&body).expect("a readable answer"),
        ]
        .concat();
        seeds.push(("neon_envelopes", name, data));
    }
    for (target, name, data) in seeds {
        let dir = fuzz_dir().join("corpus").join(target);
        fs::create_dir_all(&dir).expect("the corpus folder");
        fs::write(dir.join(name), data).expect("a written seed");
    }
}
