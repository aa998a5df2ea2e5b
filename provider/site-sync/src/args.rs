//! SiteContent's inputs: declared once in [`SiteContentInputs`] (and the
//! cache-rule object type, [`CacheControlRule`], that `StaticSite` shares),
//! Check (validate, fill the defaults, scan the folder into a [`manifest`])
//! and Diff (manifests compared key by key). Nothing here calls AWS:
//! preview runs all of it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::errors;
use crate::manifest;
use launchpad_core::custom::{
    ChangeKind, CheckResult, DiffResult, PropertyChange, ResourceContext, ResourceError, State,
};
use launchpad_core::schema::{PropertyDef, ResourceDef, TypeDef};
use launchpad_core::{ArgsReader, Input, InputError, Inputs, ObjectInputs, PropertyMap, Value};

use crate::manifest::{CacheRule, Manifest};

/// SiteContent's inputs, each declared once: its doc comment is its
/// description, its attributes its rules. Check keeps unknowns as they came
/// (another resource's output during preview), so the folder and the bucket
/// are read as values.
#[derive(Inputs, Clone, Debug, PartialEq)]
pub struct SiteContentInputs {
    /// The folder to deploy (for example `./dist`), relative to the Pulumi program's folder: it
    /// must exist and hold at least one file; links inside it are followed, a link leading
    /// outside it is refused. Every file is uploaded under its relative path (at most 1024
    /// bytes).
    pub path: Value,
    /// The S3 bucket's name.
    // Another bucket is another resource: the files are put there anew.
    #[input(replace_on_changes)]
    pub bucket: Value,
    /// The bucket's region. Defaults to the AWS region of the environment (`AWS_REGION`, the
    /// profile).
    pub region: Option<Value>,
    /// A CloudFront distribution serving the bucket: after each deploy that changes files
    /// visitors may have cached, one invalidation of exactly those paths.
    pub distribution_id: Option<Value>,
    /// Cache-Control by glob, first match wins, before the defaults: fingerprinted assets
    /// (`app.3f9a1c.js`) `public, max-age=31536000, immutable`; HTML and everything else
    /// `no-cache`.
    #[input(
        read_with = cache_rules,
        ty = TypeDef::Array(&TypeDef::Object(&<CacheControlRule as ObjectInputs>::OBJECT))
    )]
    pub cache_control: CacheRules,
    /// How many earlier deploys' fingerprinted assets stay in the bucket, so pages already open
    /// keep loading their scripts. Everything else that is no longer in the folder is deleted
    /// once the new files are in.
    #[input(range = 0..=100, default = 1)]
    pub keep_previous_deploys: Input<f64>,
    /// Uploads in flight at once.
    #[input(range = 1..=256, default = 32)]
    pub upload_concurrency: Input<f64>,
}

/// A Cache-Control header for the files a glob matches.
// The schema's one definition of the rule type: StaticSite's `cacheControl`
// refers to it too. Its rules are read by `cache_rules`, which keeps a rule
// that is not known yet for later.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:CacheControlRule")]
pub struct CacheControlRule {
    /// A glob over keys: `*` and `?` within a path segment, `**` across segments (`assets/**`,
    /// `docs/*.pdf`). A pattern without `/` matches file names anywhere (`*.html`).
    pub pattern: Value,
    /// The Cache-Control header, for example `public, max-age=3600`.
    pub value: Value,
}

/// `cacheControl`, validated: the rules, or `None` while one of them is not
/// known yet (the folder is scanned once it is).
#[derive(Clone, Debug, PartialEq)]
pub struct CacheRules(pub Option<Vec<CacheRule>>);

