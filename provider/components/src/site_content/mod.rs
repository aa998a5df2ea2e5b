//! `launchpad:index:SiteContent` — a site folder kept in an S3 bucket, with
//! one CloudFront invalidation per deploy. A native resource of this
//! provider: `StaticSite` registers one, and it works on its own.
//!
//! - **Check** walks `path` (relative to the program's folder) and records a
//!   [`manifest`] in the inputs: key → content hash, size, Content-Type,
//!   Cache-Control. **Diff** compares manifests key by key, so `pulumi
//!   preview --diff` lists the files that change, and an unchanged folder is
//!   no change at all: no API call.
//! - **Create/Update** follow a [`sync::Plan`]: changed files only, many at
//!   once (`uploadConcurrency`), large ones in parts, assets before HTML so no
//!   page goes out before what it loads; then stale keys are deleted — except
//!   the previous deploy's fingerprinted assets, kept for open tabs
//!   (`keepPreviousDeploys`) — and one invalidation covers exactly the
//!   changed paths, waiting while CloudFront has too many in progress
//!   ([`invalidation`]). A deploy that stops (error, Cancel, deadline)
//!   records what went up, so the next `pulumi up` finishes the job. A file
//!   counts as up only once S3 said so, with the ETag it gave it.
//! - **Read** (`pulumi refresh`) lists the bucket under the deployed keys
//!   and compares sizes and ETags ([`drift`]): a file deleted or changed
//!   behind Pulumi's back shows as drift, and the next `up` restores it.
//! - **Delete** removes exactly the keys this resource put there.
//! - Preview never calls AWS; [`aws`] builds no client before its first call.

