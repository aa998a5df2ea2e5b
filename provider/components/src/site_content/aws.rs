//! The S3 and CloudFront calls SiteContent makes, on the AWS SDK.
//!
//! Credentials and region follow the standard AWS chain (environment,
//! profile, SSO, web identity, container and instance roles); a `region`
//! input wins. `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_S3` /
//! `AWS_ENDPOINT_URL_CLOUDFRONT`) sends the calls elsewhere, an emulator in
//! tests, with path-style bucket addressing. Nothing is built before the
//! first call that needs it: the plugin's start-up never pays for it.
//! Throttling and 5xx answers are retried by the SDK with exponential
//! backoff and jitter.

use std::path::Path;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudfront::types::{InvalidationBatch, Paths};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier};
use aws_smithy_http_client::tls;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::sync::OnceCell;

use super::manifest::Entry;

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

    /// Upload `file` as `key`, checking it is still what the manifest says.
    pub async fn put(
        &self,
        bucket: &str,
        key: &str,
        file: &Path,
        entry: &Entry,
    ) -> Result<(), String> {
        let s3 = self.s3().await;
        if entry.size > MULTIPART_THRESHOLD {
            return self.put_multipart(s3, bucket, key, file, entry).await;
        }
        let bytes = tokio::fs::read(file)
            .await
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        if hash(&bytes) != entry.hash {
            return Err(changed_since_preview(key));
        }
        s3.put_object()
            .bucket(bucket)
            .key(key)
            .content_type(&entry.content_type)
            .cache_control(&entry.cache_control)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| format!("cannot upload {key}: {}", describe(e)))?;
        Ok(())
    }

    async fn put_multipart(
        &self,
        s3: &aws_sdk_s3::Client,
        bucket: &str,
        key: &str,
        file: &Path,
        entry: &Entry,
    ) -> Result<(), String> {
        let failed = |e: String| format!("cannot upload {key}: {e}");
        let started = s3
            .create_multipart_upload()
            .bucket(bucket)
            .key(key)
            .content_type(&entry.content_type)
            .cache_control(&entry.cache_control)
            .send()
            .await
            .map_err(|e| failed(describe(e)))?;
        let upload_id = started.upload_id().unwrap_or_default().to_string();
        let parts = async {
            let mut reader = tokio::fs::File::open(file)
                .await
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let mut hasher = Sha256::new();
            let mut parts = Vec::new();
            for number in 1.. {
                let mut chunk = Vec::with_capacity(PART_SIZE);
                (&mut reader)
                    .take(PART_SIZE as u64)
                    .read_to_end(&mut chunk)
                    .await
                    .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
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
                    .map_err(|e| failed(describe(e)))?;
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
                return Err(changed_since_preview(key));
            }
            Ok(parts)
        }
        .await;
        match parts {
            Ok(parts) => s3
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
                .map(|_| ())
                .or_else(|e| match e.raw_response().map(|r| r.status().as_u16()) {
                    // S3 said 200: the object is complete, whatever the body
                    // (moto answers with a root element the SDK refuses).
                    Some(200) => Ok(()),
                    _ => Err(failed(describe(e))),
                }),
            Err(e) => {
                // Parts of an abandoned upload cost storage until aborted.
                let _ = s3
                    .abort_multipart_upload()
                    .bucket(bucket)
                    .key(key)
                    .upload_id(&upload_id)
                    .send()
                    .await;
                Err(e)
            }
        }
    }

    /// Delete `keys` (a thousand per request). A bucket that is gone
    /// already holds nothing to delete.
    pub async fn delete(&self, bucket: &str, keys: &[String]) -> Result<(), String> {
        if keys.is_empty() {
            return Ok(());
        }
        let s3 = self.s3().await;
        for batch in keys.chunks(DELETE_BATCH) {
            let objects = batch
                .iter()
                .map(|k| ObjectIdentifier::builder().key(k).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("cannot delete from {bucket}: {e}"))?;
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(|e| format!("cannot delete from {bucket}: {e}"))?;
            match s3
                .delete_objects()
                .bucket(bucket)
                .delete(delete)
                .send()
                .await
            {
                Ok(out) => {
                    if let Some(e) = out.errors().first() {
                        return Err(format!(
                            "cannot delete {} from {bucket}: {} ({} of {} keys failed)",
                            e.key().unwrap_or_default(),
                            e.message().unwrap_or_default(),
                            out.errors().len(),
                            batch.len()
                        ));
                    }
                }
                Err(e) if e.code() == Some("NoSuchBucket") => return Ok(()),
                Err(e) => return Err(format!("cannot delete from {bucket}: {}", describe(e))),
            }
        }
        Ok(())
    }

    /// One invalidation of `paths`; its ID.
    pub async fn invalidate(
        &self,
        distribution_id: &str,
        paths: &[String],
        reference: &str,
    ) -> Result<String, String> {
        let failed = |e: &dyn std::fmt::Display| {
            format!("cannot invalidate {distribution_id} in CloudFront: {e}")
        };
        let batch = InvalidationBatch::builder()
            .paths(
                Paths::builder()
                    .quantity(paths.len() as i32)
                    .set_items(Some(paths.to_vec()))
                    .build()
                    .map_err(|e| failed(&e))?,
            )
            .caller_reference(reference)
            .build()
            .map_err(|e| failed(&e))?;
        let out = self
            .cloudfront()
            .await
            .create_invalidation()
            .distribution_id(distribution_id)
            .invalidation_batch(batch)
            .send()
            .await
            .map_err(|e| failed(&describe(e)))?;
        Ok(out
            .invalidation()
            .map(|i| i.id().to_string())
            .unwrap_or_default())
    }
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

fn changed_since_preview(key: &str) -> String {
    format!("{key} changed while it was being deployed; run `pulumi up` again")
}

fn hash(bytes: &[u8]) -> String {
    hex16(&Sha256::digest(bytes))
}

fn hex16(digest: &[u8]) -> String {
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
