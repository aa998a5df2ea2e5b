//! StaticSite inputs, decoded and validated into [`StaticSiteArgs`].

use std::path::PathBuf;

use launchpad_protocol::{ArgsReader, InputError, PropertyMap, Value};

use super::DEFINITION;

/// Validated StaticSite inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticSiteArgs {
    /// The build folder, as given (relative to the program's folder).
    pub path: String,
    /// Single-page app fallback.
    pub spa: bool,
    /// Object served for `/`.
    pub index_document: String,
    /// Object served with 404 for missing paths (non-SPA only).
    pub error_document: Option<String>,
    /// CloudFront price class.
    pub price_class: String,
    /// Tags, passed through unchanged (may be secret or unknown).
    pub tags: Option<Value>,
}

impl StaticSiteArgs {
    /// Decode and validate raw inputs.
    pub fn decode(inputs: &PropertyMap) -> Result<StaticSiteArgs, InputError> {
        let r = ArgsReader::new(DEFINITION.inputs, inputs)?;
        let path = r.required_string("path")?;
        let folder = PathBuf::from(&path);
        if !folder.is_dir() {
            let looked = std::env::current_dir()
                .map(|d| d.join(&folder).display().to_string())
                .unwrap_or_else(|_| path.clone());
            return Err(InputError::new(
                "path",
                format!(
                    "path={path:?} is not a folder (looked for {looked}); build the site first or point `path` at its output folder"
                ),
            ));
        }
        let spa = r.bool("spa")?.unwrap_or(true);
        let index_document = r.required_string("indexDocument")?;
        check_object_key("indexDocument", &index_document)?;
        if !folder.join(&index_document).is_file() {
            return Err(InputError::new(
                "indexDocument",
                format!(
                    "indexDocument={index_document:?} is not in the site folder {path:?}; build the site first or name the file that exists"
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
                        "errorDocument={doc:?} cannot be used with spa=true: a single-page app serves `indexDocument` for every unknown path; set spa=false to serve an error page"
                    ),
                ));
            }
        }
        Ok(StaticSiteArgs {
            path,
            spa,
            index_document,
            error_document,
            price_class: r.required_string("priceClass")?,
            tags: r.raw("tags")?.cloned(),
        })
    }
}

/// A document name must be a plain S3 key: non-empty, no leading `/`, no spaces.
fn check_object_key(property: &str, key: &str) -> Result<(), InputError> {
    if key.is_empty()
        || key.starts_with('/')
        || key.chars().any(char::is_whitespace)
        || key.len() > 1024
    {
        return Err(InputError::new(
            property,
            format!(
                "{property}={key:?} is not a valid object name; use a path inside the site folder such as \"index.html\" (no leading `/`, no spaces)"
            ),
        ));
    }
    Ok(())
}
