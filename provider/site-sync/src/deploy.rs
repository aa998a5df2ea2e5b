//! SiteContent's Create, Update, Read and Delete: a deploy follows a
//! [`sync::Plan`] through [`aws`] (uploads, deletions, one invalidation), and
//! one that stops records what went up so the next `pulumi up` finishes it.
//! Its inputs, Check and Diff are in [`crate::args`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use launchpad_core::custom::{
    CheckResult, Created, CustomResource, DiffResult, ResourceContext, ResourceError, State,
};
use launchpad_core::schema::ResourceDef;
use launchpad_core::{PropertyMap, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::args::{self, DEFINITION, Settings, number, settings, text};
use crate::aws::Aws;
use crate::errors::{self, SyncError};
use crate::lock;
use crate::manifest::{Entry, Manifest};
use crate::sync::{Plan, Previous};
use crate::{drift, invalidation, manifest, sync};

/// What the recorded state says about earlier deploys.
fn previous(old: &State) -> Previous {
    let retained = match old.outputs.get("retained").map(Value::strip) {
        Some(Value::Object(m)) => m
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::Number(n) => Some((k, n as u64)),
                _ => None,
            })
            .collect(),
        _ => BTreeMap::new(),
    };
    let pending = match old.outputs.get("pendingInvalidations").map(Value::strip) {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => BTreeSet::new(),
    };
    Previous {
        manifest: manifest::from_value(args::recorded_files(old)),
        retained,
        deploy: number(&old.outputs, "deploy").unwrap_or(0.0) as u64,
        pending,
        etags: etags(old.outputs.get("etags")),
    }
}

