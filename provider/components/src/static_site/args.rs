//! StaticSite inputs, decoded and validated into [`StaticSiteArgs`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use launchpad_core::{ArgsReader, ConstructContext, Input, InputError, PropertyMap, Value};

use super::DEFINITION;
use super::plan::{self, MAX_FUNCTION_CODE_BYTES};
use launchpad_site_sync::manifest;

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
    /// The folder's keys whose name has no `.` (non-SPA only; empty for an
    /// SPA): the path function serves them as files, not as folders.
    pub extensionless_files: BTreeSet<String>,
    /// CloudFront price class (checked against the enum when known; the
    /// schema default when not given).
    pub price_class: Option<Value>,
    /// Custom domain.
    pub domain: Option<SiteDomain>,
    /// Cache-Control rules for the content, checked where known and passed
    /// on as they came.
    pub cache_control: Option<Value>,
    /// How many earlier deploys' fingerprinted assets stay in the bucket.
    pub keep_previous_deploys: Input<f64>,
    /// Uploads in flight at once.
    pub upload_concurrency: Input<f64>,
    /// The response headers policy; `None` when disabled.
    pub security_headers: Option<SecurityHeaders>,
    /// Tags, passed through unchanged.
    pub tags: Option<Value>,
}

/// Validated security headers (only when enabled).
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityHeaders {
    /// `max-age` of `Strict-Transport-Security`.
    pub hsts_max_age_seconds: Input<f64>,
    /// `X-Frame-Options` (checked against the enum when known).
    pub frame_options: Value,
    /// `Referrer-Policy` (checked against the enum when known).
    pub referrer_policy: Value,
    /// `Content-Security-Policy`, checked when known.
    pub content_security_policy: Option<Value>,
    /// More headers: names checked, values passed on as they came.
    pub custom_headers: BTreeMap<String, Value>,
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
        let page_key = super::plan::NOT_FOUND_PAGE_KEY;
        if !*spa && error_document.is_none() && folder.join(page_key).exists() {
            return Err(InputError::new(
                "path",
                format!(
                    "path={} holds {page_key}, the key where a site with spa=false and no errorDocument keeps its own not-found page; set errorDocument=\"{page_key}\" to serve yours, or rename it",
                    path.shown()
                ),
            ));
        }
        let extensionless_files = if *spa {
            BTreeSet::new()
        } else {
            extensionless_files(&path, &folder, &index_document)?
        };
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
            extensionless_files,
            price_class: r.passthrough("priceClass")?,
            domain,
            cache_control: cache_control(&r)?,
            keep_previous_deploys: r.integer(
                "keepPreviousDeploys",
                0,
                MAX_KEEP_PREVIOUS_DEPLOYS,
            )?,
            upload_concurrency: r.integer("uploadConcurrency", 1, MAX_UPLOAD_CONCURRENCY)?,
            security_headers: security_headers(&r)?,
            tags: r.passthrough("tags")?,
        })
    }
}

/// The most earlier deploys SiteContent keeps assets of.
const MAX_KEEP_PREVIOUS_DEPLOYS: u32 = 100;
/// The most uploads SiteContent keeps in flight.
const MAX_UPLOAD_CONCURRENCY: u32 = 256;
/// CloudFront's limit on a response headers policy's `Content-Security-Policy`.
const MAX_CSP_LENGTH: usize = 1783;
/// CloudFront takes `Strict-Transport-Security`'s max-age as a 32-bit integer.
const MAX_HSTS_SECONDS: u32 = i32::MAX as u32;
/// Headers a response headers policy sets only through its security
/// settings (lower case; CloudFront refuses them as custom headers), with
/// what to do instead.
const SECURITY_HEADER_NAMES: [(&str, &str); 6] = [
    (
        "strict-transport-security",
        "set its max-age with securityHeaders.hstsMaxAgeSeconds",
    ),
    ("x-content-type-options", "it is always sent as `nosniff`"),
    (
        "x-frame-options",
        "set it with securityHeaders.frameOptions",
    ),
    (
        "referrer-policy",
        "set it with securityHeaders.referrerPolicy",
    ),
    (
        "content-security-policy",
        "set it with securityHeaders.contentSecurityPolicy",
    ),
    (
        "x-xss-protection",
        "browsers no longer act on it; leave it out",
    ),
];