pub mod aws;
pub mod drift;
pub mod invalidation;
pub mod manifest;
pub mod sync;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use launchpad_core::custom::{
    ChangeKind, CheckResult, Created, CustomResource, DiffResult, Interrupted, PropertyChange,
    ResourceContext, ResourceError, State,
};
use launchpad_core::schema::{DefaultValue, ObjectTypeDef, PropertyDef, ResourceDef, TypeDef};
use launchpad_core::{ArgsReader, InputError, PropertyMap, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use aws::{Aws, AwsError};
use invalidation::InvalidationError;
use manifest::{CacheRule, Entry, Manifest};
use sync::{Plan, Previous};

/// One `cacheControl` rule.
pub static CACHE_RULE: ObjectTypeDef = ObjectTypeDef {
    token: "launchpad:index:CacheControlRule",
    description: "A Cache-Control header for the files a glob matches.",
    properties: &[
        PropertyDef::new(
            "pattern",
            TypeDef::String,
            "A glob over keys: `*` and `?` within a path segment, `**` across segments (`assets/**`, `docs/*.pdf`). A pattern without `/` matches file names anywhere (`*.html`).",
        )
        .required(),
        PropertyDef::new(
            "value",
            TypeDef::String,
            "The Cache-Control header, for example `public, max-age=3600`.",
        )
        .required(),
    ],
};

static CACHE_RULE_TYPE: TypeDef = TypeDef::Object(&CACHE_RULE);

/// The `cacheControl` input, shared with `StaticSite`.
pub const CACHE_CONTROL: PropertyDef = PropertyDef::new(
    "cacheControl",
    TypeDef::Array(&CACHE_RULE_TYPE),
    "Cache-Control by glob, first match wins, before the defaults: fingerprinted assets (`app.3f9a1c.js`) `public, max-age=31536000, immutable`; HTML and everything else `no-cache`.",
);
/// The `keepPreviousDeploys` input, shared with `StaticSite`.
pub const KEEP_PREVIOUS_DEPLOYS: PropertyDef = PropertyDef::new(
    "keepPreviousDeploys",
    TypeDef::Integer,
    "How many earlier deploys' fingerprinted assets stay in the bucket, so pages already open keep loading their scripts (0-100). Everything else that is no longer in the folder is deleted once the new files are in. Defaults to 1.",
)
.default(DefaultValue::Number(1.0));
/// The `uploadConcurrency` input, shared with `StaticSite`.
pub const UPLOAD_CONCURRENCY: PropertyDef = PropertyDef::new(
    "uploadConcurrency",
    TypeDef::Integer,
    "Uploads in flight at once (1-256). Defaults to 32.",
)
.default(DefaultValue::Number(32.0));

static INPUTS: &[PropertyDef] = &[
    PropertyDef::new(
        "path",
        TypeDef::String,
        "The folder to deploy (for example `./dist`), relative to the Pulumi program's folder: it must exist and hold at least one file; links inside it are followed, a link leading outside it is refused. Every file is uploaded under its relative path (at most 1024 bytes).",
    )
    .required(),
    PropertyDef::new("bucket", TypeDef::String, "The S3 bucket's name.").required(),
    PropertyDef::new(
        "region",
        TypeDef::String,
        "The bucket's region. Defaults to the AWS region of the environment (`AWS_REGION`, the profile).",
    ),
    PropertyDef::new(
        "distributionId",
        TypeDef::String,
        "A CloudFront distribution serving the bucket: after each deploy that changes files visitors may have cached, one invalidation of exactly those paths.",
    ),
    CACHE_CONTROL,
    KEEP_PREVIOUS_DEPLOYS,
    UPLOAD_CONCURRENCY,
];

/// The resource's definition.
pub static DEFINITION: ResourceDef = ResourceDef {
    token: "launchpad:index:SiteContent",
    description: "A site folder kept in an S3 bucket: only changed files uploaded, in parallel, HTML last; stale files deleted after; one CloudFront invalidation for exactly the changed paths.",
    inputs: INPUTS,
    outputs: &[
        PropertyDef::new("fileCount", TypeDef::Integer, "Files deployed.").required(),
        PropertyDef::new("totalBytes", TypeDef::Number, "Their total size.").required(),
        PropertyDef::new(
            "manifestHash",
            TypeDef::String,
            "One hash of every key, content and header: it changes exactly when the deployed site does.",
        )
        .required(),
        PropertyDef::new(
            "invalidationId",
            TypeDef::String,
            "The last CloudFront invalidation (empty before the first one).",
        ),
        PropertyDef::new(
            "deploy",
            TypeDef::Integer,
            "How many deploys changed the bucket.",
        ),
        PropertyDef::new(
            "retained",
            TypeDef::Map(&TypeDef::Integer),
            "Fingerprinted assets kept from earlier deploys → the deploy they were last part of.",
        ),
        PropertyDef::new(
            "pendingInvalidations",
            TypeDef::Array(&TypeDef::String),
            "Paths changed by a deploy that stopped before invalidating them: the next deploy does.",
        ),
        PropertyDef::new(
            "etags",
            TypeDef::Map(&TypeDef::String),
            "Each deployed file's ETag, as S3 gave it at upload: `pulumi refresh` compares them with the bucket's to find files changed behind Pulumi's back.",
        ),
    ],
};

/// Past this many changed files, Diff reports one change of `files`
/// instead of one per key.
const MAX_LISTED_CHANGES: usize = 200;

/// What the inputs say, once known.
struct Settings {
    root: PathBuf,
    bucket: String,
    region: Option<String>,
    distribution_id: Option<String>,
    concurrency: usize,
    manifest: Manifest,
}

fn text(map: &PropertyMap, key: &str) -> Option<String> {
    match map.get(key).map(Value::strip) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

fn number(map: &PropertyMap, key: &str) -> Option<f64> {
    match map.get(key).map(Value::strip) {
        Some(Value::Number(n)) => Some(n),
        _ => None,
    }
}

/// The folder a `path` names: relative to the program's folder.
fn resolve(ctx: &ResourceContext, path: &str) -> PathBuf {
    let base = ctx
        .program_directory
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    base.join(path)
}

/// `cacheControl`, validated.
fn rules(r: &ArgsReader<'_>) -> Result<Option<Vec<CacheRule>>, InputError> {
    let Some(value) = r.raw("cacheControl")? else {
        return Ok(Some(Vec::new()));
    };
    let Value::Array(items) = value.strip() else {
        return Ok(None); // not known yet
    };
    let mut rules = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(rule) = item else {
            return Ok(None);
        };
        let field = |name: &str| -> Result<Option<String>, InputError> {
            match rule.get(name) {
                Some(Value::String(s)) if !s.trim().is_empty() && !s.contains(['\n', '\r']) => {
                    Ok(Some(s.clone()))
                }
                Some(Value::Unknown(_)) => Ok(None),
                Some(Value::String(s)) => Err(InputError::new(
                    format!("cacheControl[{i}].{name}"),
                    format!("cacheControl[{i}].{name}=\"{s}\" must be a non-empty single line"),
                )),
                _ => Err(InputError::new(
                    format!("cacheControl[{i}].{name}"),
                    format!("missing required property `cacheControl[{i}].{name}`"),
                )),
            }
        };
        match (field("pattern")?, field("value")?) {
            (Some(pattern), Some(value)) => rules.push(CacheRule { pattern, value }),
            _ => return Ok(None),
        }
    }
    Ok(Some(rules))
}

/// Check: validate, fill the defaults, and scan the folder.
async fn check(ctx: &ResourceContext, mut news: PropertyMap) -> CheckResult {
    // The manifest is Check's to compute, never the program's.
    news.remove("files");
    let failed = |news: PropertyMap, e: InputError| CheckResult {
        inputs: news,
        failures: vec![e],
    };
    let r = match ArgsReader::new(INPUTS, &news) {
        Ok(r) => r,
        Err(e) => return failed(news.clone(), e),
    };
    let checked = (|| {
        r.raw("bucket")?;
        let keep = r.integer("keepPreviousDeploys", 0, 100)?;
        let concurrency = r.integer("uploadConcurrency", 1, 256)?;
        let path = r.string_or_unknown("path", Ok)?;
        Ok::<_, InputError>((keep, concurrency, path, rules(&r)?))
    })();
    let (keep, concurrency, path, rules) = match checked {
        Ok(c) => c,
        Err(e) => return failed(news.clone(), e),
    };
    let mut inputs = news.clone();
    inputs.insert("keepPreviousDeploys".into(), Value::from(&keep));
    inputs.insert("uploadConcurrency".into(), Value::from(&concurrency));
    let files = match (path.as_ref().map(Value::strip), rules) {
        (Some(Value::String(path)), Some(rules)) => {
            let root = resolve(ctx, &path);
            let scanned =
                tokio::task::spawn_blocking(move || manifest::scan(&root, &path, &rules)).await;
            match scanned {
                Ok(Ok(m)) => manifest::to_value(&m),
                Ok(Err(e)) => return failed(inputs, InputError::new("path", e.0)),
                Err(e) => {
                    return failed(
                        inputs,
                        InputError::new("path", format!("the folder scan failed: {e}")),
                    );
                }
            }
        }
        _ => Value::unknown(),
    };
    inputs.insert("files".into(), files);
    CheckResult {
        inputs,
        failures: vec![],
    }
}

fn settings(
    ctx: &ResourceContext,
    inputs: &PropertyMap,
    manifest: Manifest,
) -> Result<Settings, ResourceError> {
    let required = |key: &str| {
        text(inputs, key).ok_or_else(|| {
            ResourceError::Input(InputError::new(key, format!("`{key}` must be known")))
        })
    };
    Ok(Settings {
        root: resolve(ctx, &required("path")?),
        bucket: required("bucket")?,
        region: text(inputs, "region").filter(|r| !r.is_empty()),
        distribution_id: text(inputs, "distributionId").filter(|d| !d.is_empty()),
        concurrency: number(inputs, "uploadConcurrency").unwrap_or(32.0) as usize,
        manifest,
    })
}

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
        manifest: manifest::from_value(old.inputs.get("files")),
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
    reason: StopReason,
}