/// Key → ETag, as recorded in `etags`.
fn etags(value: Option<&Value>) -> BTreeMap<String, String> {
    match value.map(Value::strip) {
        Some(Value::Object(m)) => m
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some((k, s)),
                _ => None,
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// The outputs of a site in `state`; `etags` unknown in a preview that
/// uploads.
fn outputs(
    manifest: &Manifest,
    deploy: u64,
    retained: &BTreeMap<String, u64>,
    pending: &BTreeSet<String>,
    invalidation_id: Value,
    etags: Value,
) -> PropertyMap {
    PropertyMap::from([
        ("fileCount".into(), Value::Number(manifest.len() as f64)),
        (
            "totalBytes".into(),
            Value::Number(manifest.values().map(|e| e.size as f64).sum()),
        ),
        (
            "manifestHash".into(),
            Value::string(manifest::manifest_hash(manifest)),
        ),
        ("invalidationId".into(), invalidation_id),
        ("deploy".into(), Value::Number(deploy as f64)),
        (
            "retained".into(),
            Value::Object(
                retained
                    .iter()
                    .map(|(k, d)| (k.clone(), Value::Number(*d as f64)))
                    .collect(),
            ),
        ),
        (
            "pendingInvalidations".into(),
            Value::Array(pending.iter().map(Value::string).collect()),
        ),
        ("etags".into(), etags),
    ])
}

/// `etags` as an output value.
fn etags_value(etags: &BTreeMap<String, String>) -> Value {
    Value::Object(
        etags
            .iter()
            .map(|(k, e)| (k.clone(), Value::string(e)))
            .collect(),
    )
}

/// The native resource.
pub struct SiteContent;

/// A deploy that stopped: the state to record and why.
struct Stopped {
    done: Manifest,
    /// ETags of the keys in `done` that S3 confirmed.
    etags: BTreeMap<String, String>,
    /// Fingerprinted keys outside `done` that may still be in the bucket.
    retained: BTreeMap<String, u64>,
    pending: BTreeSet<String>,
    reason: SyncError,
}

/// Run `plan`: uploads (assets, then pages), deletes, the invalidation.
/// Returns the outputs, or what was done when it stopped.
async fn run(
    ctx: &ResourceContext,
    s: &Settings,
    prev: &Previous,
    plan: &Plan,
) -> Result<PropertyMap, Stopped> {
    let aws = Arc::new(Aws::new(s.region.clone()));
    let mut done = prev.manifest.clone();
    let mut etags = prev.etags.clone();
    // Served paths that change are owed an invalidation from the first upload on.
    let mut pending = prev.pending.clone();
    let total = plan.assets.len() + plan.pages.len();
    let total_bytes: u64 = plan
        .assets
        .iter()
        .chain(&plan.pages)
        .map(|k| s.manifest[k].size)
        .sum();
    let mut progress = Progress::new(total, total_bytes);
    for keys in [&plan.assets, &plan.pages] {
        let recorded = Recorded {
            done: &mut done,
            etags: &mut etags,
            pending: &mut pending,
        };
        if let Err(reason) = upload(ctx, &aws, s, keys, recorded, prev, &mut progress).await {
            return Err(Stopped {
                done,
                etags,
                retained: prev.retained.clone(),
                pending,
                reason,
            });
        }
    }
    progress.finish(ctx);
    // Until the deletes are known done, a key may be in either list: keep
    // both, so a later deploy or a delete still removes it.
    let mut retained = prev.retained.clone();
    retained.extend(plan.retained.clone());
    // Keys no longer deployed are not checked by a refresh.
    etags.retain(|key, _| s.manifest.contains_key(key));
    let stop = |done: Manifest, etags, retained: BTreeMap<String, u64>, pending, reason| Stopped {
        done,
        etags,
        retained,
        pending,
        reason,
    };
    if !plan.delete.is_empty() {
        ctx.log
            .progress(&format!("deleting {} stale files", plan.delete.len()));
        let reason = match ctx.run(aws.delete(&s.bucket, &plan.delete)).await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(interrupted) => Some(SyncError::Interrupted {
                step: "deleting",
                interrupted,
            }),
        };
        if let Some(reason) = reason {
            return Err(stop(done, etags, retained, pending, reason));
        }
    }
    let done = s.manifest.clone();
    let retained = plan.retained.clone();
    let mut pending: BTreeSet<String> = plan.invalidate.iter().cloned().collect();
    let invalidation_id = match (&s.distribution_id, plan.invalidate.is_empty()) {
        (Some(id), false) => {
            ctx.log.progress(&format!(
                "invalidating {} paths in CloudFront",
                plan.invalidate.len()
            ));
            let reference = format!(
                "launchpad-{}-{}",
                manifest::manifest_hash(&s.manifest),
                plan.deploy
            );
            match invalidation::invalidate_when_room(ctx, &aws, id, &plan.invalidate, &reference)
                .await
            {
                Ok(id) => {
                    pending.clear();
                    Value::string(id)
                }
                Err(e) => return Err(stop(done, etags, retained, pending, e)),
            }
        }
        // No distribution: nothing to invalidate, nothing owed.
        (None, _) => {
            pending.clear();
            Value::string("")
        }
        (Some(_), true) => Value::string(""),
    };
    Ok(outputs(
        &done,
        plan.deploy,
        &plan.retained,
        &pending,
        invalidation_id,
        etags_value(&etags),
    ))
}

/// What the uploads record as they land: the files, their ETags, and the
/// served paths that now owe an invalidation.
struct Recorded<'a> {
    done: &'a mut Manifest,
    etags: &'a mut BTreeMap<String, String>,
    pending: &'a mut BTreeSet<String>,
}