/// CloudFront's quotas on a response headers policy's custom headers: how
/// many (the default quota; AWS Support can raise it), how long a name and
/// a value, and all names and values together
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-custom-headers).
const MAX_CUSTOM_HEADERS: usize = 10;
const MAX_CUSTOM_HEADER_NAME: usize = 256;
const MAX_CUSTOM_HEADER_VALUE: usize = 1783;
const MAX_CUSTOM_HEADERS_TOTAL: usize = 10_240;
/// Response headers CloudFront manages itself (lower case; `*` ends a
/// prefix): the hop-by-hop and framing headers, and CloudFront's own — the
/// list of headers a response headers policy may not *remove*
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html#remove-headers-disallowed).
/// CloudFront documents no list for *custom* headers, so refusing these is
/// launchpad's own rule: a custom value for one would fight CloudFront's,
/// and HTTP/2 forbids the connection-specific ones in a response outright
/// (RFC 9113, 8.2.2).
const CLOUDFRONT_MANAGED_HEADERS: [&str; 33] = [
    "connection",
    "content-encoding",
    "content-length",
    "expect",
    "host",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "warning",
    "x-accel-buffering",
    "x-accel-charset",
    "x-accel-limit-rate",
    "x-accel-redirect",
    "x-amz-cf-*",
    "x-amzn-auth",
    "x-amzn-cf-billing",
    "x-amzn-cf-id",
    "x-amzn-cf-xff",
    "x-amzn-errortype",
    "x-amzn-fle-profile",
    "x-amzn-header-count",
    "x-amzn-header-order",
    "x-amzn-lambda-integration-tag",
    "x-amzn-requestid",
    "x-cache",
    "x-edge-*",
    "x-forwarded-proto",
    "x-real-ip",
];

/// Whether CloudFront manages the header `lower` (a lower-case name) itself.
fn cloudfront_managed(lower: &str) -> bool {
    CLOUDFRONT_MANAGED_HEADERS
        .iter()
        .any(|managed| match managed.strip_suffix('*') {
            Some(prefix) => lower.starts_with(prefix),
            None => lower == *managed,
        })
}

/// How a value a message quotes reads: `[secret]` for secrets.
fn quoted(s: &str, secret: bool) -> String {
    if secret {
        "[secret]".to_string()
    } else {
        format!("{s:?}")
    }
}

/// `cacheControl`: each rule's known pattern and value checked, the list
/// passed on as it came (an unknown rule is left to SiteContent's Check).
fn cache_control(r: &ArgsReader<'_>) -> Result<Option<Value>, InputError> {
    let Some(rules) = r.passthrough("cacheControl")? else {
        return Ok(None);
    };
    let path = r.path("cacheControl");
    let (Some(Value::Array(items)), taint) = rules.unwrap_top() else {
        return Ok(Some(rules));
    };
    let mut patterns: Vec<(usize, &str)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let (Some(Value::Object(rule)), item_taint) = item.unwrap_top() else {
            continue;
        };
        let secret = taint.secret || item_taint.secret;
        for field in ["pattern", "value"] {
            let at = format!("{path}[{i}].{field}");
            let text = match rule.get(field).map(Value::unwrap_top) {
                None | Some((Some(Value::Null), _)) => {
                    return Err(InputError::new(
                        &at,
                        format!("missing required property `{at}`"),
                    ));
                }
                Some((Some(Value::String(s)), t)) => (s.as_str(), secret || t.secret),
                // Unknown until another resource exists: SiteContent checks it.
                Some(_) => continue,
            };
            if field == "pattern" {
                glob(&at, text.0, text.1)?;
                if let Some((first, _)) = patterns.iter().find(|(_, p)| *p == text.0) {
                    return Err(InputError::new(
                        &at,
                        format!(
                            "{at}={} repeats {path}[{first}].pattern; the first matching rule wins, so this one would never apply",
                            quoted(text.0, text.1)
                        ),
                    ));
                }
                patterns.push((i, text.0));
            } else {
                cache_control_value(&at, text.0, text.1)?;
            }
        }
    }
    Ok(Some(rules))
}