/// Why a deploy stopped before it was done.
#[derive(Debug, thiserror::Error)]
enum StopReason {
    /// S3 or CloudFront refused a call, or a file could not be read.
    #[error(transparent)]
    Aws(#[from] AwsError),
    /// No invalidation could be made.
    #[error(transparent)]
    Invalidation(#[from] InvalidationError),
    /// Cancelled, or past the deadline, during a step.
    #[error("stopped {step}: {interrupted}")]
    Interrupted {
        /// What it was doing: `uploading`, `deleting`.
        step: &'static str,
        /// Why it stopped.
        interrupted: Interrupted,
    },
    /// An upload task panicked or was cancelled.
    #[error("an upload task failed: {0}")]
    Task(String),
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
            Ok(Err(e)) => Some(StopReason::Aws(e)),
            Err(interrupted) => Some(StopReason::Interrupted {
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
                Err(e) => return Err(stop(done, etags, retained, pending, e.into())),
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
) -> Result<(), StopReason> {
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
    let mut failure = None;
    loop {
        tokio::select! {
            biased;
            interrupted = ctx.interrupted() => {
                // Cancel and deadlines stop at once. An upload cut off may
                // or may not have landed: it is recorded with an unknown
                // hash, so the next deploy sends it again and a delete
                // removes it either way.
                tasks.abort_all();
                for key in std::mem::take(&mut *lock(&in_flight)) {
                    let entry = Entry { hash: String::new(), ..s.manifest[&key].clone() };
                    etags.remove(&key);
                    done.insert(key, entry);
                }
                return Err(StopReason::Interrupted { step: "uploading", interrupted });
            }
            next = tasks.join_next() => match next {
                None => return failure.map_or(Ok(()), Err),
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
                Some(Ok((key, Some(Err(e))))) => {
                    lock(&in_flight).remove(&key);
                    stop.store(true, Ordering::Relaxed);
                    failure.get_or_insert(StopReason::Aws(e));
                }
                Some(Err(e)) => {
                    stop.store(true, Ordering::Relaxed);
                    failure.get_or_insert(StopReason::Task(e.to_string()));
                }
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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
        if preview
            && matches!(
                inputs.get("files").map(Value::strip),
                Some(Value::Unknown(_))
            )
        {
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
            let mut recorded = inputs.clone();
            recorded.insert("files".into(), manifest::to_value(&stopped.done));
            ResourceError::PartiallyCreated {
                id: id.to_string(),
                outputs: outputs(
                    &stopped.done,
                    prev.deploy,
                    &stopped.retained,
                    &stopped.pending,
                    Value::string(""),
                    etags_value(&stopped.etags),
                ),
                inputs: recorded,
                reasons: vec![format!(
                    "{}; what went up is recorded, and the next `pulumi up` finishes the deploy",
                    stopped.reason
                )],
            }
        })
    }
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
        check(ctx, news).await
    }

    async fn diff(
        &self,
        _: &ResourceContext,
        _: &str,
        old: &State,
        news: &PropertyMap,
    ) -> Result<DiffResult, ResourceError> {
        let strip = |m: &PropertyMap| {
            let mut m = m.clone();
            m.remove("files");
            m
        };
        let mut d = DiffResult::between(&strip(&old.inputs), &strip(news), &["bucket"]);
        // A stopped deploy still owes CloudFront an invalidation: that alone
        // is a change, so the next `up` makes it.
        let owed = matches!(
            old.outputs.get("pendingInvalidations").map(Value::strip),
            Some(Value::Array(paths)) if !paths.is_empty()
        );
        if owed && news.get("distributionId").is_some_and(|d| !d.is_null()) {
            d.changes.insert(
                "pendingInvalidations".into(),
                PropertyChange {
                    kind: ChangeKind::Update,
                    replace: false,
                },
            );
        }
        let (before, after) = (old.inputs.get("files"), news.get("files"));
        if matches!(after.map(Value::strip), Some(Value::Unknown(_))) {
            d.changes.insert(
                "files".into(),
                PropertyChange {
                    kind: ChangeKind::Update,
                    replace: false,
                },
            );
            return Ok(d);
        }
        let (before, after) = (manifest::from_value(before), manifest::from_value(after));
        let mut files = BTreeMap::new();
        for key in before.keys().chain(after.keys()) {
            let kind = match (before.get(key), after.get(key)) {
                (None, Some(_)) => ChangeKind::Add,
                (Some(_), None) => ChangeKind::Delete,
                (Some(b), Some(a)) if a != b => ChangeKind::Update,
                _ => continue,
            };
            let path = format!(
                "files[\"{}\"]",
                key.replace('\\', "\\\\").replace('"', "\\\"")
            );
            files.insert(
                path,
                PropertyChange {
                    kind,
                    replace: false,
                },
            );
        }
        if files.len() > MAX_LISTED_CHANGES {
            d.changes.insert(
                "files".into(),
                PropertyChange {
                    kind: ChangeKind::Update,
                    replace: false,
                },
            );
        } else {
            d.changes.extend(files);
        }
        Ok(d)
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
        _: &str,
        old: &State,
    ) -> Result<Option<State>, ResourceError> {
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
        if live.manifest == prev.manifest {
            return Ok(Some(old.clone()));
        }
        let mut inputs = old.inputs.clone();
        inputs.insert("files".into(), manifest::to_value(&live.manifest));
        let mut outputs = old.outputs.clone();
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
        _: &str,
        old: &State,
    ) -> Result<(), ResourceError> {
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
