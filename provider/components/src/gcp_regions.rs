//! The Google Cloud regions where Cloud Run runs, so a mistyped `region`
//! fails at preview with the closest real name rather than at
//! `CreateService`.
//!
//! Source: Google Cloud, "Cloud Run locations" (run/docs/locations), as
//! repeated in the Cloud Run quickstarts ("Cloud Run is available in the
//! following regions"): 20 regions subject to Tier 1 pricing and 23 subject
//! to Tier 2. Google adds regions over time; `gcloud run regions list` is
//! the live answer, and a region missing here is a one-line change.

use launchpad_core::InputError;

use crate::errors;

/// Every Cloud Run region, sorted (so lookups can binary-search).
const CLOUD_RUN_REGIONS: &[&str] = &[
    "africa-south1",           // Tier 2, Johannesburg
    "asia-east1",              // Tier 1, Taiwan
    "asia-east2",              // Tier 2, Hong Kong
    "asia-northeast1",         // Tier 1, Tokyo
    "asia-northeast2",         // Tier 1, Osaka
    "asia-northeast3",         // Tier 2, Seoul
    "asia-south1",             // Tier 1, Mumbai
    "asia-south2",             // Tier 2, Delhi
    "asia-southeast1",         // Tier 2, Singapore
    "asia-southeast2",         // Tier 2, Jakarta
    "asia-southeast3",         // Tier 1, Bangkok
    "australia-southeast1",    // Tier 2, Sydney
    "australia-southeast2",    // Tier 2, Melbourne
    "europe-central2",         // Tier 2, Warsaw
    "europe-north1",           // Tier 1, Finland
    "europe-north2",           // Tier 1, Stockholm
    "europe-southwest1",       // Tier 1, Madrid
    "europe-west1",            // Tier 1, Belgium
    "europe-west10",           // Tier 2, Berlin
    "europe-west12",           // Tier 2, Turin
    "europe-west2",            // Tier 2, London
    "europe-west3",            // Tier 2, Frankfurt
    "europe-west4",            // Tier 1, Netherlands
    "europe-west6",            // Tier 2, Zurich
    "europe-west8",            // Tier 1, Milan
    "europe-west9",            // Tier 1, Paris
    "me-central1",             // Tier 2, Doha
    "me-central2",             // Tier 2, Dammam
    "me-west1",                // Tier 1, Tel Aviv
    "northamerica-northeast1", // Tier 2, Montreal
    "northamerica-northeast2", // Tier 2, Toronto
    "northamerica-south1",     // Tier 1, Mexico
    "southamerica-east1",      // Tier 2, São Paulo
    "southamerica-west1",      // Tier 2, Santiago
    "us-central1",             // Tier 1, Iowa
    "us-east1",                // Tier 1, South Carolina
    "us-east4",                // Tier 1, Northern Virginia
    "us-east5",                // Tier 1, Columbus
    "us-south1",               // Tier 1, Dallas
    "us-west1",                // Tier 1, Oregon
    "us-west2",                // Tier 2, Los Angeles
    "us-west3",                // Tier 2, Salt Lake City
    "us-west4",                // Tier 2, Las Vegas
];

/// Whether Cloud Run runs in `region` (exact, lower-case name).
pub fn is_cloud_run_region(region: &str) -> bool {
    CLOUD_RUN_REGIONS.binary_search(&region).is_ok()
}

/// Every region where Cloud Run runs, sorted.
pub fn cloud_run_regions() -> &'static [&'static str] {
    CLOUD_RUN_REGIONS
}

/// The error for a `region` Cloud Run does not run in, naming `property`
/// (where the region came from); a typo is answered with the closest
/// Cloud Run region.
pub fn unknown_region(property: &str, region: &str) -> InputError {
    let shown = format!("{region:?}");
    match crate::naming::closest(region, CLOUD_RUN_REGIONS.iter().copied()) {
        Some(near) => errors::unknown_cloud_run_region_near(property, shown, format!("{near:?}")),
        None => errors::unknown_cloud_run_region(property, shown),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_list_is_sorted_without_duplicates() {
        let regions = cloud_run_regions();
        assert_eq!(regions.len(), 43);
        let unique: HashSet<&str> = regions.iter().copied().collect();
        assert_eq!(unique.len(), regions.len(), "a region is listed twice");
        for pair in regions.windows(2) {
            assert!(
                pair[0] < pair[1],
                "{} is listed before {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn every_entry_looks_like_area_dash_place_digit() {
        for region in cloud_run_regions() {
            let (area, place) = region
                .split_once('-')
                .unwrap_or_else(|| panic!("{region} has no `-`"));
            let number_at = place
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or_else(|| panic!("{region} has no number"));
            let (name, number) = place.split_at(number_at);
            let lower = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase());
            assert!(lower(area), "{region}: area {area:?}");
            assert!(lower(name), "{region}: place {name:?}");
            assert!(
                !number.starts_with('0') && number.chars().all(|c| c.is_ascii_digit()),
                "{region}: number {number:?}"
            );
        }
    }

    #[test]
    fn known_and_unknown_regions() {
        for region in [
            "us-central1",
            "europe-west1",
            "europe-west10",
            "asia-southeast3",
            "africa-south1",
        ] {
            assert!(is_cloud_run_region(region), "{region}");
        }
        // Typos, wrong case, AWS names, zones, and a GCP region without Cloud Run.
        for region in [
            "us-centrl1",
            "US-CENTRAL1",
            "us-east-1",
            "us-central1-a",
            "",
            "us-east7",
        ] {
            assert!(!is_cloud_run_region(region), "{region}");
        }
    }

    #[test]
    fn a_typo_is_answered_with_the_closest_region() {
        let e = unknown_region("region", "us-centrl1");
        assert_eq!(e.property, "region");
        assert_eq!(
            e.message,
            "region=\"us-centrl1\" is not a Cloud Run region (did you mean \"us-central1\"?); `gcloud run regions list` shows the regions Cloud Run offers"
        );
        for (typo, meant) in [
            ("US-CENTRAL1", "us-central1"),
            ("europe-west-1", "europe-west1"),
            ("asia-northest1", "asia-northeast1"),
            ("northamerica-northeast", "northamerica-northeast1"),
        ] {
            assert!(
                unknown_region("gcp:region", typo)
                    .message
                    .contains(&format!("(did you mean \"{meant}\"?)")),
                "{typo}"
            );
        }
    }

    #[test]
    fn a_far_name_gets_no_suggestion() {
        let e = unknown_region("gcp:region", "mars-north1x");
        assert_eq!(e.property, "gcp:region");
        assert_eq!(
            e.message,
            "gcp:region=\"mars-north1x\" is not a Cloud Run region; `gcloud run regions list` shows the regions Cloud Run offers"
        );
        assert!(
            !unknown_region("region", "")
                .message
                .contains("did you mean")
        );
    }
}