/// Upload `keys`, `concurrency` at a time, recording each as it lands.
async fn upload(
    ctx: &ResourceContext,
    aws: &Arc<Aws>,
    s: &Settings,
    keys: &[String],
    recorded: Recorded<'_>,
    prev: &Previous,
    progress: &mut Progress,
) -> Result<(), SyncError> {
    let Recorded {
        done,
        etags,
        pending,
    } = recorded;
    let permits = Arc::new(Semaphore::new(s.concurrency.max(1)));
    // After a failure no new upload starts; those in flight finish and are
    // recorded, so the state says exactly what is in the bucket.
    let stop = Arc::new(AtomicBool::new(false));
    // Keys whose upload started and has not been recorded yet.
    let in_flight: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let mut tasks = JoinSet::new();
    for key in keys {
        let (aws, permits, stop) = (aws.clone(), permits.clone(), stop.clone());
        let (bucket, key, entry) = (s.bucket.clone(), key.clone(), s.manifest[key].clone());
        let file = s.root.join(&key);
        let in_flight = in_flight.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            if stop.load(Ordering::Relaxed) {
                return (key, None);
            }
            lock(&in_flight).insert(key.clone());
            let result = aws.put(&bucket, &key, &file, &entry).await;
            (key, Some(result))
        });
    }
    // An upload cut off (cancel, deadline) or failed may or may not have
    // landed: S3 may have stored it and the answer been lost. It is recorded
    // with an unknown hash, so the next deploy sends it again, or deletes it
    // once its file is gone, and a delete removes it either way.
    let unsettled = |done: &mut Manifest, etags: &mut BTreeMap<String, String>| {
        for key in std::mem::take(&mut *lock(&in_flight)) {
            let entry = Entry {
                hash: String::new(),
                ..s.manifest[&key].clone()
            };
            etags.remove(&key);
            done.insert(key, entry);
        }
    };
    let mut failure = None;
    loop {
        tokio::select! {
            biased;
            interrupted = ctx.interrupted() => {
                // Cancel and deadlines stop at once.
                tasks.abort_all();
                unsettled(done, etags);
                return Err(SyncError::Interrupted { step: "uploading", interrupted });
            }
            next = tasks.join_next() => match next {
                None => {
                    unsettled(done, etags);
                    return failure.map_or(Ok(()), Err);
                }
                Some(Ok((key, Some(Ok(etag))))) => {
                    lock(&in_flight).remove(&key);
                    let entry = s.manifest[&key].clone();
                    progress.add(ctx, entry.size);
                    if prev.manifest.contains_key(&key) {
                        pending.extend(sync::cloudfront_paths(&key));
                    }
                    etags.insert(key.clone(), etag);
                    done.insert(key, entry);
                }
                Some(Ok((_, None))) => {}
                // The key stays in flight: unsettled.
                Some(Ok((_, Some(Err(e))))) => {
                    stop.store(true, Ordering::Relaxed);
                    failure.get_or_insert(e);
                }
                Some(Err(e)) => {
                    stop.store(true, Ordering::Relaxed);
                    failure.get_or_insert(SyncError::Task { error: e.to_string() });
                }
            }
        }
    }
}

/// Files and bytes so far, reported at most once a second.
struct Progress {
    files: usize,
    total: usize,
    bytes: u64,
    total_bytes: u64,
    last: Instant,
}

impl Progress {
    fn new(total: usize, total_bytes: u64) -> Progress {
        Progress {
            files: 0,
            total,
            bytes: 0,
            total_bytes,
            last: Instant::now(),
        }
    }

    fn add(&mut self, ctx: &ResourceContext, bytes: u64) {
        self.files += 1;
        self.bytes += bytes;
        if self.last.elapsed().as_secs() >= 1 {
            self.report(ctx);
        }
    }

    fn finish(&mut self, ctx: &ResourceContext) {
        if self.total > 0 {
            self.report(ctx);
        }
    }

    fn report(&mut self, ctx: &ResourceContext) {
        self.last = Instant::now();
        let mb = |b: u64| b as f64 / 1_000_000.0;
        ctx.log.progress(&format!(
            "uploaded {}/{} files ({:.1} of {:.1} MB)",
            self.files,
            self.total,
            mb(self.bytes),
            mb(self.total_bytes)
        ));
    }
}

impl SiteContent {
    /// A deploy over `prev` (empty for a create).
    async fn deploy(
        &self,
        ctx: &ResourceContext,
        id: &str,
        inputs: &PropertyMap,
        prev: Previous,
        old_invalidation: Value,
        preview: bool,
    ) -> Result<PropertyMap, ResourceError> {
        if preview && inputs.get("files").is_some_and(Value::is_unknown) {
            let mut outputs = PropertyMap::new();
            for o in DEFINITION.outputs {
                outputs.insert(o.name.to_string(), Value::unknown());
            }
            return Ok(outputs);
        }
        // Preview knows the manifest; the bucket may not be known yet.
        let manifest = manifest::from_value(inputs.get("files"));
        let keep = number(inputs, "keepPreviousDeploys").unwrap_or(1.0) as u64;
        let plan = sync::plan(&prev, &manifest, keep);
        if preview || (plan.is_empty() && plan.invalidate.is_empty()) {
            let distribution = inputs
                .get("distributionId")
                .is_some_and(|d| !d.is_null() && d.strip() != Value::string(""));
            let invalidation = if plan.invalidate.is_empty() || !distribution {
                old_invalidation
            } else {
                Value::unknown()
            };
            // S3 gives the ETags of what it has not received yet.
            let etags = if plan.is_empty() {
                etags_value(&prev.etags)
            } else {
                Value::unknown()
            };
            return Ok(outputs(
                &manifest,
                plan.deploy,
                &plan.retained,
                &prev.pending,
                invalidation,
                etags,
            ));
        }
        let s = settings(ctx, inputs, manifest)?;
        ctx.log.progress(&format!(
            "uploading {} files, deleting {}",
            plan.assets.len() + plan.pages.len(),
            plan.delete.len()
        ));
        run(ctx, &s, &prev, &plan).await.map_err(|stopped| {
            let done = manifest::to_value(&stopped.done);
            let mut recorded = outputs(
                &stopped.done,
                prev.deploy,
                &stopped.retained,
                &stopped.pending,
                Value::string(""),
                etags_value(&stopped.etags),
            );
            recorded.insert(args::STOPPED_FILES.into(), done.clone());
            // The engine keeps its own inputs instead (args::STOPPED_FILES);
            // these say the same for any that would take them.
            let mut inputs = inputs.clone();
            inputs.insert("files".into(), done);
            ResourceError::PartiallyCreated {
                id: id.to_string(),
                outputs: recorded,
                inputs,
                reasons: vec![errors::deploy_stopped(stopped.reason).into()],
            }
        })
    }
}

