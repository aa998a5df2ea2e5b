//! The S3 and CloudFront calls SiteContent makes, on the AWS SDK.
//!
//! Credentials and region follow the standard AWS chain (environment,
//! profile, SSO, web identity, container and instance roles); a `region`
//! input wins. `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_S3` /
//! `AWS_ENDPOINT_URL_CLOUDFRONT`) sends the calls elsewhere, an emulator in
//! tests, with path-style bucket addressing. Nothing is built before the
//! first call that needs it: the plugin's start-up never pays for it.
//! Throttling and 5xx answers are retried by the SDK with exponential
//! backoff and jitter, and so is an error S3 puts in the body of a 200 (see
//! [`Aws::put`]). Once the SDK has uploaded a file to a bucket, small files go
//! up as signed requests of their own on the SDK's endpoint, connections and
//! credentials (`direct`): what fails there goes back to the SDK. Waiting
//! for CloudFront to have room for an invalidation is policy, not transport:
//! [`super::invalidation`] does it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_runtime::auth::PayloadSigningOverride;
use aws_sdk_cloudfront::types::{InvalidationBatch, Paths};
use aws_sdk_s3::config::interceptors::{
    BeforeTransmitInterceptorContextMut, BeforeTransmitInterceptorContextRef,
};
use aws_sdk_s3::config::retry::{RetryPartition, TokenBucket};
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_s3::error::{BoxError, DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::operation::put_object::{PutObjectError, PutObjectOutput};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier};
use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::endpoint::Endpoint;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::sync::OnceCell;

use crate::direct::{self, Direct, Target};
use crate::errors::SyncError;
use crate::lock;
use crate::manifest::{Entry, hex, hex16};

/// An object as a listing of the bucket shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Its ETag: S3's opaque tag of the content (see [`Aws::list`]).
    pub etag: String,
    /// Its size in bytes.
    pub size: u64,
}

/// Files larger than this go up in parts...
pub const MULTIPART_THRESHOLD: u64 = 16 * 1024 * 1024;
/// ...of this size (S3's minimum part is 5 MiB).
const PART_SIZE: usize = 8 * 1024 * 1024;
/// Attempts per request, throttling and 5xx included.
const MAX_ATTEMPTS: u32 = 8;
/// Keys per DeleteObjects request (S3's limit).
const DELETE_BATCH: usize = 1000;

/// S3 and CloudFront clients for one region, built on first use.
pub struct Aws {
    region: Option<String>,
    config: OnceCell<SdkConfig>,
    s3: OnceCell<aws_sdk_s3::Client>,
    cloudfront: OnceCell<aws_sdk_cloudfront::Client>,
    direct: Direct,
}

