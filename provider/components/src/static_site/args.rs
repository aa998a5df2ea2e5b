//! StaticSite inputs, decoded and validated into [`StaticSiteArgs`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use launchpad_core::schema::TypeDef;
use launchpad_core::value::urn_name;
use launchpad_core::{
    ArgsReader, ConstructContext, Input, InputError, Inputs, ObjectInputs, PropertyMap,
    ResourceInput, Value,
};

use super::errors;
use super::plan::{self, MAX_FUNCTION_CODE_BYTES};
use super::{FRAME_OPTIONS, PRICE_CLASS, REFERRER_POLICY};
use launchpad_site_sync::{CacheControlRule, manifest};

/// StaticSite's inputs, each declared once: its doc comment is its
/// description, its attributes its rules and the child property it feeds.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct StaticSiteInputs {
    /// Local folder holding the built site (for example `./dist`), relative to the Pulumi
    /// program's folder. It must exist when the program runs.
    ///
    /// Every file in it is uploaded to the bucket, and on each update only what changed: a
    /// manifest of content hashes decides which keys are added, changed or removed (`pulumi
    /// preview --diff` lists them). Files get their `Content-Type` from the extension and a
    /// `Cache-Control` header from `cacheControl` or the defaults: fingerprinted assets (a
    /// content hash in the name, such as `app.3f9a1c.js`) `public, max-age=31536000, immutable`,
    /// HTML and everything else `no-cache`. HTML goes up last, stale keys are deleted after the
    /// new ones are in, and one CloudFront invalidation covers exactly the changed paths (none
    /// when nothing changed).
    // The folder's files without an extension are listed in the path function's code.
    #[input(feeds("content.path", "pathRewrite.code", "spaFallback.code"))]
    pub path: Input<String>,
    /// Serve a single-page app: requests for paths that do not exist (S3 answers 403 or 404)
    /// get the index document with status 200, so client-side routes work. With `false`, a
    /// CloudFront Function serves folders as S3 website hosting does: `/about/` gets
    /// `/about/index.html` (the `indexDocument` of that folder), and `/about`, whose last
    /// segment has no `.`, a 302 redirect to `/about/` (query string kept) so that the page's
    /// relative links resolve, unless `about` is a file of the folder: files whose name has no
    /// `.` (`LICENSE`, `.well-known/apple-app-site-association`) are served as they are. The
    /// function lists those files, and CloudFront allows it 10 KB: a folder with too many of
    /// them (a few hundred, depending on the length of their names) is refused at preview;
    /// give them an extension, or keep `spa` true. A path that does not exist gets
    /// `errorDocument`, or a plain "404 Not Found" page, with status 404.
    #[input(
        default = true,
        feeds("distribution.customErrorResponses", "spaFallback.code")
    )]
    pub spa: Input<bool>,
    /// The object served for `/` and, for single-page apps, for unknown paths.
    #[input(
        default = "index.html",
        feeds(
            "distribution.defaultRootObject",
            "distribution.customErrorResponses",
            "pathRewrite.code",
            "spaFallback.code"
        )
    )]
    pub index_document: Input<String>,
    /// For sites that are not single-page apps: the object served, with status 404, for paths
    /// that do not exist (for example `404.html`). Without it they get a plain "404 Not Found"
    /// page, which the site keeps in its bucket as `.launchpad/404.html`. Not allowed when
    /// `spa` is true.
    #[input(feeds("distribution.customErrorResponses"))]
    pub error_document: Option<Input<String>>,
    /// Which CloudFront edge locations serve the site.
    #[input(
        choices = PRICE_CLASS,
        default = "PriceClass_100",
        feeds("distribution.priceClass")
    )]
    pub price_class: Option<Value>,
    /// Serve the site on a custom domain, with its own certificate. Without it the site is
    /// served on the distribution's `*.cloudfront.net` name.
    #[input(feeds(
        "distribution.aliases",
        "distribution.viewerCertificate",
        "certificate.domainName",
        "validationRecord.zoneId",
        "recordA.name",
        "recordA.zoneId",
        "recordAAAA.name",
        "recordAAAA.zoneId"
    ))]
    pub domain: Option<SiteDomain>,
    /// `Cache-Control` rules for the uploaded files, tried in order before the defaults
    /// (fingerprinted assets such as `app.3f9a1c.js`: `public, max-age=31536000, immutable`;
    /// HTML and everything else: `no-cache`); the first rule whose `pattern` matches a file's
    /// key (its path in the folder) wins. In a pattern `*` and `?` match within a folder and
    /// `**` across folders; a pattern without `/` matches the file name in any folder
    /// (`*.html`), one starting with `/` only at the top (`/robots.txt`). For example
    /// `[{ pattern: "assets/**", value: "public, max-age=86400" }]`. A changed rule updates the
    /// files whose header changes.
    // One definition of the rule type: SiteContent's, which applies the rules.
    #[input(
        read_with = cache_control,
        ty = TypeDef::Array(&TypeDef::Object(&<CacheControlRule as ObjectInputs>::OBJECT)),
        feeds("content.cacheControl")
    )]
    pub cache_control: Option<Value>,
    /// How many earlier deploys' fingerprinted assets stay in the bucket after a deploy, so that
    /// a browser tab opened before it can still load the chunks its page names. Other files the
    /// new build lacks are deleted once its files are in; `0` deletes all of them.
    #[input(range = 0..=100, default = 1, feeds("content.keepPreviousDeploys"))]
    pub keep_previous_deploys: Input<f64>,
    /// How many uploads are in flight at once. Raise it for thousands of small files on a fast
    /// link; lower it if S3 throttles (`SlowDown`) or the link is slow.
    #[input(range = 1..=256, default = 32, feeds("content.uploadConcurrency"))]
    pub upload_concurrency: Input<f64>,
    /// Security headers added to every response. On by default:
    /// `Strict-Transport-Security: max-age=63072000; includeSubDomains`,
    /// `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and `Referrer-Policy:
    /// strict-origin-when-cross-origin`, each replacing what S3 sends.
    #[input(feeds(
        "headersPolicy.securityHeadersConfig",
        "headersPolicy.customHeadersConfig"
    ))]
    pub security_headers: SecurityHeaders,
    /// Paths of the site's own domain served by a Function or a WebService instead of the
    /// bucket, for example `[{ path: "/api/*", function: api }]`: one domain for the site and
    /// its API, so the browser needs no CORS. Each route is a CloudFront cache behaviour with
    /// caching disabled, all methods, the viewer's headers but `Host`, and the site's security
    /// headers.
    ///
    /// - **Order.** CloudFront takes the first route whose pattern matches
    ///   ([CacheBehavior](https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CacheBehavior.html)):
    ///   list more specific patterns first. A route an earlier one hides, a repeated pattern
    ///   (`api/*` is `/api/*`) and `*` or `/*` (the site itself) are refused.
    /// - **Function routes** go to the Function's URL, which must have `url.authType`
    ///   `AWS_IAM` (the default): CloudFront signs each request with an origin access control for
    ///   Lambda, and the function allows exactly this distribution
    ///   ([Restrict access to a Lambda function URL origin](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html)),
    ///   so it can only be called through the site.
    /// - **Request bodies.** Through such a route, a `POST` or `PUT` must carry the SHA-256 of
    ///   its body in the `x-amz-content-sha256` header, or Lambda refuses it with 403: it does
    ///   not accept unsigned payloads (same page). A browser `fetch` can add it; an HTML form
    ///   post or a third-party webhook cannot.
    /// - **`Authorization`.** The signature replaces the viewer's `Authorization` header
    ///   ([OriginAccessControlConfig](https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html)):
    ///   send a bearer token in another header.
    /// - **First minute.** Just after a deploy, expect up to about a minute of 403 while the
    ///   permission and the origin access control reach every edge location.
    /// - **Timeouts.** CloudFront waits 30 s for an answer by default; for a Function whose
    ///   `timeout` is longer the route waits up to its timeout, at most 60 s, the most CloudFront
    ///   allows without a quota increase
    ///   ([CustomOriginConfig](https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomOriginConfig.html));
    ///   preview warns about a longer one.
    /// - **WebService routes** need the service's HTTPS listener (`certificateArn`) and
    ///   `originDomain`, a name on its certificate that resolves to its load balancer: CloudFront
    ///   answers 502 when the certificate does not name the origin
    ///   ([HTTP 502](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html)).
    /// - **Single-page apps.** With routes, the fallback to `indexDocument` moves from the
    ///   distribution's error responses (which would turn an API's 403 and 404 into the app's
    ///   HTML) to a CloudFront Function on the site's own paths: a path whose last segment has no
    ///   `.` and is not a file of the folder gets `indexDocument`; a missing file with an
    ///   extension gets S3's 403. A site with `spa: false` keeps its error page: CloudFront's
    ///   error responses cover every path, so a route's 403 and 404 also become that page with
    ///   status 404 (not cached, so one viewer's 403 is not another's)
    ///   ([custom error responses](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/GeneratingCustomErrorResponses.html)).
    #[input(
        read_with = routes,
        ty = TypeDef::Array(&TypeDef::Object(&<SiteRouteInputs as ObjectInputs>::OBJECT)),
        feeds(
            "distribution.origins",
            "distribution.orderedCacheBehaviors",
            "lambdaPermission*.function",
            "lambdaPermission*.qualifier"
        )
    )]
    pub routes: Vec<SiteRoute>,
    /// Tags applied to every child resource that supports tags.
    #[input(
        ty = TypeDef::Map(&TypeDef::String),
        feeds("bucket.tags", "distribution.tags", "certificate.tags")
    )]
    pub tags: Option<Value>,
}

