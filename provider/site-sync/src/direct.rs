//! PutObject without the SDK's per-request machinery, while all goes well.
//!
//! A first sync of many small files spends most of its CPU in the SDK's
//! orchestration of each request (configuration layers, interceptors,
//! endpoint rules, its user agent), not in hashing, signing or sending: 10,000
//! PUTs to versitygw on 127.0.0.1 cost the client 3.5 s of CPU through the
//! SDK, 2.0 s this way (bench/README.md#site-sync). So once
//! the SDK has uploaded a file to a bucket, [`Direct`] sends the next small
//! files the same way by itself:
//!
//! - to the endpoint the SDK resolved for that bucket (its own rules: region,
//!   FIPS, dual-stack, path style, `AWS_ENDPOINT_URL`), learnt from that
//!   upload, and only if its URL is exactly what [`object_url`] builds and it
//!   signs with plain SigV4 (not SigV4a, not S3 Express sessions);
//! - through the SDK's own HTTP client (its connection pool, TLS, timeouts);
//! - signed by the SDK's signer crate with S3's settings (no double encoding,
//!   no path normalisation, `x-amz-content-sha256` the body's SHA-256), with
//!   the credentials of the SDK's own identity cache (same refresh rules);
//! - with the same headers: Content-Type, Cache-Control and, when the SDK sent
//!   one, its CRC32 (its checksum crate).
//!
//! A key the SDK would refuse (blank) goes through the SDK, which says so.
//!
//! Anything but a 2xx answer, a transport error or a timeout turns it off for
//! the rest of the deploy, and that file and every later one go through the
//! SDK, with its retries, backoff, clock-skew correction and error messages.
//! A PUT is idempotent: sending a file again that did land is harmless.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use aws_runtime::auth::sigv4::SCHEME_ID as SIGV4;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ChecksumAlgorithm as S3ChecksumAlgorithm;
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
    UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_checksums::ChecksumAlgorithm;
use aws_smithy_http::label::{EncodingStrategy, fmt_string};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::identity::ResolveCachedIdentity;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::{GetIdentityResolver, RuntimeComponents};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::endpoint::Endpoint;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::lock;
use crate::manifest::Entry;

/// Files up to this size may go direct; larger ones always through the SDK
/// (few, and their CPU is in the bytes, not the request).
const DIRECT_MAX: u64 = 1024 * 1024;
/// A direct PUT taking longer than this is given up, and the SDK takes over.
const DIRECT_TIMEOUT: Duration = Duration::from_secs(60);

/// Where a bucket's objects go and how their PUTs are signed, as the SDK
/// resolved it for an upload that succeeded.
#[derive(Clone, Debug)]
pub struct Target {
    /// The endpoint's URL, no trailing slash (path style: with the bucket).
    url: String,
    region: String,
    service: String,
    /// Whether the SDK sent a CRC32 of the body (its default, unless
    /// `AWS_REQUEST_CHECKSUM_CALCULATION=when_required`).
    crc32: bool,
    connector: SharedHttpConnector,
    /// The SDK's components for that call: its identity cache and resolver.
    components: RuntimeComponents,
}

/// The direct path of one deploy's [`crate::aws::Aws`].
#[derive(Debug, Default)]
pub struct Direct {
    targets: Mutex<HashMap<String, Target>>,
    off: AtomicBool,
}

/// The URL of `key` under an endpoint: the SDK's own label encoding (`/`
/// kept, the rest percent-encoded), its `x-id` query.
pub fn object_url(endpoint: &str, key: &str) -> String {
    format!(
        "{}/{}?x-id=PutObject",
        endpoint.trim_end_matches('/'),
        fmt_string(key, EncodingStrategy::Greedy)
    )
}

impl Direct {
    /// The target of `bucket` if the file `key` of `size` bytes may go direct.
    pub fn target(&self, bucket: &str, key: &str, size: u64) -> Option<Target> {
        if size > DIRECT_MAX || key.trim().is_empty() || self.off.load(Ordering::Relaxed) {
            return None;
        }
        lock(&self.targets).get(bucket).cloned()
    }

    /// Keep `target` for `bucket` (the SDK's upload to it succeeded).
    pub fn learn(&self, bucket: &str, target: Target) {
        lock(&self.targets).insert(bucket.to_string(), target);
    }

    /// From now on, everything through the SDK.
    fn turn_off(&self, key: &str, why: &str) {
        if !self.off.swap(true, Ordering::Relaxed) {
            tracing::info!("direct PUT of {key}: {why}; the SDK sends the rest of this deploy");
        }
    }

    /// PUT `body` (whose SHA-256 is `sha256`, hex) as `key`; its ETag, or
    /// `None` when the SDK has to send it (and every later file).
    pub async fn put(
        &self,
        target: &Target,
        key: &str,
        entry: &Entry,
        body: bytes::Bytes,
        sha256: &str,
    ) -> Option<String> {
        let sent = tokio::time::timeout(DIRECT_TIMEOUT, target.send(key, entry, body, sha256));
        let why = match sent.await {
            Ok(Ok(etag)) => return Some(etag),
            Ok(Err(why)) => why,
            Err(_) => "no answer in time".to_string(),
        };
        self.turn_off(key, &why);
        None
    }
}