fn endpoint_overridden(service: &str) -> bool {
    [
        "AWS_ENDPOINT_URL".to_string(),
        format!("AWS_ENDPOINT_URL_{service}"),
    ]
    .iter()
    .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

impl Aws {
    /// Clients for `region` (the AWS chain's region when `None`).
    pub fn new(region: Option<String>) -> Aws {
        Aws {
            region,
            config: OnceCell::new(),
            s3: OnceCell::new(),
            cloudfront: OnceCell::new(),
            direct: Direct::default(),
        }
    }

    async fn config(&self) -> &SdkConfig {
        self.config
            .get_or_init(|| async {
                let http = aws_smithy_http_client::Builder::new()
                    .tls_provider(tls::Provider::Rustls(
                        tls::rustls_provider::CryptoMode::Ring,
                    ))
                    .build_https();
                let mut loader = aws_config::defaults(BehaviorVersion::latest())
                    .http_client(http)
                    .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
                    .timeout_config(
                        TimeoutConfig::builder()
                            .connect_timeout(Duration::from_secs(10))
                            .build(),
                    );
                if let Some(region) = &self.region {
                    loader = loader.region(Region::new(region.clone()));
                }
                loader.load().await
            })
            .await
    }

    async fn s3(&self) -> &aws_sdk_s3::Client {
        self.s3
            .get_or_init(|| async {
                let config = aws_sdk_s3::config::Builder::from(self.config().await)
                    // Emulators answer on one host: no bucket subdomains.
                    .force_path_style(endpoint_overridden("S3"))
                    .interceptor(PutInterceptor)
                    // The SDK's default retry quota (500 tokens per process, 5 a
                    // retry, kept while a request keeps failing) is spent within
                    // seconds of 503 SlowDown by uploads in flight together, and
                    // then fails them all at once, long before their attempts and
                    // backoff would have carried them through: S3 asks a client
                    // to back off and retry SlowDown ("Best practices design
                    // patterns: optimizing Amazon S3 performance"). A deploy's
                    // retries are bounded already: its own concurrency, at most
                    // MAX_ATTEMPTS each, exponential backoff with jitter.
                    .retry_partition(
                        RetryPartition::custom("launchpad-site-content")
                            .token_bucket(TokenBucket::unlimited())
                            .build(),
                    )
                    .build();
                aws_sdk_s3::Client::from_conf(config)
            })
            .await
    }

    async fn cloudfront(&self) -> &aws_sdk_cloudfront::Client {
        self.cloudfront
            .get_or_init(|| async { aws_sdk_cloudfront::Client::new(self.config().await) })
            .await
    }

    /// Upload `file` as `key`, checking it is still what the manifest says;
    /// the object's ETag.
    ///
    /// Large files go up in parts. S3 may answer CompleteMultipartUpload
    /// with 200 and an error in the body (it has started assembling the
    /// parts before it knows the outcome): the SDK reads the body, retries
    /// what is transient (InternalError) and returns an error otherwise, so
    /// only a reply that says the object exists counts as uploaded.
    pub async fn put(
        &self,
        bucket: &str,
        key: &str,
        file: &Path,
        entry: &Entry,
    ) -> Result<String, SyncError> {
        let s3 = self.s3().await;
        if entry.size > MULTIPART_THRESHOLD {
            return self.put_multipart(s3, bucket, key, file, entry).await;
        }
        let bytes = tokio::fs::read(file)
            .await
            .map_err(|error| SyncError::ReadFile {
                file: file.display().to_string(),
                error,
            })?;
        let digest = Sha256::digest(&bytes);
        if hex16(&digest) != entry.hash {
            return Err(SyncError::ChangedSincePreview { key: key.into() });
        }
        let sha256 = hex(&digest);
        let bytes = bytes::Bytes::from(bytes);
        if let Some(target) = self.direct.target(bucket, key, entry.size)
            && let Some(etag) = self
                .direct
                .put(&target, key, entry, bytes.clone(), &sha256)
                .await
        {
            return Ok(etag);
        }
        let (out, seen) = sdk_put(s3, bucket, key, entry, bytes, sha256).await;
        let out = out.map_err(|e| upload_failed(key, describe(e)))?;
        if let Some(target) = seen {
            self.direct.learn(bucket, target);
        }
        Ok(out.e_tag().unwrap_or_default().to_string())
    }

    async fn put_multipart(
        &self,
        s3: &aws_sdk_s3::Client,
        bucket: &str,
        key: &str,
        file: &Path,
        entry: &Entry,
    ) -> Result<String, SyncError> {
        abort_stale_uploads(s3, bucket, key).await;
        let started = s3
            .create_multipart_upload()
            .bucket(bucket)
            .key(key)
            .content_type(&entry.content_type)
            .cache_control(&entry.cache_control)
            .send()
            .await
            .map_err(|e| upload_failed(key, describe(e)))?;
        let upload_id = started.upload_id().unwrap_or_default().to_string();
        let read_failed = |error| SyncError::ReadFile {
            file: file.display().to_string(),
            error,
        };
        let completed = async {
            let mut reader = tokio::fs::File::open(file).await.map_err(read_failed)?;
            let mut hasher = Sha256::new();
            let mut parts = Vec::new();
            for number in 1.. {
                let mut chunk = Vec::with_capacity(PART_SIZE);
                (&mut reader)
                    .take(PART_SIZE as u64)
                    .read_to_end(&mut chunk)
                    .await
                    .map_err(read_failed)?;
                if chunk.is_empty() && number > 1 {
                    break;
                }
                hasher.update(&chunk);
                let last = chunk.len() < PART_SIZE;
                let part = s3
                    .upload_part()
                    .bucket(bucket)
                    .key(key)
                    .upload_id(&upload_id)
                    .part_number(number)
                    .body(ByteStream::from(chunk))
                    .send()
                    .await
                    .map_err(|e| upload_failed(key, describe(e)))?;
                parts.push(
                    CompletedPart::builder()
                        .part_number(number)
                        .set_e_tag(part.e_tag().map(str::to_string))
                        .build(),
                );
                if last {
                    break;
                }
            }
            if hex16(&hasher.finalize()) != entry.hash {
                return Err(SyncError::ChangedSincePreview { key: key.into() });
            }
            let done = s3
                .complete_multipart_upload()
                .bucket(bucket)
                .key(key)
                .upload_id(&upload_id)
                .multipart_upload(
                    CompletedMultipartUpload::builder()
                        .set_parts(Some(parts))
                        .build(),
                )
                .send()
                .await
                .map_err(|e| upload_failed(key, describe(e)))?;
            Ok(done.e_tag().unwrap_or_default().to_string())
        }
        .await;
        if completed.is_err() {
            // Parts of an abandoned upload cost storage until aborted. Should
            // the upload have completed after all (its answer lost), S3 keeps
            // the object and refuses the abort: nothing is lost either way.
            let _ = s3
                .abort_multipart_upload()
                .bucket(bucket)
                .key(key)
                .upload_id(&upload_id)
                .send()
                .await;
        }
        completed
    }

    /// Delete `keys` (a thousand per request). A bucket that is gone
    /// already holds nothing to delete.
    pub async fn delete(&self, bucket: &str, keys: &[String]) -> Result<(), SyncError> {
        if keys.is_empty() {
            return Ok(());
        }
        let failed = |reason: String| SyncError::Delete {
            bucket: bucket.into(),
            reason,
        };
        let s3 = self.s3().await;
        for batch in keys.chunks(DELETE_BATCH) {
            let objects = batch
                .iter()
                .map(|k| ObjectIdentifier::builder().key(k).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| failed(e.to_string()))?;
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(|e| failed(e.to_string()))?;
            match s3
                .delete_objects()
                .bucket(bucket)
                .delete(delete)
                .send()
                .await
            {
                Ok(out) => {
                    if let Some(e) = out.errors().first() {
                        return Err(SyncError::DeleteRefused {
                            bucket: bucket.into(),
                            key: e.key().unwrap_or_default().into(),
                            message: e.message().unwrap_or_default().into(),
                            refused: out.errors().len(),
                            asked: batch.len(),
                        });
                    }
                }
                Err(e) if e.code() == Some("NoSuchBucket") => return Ok(()),
                Err(e) => return Err(failed(describe(e))),
            }
        }
        Ok(())
    }

    /// Every object under `prefix`: key → ETag and size; `None` when the
    /// bucket does not exist.
    ///
    /// An ETag is compared only with the ETag S3 gave the same upload, never
    /// with a hash of the file: S3 documents it as an MD5 of the content only
    /// for single-part, unencrypted or SSE-S3 objects (multipart uploads and
    /// SSE-KMS give other values), while any upload, copy or overwrite gives
    /// the object a new one unless the content is the same.
    pub async fn list(
        &self,
        bucket: &str,
        prefix: &str,
    ) -> Result<Option<BTreeMap<String, Listed>>, SyncError> {
        let mut pages = self
            .s3()
            .await
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .into_paginator()
            .send();
        let mut objects = BTreeMap::new();
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                Err(e) if e.code() == Some("NoSuchBucket") => return Ok(None),
                Err(e) => {
                    return Err(SyncError::List {
                        bucket: bucket.into(),
                        reason: describe(e),
                    });
                }
            };
            for object in page.contents() {
                if let Some(key) = object.key() {
                    objects.insert(
                        key.to_string(),
                        Listed {
                            etag: object.e_tag().unwrap_or_default().to_string(),
                            size: object.size().unwrap_or_default().max(0) as u64,
                        },
                    );
                }
            }
        }
        Ok(Some(objects))
    }

    /// One invalidation of `paths`; its ID. The same `reference` makes a
    /// retry of the same paths the same invalidation, never a second one.
    pub async fn invalidate(
        &self,
        distribution_id: &str,
        paths: &[String],
        reference: &str,
    ) -> Result<String, SyncError> {
        let failed = |reason: String| SyncError::Invalidate {
            distribution: distribution_id.into(),
            reason,
        };
        let batch = InvalidationBatch::builder()
            .paths(
                Paths::builder()
                    .quantity(paths.len() as i32)
                    .set_items(Some(paths.to_vec()))
                    .build()
                    .map_err(|e| failed(e.to_string()))?,
            )
            .caller_reference(reference)
            .build()
            .map_err(|e| failed(e.to_string()))?;
        let out = self
            .cloudfront()
            .await
            .create_invalidation()
            .distribution_id(distribution_id)
            .invalidation_batch(batch)
            .send()
            .await
            .map_err(|e| match e.as_service_error() {
                Some(s) if s.is_too_many_invalidations_in_progress() => {
                    SyncError::TooManyInvalidations {
                        distribution: distribution_id.into(),
                        paths: paths.len(),
                        message: s.message().unwrap_or_default().to_string(),
                    }
                }
                _ => failed(describe(e)),
            })?;
        Ok(out
            .invalidation()
            .map(|i| i.id().to_string())
            .unwrap_or_default())
    }
}