/// The resource's definition.
pub static DEFINITION: ResourceDef = ResourceDef {
    token: "launchpad:index:SiteContent",
    description: "A site folder kept in an S3 bucket: only changed files uploaded, in parallel, HTML last; stale files deleted after; one CloudFront invalidation for exactly the changed paths.",
    inputs: <SiteContentInputs as Inputs>::PROPERTIES,
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
pub(crate) struct Settings {
    pub(crate) root: PathBuf,
    pub(crate) bucket: String,
    pub(crate) region: Option<String>,
    pub(crate) distribution_id: Option<String>,
    pub(crate) concurrency: usize,
    pub(crate) manifest: Manifest,
}

pub(crate) fn text(map: &PropertyMap, key: &str) -> Option<String> {
    match map.get(key).map(Value::strip) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

pub(crate) fn number(map: &PropertyMap, key: &str) -> Option<f64> {
    match map.get(key).map(Value::strip) {
        Some(Value::Number(n)) => Some(n),
        _ => None,
    }
}

/// The folder a `path` names: relative to the program's folder.
pub(crate) fn resolve(ctx: &ResourceContext, path: &str) -> PathBuf {
    let base = ctx
        .program_directory
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    base.join(path)
}

/// `cacheControl`: each rule's `pattern` and `value` a non-empty single
/// line; no rules when it is not set.
fn cache_rules(r: &ArgsReader<'_>, name: &str) -> Result<CacheRules, InputError> {
    let Some(value) = r.raw(name)? else {
        return Ok(CacheRules(Some(Vec::new())));
    };
    let Value::Array(items) = value.strip() else {
        return Ok(CacheRules(None)); // not known yet
    };
    let mut rules = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(rule) = item else {
            return Ok(CacheRules(None));
        };
        let field = |field: &str| -> Result<Option<String>, InputError> {
            let at = format!("{}[{i}].{field}", r.path(name));
            match rule.get(field) {
                Some(Value::String(s)) if !s.trim().is_empty() && !s.contains(['\n', '\r']) => {
                    Ok(Some(s.clone()))
                }
                Some(Value::Unknown(_)) => Ok(None),
                Some(Value::String(s)) => {
                    Err(errors::cache_rule_not_one_line(&at, format!("\"{s}\"")))
                }
                _ => Err(launchpad_core::errors::missing_required(&at)),
            }
        };
        match (field("pattern")?, field("value")?) {
            (Some(pattern), Some(value)) => rules.push(CacheRule { pattern, value }),
            _ => return Ok(CacheRules(None)),
        }
    }
    Ok(CacheRules(Some(rules)))
}

/// Check: validate, fill the defaults, and scan the folder.
pub(crate) async fn check(ctx: &ResourceContext, mut news: PropertyMap) -> CheckResult {
    // The manifest is Check's to compute, never the program's.
    news.remove("files");
    let failed = |news: PropertyMap, e: InputError| CheckResult {
        inputs: news,
        failures: vec![e],
    };
    let checked = match SiteContentInputs::decode(&news) {
        Ok(c) => c,
        Err(e) => return failed(news.clone(), e),
    };
    let mut inputs = news.clone();
    inputs.insert(
        "keepPreviousDeploys".into(),
        Value::from(&checked.keep_previous_deploys),
    );
    inputs.insert(
        "uploadConcurrency".into(),
        Value::from(&checked.upload_concurrency),
    );
    let files = match (checked.path.strip(), checked.cache_control.0) {
        (Value::String(path), Some(rules)) => {
            let root = resolve(ctx, &path);
            let scanned =
                tokio::task::spawn_blocking(move || manifest::scan(&root, &path, &rules)).await;
            match scanned {
                Ok(Ok(m)) => manifest::to_value(&m),
                Ok(Err(e)) => return failed(inputs, e),
                Err(e) => return failed(inputs, errors::folder_scan_failed(e)),
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

pub(crate) fn settings(
    ctx: &ResourceContext,
    inputs: &PropertyMap,
    manifest: Manifest,
) -> Result<Settings, ResourceError> {
    let required = |key: &str| {
        text(inputs, key).ok_or_else(|| ResourceError::Input(errors::must_be_known(key)))
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

/// The output in which a deploy that stopped part-way records the files it
/// left in the bucket. Not in `files`: the engine records a failed Create
/// with the goal's inputs and a failed Update with the old inputs (only the
/// outputs are the provider's: pulumi/pulumi#2011), so neither input says
/// what a stopped deploy sent. Internal, as `files` is: not in the schema.
pub(crate) const STOPPED_FILES: &str = "stoppedFiles";

/// The files the state says are in the bucket: what a stopped deploy left,
/// else the `files` of the last deploy (or refresh).
pub(crate) fn recorded_files(old: &State) -> Option<&Value> {
    match old.outputs.get(STOPPED_FILES) {
        Some(files) if !files.is_null() => Some(files),
        _ => old.inputs.get("files"),
    }
}

/// Diff: the inputs but `files` as usual (a new bucket replaces), and the
/// manifests key by key (the recorded one: [`recorded_files`]), so a preview
/// lists the files that change.
pub(crate) fn diff(old: &State, news: &PropertyMap) -> DiffResult {
    // Without `files`, which is compared below, key by key, and would cost
    // a copy of every entry of a large site.
    let strip = |m: &PropertyMap| -> PropertyMap {
        m.iter()
            .filter(|(k, _)| k.as_str() != "files")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let replace_on = DEFINITION.replace_on_changes();
    let mut d = DiffResult::between(&strip(&old.inputs), &strip(news), &replace_on);
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
    let (before, after) = (recorded_files(old), news.get("files"));
    if after.is_some_and(Value::is_unknown) {
        d.changes.insert(
            "files".into(),
            PropertyChange {
                kind: ChangeKind::Update,
                replace: false,
            },
        );
        return d;
    }
    let (before, after) = (manifest::entries(before), manifest::entries(after));
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
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use launchpad_core::log::{NoLog, ResourceLog};

    fn inputs(bucket: &str, region: &str) -> PropertyMap {
        PropertyMap::from([
            ("path".into(), Value::string("./dist")),
            ("bucket".into(), Value::string(bucket)),
            ("region".into(), Value::string(region)),
        ])
    }

    #[test]
    fn a_new_bucket_replaces_and_a_new_region_updates() {
        let old = State {
            inputs: inputs("a", "eu-west-1"),
            outputs: PropertyMap::new(),
        };
        let d = diff(&old, &inputs("b", "eu-west-2"));
        assert!(d.changes["bucket"].replace);
        assert!(!d.changes["region"].replace);
        assert_eq!(d.changes["region"].kind, ChangeKind::Update);
    }

    #[tokio::test]
    async fn check_fills_the_range_defaults_and_refuses_a_rule_over_two_lines() {
        let rule = |value: &str| {
            Value::Object(PropertyMap::from([
                ("pattern".into(), Value::string("*.html")),
                ("value".into(), Value::string(value)),
            ]))
        };
        let news = |value: &str| {
            let mut m = inputs("b", "eu-west-1");
            m.insert("path".into(), Value::unknown());
            m.insert("cacheControl".into(), Value::Array(vec![rule(value)]));
            m
        };
        let urn = "urn:pulumi:s::p::launchpad:index:SiteContent::site";
        let ctx = ResourceContext::new(
            urn,
            Default::default(),
            ResourceLog::new(std::sync::Arc::new(NoLog), urn),
            tokio_util::sync::CancellationToken::new(),
            None,
        );
        // `path` is not known yet: Check validates the rest and leaves the folder for later.
        let ok = check(&ctx, news("no-cache")).await;
        assert_eq!(ok.failures, vec![]);
        assert_eq!(ok.inputs["keepPreviousDeploys"], Value::Number(1.0));
        assert_eq!(ok.inputs["uploadConcurrency"], Value::Number(32.0));
        let bad = check(&ctx, news("a\nb")).await;
        assert_eq!(bad.failures[0].code, "LP3001");
        assert_eq!(bad.failures[0].property, "cacheControl[0].value");
        assert_eq!(
            bad.failures[0].message,
            "cacheControl[0].value=\"a\nb\" must be a non-empty single line"
        );
    }
}
