//! StaticSite inputs, decoded and validated into [`StaticSiteArgs`].

use std::path::{Path, PathBuf};

use launchpad_core::{ArgsReader, ConstructContext, Input, InputError, PropertyMap, Value};

use super::DEFINITION;

/// Validated StaticSite inputs. Values the planner inspects are [`Input`]s,
/// which keep the user's secret and dependency wrappers for what derives
/// from them; values only passed on stay [`Value`]s (and may be unknown).
#[derive(Clone, Debug, PartialEq)]
pub struct StaticSiteArgs {
    /// The build folder, as given (relative to the program's folder).
    pub path: Input<String>,
    /// The build folder, resolved against the program's folder.
    pub folder: PathBuf,
    /// Single-page app fallback.
    pub spa: Input<bool>,
    /// Object served for `/`.
    pub index_document: Input<String>,
    /// Object served with 404 for missing paths (non-SPA only).
    pub error_document: Option<Input<String>>,
    /// CloudFront price class (checked against the enum when known; the
    /// schema default when not given).
    pub price_class: Option<Value>,
    /// Custom domain.
    pub domain: Option<SiteDomain>,
    /// Tags, passed through unchanged.
    pub tags: Option<Value>,
}

/// A validated custom domain.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteDomain {
    /// Host name, lower case, without a trailing dot.
    pub name: Input<String>,
    /// Route 53 hosted zone ID (without a `/hostedzone/` prefix); may be
    /// another resource's output, unknown during preview.
    pub zone_id: Value,
}

impl StaticSiteArgs {
    /// Decode and validate raw inputs; relative paths start at the program's folder.
    pub fn decode(
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<StaticSiteArgs, InputError> {
        let r = ArgsReader::new(DEFINITION.inputs, inputs)?;
        let path = r.required_string("path")?;
        let folder = ctx.resolve_path(path.as_str());
        if !folder.is_dir() {
            let looked = if path.secret() {
                String::new()
            } else {
                format!(" (looked for {})", folder.display())
            };
            return Err(InputError::new(
                "path",
                format!(
                    "path={} is not a folder{looked}; build the site first or point `path` at its output folder",
                    path.shown()
                ),
            ));
        }
        let spa = r.required_bool("spa")?;
        let index_document = r.required_string("indexDocument")?;
        site_file("indexDocument", &index_document, &path, &folder)?;
        let error_document = r.string("errorDocument")?;
        if let Some(doc) = &error_document {
            site_file("errorDocument", doc, &path, &folder)?;
            if *spa {
                return Err(InputError::new(
                    "errorDocument",
                    format!(
                        "errorDocument={} cannot be used with spa=true: a single-page app serves `indexDocument` for every unknown path; set spa=false to serve an error page",
                        doc.shown()
                    ),
                ));
            }
        }
        let domain = match r.object("domain")? {
            Some(d) => Some(SiteDomain {
                name: host_name("domain.name", d.required_string("name")?)?,
                zone_id: d
                    .string_or_unknown("zoneId", |id| zone_id("domain.zoneId", id))?
                    .ok_or_else(|| d.missing_error("zoneId"))?,
            }),
            None => None,
        };
        Ok(StaticSiteArgs {
            path,
            folder,
            spa,
            index_document,
            error_document,
            price_class: r.passthrough("priceClass")?,
            domain,
            tags: r.passthrough("tags")?,
        })
    }
}

/// A document must be a plain S3 key naming a file inside the site folder.
fn site_file(
    property: &str,
    key: &Input<String>,
    path: &Input<String>,
    folder: &Path,
) -> Result<(), InputError> {
    let name = key.as_str();
    if name.is_empty()
        || name.starts_with('/')
        || name.split('/').any(|part| part == "..")
        || name.chars().any(char::is_whitespace)
        || name.len() > 1024
    {
        return Err(InputError::new(
            property,
            format!(
                "{property}={} is not a valid object name; use a path inside the site folder such as \"index.html\" (no leading `/`, no `..`, no spaces)",
                key.shown()
            ),
        ));
    }
    if !folder.join(name).is_file() {
        return Err(InputError::new(
            property,
            format!(
                "{property}={} is not in the site folder {}; build the site first or name a file that exists",
                key.shown(),
                path.shown()
            ),
        ));
    }
    Ok(())
}

/// A host name CloudFront and ACM accept: lower case labels of `[a-z0-9-]`,
/// at least two of them, 253 characters at most.
fn host_name(property: &str, input: Input<String>) -> Result<Input<String>, InputError> {
    let bad = |why: &str| {
        Err(InputError::new(
            property,
            format!(
                "{property}={} is not a valid host name: {why}; for example \"www.example.com\"",
                input.shown()
            ),
        ))
    };
    let name = input.strip_suffix('.').unwrap_or(&input);
    if name.starts_with("*.") {
        return bad("wildcards are not supported");
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return bad("use lower case");
    }
    if name.len() > 253 {
        return bad("longer than 253 characters");
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return bad("it needs a domain, not only a label");
    }
    let valid_label = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if let Some(label) = labels.iter().find(|l| !valid_label(l)) {
        // Never quote part of a secret.
        let which = if input.secret() {
            "a label".to_string()
        } else {
            format!("label {label:?}")
        };
        return bad(&format!(
            "{which} must be 1-63 characters of a-z, 0-9 and inner '-'"
        ));
    }
    let name = name.to_string();
    Ok(input.map(|_| name))
}

/// A Route 53 hosted zone ID, accepting the `/hostedzone/` form the API prints.
fn zone_id(property: &str, id: Input<String>) -> Result<Input<String>, InputError> {
    let bare = id.strip_prefix("/hostedzone/").unwrap_or(&id).to_string();
    if bare.is_empty()
        || bare.len() > 32
        || !bare
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Err(InputError::new(
            property,
            format!(
                "{property}={} is not a Route 53 hosted zone ID; it looks like \"Z0123456789ABCDEFGHIJ\" (see `aws route53 list-hosted-zones`)",
                id.shown()
            ),
        ));
    }
    Ok(id.map(|_| bare))
}