/// PutObject through the SDK, signed with `sha256` (the body's, hex); its
/// answer, and where and how it was sent when a direct PUT could do the same.
async fn sdk_put(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    entry: &Entry,
    body: bytes::Bytes,
    sha256: String,
) -> (
    Result<PutObjectOutput, SdkError<PutObjectError, HttpResponse>>,
    Option<Target>,
) {
    let send = s3
        .put_object()
        .bucket(bucket)
        .key(key)
        .content_type(&entry.content_type)
        .cache_control(&entry.cache_control)
        .body(ByteStream::from(body))
        .send();
    let context = PutContext {
        sha256,
        key: key.to_string(),
        seen: Mutex::new(None),
    };
    PUT.scope(context, async {
        let out = send.await;
        (out, PUT.with(|c| lock(&c.seen).take()))
    })
    .await
}

/// An SDK error in one line: the service's code and message when it
/// answered, else what went wrong on the way (with its causes).
fn describe<E, R>(e: SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match e.as_service_error().map(|s| (s.code(), s.message())) {
        Some((Some(code), Some(message))) => format!("{code}: {message}"),
        Some((Some(code), None)) => code.to_string(),
        _ => match e {
            SdkError::ServiceError(s) => DisplayErrorContext(s.into_err()).to_string(),
            e => DisplayErrorContext(e).to_string(),
        },
    }
}