/// A path of the site served by a launchpad Function or WebService instead of the bucket.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:SiteRoute")]
pub struct SiteRouteInputs {
    /// A CloudFront path pattern, for example `/api/*`: `*` matches any characters (`/`
    /// included), `?` exactly one; case-sensitive; at most 255 characters of A-Z, a-z, 0-9 and
    /// `_ - . * ? $ / ~ " ' @ : + &` (no `%`-escapes).
    pub path: Input<String>,
    /// The Function that serves these paths, through its URL (`url.authType` `AWS_IAM`).
    #[input(
        ty = TypeDef::Resource("launchpad:index:Function"),
        read_with = ArgsReader::resource
    )]
    pub function: Option<ResourceInput>,
    /// The WebService that serves these paths, over HTTPS (it needs `certificateArn`).
    #[input(
        ty = TypeDef::Resource("launchpad:index:WebService"),
        read_with = ArgsReader::resource
    )]
    pub web_service: Option<ResourceInput>,
    /// For a `webService` route, and required with it: the host CloudFront connects to, a
    /// name on the service's certificate whose DNS record points at its load balancer (for
    /// example `api.example.com`).
    #[input(check = host_name)]
    pub origin_domain: Option<Input<String>>,
}

/// One validated route: its pattern and where it goes.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteRoute {
    /// The path pattern as the user wrote it.
    pub path: Input<String>,
    /// What serves it.
    pub target: RouteTarget,
}