impl Target {
    async fn send(
        &self,
        key: &str,
        entry: &Entry,
        body: bytes::Bytes,
        sha256: &str,
    ) -> Result<String, String> {
        let components = &self.components;
        let resolver = components
            .identity_resolver(SIGV4)
            .ok_or("no SigV4 identity resolver")?;
        let identity = components
            .identity_cache()
            .resolve_cached_identity(resolver, components, &ConfigBag::base())
            .await
            .map_err(|e| format!("no credentials: {e}"))?;
        let url = object_url(&self.url, key);
        let mut request = http::Request::builder()
            .method("PUT")
            .uri(&url)
            .header("content-type", &entry.content_type)
            .header("cache-control", &entry.cache_control)
            .header("content-length", body.len())
            .header("x-amz-content-sha256", sha256)
            .header("user-agent", USER_AGENT);
        if self.crc32 {
            let mut crc32 = ChecksumAlgorithm::Crc32.into_impl();
            crc32.update(&body);
            request = request
                .header(
                    "x-amz-sdk-checksum-algorithm",
                    S3ChecksumAlgorithm::Crc32.as_str(),
                )
                .header(crc32.header_name(), crc32.header_value());
        }
        let mut request = request
            .body(SdkBody::from(body))
            .map_err(|e| format!("request not built: {e}"))?;
        let mut settings = SigningSettings::default();
        // S3's: the path as sent, encoded once, never normalised.
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.service)
            .time(SystemTime::now())
            .settings(settings)
            .build()
            .map_err(|e| format!("not signed: {e}"))?
            .into();
        let headers = request
            .headers()
            .iter()
            .map(|(k, v)| Ok((k.as_str(), v.to_str()?)))
            .collect::<Result<Vec<_>, http::header::ToStrError>>()
            .map_err(|e| format!("not signed: {e}"))?;
        let signable = SignableRequest::new(
            "PUT",
            &url,
            headers.into_iter(),
            SignableBody::Precomputed(sha256.to_string()),
        )
        .map_err(|e| format!("not signed: {e}"))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| format!("not signed: {e}"))?
            .into_parts();
        instructions.apply_to_request_http1x(&mut request);
        let request = request
            .try_into()
            .map_err(|e| format!("request not built: {e}"))?;
        let response = self
            .connector
            .call(request)
            .await
            .map_err(|e| format!("not sent: {e}"))?;
        let status = response.status().as_u16();
        let etag = response.headers().get("etag").map(str::to_string);
        // Read to the end, so that the connection goes back to the pool.
        let body = ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| format!("answer not read: {e}"))?
            .into_bytes();
        // S3 answers PutObject's errors with an error status; a store that
        // put an `<Error>` document in a 200 (as S3 does for
        // CompleteMultipartUpload, after its XML declaration) is not taken
        // at its word either.
        let text = String::from_utf8_lossy(&body[..body.len().min(300)]);
        if !(200..300).contains(&status) || text.contains("<Error>") {
            return Err(format!("answered {status}: {text}"));
        }
        Ok(etag.unwrap_or_default())
    }
}

/// The target the SDK used for a PutObject of `key`, read while it sends it
/// (`request` what it sends, `endpoint` what its rules resolved); `None` when
/// a direct PUT could not be the same request.
pub fn observed(
    key: &str,
    request: &HttpRequest,
    endpoint: Option<&Endpoint>,
    components: &RuntimeComponents,
    timeouts: Option<&TimeoutConfig>,
) -> Option<Target> {
    let endpoint = endpoint?;
    let url = endpoint.url().trim_end_matches('/').to_string();
    if object_url(&url, key) != request.uri() || endpoint.headers().next().is_some() {
        return None;
    }
    let scheme = endpoint.auth_schemes().first()?;
    let text = |name: &str| scheme.get(name).and_then(|v| v.as_string());
    let single_encoding = scheme
        .get("disableDoubleEncoding")
        .and_then(|v| v.as_bool())
        == Some(true);
    if scheme.name() != "sigv4" || !single_encoding {
        return None;
    }
    // The settings the SDK asks its client for: the same connector and pool.
    let mut settings = HttpConnectorSettings::builder();
    settings
        .set_connect_timeout(timeouts.and_then(TimeoutConfig::connect_timeout))
        .set_read_timeout(timeouts.and_then(TimeoutConfig::read_timeout));
    let settings = settings.build();
    let connector = components
        .http_client()?
        .http_connector(&settings, components);
    Some(Target {
        url,
        region: text("signingRegion")?.to_string(),
        service: text("signingName").unwrap_or("s3").to_string(),
        crc32: request.headers().contains_key("x-amz-checksum-crc32"),
        connector,
        components: components.clone(),
    })
}

const USER_AGENT: &str = concat!("launchpad-site-sync/", env!("CARGO_PKG_VERSION"));