/// Abort the multipart uploads of `key` that an earlier deploy left open:
/// one cut off by a cancel or a deadline, or one whose abort failed because
/// the server was gone. S3 keeps, and bills, their parts until they are
/// aborted (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html>).
/// Called before `key` goes up in parts again, so no upload of this deploy
/// is in the listing. Best effort: a listing or an abort refused (a policy
/// without `s3:ListBucketMultipartUploads`, say) leaves them, and the
/// upload goes on.
async fn abort_stale_uploads(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) {
    let listed = match s3
        .list_multipart_uploads()
        .bucket(bucket)
        .prefix(key)
        .send()
        .await
    {
        Ok(listed) => listed,
        Err(e) => {
            tracing::debug!("multipart uploads of {key} not listed: {}", describe(e));
            return;
        }
    };
    for upload in listed.uploads() {
        let (Some(k), Some(id)) = (upload.key(), upload.upload_id()) else {
            continue;
        };
        if k != key {
            continue; // a longer key with this one as its prefix
        }
        let aborted = s3
            .abort_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(id)
            .send()
            .await;
        match aborted {
            Ok(_) => tracing::debug!("aborted an earlier deploy's open upload of {key}"),
            Err(e) => tracing::debug!("open upload of {key} not aborted: {}", describe(e)),
        }
    }
}

