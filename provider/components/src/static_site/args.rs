//! StaticSite inputs, decoded and validated into [`StaticSiteArgs`].

use std::path::PathBuf;

use launchpad_protocol::{ArgsReader, Input, InputError, PropertyMap, Value};

use super::DEFINITION;

/// Validated StaticSite inputs. Values that flow into children keep their
/// secretness ([`Input`]).
#[derive(Clone, Debug, PartialEq)]
pub struct StaticSiteArgs {
    /// The build folder, as given (relative to the program's folder).
    pub path: String,
    /// Single-page app fallback.
    pub spa: bool,
    /// Object served for `/`.
    pub index_document: Input<String>,
    /// Object served with 404 for missing paths (non-SPA only).
    pub error_document: Option<Input<String>>,
    /// CloudFront price class.
    pub price_class: Input<String>,
    /// Custom domain.
    pub domain: Option<SiteDomain>,
    /// Tags, passed through unchanged (may be secret or unknown).
    pub tags: Option<Value>,
}

/// A validated custom domain.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteDomain {
    /// Host name, lower case.
    pub name: Input<String>,
    /// Route 53 hosted zone ID (without a `/hostedzone/` prefix).
    pub zone_id: Input<String>,
}

impl StaticSiteArgs {
    /// Decode and validate raw inputs.
    pub fn decode(inputs: &PropertyMap) -> Result<StaticSiteArgs, InputError> {
        let r = ArgsReader::new(DEFINITION.inputs, inputs)?;
        let path = r.required_string("path")?;
        let folder = PathBuf::from(&*path);
        if !folder.is_dir() {
            let looked = match std::env::current_dir() {
                Ok(d) if !path.secret => format!(" (looked for {})", d.join(&folder).display()),
                _ => String::new(),
            };
            return Err(InputError::new(
                "path",
                format!(
                    "path={} is not a folder{looked}; build the site first or point `path` at its output folder",
                    path.shown()
                ),
            ));
        }
        let spa = r.bool("spa")?.is_none_or(|s| s.value);
        let index_document = r.required_string("indexDocument")?;
        check_object_key("indexDocument", &index_document)?;
        if !folder.join(&*index_document).is_file() {
            return Err(InputError::new(
                "indexDocument",
                format!(
                    "indexDocument={} is not in the site folder {}; build the site first or name the file that exists",
                    index_document.shown(),
                    path.shown()
                ),
            ));
        }
        let error_document = r.string("errorDocument")?;
        if let Some(doc) = &error_document {
            check_object_key("errorDocument", doc)?;
            if spa {
                return Err(InputError::new(
                    "errorDocument",
                    format!(
                        "errorDocument={} cannot be used with spa=true: a single-page app serves `indexDocument` for every unknown path; set spa=false to serve an error page",
                        doc.shown()
                    ),
                ));
            }
        }
        Ok(StaticSiteArgs {
            path: path.value,
            spa,
            index_document,
            error_document,
            price_class: r.required_string("priceClass")?,
            domain: match r.object("domain")? {
                Some(d) => Some(SiteDomain {
                    name: host_name("domain.name", d.required_string("name")?)?,
                    zone_id: zone_id("domain.zoneId", d.required_string("zoneId")?)?,
                }),
                None => None,
            },
            tags: r.raw("tags")?.cloned(),
        })
    }
}

/// A document name must be a plain S3 key: non-empty, no leading `/`, no spaces.
fn check_object_key(property: &str, input: &Input<String>) -> Result<(), InputError> {
    let key = input.as_str();
    if key.is_empty()
        || key.starts_with('/')
        || key.chars().any(char::is_whitespace)
        || key.len() > 1024
    {
        return Err(InputError::new(
            property,
            format!(
                "{property}={} is not a valid object name; use a path inside the site folder such as \"index.html\" (no leading `/`, no spaces)",
                input.shown()
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
    for label in labels {
        let valid_chars = label
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if label.is_empty()
            || label.len() > 63
            || !valid_chars
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return bad(&format!(
                "label {label:?} must be 1-63 characters of a-z, 0-9 and inner '-'"
            ));
        }
    }
    Ok(Input {
        value: name.to_string(),
        secret: input.secret,
    })
}

/// A Route 53 hosted zone ID, accepting the `/hostedzone/` form the API prints.
fn zone_id(property: &str, id: Input<String>) -> Result<Input<String>, InputError> {
    let bare = id.strip_prefix("/hostedzone/").unwrap_or(&id);
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
    let value = bare.to_string();
    Ok(Input {
        value,
        secret: id.secret,
    })
}