/// What serves a route.
#[derive(Clone, Debug, PartialEq)]
pub enum RouteTarget {
    /// A launchpad Function, through its URL.
    Function {
        /// The Function, with its outputs.
        function: ResourceInput,
        /// Its timeout in seconds, when known.
        timeout: Option<f64>,
    },
    /// A launchpad WebService, through its HTTPS listener (checked in
    /// decode; the planner needs only the host).
    WebService {
        /// The host CloudFront connects to.
        origin_domain: Input<String>,
    },
}

/// A custom domain for a site: an ACM certificate (in us-east-1, as CloudFront requires)
/// validated through DNS, and alias records pointing the name at the distribution.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:SiteDomain")]
pub struct SiteDomain {
    /// The host name to serve, for example `www.example.com` (lower case, no wildcard).
    // Decoded without a trailing dot.
    #[input(check = host_name)]
    pub name: Input<String>,
    /// ID of the Route 53 hosted zone that holds `name`, for example `Z0123456789ABCDEFGHIJ`.
    /// Given explicitly so that preview needs no lookup and no AWS credentials.
    // Decoded without a `/hostedzone/` prefix; may be another resource's
    // output, unknown during preview.
    #[input(check = zone_id)]
    pub zone_id: Value,
}

/// Security headers CloudFront adds to every response through a response headers policy,
/// replacing any the bucket's objects carry: `Strict-Transport-Security` (with
/// `includeSubDomains`, without `preload`), `X-Content-Type-Options: nosniff`,
/// `X-Frame-Options`, `Referrer-Policy`, and optionally `Content-Security-Policy` and headers
/// of your own.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:SecurityHeaders")]
pub struct SecurityHeaders {
    /// Attach the response headers policy. With `false` no policy is created and responses
    /// carry only what S3 sends.
    #[input(default = true)]
    pub enabled: Input<bool>,
    /// `max-age` of `Strict-Transport-Security`: how long browsers refuse plain HTTP for this
    /// host (and its subdomains), in seconds (two years by default); lower it while trying
    /// HTTPS on a new domain.
    // CloudFront takes it as a 32-bit integer.
    #[input(range = 0..=2147483647, default = 63072000)]
    pub hsts_max_age_seconds: Input<f64>,
    /// `X-Frame-Options`.
    #[input(choices = FRAME_OPTIONS, default = "DENY")]
    pub frame_options: Value,
    /// `Referrer-Policy`.
    #[input(choices = REFERRER_POLICY, default = "strict-origin-when-cross-origin")]
    pub referrer_policy: Value,
    /// A `Content-Security-Policy` header, for example `default-src 'self'; img-src 'self'
    /// data:`. None by default: a policy has to fit the site.
    #[input(check = content_security_policy, rule = "At most 1783 printable ASCII characters.")]
    pub content_security_policy: Option<Value>,
    /// More headers to add to every response, name → value (for example
    /// `Permissions-Policy`). They replace headers of the same name from S3. The headers above
    /// are set with their own properties, not here, and headers CloudFront manages itself
    /// (`Content-Length`, `Transfer-Encoding`, `Via`, `X-Cache`, `X-Amz-Cf-*` and the like)
    /// not at all.
    #[input(
        read_with = custom_headers,
        rule = "CloudFront allows 10 of them (its default quota), names of up to 256 characters and values of up to 1783, 10240 characters in all."
    )]
    pub custom_headers: Option<BTreeMap<String, Value>>,
}

