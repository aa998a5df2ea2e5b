//! `site_sync PATH BUCKET STATE.json`: one deploy of `launchpad:index:SiteContent`
//! outside Pulumi, exactly as the provider runs it (Check, then Create or
//! Update), with the state kept in a JSON file between runs. For
//! `bench/site-sync`, which times it against `aws s3 sync` on one emulator;
//! AWS settings come from the environment (`AWS_ENDPOINT_URL`, …).
//!
//! Prints one JSON line: `{"seconds": …, "fileCount": …, "manifestHash": …}`.
//! A deploy that stops records its partial state as the engine does (the
//! provider's outputs, with the goal's inputs after a Create and the old
//! inputs after an Update, and the reasons as init errors, which make the
//! next run an Update even when Diff finds no change), prints the reason and
//! exits 1; the next run finishes it.

use std::sync::Arc;
use std::time::Instant;

use launchpad_core::custom::{CustomResource, ResourceContext, ResourceError, State};
use launchpad_core::log::{EngineLog, ResourceLog, Severity};
use launchpad_core::{PropertyMap, Value};
use launchpad_site_sync::SiteContent;
use tokio_util::sync::CancellationToken;

/// Progress lines to stderr.
struct Stderr;

impl EngineLog for Stderr {
    fn log(&self, _: Severity, _: &str, message: &str, _: bool) {
        eprintln!("site_sync: {message}");
    }
}

fn to_map(json: &serde_json::Value) -> PropertyMap {
    match Value::from_json(json) {
        Value::Object(m) => m,
        _ => PropertyMap::new(),
    }
}

/// The map as JSON (null when any value is not known), without copying it first.
fn to_json(map: &PropertyMap) -> serde_json::Value {
    map.iter()
        .map(|(k, v)| Some((k.clone(), v.to_json()?)))
        .collect::<Option<serde_json::Map<_, _>>>()
        .map_or(serde_json::Value::Null, serde_json::Value::Object)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // As the provider does: LAUNCHPAD_LOG=debug shows where a scan's time goes.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LAUNCHPAD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, bucket, state_file] = args.as_slice() else {
        return Err("usage: site_sync PATH BUCKET STATE.json".into());
    };
    let urn = "urn:pulumi:bench::site::launchpad:index:SiteContent::content";
    let ctx = ResourceContext::new(
        urn,
        Arc::default(),
        ResourceLog::new(Arc::new(Stderr), urn),
        CancellationToken::new(),
        // A deadline, as `customTimeouts` gives one (SITE_SYNC_TIMEOUT_MS).
        std::env::var("SITE_SYNC_TIMEOUT_MS")
            .ok()
            .and_then(|t| t.parse().ok())
            .map(std::time::Duration::from_millis),
    );
    let resource = SiteContent;
    let started = Instant::now();
    // More inputs as JSON in SITE_SYNC_INPUTS, e.g. {"distributionId": "E1…"}.
    let mut news = std::env::var("SITE_SYNC_INPUTS")
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .map(|j| to_map(&j))
        .unwrap_or_default();
    news.insert("path".to_string(), Value::string(path));
    news.insert("bucket".to_string(), Value::string(bucket));
    let checked = resource.check(&ctx, &PropertyMap::new(), news).await;
    if let Some(f) = checked.failures.first() {
        return Err(format!("{}: {}", f.property, f.message).into());
    }
    let checked_at = started.elapsed();
    let recorded = std::fs::read_to_string(state_file)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let init_errors = recorded
        .as_ref()
        .is_some_and(|j| j["initErrors"].as_array().is_some_and(|e| !e.is_empty()));
    let old = recorded.map(|j| State {
        inputs: to_map(&j["inputs"]),
        outputs: to_map(&j["outputs"]),
    });
    let result = match &old {
        None => resource
            .create(&ctx, &checked.inputs, false)
            .await
            .map(|c| c.outputs),
        Some(old) => {
            let diff = resource.diff(&ctx, bucket, old, &checked.inputs).await?;
            if diff.changes.is_empty() && !init_errors {
                // Nothing to do: the engine keeps the state as it is (a
                // "same" step, no provider call); writing it again is the
                // engine's work, not launchpad's, so the driver does not.
                report(started, checked_at, &old.outputs);
                return Ok(());
            }
            resource
                .update(&ctx, bucket, old, &checked.inputs, false)
                .await
        }
    };
    let save = |inputs: &PropertyMap, outputs: &PropertyMap, init_errors: &[String]| {
        let state = serde_json::json!({
            "inputs": to_json(inputs), "outputs": to_json(outputs), "initErrors": init_errors,
        });
        std::fs::write(state_file, state.to_string())
    };
    let outputs = match result {
        Ok(o) => o,
        // As the engine does (pulumi/pulumi#2011): the provider's outputs,
        // never its inputs; then report.
        Err(ResourceError::PartiallyCreated {
            outputs, reasons, ..
        }) => {
            let kept = old.as_ref().map_or(&checked.inputs, |old| &old.inputs);
            save(kept, &outputs, &reasons)?;
            return Err(reasons.join("; ").into());
        }
        Err(e) => return Err(e.to_string().into()),
    };
    report(started, checked_at, &outputs);
    save(&checked.inputs, &outputs, &[])?;
    Ok(())
}

/// The JSON line: the time to here, the files and their hash.
fn report(started: Instant, checked_at: std::time::Duration, outputs: &PropertyMap) {
    tracing::debug!(
        "site_sync: check {checked_at:?}, state, diff and deploy {:?}",
        started.elapsed() - checked_at
    );
    println!(
        "{}",
        serde_json::json!({
            "seconds": started.elapsed().as_secs_f64(),
            "fileCount": outputs.get("fileCount").and_then(Value::to_json),
            "manifestHash": outputs.get("manifestHash").and_then(Value::to_json),
        })
    );
}
