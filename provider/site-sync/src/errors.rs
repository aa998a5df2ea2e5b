//! SiteContent's catalogue (LP3xxx) and the crate's one error type.
//!
//! The catalogue holds every message this crate shows a user: Check's
//! refusals of the inputs and of the site folder (LP3001–LP3049, Check
//! failures naming their property; StaticSite reports the folder walk's
//! too), and what a deploy, refresh or delete ends with when S3 or
//! CloudFront refuses, or the deploy stops (LP3050–LP3099). [`SyncError`]
//! is the typed error of the engine's calls; each variant displays as its
//! catalogue entry's message. See [`launchpad_core::catalogue`] for the rules.

use std::fmt::Display;

use launchpad_core::custom::Interrupted;

launchpad_core::catalogue! {
    area = "SiteContent";

    /// A `cacheControl` rule's `pattern` and `value` each go into one line:
    /// a glob matched against the keys, and the `Cache-Control` header S3
    /// stores. Give both, without line breaks.
    LP3001 input cache_rule_not_one_line(property, value: impl Display)
        = "{property}={value} must be a non-empty single line";

    /// `path` does not exist, or cannot be read, where it was looked for
    /// (relative to the Pulumi program's folder). Build the site first, or
    /// point `path` at the folder the build writes.
    LP3002 input path_unreadable(property = "path", value: impl Display, folder: impl Display, error: impl Display)
        = "path {value} ({folder}) cannot be read: {error}; give the folder of the built site, relative to the Pulumi program";

    /// `path` names a file; a site is a folder of files. Point `path` at the
    /// folder the build writes.
    LP3003 input path_is_a_file(property = "path", value: impl Display)
        = "path {value} is a file; give the folder of the built site (for example `./dist`)";

    /// The folder exists but its real location could not be found (a link
    /// in the way that is broken, or a folder above it that cannot be read).
    /// Check the links on the way to it and their permissions.
    LP3004 input path_unresolvable(property = "path", value: impl Display, error: impl Display)
        = "path {value} cannot be resolved: {error}";

    /// An empty folder would deploy an empty site (and delete the deployed
    /// one). Build the site before `pulumi preview`.
    LP3005 input path_has_no_files(property = "path", value: impl Display)
        = "path {value} has no files: build the site first (for example `npm run build`)";

    /// Every file is uploaded under its path in the folder, and S3 allows
    /// keys of at most 1024 bytes (of UTF-8). Shorten the file's path.
    LP3006 input key_too_long(property = "path", file: impl Display, value: impl Display, bytes: usize, max: usize)
        = "the file {file} in path {value} needs a key of {bytes} bytes; S3 allows {max}";

    /// A file of the folder could not be read to compute its hash. Make it
    /// readable, or remove it from the folder.
    LP3007 input file_unreadable(property = "path", file: impl Display, value: impl Display, error: impl Display)
        = "the file {file} in path {value} cannot be read: {error}";

    /// A folder inside `path`, or a link in it, could not be read while
    /// listing the site. Make it readable, or remove it from the folder.
    LP3008 input entry_unreadable(property = "path", entry: impl Display, value: impl Display, error: impl Display)
        = "{entry} in path {value} cannot be read: {error}";

    /// Links inside the folder are followed, but one leading outside it is
    /// refused: it would publish a file the site does not hold (a secret
    /// next to the project, say). Copy the file into the folder instead.
    LP3009 input link_outside_folder(property = "path", entry: impl Display, value: impl Display, target: impl Display)
        = "{entry} in path {value} is a link to {target}, outside the folder; copy the file in instead";

    /// The task that walks the folder stopped before it finished (the
    /// provider is shutting down, most likely). Run the command again.
    LP3010 input folder_scan_failed(property = "path", error: impl Display)
        = "the folder scan failed: {error}";

    /// A deploy needs the folder and the bucket: they are known by the time
    /// the engine asks for one, unless another resource's output they come
    /// from was never resolved. Run the update again; report it if it stays.
    LP3011 input must_be_known(property)
        = "`{property}` must be known";

    /// A file of the site could not be read when it was to be uploaded
    /// (removed or locked since the preview). Run `pulumi up` again once
    /// the folder is complete; what went up is recorded.
    LP3050 runtime cannot_read_file(file: impl Display, error: impl Display)
        = "cannot read {file}: {error}";

    /// A file changed between the preview (which hashed it) and its upload,
    /// so what would go up is not what the preview showed. Run `pulumi up`
    /// again once the build is done writing.
    LP3051 runtime changed_since_preview(key: impl Display)
        = "{key} changed while it was being deployed; run `pulumi up` again";

    /// S3 refused or failed an upload (also when it answered 200 with an
    /// error in the body); `{reason}` is S3's code and message, or what
    /// failed on the way. Check the credentials' `s3:PutObject` on the
    /// bucket, and that the bucket exists; then run `pulumi up` again.
    LP3052 runtime upload_failed(key: impl Display, reason: impl Display)
        = "cannot upload {key}: {reason}";

    /// A request deleting stale files failed; `{reason}` is S3's code and
    /// message. Check the credentials' `s3:DeleteObject` on the bucket, then
    /// run `pulumi up` again: the files stay recorded until they are gone.
    LP3053 runtime delete_failed(bucket: impl Display, reason: impl Display)
        = "cannot delete from {bucket}: {reason}";

    /// S3 accepted the delete request but refused some of its keys (access
    /// denied on them, most often). Fix what S3 says, then run the update
    /// again.
    LP3054 runtime delete_refused(key: impl Display, bucket: impl Display, message: impl Display, refused: impl Display, asked: impl Display)
        = "cannot delete {key} from {bucket}: {message} ({refused} of {asked} keys failed)";

    /// `pulumi refresh` lists the bucket under the deployed keys to find
    /// files changed behind Pulumi's back; the listing failed. Give the
    /// credentials `s3:ListBucket` on the bucket.
    LP3055 runtime list_failed(bucket: impl Display, reason: impl Display)
        = "cannot list {bucket}: {reason}; a refresh needs s3:ListBucket on the bucket";

    /// CloudFront counts every invalidation in progress on a distribution
    /// against its limits (3,000 paths, 15 wildcards); the deploy asks again
    /// with backoff until there is room. Shown when it stops waiting: the
    /// paths stay owed and the next deploy invalidates them.
    LP3056 runtime too_many_invalidations(paths: impl Display, distribution: impl Display, message: impl Display)
        = "cannot invalidate {paths} paths of {distribution} in CloudFront yet: TooManyInvalidationsInProgress: {message}";

    /// CloudFront refused the invalidation for a reason waiting does not fix
    /// (a wrong `distributionId`, or credentials without
    /// `cloudfront:CreateInvalidation`). Fix it and run `pulumi up` again:
    /// the paths stay owed until then.
    LP3057 runtime invalidation_refused(distribution: impl Display, reason: impl Display)
        = "cannot invalidate {distribution} in CloudFront: {reason}";

    /// The deploy was cancelled, or reached its deadline (`customTimeouts`),
    /// while `{step}` (uploading, deleting, invalidating). What went up is
    /// recorded; run `pulumi up` again to finish.
    LP3058 runtime stopped(step: impl Display, interrupted: impl Display)
        = "stopped {step}: {interrupted}";

    /// The deploy waited for CloudFront to have room for its invalidation
    /// until it was cancelled or its deadline passed. The paths stay owed:
    /// the next deploy invalidates them; raise `customTimeouts` to wait longer.
    LP3059 runtime stopped_waiting_for_room(last: impl Display, interrupted: impl Display)
        = "{last}; stopped waiting for room: {interrupted}";

    /// A task uploading files failed on its own (it panicked, or the
    /// provider is shutting down). Run `pulumi up` again; report it if it
    /// happens again.
    LP3060 runtime upload_task_failed(error: impl Display)
        = "an upload task failed: {error}";

    /// A deploy stopped part-way for the reason given first. The state
    /// records what is in the bucket (a file whose upload failed or was cut
    /// off as maybe there, its content unknown: S3 may have stored it), so
    /// the next `pulumi up` sends only what is missing or unknown, deletes
    /// what left the folder, and makes the invalidation still owed.
    LP3061 runtime deploy_stopped(reason: impl Display)
        = "{reason}; what went up is recorded, and the next `pulumi up` finishes the deploy";
}

