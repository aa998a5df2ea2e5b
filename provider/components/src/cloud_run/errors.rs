//! CloudRunService's catalogue (LP5xxx): every message about a
//! CloudRunService's own inputs — the region, the container size and how
//! cpu, memory and concurrency constrain each other, variables Cloud Run
//! reserves, secrets, probes and labels. The image and environment checks it
//! shares with WebService are the crate's ([`crate::errors`], LP12xx);
//! reading inputs is core's (LP10xx). See [`launchpad_core::catalogue`] for
//! the rules.

use std::fmt::Display;

launchpad_core::catalogue! {
    area = "CloudRunService";

    /// A Cloud Run service lives in one region, taken from `region` or else
    /// the stack's `gcp:region`, and neither is set. Set `region`, or run
    /// `pulumi config set gcp:region <region>`.
    LP5001 input no_region(property = "region")
        = "region is not set and the stack has no `gcp:region`: set `region` (for example \"europe-west1\") or run `pulumi config set gcp:region <region>`";

    /// `cpu` is not a size Cloud Run offers. `{why}` is one of: is not a
    /// number of vCPUs; is finer than Cloud Run's steps of 0.001; is below
    /// Cloud Run's minimum of 0.08; is above Cloud Run's maximum of 8; is
    /// above 1 but not whole; is not a whole size Cloud Run offers (1, 2, 4,
    /// 6 or 8). Write a decimal (`"0.5"`, `"2"`) or millicpu (`"500m"`).
    LP5002 input invalid_cpu(property = "cpu", value: impl Display, why: impl Display)
        = "cpu={value} {why}; valid: 0.08 to 1 in steps of 0.001, or 1, 2, 4, 6, 8";

    /// `memory` is not a size Cloud Run offers. `{why}` is one of: is not a
    /// memory size; has no unit; is in decimal megabytes or gigabytes (Cloud
    /// Run reads `M` and `G` as powers of ten, so `4G` is not `4Gi`); is not
    /// in Mi or Gi; is not a whole number of Mi or Gi; is below the minimum of
    /// 512Mi; is above Cloud Run's maximum of 32Gi. A `(did you mean …?)`
    /// follows when a valid spelling is close.
    LP5003 input invalid_memory(property = "memory", value: impl Display, why: impl Display)
        = "memory={value} {why}; valid: 512Mi to 32Gi, as a whole number of Mi or Gi";

    /// One instance serves at most 1000 requests at once. Give a whole
    /// number from 1 to 1000 (80 is Cloud Run's default).
    LP5004 input invalid_concurrency(property = "concurrency", value: impl Display)
        = "concurrency={value} is not valid; valid: a whole number from 1 to 1000";

    /// Cloud Run needs more CPUs for more memory: over 512Mi needs 0.5, over
    /// 1Gi needs 1, over 4Gi 2, over 8Gi 4, over 16Gi 6, over 24Gi 8. Lower
    /// `memory` to the most this cpu takes (`{lower_to}`), or raise `cpu` to
    /// the size suggested (`{for_concurrency}` says when the concurrency asks
    /// for a whole CPU).
    LP5005 input memory_needs_more_cpu(
        property = "memory", value: impl Display, needed: impl Display, cpu: impl Display,
        takes: impl Display, lower_to: impl Display, suggested: impl Display,
        for_concurrency: impl Display)
        = "memory={value} needs cpu of at least {needed} (cpu={cpu} takes {takes}); set memory={lower_to}, or cpu={suggested}{for_concurrency}";

    /// Cloud Run's larger CPU sizes need a least amount of memory: 4 CPUs
    /// take 2Gi or more, 6 and 8 take 4Gi or more. Raise `memory`, or lower
    /// `cpu` to the size suggested.
    LP5006 input memory_too_little_for_cpu(
        property = "memory", value: impl Display, cpu: impl Display, takes: impl Display,
        least: impl Display, smaller: impl Display)
        = "memory={value} is too little for cpu={cpu} (cpu={cpu} takes {takes}); set memory={least} or more, or cpu={smaller}";

    /// With less than one CPU, an instance serves one request at a time.
    /// Set `concurrency: 1`, or `cpu: "1"` or more.
    LP5007 input concurrency_needs_whole_cpu(property = "concurrency", value: impl Display, cpu: impl Display)
        = "concurrency={value} needs cpu of at least 1 (cpu={cpu} serves one request at a time); set concurrency=1 or cpu=\"1\"";

    /// Less than one CPU is only offered with request-based billing, where
    /// CPU is allocated during requests. Set `cpuIdle: true`, or `cpu: "1"`
    /// or more.
    LP5008 input always_on_cpu_needs_whole_cpu(property = "cpuIdle", cpu: impl Display)
        = "cpuIdle=false (CPU always allocated) needs cpu of at least 1, got cpu={cpu}; set cpuIdle=true or cpu=\"1\"";

    /// Cloud Run scales between `minInstances` and `maxInstances`. Make
    /// `minInstances` at most `maxInstances`.
    LP5009 input min_instances_above_max(property = "minInstances", value: impl Display, max: impl Display)
        = "minInstances={value} is more than maxInstances={max}";

    /// Cloud Run sets these variables in every container itself (`PORT` to
    /// the `port` input), so a service may not set them in `environment` or
    /// `secrets`. Use another name.
    LP5010 input reserved_variable(property, reserved: impl Display)
        = "{property} is set by Cloud Run itself ({reserved}); use another name (the container port is the `port` input)";

    /// Cloud Run requests a probe's path on the container port. Give a path
    /// that starts with `/` and has no spaces.
    LP5011 input invalid_probe_path(property, value: impl Display)
        = "{property}={value} must start with `/` and have no spaces, for example \"/ready\"";

    /// A secret is named by its ID in the service's project (letters, digits,
    /// `_` and `-`, at most 255) or by its full name
    /// `projects/<project>/secrets/<id>`; `gcloud secrets list` lists them.
    LP5012 input invalid_secret_id(property, value: impl Display)
        = "{property}={value} is not a Secret Manager secret; give its ID (letters, digits, `_` and `-`, for example \"db-url\") or its full name \"projects/<project>/secrets/<id>\"";

    /// A secret's version is `latest`, a version number, or a version alias
    /// (letters, digits, `_` and `-`).
    LP5013 input invalid_secret_version(property, value: impl Display)
        = "{property}={value} is not valid; use \"latest\", a version number such as \"3\", or a version alias (letters, digits, `_`, `-`)";

    /// Google Cloud allows at most 64 labels on a resource. Remove some.
    LP5014 input too_many_labels(property = "labels", count: usize)
        = "labels has {count} entries; GCP allows at most 64";

    /// Google Cloud's label keys are 1-63 characters: a lower-case letter,
    /// then lower-case letters, digits, `_` or `-`. Rename the key.
    LP5015 input invalid_label_key(property, key: impl Display)
        = "labels key {key} is not valid: 1-63 characters, a lower-case letter first, then lower-case letters, digits, `_` or `-` (for example \"team\")";

    /// Google Cloud's label values are at most 63 lower-case letters,
    /// digits, `_` or `-` (they may be empty). Change the value.
    LP5016 input invalid_label_value(property, value: impl Display)
        = "{property}={value} is not valid: at most 63 lower-case letters, digits, `_` or `-` (no capitals, no dots)";
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalogue_is_well_formed() {
        assert_eq!(
            launchpad_core::catalogue::problems(&[super::CATALOGUE]),
            Vec::<String>::new()
        );
    }
}