/// Validated StaticSite inputs: the declared inputs, checked together and
/// against the site folder, and what the planner derives from the folder.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticSiteArgs {
    /// The inputs as declared.
    pub inputs: StaticSiteInputs,
    /// The build folder, resolved against the program's folder.
    pub folder: PathBuf,
    /// The folder's keys whose name has no `.` (empty for an SPA without
    /// routes): the site's CloudFront Function serves them as files, not
    /// as folders or app routes.
    pub extensionless_files: BTreeSet<String>,
}

impl StaticSiteArgs {
    /// The response headers policy's settings; `None` when disabled.
    pub fn security_headers(&self) -> Option<&SecurityHeaders> {
        let h = &self.inputs.security_headers;
        h.enabled.value.then_some(h)
    }

    /// Whether the site's own paths go through a CloudFront Function: the
    /// path rewrite of a plain site, or the SPA fallback of a site with routes.
    pub fn has_site_function(&self) -> bool {
        !*self.inputs.spa || !self.inputs.routes.is_empty()
    }

    /// The code of the site's CloudFront Function for this index document
    /// and these extensionless files.
    pub fn site_function_code(spa: bool, index_document: &str, files: &BTreeSet<String>) -> String {
        if spa {
            plan::spa_fallback_code(index_document, files)
        } else {
            plan::path_rewrite_code(index_document, files)
        }
    }