fn upload_failed(key: &str, reason: String) -> SyncError {
    SyncError::Upload {
        key: key.into(),
        reason,
    }
}

tokio::task_local! {
    /// The PutObject [`Aws::put`] is sending through the SDK, for [`PutInterceptor`].
    static PUT: PutContext;
}

struct PutContext {
    /// The body's SHA-256, hex.
    sha256: String,
    key: String,
    /// Where the SDK sent it and how it signed it, for [`Direct`].
    seen: Mutex<Option<Target>>,
}

/// The S3 client's interceptor for [`Aws::put`]'s PutObject calls (it does
/// nothing to others). It signs each with the body's SHA-256 that `put`
/// computed to check the file: without it the SDK hashes every body once
/// more to sign it. The request is the same, payload signed
/// (`x-amz-content-sha256`), so a bucket policy that refuses unsigned
/// payloads still accepts it. And it notes where the SDK sent it, for the
/// direct path. One interceptor for the client, reading its call from the
/// task: one per request would cost each PUT an operation-level
/// configuration of its own.
#[derive(Debug)]
struct PutInterceptor;

impl Intercept for PutInterceptor {
    fn name(&self) -> &'static str {
        "PutInterceptor"
    }

    fn modify_before_signing(
        &self,
        _: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Client interceptors run after the SDK's own: one that chose how to
        // sign (a STREAMING-… value, were the body ever streamed aws-chunked)
        // keeps its choice. On a retry the bag holds this hash already.
        if cfg.load::<PayloadSigningOverride>().is_none()
            && let Ok(hash) = PUT.try_with(|c| c.sha256.clone())
        {
            cfg.interceptor_state()
                .store_put(PayloadSigningOverride::Precomputed(hash));
        }
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let _ = PUT.try_with(|c| {
            let target = direct::observed(
                &c.key,
                context.request(),
                cfg.load::<Endpoint>(),
                components,
                cfg.load::<TimeoutConfig>(),
            );
            *lock(&c.seen) = target;
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::config::Credentials;
    use aws_smithy_runtime_api::client::http::{
        HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
    };
    use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
    use aws_smithy_types::body::SdkBody;
    use std::sync::Arc;

    /// A request's URI and headers.
    type Sent = (String, BTreeMap<String, String>);

    /// Records each request; answers 200 with an ETag and `answer` as the body.
    #[derive(Clone, Debug, Default)]
    struct Capture {
        sent: Arc<Mutex<Vec<Sent>>>,
        answer: Arc<Mutex<&'static str>>,
    }

    impl HttpConnector for Capture {
        fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
            let headers = request
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            lock(&self.sent).push((request.uri().to_string(), headers));
            let body = SdkBody::from(*lock(&self.answer));
            let mut answer = HttpResponse::new(200u16.try_into().unwrap(), body);
            answer.headers_mut().insert("etag", "\"e\"");
            HttpConnectorFuture::ready(Ok(answer))
        }
    }

    impl HttpClient for Capture {
        fn http_connector(
            &self,
            _: &HttpConnectorSettings,
            _: &RuntimeComponents,
        ) -> SharedHttpConnector {
            SharedHttpConnector::new(self.clone())
        }
    }

    /// An S3 client in eu-west-1 (session credentials) whose requests go to `capture`.
    fn client(capture: &Capture, endpoint: Option<&str>, path_style: bool) -> aws_sdk_s3::Client {
        let credentials = Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None, "test");
        let mut config = aws_sdk_s3::config::Builder::new()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .credentials_provider(credentials)
            .http_client(capture.clone())
            .force_path_style(path_style)
            .interceptor(PutInterceptor);
        if let Some(url) = endpoint {
            config = config.endpoint_url(url);
        }
        aws_sdk_s3::Client::from_conf(config.build())
    }

    const BODY: &[u8] = b"page 7";

    fn entry(key: &str) -> Entry {
        Entry {
            hash: String::new(),
            size: BODY.len() as u64,
            content_type: crate::manifest::content_type(key),
            cache_control: "no-cache".into(),
        }
    }

    /// `key` through the SDK; the target it showed, learnt.
    async fn sdk_put_learnt(s3: &aws_sdk_s3::Client, direct: &Direct, bucket: &str, key: &str) {
        let body = bytes::Bytes::from_static(BODY);
        let (out, seen) = sdk_put(
            s3,
            bucket,
            key,
            &entry(key),
            body,
            hex(&Sha256::digest(BODY)),
        )
        .await;
        out.unwrap();
        if let Some(target) = seen {
            direct.learn(bucket, target);
        }
    }

    async fn direct_put(direct: &Direct, bucket: &str, key: &str) -> Option<String> {
        let target = direct.target(bucket, key, BODY.len() as u64)?;
        let body = bytes::Bytes::from_static(BODY);
        let sha256 = hex(&Sha256::digest(BODY));
        direct.put(&target, key, &entry(key), body, &sha256).await
    }

    /// The names in a request's Authorization header's SignedHeaders.
    fn signed(headers: &BTreeMap<String, String>) -> Vec<String> {
        let names = headers["authorization"]
            .split("SignedHeaders=")
            .nth(1)
            .unwrap();
        let names = names.split(',').next().unwrap();
        names.split(';').map(str::to_string).collect()
    }

    #[tokio::test]
    async fn a_direct_put_is_the_sdks_request_but_for_the_user_agent() {
        let endpoints = [
            (None, false, "my-bucket"),
            (None, false, "my.dotted.bucket"),
            (Some("http://127.0.0.1:9000/pre/fix/"), true, "site"),
        ];
        // Only the SDK's own bookkeeping and the signature (made at another instant) differ.
        let own = [
            "authorization",
            "x-amz-date",
            "user-agent",
            "x-amz-user-agent",
        ];
        let own = |name: &str| own.contains(&name) || name.starts_with("amz-sdk-");
        let same = |h: &BTreeMap<String, String>| {
            h.iter()
                .filter(|(k, _)| !own(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>()
        };
        for (endpoint, path_style, bucket) in endpoints {
            let capture = Capture::default();
            let s3 = client(&capture, endpoint, path_style);
            let direct = Direct::default();
            sdk_put_learnt(&s3, &direct, bucket, "index.html").await;
            assert!(
                direct.target(bucket, " ", 6).is_none(),
                "a blank key is the SDK's to refuse"
            );
            for key in [
                "a b/ü+c.html",
                "/lead",
                "x//y",
                "./dot/../z",
                "q?#%&=;:@!$'()*,[]",
            ] {
                let etag = direct_put(&direct, bucket, key).await;
                assert_eq!(etag.as_deref(), Some("\"e\""), "{key}");
                sdk_put_learnt(&s3, &direct, bucket, key).await;
                let sent = lock(&capture.sent);
                let [(direct_uri, direct_headers), (sdk_uri, sdk_headers)] =
                    &sent[sent.len() - 2..]
                else {
                    unreachable!()
                };
                assert_eq!(direct_uri, sdk_uri, "{key}");
                assert_eq!(same(direct_headers), same(sdk_headers), "{key}");
                let mut sdk_signed = signed(sdk_headers);
                sdk_signed.retain(|name| name != "x-amz-user-agent");
                assert_eq!(signed(direct_headers), sdk_signed, "{key}");
            }
        }
    }

    #[tokio::test]
    async fn an_error_document_in_a_200_turns_the_direct_path_off() {
        let capture = Capture::default();
        let s3 = client(&capture, None, false);
        let direct = Direct::default();
        sdk_put_learnt(&s3, &direct, "my-bucket", "index.html").await;
        assert!(direct_put(&direct, "my-bucket", "a.html").await.is_some());
        *lock(&capture.answer) = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
            <Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>";
        assert_eq!(direct_put(&direct, "my-bucket", "b.html").await, None);
        *lock(&capture.answer) = "";
        assert!(
            direct.target("my-bucket", "c.html", 6).is_none(),
            "off for the rest of the deploy"
        );
    }
}