/// A glob as SiteContent matches it: `*` and `?` within a folder, `**`
/// across folders, every other character literal (so `[id].html` is a
/// file name, and `{a,b}` is not a choice).
fn glob(at: &str, pattern: &str, secret: bool) -> Result<(), InputError> {
    let bad = |why: &str| {
        Err(InputError::new(
            at,
            format!(
                "{at}={} is not a valid pattern: {why}; for example \"assets/**\" or \"*.html\"",
                quoted(pattern, secret)
            ),
        ))
    };
    if pattern.trim_start_matches('/').is_empty() {
        return bad("it matches no file");
    }
    if pattern.len() > 1024 {
        return bad("longer than 1024 characters, S3's longest key");
    }
    if pattern.chars().any(char::is_control) {
        return bad("it has a control character");
    }
    if let Some(open) = pattern.find('{')
        && pattern[open..].contains(',')
        && pattern[open..].contains('}')
    {
        return bad("`{a,b}` alternatives are not supported; write one rule per pattern");
    }
    Ok(())
}

/// A header value S3 stores as it is: printable ASCII, not empty.
fn cache_control_value(at: &str, value: &str, secret: bool) -> Result<(), InputError> {
    let why = if value.trim().is_empty() {
        "it is empty"
    } else if value.len() > 1024 {
        "longer than 1024 characters"
    } else if !value.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
        "only printable ASCII characters are allowed (no line breaks)"
    } else {
        return Ok(());
    };
    Err(InputError::new(
        at,
        format!(
            "{at}={} is not a valid Cache-Control header: {why}; for example \"public, max-age=3600\" or \"no-cache\"",
            quoted(value, secret)
        ),
    ))
}

/// `securityHeaders`: `None` when disabled; then nothing that only the
/// policy would send may be set.
fn security_headers(r: &ArgsReader<'_>) -> Result<Option<SecurityHeaders>, InputError> {
    let h = r.object_or_defaults("securityHeaders")?;
    let custom = h.entries("customHeaders")?;
    let csp_path = h.path("contentSecurityPolicy");
    let csp = h.string_or_unknown("contentSecurityPolicy", |csp| {
        let why = if csp.trim().is_empty() {
            "it is empty; leave it out to send none".to_string()
        } else if csp.len() > MAX_CSP_LENGTH {
            format!(
                "CloudFront allows at most {MAX_CSP_LENGTH} characters, it has {}",
                csp.len()
            )
        } else if !csp.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
            "only printable ASCII characters are allowed (no line breaks)".to_string()
        } else {
            return Ok(csp);
        };
        Err(InputError::new(
            &csp_path,
            format!(
                "{csp_path}={} is not a valid Content-Security-Policy: {why}",
                csp.shown()
            ),
        ))
    })?;
    if !*h.required_bool("enabled")? {
        // Defaults filled in by the SDKs are fine; what only the policy sends is not.
        let set = if custom.is_some() {
            Some("customHeaders")
        } else if csp.is_some() {
            Some("contentSecurityPolicy")
        } else {
            None
        };
        if let Some(name) = set {
            let at = h.path(name);
            return Err(InputError::new(
                &at,
                format!(
                    "{at} cannot be used with securityHeaders.enabled=false: without the response headers policy nothing sends it; remove it or enable the policy"
                ),
            ));
        }
        return Ok(None);
    }
    let custom_headers = custom.unwrap_or_default();
    let custom_path = h.path("customHeaders");
    if custom_headers.len() > MAX_CUSTOM_HEADERS {
        return Err(InputError::new(
            &custom_path,
            format!(
                "{custom_path} has {} headers; CloudFront allows at most {MAX_CUSTOM_HEADERS} custom headers in a response headers policy (its default quota); remove some",
                custom_headers.len()
            ),
        ));
    }
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in &custom_headers {
        // In a secret map the names are secret too: then a message does not name the header.
        let secret = value.taint().secret;
        let shown = if secret { "[secret]" } else { name.as_str() };
        let at = format!("{custom_path}.{shown}");
        let bad = |why: String| Err(InputError::new(&at, format!("{at}: {why}")));
        let lower = name.to_ascii_lowercase();
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            return bad(format!(
                "{} is not a valid header name; use letters, digits and `-`, as in \"Permissions-Policy\"",
                quoted(name, secret)
            ));
        }
        if name.len() > MAX_CUSTOM_HEADER_NAME {
            return bad(format!(
                "the name is {} characters long; CloudFront allows header names of at most {MAX_CUSTOM_HEADER_NAME}",
                name.len()
            ));
        }
        if let Some((_, instead)) = SECURITY_HEADER_NAMES.iter().find(|(n, _)| *n == lower) {
            return bad(format!(
                "{shown} is a security header, not a custom one; {instead}"
            ));
        }
        if cloudfront_managed(&lower) {
            return bad(format!(
                "{shown} is a header CloudFront manages itself (launchpad refuses a custom value that would fight CloudFront's); leave it out"
            ));
        }
        if seen.contains(&lower) {
            return bad(format!("{shown} is set twice (header names ignore case)"));
        }
        seen.push(lower);
        if let (Some(Value::String(v)), _) = value.unwrap_top() {
            if v.trim().is_empty() || !v.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
                return bad(format!(
                    "{} is not a valid header value: it must be printable ASCII, not empty, without line breaks",
                    quoted(v, secret)
                ));
            }
            if v.len() > MAX_CUSTOM_HEADER_VALUE {
                return bad(format!(
                    "the value is {} characters long; CloudFront allows at most {MAX_CUSTOM_HEADER_VALUE}",
                    v.len()
                ));
            }
        }
    }
    // Names and the values known at preview; an unknown value is CloudFront's to count.
    let total: usize = custom_headers
        .iter()
        .map(|(name, value)| match value.unwrap_top() {
            (Some(Value::String(v)), _) => name.len() + v.len(),
            _ => name.len(),
        })
        .sum();
    if total > MAX_CUSTOM_HEADERS_TOTAL {
        return Err(InputError::new(
            &custom_path,
            format!(
                "{custom_path}: the headers' names and values add up to {total} characters; CloudFront allows at most {MAX_CUSTOM_HEADERS_TOTAL} in a response headers policy; remove some or shorten their values"
            ),
        ));
    }
    Ok(Some(SecurityHeaders {
        hsts_max_age_seconds: h.integer("hstsMaxAgeSeconds", 0, MAX_HSTS_SECONDS)?,
        frame_options: h
            .passthrough("frameOptions")?
            .ok_or_else(|| h.missing_error("frameOptions"))?,
        referrer_policy: h
            .passthrough("referrerPolicy")?
            .ok_or_else(|| h.missing_error("referrerPolicy"))?,
        content_security_policy: csp,
        custom_headers,
    }))
}