    /// Decode and validate raw inputs; relative paths start at the program's folder.
    pub fn decode(
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<StaticSiteArgs, InputError> {
        let inputs = StaticSiteInputs::decode(inputs)?;
        let path = &inputs.path;
        let folder = ctx.resolve_path(path.as_str());
        if !folder.is_dir() {
            let looked = if path.secret() {
                String::new()
            } else {
                format!(" (looked for {})", folder.display())
            };
            return Err(errors::path_not_a_folder(path.shown(), looked));
        }
        let spa = *inputs.spa;
        let index_document = &inputs.index_document;
        site_file("indexDocument", index_document, path, &folder)?;
        if let Some(doc) = &inputs.error_document {
            site_file("errorDocument", doc, path, &folder)?;
            if spa {
                return Err(errors::error_document_with_spa(doc.shown()));
            }
        }
        let page_key = super::plan::NOT_FOUND_PAGE_KEY;
        if !spa && inputs.error_document.is_none() && folder.join(page_key).exists() {
            return Err(errors::not_found_page_taken(path.shown(), page_key));
        }
        security_headers_enabled(&inputs.security_headers)?;
        let extensionless_files = if spa && inputs.routes.is_empty() {
            BTreeSet::new()
        } else {
            extensionless_files(path, &folder, index_document, spa)?
        };
        Ok(StaticSiteArgs {
            inputs,
            folder,
            extensionless_files,
        })
    }
}

/// CloudFront's limit on a response headers policy's `Content-Security-Policy`.
const MAX_CSP_LENGTH: usize = 1783;
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
fn cache_control(r: &ArgsReader<'_>, name: &str) -> Result<Option<Value>, InputError> {
    let Some(rules) = r.passthrough(name)? else {
        return Ok(None);
    };
    let path = r.path(name);
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
                    return Err(launchpad_core::errors::missing_required(&at));
                }
                Some((Some(Value::String(s)), t)) => (s.as_str(), secret || t.secret),
                // Unknown until another resource exists: SiteContent checks it.
                Some(_) => continue,
            };
            if field == "pattern" {
                glob(&at, text.0, text.1)?;
                if let Some((first, _)) = patterns.iter().find(|(_, p)| *p == text.0) {
                    return Err(errors::repeated_pattern(
                        &at,
                        quoted(text.0, text.1),
                        format!("{path}[{first}].pattern"),
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
    let bad = |why: &str| Err(errors::invalid_pattern(at, quoted(pattern, secret), why));
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
    Err(errors::invalid_cache_control(
        at,
        quoted(value, secret),
        why,
    ))
}

/// `securityHeaders.contentSecurityPolicy`, checked when known.
fn content_security_policy(
    csp_path: &str,
    csp: Input<String>,
) -> Result<Input<String>, InputError> {
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
    Err(errors::invalid_content_security_policy(
        csp_path,
        csp.shown(),
        why,
    ))
}

/// With `securityHeaders.enabled=false`, nothing that only the policy
/// would send may be set.
fn security_headers_enabled(h: &SecurityHeaders) -> Result<(), InputError> {
    if *h.enabled {
        return Ok(());
    }
    // Defaults filled in by the SDKs are fine; what only the policy sends is not.
    let set = if h.custom_headers.is_some() {
        Some("customHeaders")
    } else if h.content_security_policy.is_some() {
        Some("contentSecurityPolicy")
    } else {
        None
    };
    match set {
        Some(name) => Err(errors::needs_security_headers(&format!(
            "securityHeaders.{name}"
        ))),
        None => Ok(()),
    }
}

/// `securityHeaders.customHeaders`: names checked, values passed on as they came.
fn custom_headers(
    h: &ArgsReader<'_>,
    name: &str,
) -> Result<Option<BTreeMap<String, Value>>, InputError> {
    let Some(custom_headers) = h.entries(name)? else {
        return Ok(None);
    };
    let custom_path = h.path(name);
    if custom_headers.len() > MAX_CUSTOM_HEADERS {
        return Err(errors::too_many_custom_headers(
            &custom_path,
            custom_headers.len(),
            MAX_CUSTOM_HEADERS,
        ));
    }
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in &custom_headers {
        // In a secret map the names are secret too: then a message does not name the header.
        let secret = value.taint().secret;
        let shown = if secret { "[secret]" } else { name.as_str() };
        let at = format!("{custom_path}.{shown}");
        let bad = |why: String| Err(errors::invalid_custom_header(&at, why));
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
        return Err(errors::custom_headers_too_long(
            &custom_path,
            total,
            MAX_CUSTOM_HEADERS_TOTAL,
        ));
    }
    Ok(Some(custom_headers))
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
    spa: bool,
) -> Result<BTreeSet<String>, InputError> {
    let keys = manifest::keys(folder, path.as_str()).map_err(|e| {
        if path.secret() {
            // The walk's messages quote the path and what is under it.
            errors::secret_path_unlistable()
        } else {
            e
        }
    })?;
    let files: BTreeSet<String> = keys
        .into_iter()
        .filter(|key| plan::has_no_extension(key))
        .collect();
    let size = StaticSiteArgs::site_function_code(spa, index_document.as_str(), &files).len();
    if size > MAX_FUNCTION_CODE_BYTES {
        let count = files.len();
        let examples = files
            .iter()
            .take(3)
            .map(|key| format!("{key:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(errors::too_many_extensionless_files(
            path.shown(),
            count,
            examples,
            size,
            MAX_FUNCTION_CODE_BYTES,
        ));
    }
    Ok(files)
}

/// CloudFront's longest path pattern
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern).
const MAX_ROUTE_PATH: usize = 255;
/// The characters besides letters and digits CloudFront accepts in a path
/// pattern; it refuses the distribution for any other (a `%`-escape, `(`,
/// a non-ASCII letter) at deploy
/// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern).
const ROUTE_PATTERN_PUNCTUATION: &str = "_-.*?$/~\"'@:+&";

/// Whether CloudFront accepts `c` in a path pattern.
fn route_pattern_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ROUTE_PATTERN_PUNCTUATION.contains(c)
}

/// The function URL auth type a route needs: CloudFront's origin access
/// control signs requests, and only `AWS_IAM` checks them.
const ROUTE_AUTH_TYPE: &str = "AWS_IAM";

/// `routes`: each route read, its pattern checked against the ones before
/// it, and its target checked through the outputs Construct read for it.
fn routes(r: &ArgsReader<'_>, name: &str) -> Result<Vec<SiteRoute>, InputError> {
    let Some(items) = r.objects(name)? else {
        return Ok(Vec::new());
    };
    let mut routes: Vec<SiteRoute> = Vec::new();
    // Each earlier route's pattern: where it is, normalised, as a message shows it.
    let mut patterns: Vec<(String, String, String)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{}[{i}]", r.path(name));
        let route = SiteRouteInputs::read(item)?;
        let path_at = format!("{at}.path");
        let pattern = route_pattern(&path_at, &route.path)?;
        for (earlier_at, earlier, earlier_shown) in &patterns {
            if *earlier == pattern {
                return Err(errors::repeated_route_pattern(
                    &path_at,
                    route.path.shown(),
                    earlier_at,
                ));
            }
            if pattern_covers(earlier, &pattern) {
                return Err(errors::shadowed_route_pattern(
                    &path_at,
                    route.path.shown(),
                    earlier_at,
                    earlier_shown,
                ));
            }
        }
        patterns.push((path_at, pattern, route.path.shown()));
        let target = route_target(&at, route.function, route.web_service, route.origin_domain)?;
        if let RouteTarget::Function { function, .. } = &target {
            let fn_name = urn_name(&function.urn);
            let same_name = |r: &SiteRoute| {
                matches!(&r.target, RouteTarget::Function { function: f, .. }
                    if f.urn != function.urn && urn_name(&f.urn) == fn_name)
            };
            if let Some(j) = routes.iter().position(same_name) {
                return Err(errors::function_name_taken(
                    &format!("{at}.function"),
                    fn_name,
                    format!("{}[{j}].function", r.path(name)),
                ));
            }
        }
        routes.push(SiteRoute {
            path: route.path,
            target,
        });
    }
    Ok(routes)
}