/// The resource's ID, which is its bucket's name: refused unless shaped as
/// S3 bucket names are (legacy names with capitals and underscores too), so
/// a typo in `pulumi import` says so rather than reading as "no such bucket".
fn bucket_id(id: &str) -> Result<&str, ResourceError> {
    let edge = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    let shaped = (3..=255).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        && edge(id.as_bytes().first())
        && edge(id.as_bytes().last());
    if shaped {
        return Ok(id);
    }
    Err(ResourceError::MalformedId {
        id: id.to_string(),
        resource: "SiteContent",
        form: "the name of its S3 bucket: 3 or more letters, digits, dots, hyphens and underscores, starting and ending with a letter or digit, for example `my-site-bucket`",
    })
}

#[async_trait::async_trait]
impl CustomResource for SiteContent {
    fn definition(&self) -> &'static ResourceDef {
        &DEFINITION
    }

    async fn check(
        &self,
        ctx: &ResourceContext,
        _: &PropertyMap,
        news: PropertyMap,
    ) -> CheckResult {
        args::check(ctx, news).await
    }

    async fn diff(
        &self,
        _: &ResourceContext,
        id: &str,
        old: &State,
        news: &PropertyMap,
    ) -> Result<DiffResult, ResourceError> {
        bucket_id(id)?;
        Ok(args::diff(old, news))
    }

    async fn create(
        &self,
        ctx: &ResourceContext,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<Created, ResourceError> {
        let id = text(inputs, "bucket").unwrap_or_default();
        let outputs = self
            .deploy(
                ctx,
                &id,
                inputs,
                Previous::default(),
                Value::string(""),
                preview,
            )
            .await?;
        Ok(Created {
            id: if preview { String::new() } else { id },
            outputs,
        })
    }

    /// What the bucket holds of the deployed files, by one listing under
    /// their keys ([`drift`]): a file gone is no longer recorded, one
    /// changed is recorded with unknown content, so the next `up` puts both
    /// back. A bucket that is gone takes the content with it.
    async fn read(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<Option<State>, ResourceError> {
        bucket_id(id)?;
        let prev = previous(old);
        // An import, or a deploy that never got a file up: nothing to check.
        let Some(bucket) = text(&old.inputs, "bucket").filter(|_| !prev.manifest.is_empty()) else {
            return Ok(Some(old.clone()));
        };
        let aws = Aws::new(text(&old.inputs, "region").filter(|r| !r.is_empty()));
        let prefix = drift::common_prefix(prev.manifest.keys());
        let listed = ctx
            .run(aws.list(&bucket, &prefix))
            .await?
            .map_err(|e| ResourceError::Failed(e.to_string()))?;
        let Some(listed) = listed else {
            return Ok(None);
        };
        let live = drift::live(&prev.manifest, &prev.etags, &listed);
        // A stopped deploy's record goes into `files` even when the bucket
        // holds just what it says.
        if live.manifest == prev.manifest && !old.outputs.contains_key(args::STOPPED_FILES) {
            return Ok(Some(old.clone()));
        }
        let mut inputs = old.inputs.clone();
        inputs.insert("files".into(), manifest::to_value(&live.manifest));
        let mut outputs = old.outputs.clone();
        // `files` now says what is in the bucket, a stopped deploy's record included.
        outputs.remove(args::STOPPED_FILES);
        let invalidation_id = outputs
            .remove("invalidationId")
            .unwrap_or_else(|| Value::string(""));
        outputs.extend(self::outputs(
            &live.manifest,
            prev.deploy,
            &prev.retained,
            &prev.pending,
            invalidation_id,
            etags_value(&live.etags),
        ));
        Ok(Some(State { inputs, outputs }))
    }

    async fn update(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
        news: &PropertyMap,
        preview: bool,
    ) -> Result<PropertyMap, ResourceError> {
        let id = bucket_id(id)?;
        let old_invalidation = old
            .outputs
            .get("invalidationId")
            .cloned()
            .unwrap_or_else(|| Value::string(""));
        self.deploy(ctx, id, news, previous(old), old_invalidation, preview)
            .await
    }

    async fn delete(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<(), ResourceError> {
        bucket_id(id)?;
        let prev = previous(old);
        let Some(bucket) = text(&old.inputs, "bucket") else {
            return Ok(());
        };
        let keys: Vec<String> = prev
            .manifest
            .keys()
            .chain(prev.retained.keys())
            .cloned()
            .collect();
        ctx.log
            .progress(&format!("deleting {} files from {bucket}", keys.len()));
        let aws = Aws::new(text(&old.inputs, "region").filter(|r| !r.is_empty()));
        ctx.run(aws.delete(&bucket, &keys))
            .await?
            .map_err(|e| ResourceError::Failed(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(hash: &str) -> Entry {
        Entry {
            hash: hash.into(),
            size: 1,
            content_type: "text/html; charset=utf-8".into(),
            cache_control: manifest::NO_CACHE.into(),
        }
    }

    /// A deploy that stopped, as the engine records it: inputs whose
    /// `files` are `kept` (the goal's for a Create, the old ones for an
    /// Update), and the outputs the provider gave, which record `left`.
    fn stopped(kept: &Manifest, left: &Manifest) -> State {
        let etags = left
            .iter()
            .filter(|(_, e)| !e.hash.is_empty())
            .map(|(k, _)| (k.clone(), "\"e\"".to_string()));
        let mut outputs = outputs(
            left,
            1,
            &BTreeMap::new(),
            &BTreeSet::new(),
            Value::string(""),
            etags_value(&etags.collect()),
        );
        outputs.insert(args::STOPPED_FILES.into(), manifest::to_value(left));
        State {
            inputs: PropertyMap::from([("files".into(), manifest::to_value(kept))]),
            outputs,
        }
    }

    /// A first deploy (Create) that stopped: the engine keeps the goal's
    /// inputs. The next deploy must know only the files that went up, or it
    /// uploads nothing.
    #[test]
    fn a_stopped_first_deploy_is_known_by_its_record_not_the_goals_inputs() {
        let goal = Manifest::from([("a.html".into(), entry("1")), ("b.html".into(), entry("2"))]);
        let left = Manifest::from([("a.html".into(), entry("1"))]);
        assert_eq!(previous(&stopped(&goal, &left)).manifest, left);
    }

    /// An update that stopped: the engine keeps the old inputs
    /// (pulumi/pulumi#2011). A new file that went up, and one whose upload
    /// failed (unknown content: S3 may have stored it), must be known, or
    /// once their files go no deploy deletes their keys.
    #[test]
    fn a_stopped_update_is_known_by_its_record_not_the_old_inputs() {
        let old = Manifest::from([("a.html".into(), entry("1"))]);
        let left = Manifest::from([
            ("a.html".into(), entry("1")),
            ("new.js".into(), entry("2")),
            ("lost.js".into(), entry("")),
        ]);
        let prev = previous(&stopped(&old, &left));
        assert_eq!(prev.manifest, left);
        assert_eq!(prev.etags.keys().collect::<Vec<_>>(), ["a.html", "new.js"]);
        // Diff compares the goal with the same record.
        let goal = PropertyMap::from([("files".into(), manifest::to_value(&left))]);
        assert!(args::diff(&stopped(&old, &left), &goal).changes.is_empty());
    }

    /// A state without a stopped deploy's record is its `files`.
    #[test]
    fn a_finished_deploy_is_known_by_its_files() {
        let files = Manifest::from([("a.html".into(), entry("1"))]);
        let state = State {
            inputs: PropertyMap::from([("files".into(), manifest::to_value(&files))]),
            outputs: outputs(
                &files,
                1,
                &BTreeMap::new(),
                &BTreeSet::new(),
                Value::string(""),
                etags_value(&BTreeMap::new()),
            ),
        };
        assert_eq!(previous(&state).manifest, files);
    }
}