/// The keys of `folder`'s files whose name has no `.`, which the path
/// function of a site with spa=false lists so as to serve them as files (as
/// S3 website hosting does) rather than redirect them as folders. Refused
/// at preview when the list would push the function past CloudFront's
/// 10 KB, which would otherwise fail only at deploy.
fn extensionless_files(
    path: &Input<String>,
    folder: &Path,
    index_document: &Input<String>,
) -> Result<BTreeSet<String>, InputError> {
    let keys = manifest::keys(folder, path.as_str()).map_err(|e| {
        if path.secret() {
            // The walk's messages quote the path and what is under it.
            InputError::new(
                "path",
                "path=[secret] cannot be listed: a file or folder in it cannot be read, or a link leads outside it; copy linked files in, and check that every file can be read",
            )
        } else {
            InputError::new("path", e.0)
        }
    })?;
    let files: BTreeSet<String> = keys
        .into_iter()
        .filter(|key| plan::has_no_extension(key))
        .collect();
    let size = plan::path_rewrite_code(index_document.as_str(), &files).len();
    if size > MAX_FUNCTION_CODE_BYTES {
        let count = files.len();
        let examples = files
            .iter()
            .take(3)
            .map(|key| format!("{key:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(InputError::new(
            "path",
            format!(
                "path={} has {count} files without an extension (such as {examples}): a site with spa=false lists them in its CloudFront Function so that they are served as files, not redirected as folders, and the list makes the function's code {size} bytes, over CloudFront's limit of {MAX_FUNCTION_CODE_BYTES} bytes (10 KB); give those files an extension, or set spa=true",
                path.shown(),
            ),
        ));
    }
    Ok(files)
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