/// A route's pattern, checked, without its optional leading `/` (CloudFront
/// reads `api/*` as `/api/*`).
fn route_pattern(at: &str, path: &Input<String>) -> Result<String, InputError> {
    let bad = |why: &str| Err(errors::invalid_route_pattern(at, path.shown(), why));
    let pattern = path.strip_prefix('/').unwrap_or(path);
    if path.is_empty() {
        return bad("it is empty");
    }
    if pattern == "*" {
        return bad("`*` and `/*` are the default behaviour, which serves the site itself");
    }
    if path.len() > MAX_ROUTE_PATH {
        return bad(&format!(
            "CloudFront allows at most {MAX_ROUTE_PATH} characters"
        ));
    }
    if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("it has a space or a control character");
    }
    if let Some(c) = path.chars().find(|c| !route_pattern_char(*c)) {
        // A secret pattern's characters are not quoted.
        let which = if path.secret() {
            "a character".to_string()
        } else {
            format!("`{c}`")
        };
        let punctuation: Vec<String> = ROUTE_PATTERN_PUNCTUATION
            .chars()
            .map(String::from)
            .collect();
        return bad(&format!(
            "{which} is not allowed: CloudFront takes only A-Z, a-z, 0-9 and {} (`*` and `?` are the wildcards)",
            punctuation.join(" ")
        ));
    }
    Ok(pattern.to_string())
}

