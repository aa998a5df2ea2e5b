//! launchpad-components' own catalogue (LP12xx): the checks several
//! components share — a container's image reference and variable names
//! ([`crate::container`]) and the AWS and Google Cloud regions
//! ([`crate::aws_regions`], [`crate::gcp_regions`]). A message about one
//! component's own inputs belongs in that component's catalogue
//! (`web_service/errors.rs`, `cloud_run/errors.rs`). These entries name the
//! property the caller gives (`image`, `environment.NAME`, `aws:region`),
//! so none is fixed to one. See [`launchpad_core::catalogue`] for the rules.

use std::fmt::Display;

launchpad_core::catalogue! {
    area = "components";

    /// An image reference has no spaces: `[registry[:port]/]repository[:tag][@sha256:digest]`.
    /// Give the image as `docker pull` takes it.
    LP1201 input image_empty_or_spaced(property, value: impl Display)
        = "{property}={value} is not a valid image reference: it is empty or contains spaces; for example \"ghcr.io/acme/api:1.4.2\" or \"123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:…\"";

    /// A digest pins an image by its content: `@sha256:` then 64 hex digits
    /// (`docker buildx imagetools inspect <image>` prints it).
    LP1202 input image_bad_digest(property, value: impl Display)
        = "{property}={value} is not a valid image reference: a digest is `sha256:` and 64 hex digits; for example \"ghcr.io/acme/api:1.4.2\" or \"123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:…\"";

    /// A tag follows the last `:` of the repository: 1-128 letters, digits,
    /// `_`, `.` and `-`. Fix the tag (a registry's port comes before the
    /// first `/`).
    LP1203 input image_bad_tag(property, value: impl Display)
        = "{property}={value} is not a valid image reference: a tag is 1-128 characters of letters, digits, `_`, `.` and `-`; for example \"ghcr.io/acme/api:1.4.2\" or \"123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:…\"";

    /// Registries take repository names in lower case: letters, digits,
    /// `.`, `_` and `-`, in parts separated by `/`, each starting with a
    /// letter or digit. Write the repository in lower case.
    LP1204 input image_bad_repository(property, value: impl Display)
        = "{property}={value} is not a valid image reference: the repository name is lower-case letters, digits, `.`, `_`, `-` and `/`; for example \"ghcr.io/acme/api:1.4.2\" or \"123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:…\"";

    /// An environment variable's name (a key of `environment` or `secrets`)
    /// is letters, digits and `_`, not starting with a digit, so a shell and
    /// every runtime can read it. Rename the variable.
    LP1205 input invalid_env_name(property, map: impl Display, name: impl Display)
        = "{map}.{name} is not a valid environment variable name; use letters, digits and `_`, not starting with a digit (for example DATABASE_URL)";

    /// A variable is set both as plain text and from a secret; the container
    /// would get one of them. Keep it in one of the two maps (in `secrets`
    /// for a credential).
    LP1206 input variable_in_environment_and_secrets(property, name: impl Display)
        = "{name} is set in both `environment` and `secrets`; keep it in one of them";

    /// launchpad picks the new VPC's two zones from a built-in table of zone
    /// IDs, and in this region zone names differ between accounts and some
    /// accounts cannot use some zones, so it cannot pick without asking AWS
    /// (which a preview never does). Set `availabilityZones` to two zones
    /// your account offers.
    LP1207 input zones_differ_between_accounts(property, value: impl Display, region: impl Display)
        = "{property}={value}: availability zone names in {region} differ between AWS accounts and some accounts cannot use some of them, so launchpad cannot choose two without asking AWS; set `availabilityZones` explicitly to two zones your account offers (`aws ec2 describe-availability-zones --region {region}` lists them)";

    /// The region is not in launchpad's table of AWS regions, and is close
    /// to one that is: probably a typo. Fix it, or, for a region newer than
    /// this launchpad, set `availabilityZones` to two of its zones.
    LP1208 input unknown_aws_region_near(property, value: impl Display, near: impl Display)
        = "{property}={value} is not an AWS region launchpad knows (did you mean {near}?); fix the region, or set `availabilityZones` explicitly to two zones of that region";

    /// The region is not in launchpad's table of AWS regions. Check it for a
    /// typo (`aws ec2 describe-regions` lists them), or, for a region newer
    /// than this launchpad, set `availabilityZones` to two of its zones.
    LP1209 input unknown_aws_region(property, value: impl Display)
        = "{property}={value} is not an AWS region launchpad knows; check it for a typo, or set `availabilityZones` explicitly to two zones of that region";

    /// Cloud Run does not run in this region, and one where it does is
    /// close: probably a typo. Use the suggested region.
    LP1210 input unknown_cloud_run_region_near(property, value: impl Display, near: impl Display)
        = "{property}={value} is not a Cloud Run region (did you mean {near}?); `gcloud run regions list` shows the regions Cloud Run offers";

    /// Cloud Run does not run in this region (or launchpad's list does not
    /// have it yet). Pick one of the regions `gcloud run regions list` shows.
    LP1211 input unknown_cloud_run_region(property, value: impl Display)
        = "{property}={value} is not a Cloud Run region; `gcloud run regions list` shows the regions Cloud Run offers";
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