/// Why an S3 or CloudFront call, or a deploy, failed: in one line naming the
/// file, bucket or distribution and the service's own code and message.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// A file of the site could not be read.
    #[error("{}", cannot_read_file(.file, .error))]
    ReadFile {
        /// The file's path.
        file: String,
        /// What the OS said.
        error: std::io::Error,
    },
    /// A file changed between the scan (preview) and its upload.
    #[error("{}", changed_since_preview(.key))]
    ChangedSincePreview {
        /// Its key.
        key: String,
    },
    /// S3 refused or failed an upload (an error in the body of a 200 too).
    #[error("{}", upload_failed(.key, .reason))]
    Upload {
        /// The key.
        key: String,
        /// S3's code and message, or what failed on the way.
        reason: String,
    },
    /// A DeleteObjects request failed.
    #[error("{}", delete_failed(.bucket, .reason))]
    Delete {
        /// The bucket.
        bucket: String,
        /// S3's code and message.
        reason: String,
    },
    /// S3 refused to delete some keys of a DeleteObjects request.
    #[error("{}", delete_refused(.key, .bucket, .message, .refused, .asked))]
    DeleteRefused {
        /// The bucket.
        bucket: String,
        /// The first key refused.
        key: String,
        /// S3's message about it.
        message: String,
        /// How many keys of the request were refused...
        refused: usize,
        /// ...of how many.
        asked: usize,
    },
    /// Listing the bucket failed (`pulumi refresh` lists it).
    #[error("{}", list_failed(.bucket, .reason))]
    List {
        /// The bucket.
        bucket: String,
        /// S3's code and message.
        reason: String,
    },
    /// The distribution already has as many invalidations in progress as
    /// CloudFront allows (its limits count them all, not per request):
    /// waiting helps.
    #[error("{}", too_many_invalidations(.paths, .distribution, .message))]
    TooManyInvalidations {
        /// The distribution.
        distribution: String,
        /// How many paths were asked for.
        paths: usize,
        /// CloudFront's message.
        message: String,
    },
    /// CloudFront refused the invalidation otherwise.
    #[error("{}", invalidation_refused(.distribution, .reason))]
    Invalidate {
        /// The distribution.
        distribution: String,
        /// CloudFront's code and message.
        reason: String,
    },
    /// Cancelled, or past the deadline, during a step of a deploy (before
    /// CloudFront had refused an invalidation for want of room).
    #[error("{}", stopped(.step, .interrupted))]
    Interrupted {
        /// What it was doing: `uploading`, `deleting`, `invalidating`.
        step: &'static str,
        /// Why it stopped.
        interrupted: Interrupted,
    },
    /// Cancelled, or past the deadline, after CloudFront had said it has no
    /// room for the invalidation.
    #[error("{}", stopped_waiting_for_room(.last, .interrupted))]
    StoppedWaiting {
        /// CloudFront's last refusal.
        last: Box<SyncError>,
        /// What stopped the wait.
        interrupted: Interrupted,
    },
    /// An upload task panicked or was cancelled.
    #[error("{}", upload_task_failed(.error))]
    Task {
        /// What the runtime said.
        error: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_well_formed() {
        assert_eq!(
            launchpad_core::catalogue::problems(&[CATALOGUE]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn errors_read_as_their_entries_and_the_cause_once() {
        let e = SyncError::ReadFile {
            file: "dist/a.js".into(),
            error: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert_eq!(e.to_string(), "cannot read dist/a.js: entity not found");
        assert!(std::error::Error::source(&e).is_none());
        let waited = SyncError::StoppedWaiting {
            last: Box::new(SyncError::TooManyInvalidations {
                distribution: "E1".into(),
                paths: 3,
                message: "busy".into(),
            }),
            interrupted: Interrupted::Cancelled,
        };
        assert_eq!(
            waited.to_string(),
            "cannot invalidate 3 paths of E1 in CloudFront yet: TooManyInvalidationsInProgress: busy; stopped waiting for room: cancelled"
        );
        assert_eq!(
            deploy_stopped(&waited).code,
            "LP3061",
            "a stopped deploy's reason has its own entry"
        );
    }
}