/// Whether CloudFront's pattern `earlier` matches every path `later`
/// matches: `*` in `earlier` takes any run of `later`'s characters
/// (wildcards included), `?` any one of them but `*`, and any other
/// character only itself. Sure when it says yes, which is what a refusal
/// needs.
fn pattern_covers(earlier: &str, later: &str) -> bool {
    let (p, q): (Vec<char>, Vec<char>) = (earlier.chars().collect(), later.chars().collect());
    // covers[i][j]: p[i..] covers q[j..].
    let mut covers = vec![vec![false; q.len() + 1]; p.len() + 1];
    covers[p.len()][q.len()] = true;
    for i in (0..p.len()).rev() {
        for j in (0..=q.len()).rev() {
            covers[i][j] = match p[i] {
                '*' => covers[i + 1][j] || (j < q.len() && covers[i][j + 1]),
                '?' => j < q.len() && q[j] != '*' && covers[i + 1][j + 1],
                c => j < q.len() && q[j] == c && covers[i + 1][j + 1],
            };
        }
    }
    covers[0][0]
}

/// Exactly one target, and what it needs: a Function's URL with `AWS_IAM`;
/// a WebService's HTTPS listener and `originDomain`.
fn route_target(
    at: &str,
    function: Option<ResourceInput>,
    web_service: Option<ResourceInput>,
    origin_domain: Option<Input<String>>,
) -> Result<RouteTarget, InputError> {
    match (function, web_service) {
        (Some(function), None) => {
            let function_at = format!("{at}.function");
            if origin_domain.is_some() {
                return Err(errors::origin_domain_without_web_service(&format!(
                    "{at}.originDomain"
                )));
            }
            match function.output("urlAuthType") {
                None => return Err(errors::function_without_url(&function_at)),
                Some(auth) => {
                    if let Some(auth) = Input::known(&auth)
                        && auth.as_str() != ROUTE_AUTH_TYPE
                    {
                        return Err(errors::function_url_not_iam(&function_at, auth.shown()));
                    }
                }
            }
            let timeout = function.known_number("timeout");
            Ok(RouteTarget::Function { function, timeout })
        }
        (None, Some(service)) => {
            let Some(origin_domain) = origin_domain else {
                return Err(errors::origin_domain_required(&format!(
                    "{at}.originDomain"
                )));
            };
            let https = service.output("httpsListener");
            let refused = match https.as_ref().map(Value::unwrap_top) {
                None => true,
                Some((Some(Value::Bool(b)), _)) => !*b,
                // Unknown: nothing to refuse at preview.
                Some(_) => false,
            };
            if refused {
                return Err(errors::web_service_without_https(&format!(
                    "{at}.webService"
                )));
            }
            Ok(RouteTarget::WebService { origin_domain })
        }
        (Some(_), Some(_)) => Err(errors::route_target_count(at, "both")),
        (None, None) => Err(errors::route_target_count(at, "neither")),
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
        return Err(errors::invalid_object_name(property, key.shown()));
    }
    if !folder.join(name).is_file() {
        return Err(errors::document_not_in_site(
            property,
            key.shown(),
            path.shown(),
        ));
    }
    Ok(())
}

/// A host name CloudFront and ACM accept: lower case labels of `[a-z0-9-]`,
/// at least two of them, 253 characters at most.
fn host_name(property: &str, input: Input<String>) -> Result<Input<String>, InputError> {
    let bad = |why: &str| Err(errors::invalid_host_name(property, input.shown(), why));
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
        return Err(errors::invalid_zone_id(property, id.shown()));
    }
    Ok(id.map(|_| bare))
}
