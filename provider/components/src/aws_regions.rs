//! A built-in table of AWS regions and the availability zones every account
//! can use in them, so a planner can place a new VPC's subnets at preview
//! without credentials or an AWS call.
//!
//! Zone *names* (`us-east-1a`) are mapped to physical zones per account in
//! the oldest regions, and constrained zones are hidden from or closed to
//! some accounts there, so in three of them no name is safe for everyone:
//! [`availability_zones`] returns `None` for those and [`unknown_region`]
//! explains why. Zone *IDs* (`use1-az1`) are the same physical zone in
//! every account; [`availability_zone_ids`] knows them for every region in
//! the table. Sources are noted beside the rows that needed them.
//! [`stack_region`] reads the stack's region itself.

use launchpad_core::{ConstructContext, InputError, Value};

use crate::errors;

/// One region's zones.
struct RegionZones {
    region: &'static str,
    /// Zone names usable by every account, best first; `None` when no name
    /// is (see the row's comment).
    names: Option<&'static [&'static str]>,
    /// AZ IDs usable by every account and by Fargate, best first.
    ids: &'static [&'static str],
}

// Sources for the whole table:
// - AWS, "AWS Availability Zones" (global-infrastructure/latest/regions/
//   aws-availability-zones): the AZ IDs of every region; "Newer accounts can
//   access two Availability Zones in US West (N. California)"; constrained
//   zones may be closed or hidden for accounts without resources in them.
// - AWS, "AZ IDs" (…/az-ids), "Regions with independently mapped Availability
//   Zones": us-east-1, us-west-1, us-west-2, ap-southeast-1, ap-southeast-2,
//   ap-northeast-1, eu-west-1, sa-east-1, us-gov-west-1 (for accounts created
//   before November 2025). Every other region maps names to IDs uniformly, so
//   a name there is the same zone for everyone.
// - AWS, "Supported Regions for Amazon ECS on AWS Fargate": us-west-1 only
//   usw1-az1 & usw1-az3; ap-northeast-1 only apne1-az1, apne1-az2 & apne1-az4;
//   older versions: ca-central-1 only cac1-az1 & cac1-az2.
// - Letter-to-ID mappings of the uniformly mapped regions as reported by
//   `describe-availability-zones` in public repositories (getmoto/moto's
//   ec2 zone table and accounts' own dumps agree).
const REGIONS: &[RegionZones] = &[
    // Independently mapped; use1-az3 is the legacy zone without current
    // instance types, and accounts have been refused subnets in each of
    // us-east-1a (hashicorp/terraform#3434), 1b (cloudfoundry/bosh-bootloader#45),
    // 1c (kz8s/tack#67) and 1d (kizbitz/train#87). No name is safe.
    RegionZones {
        region: "us-east-1",
        names: None,
        ids: &["use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6"],
    },
    RegionZones {
        region: "us-east-2",
        names: Some(&["us-east-2a", "us-east-2b", "us-east-2c"]),
        ids: &["use2-az1", "use2-az2", "use2-az3"],
    },
    // Independently mapped; usw1-az2 is closed to newer accounts and to
    // Fargate. Accounts see {a,b}, {a,c} or {b,c} (coreos/coreos-kubernetes#442,
    // cloudfoundry/bosh-bootloader#162, hashicorp/waypoint-examples#120).
    // No name is safe.
    RegionZones {
        region: "us-west-1",
        names: None,
        ids: &["usw1-az1", "usw1-az3"],
    },
    // Independently mapped, but no zone is constrained: every account's
    // a, b and c are three working zones.
    RegionZones {
        region: "us-west-2",
        names: Some(&["us-west-2a", "us-west-2b", "us-west-2c"]),
        ids: &["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"],
    },
    RegionZones {
        region: "af-south-1",
        names: Some(&["af-south-1a", "af-south-1b", "af-south-1c"]),
        ids: &["afs1-az1", "afs1-az2", "afs1-az3"],
    },
    RegionZones {
        region: "ap-east-1",
        names: Some(&["ap-east-1a", "ap-east-1b", "ap-east-1c"]),
        ids: &["ape1-az1", "ape1-az2", "ape1-az3"],
    },
    RegionZones {
        region: "ap-east-2",
        names: Some(&["ap-east-2a", "ap-east-2b", "ap-east-2c"]),
        ids: &["ape2-az1", "ape2-az2", "ape2-az3"],
    },
    RegionZones {
        region: "ap-south-1",
        names: Some(&["ap-south-1a", "ap-south-1b", "ap-south-1c"]),
        ids: &["aps1-az1", "aps1-az2", "aps1-az3"],
    },
    RegionZones {
        region: "ap-south-2",
        names: Some(&["ap-south-2a", "ap-south-2b", "ap-south-2c"]),
        ids: &["aps2-az1", "aps2-az2", "aps2-az3"],
    },
    // Independently mapped, no constrained zone reported.
    RegionZones {
        region: "ap-southeast-1",
        names: Some(&["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]),
        ids: &["apse1-az1", "apse1-az2", "apse1-az3"],
    },
    // Independently mapped, no constrained zone reported.
    RegionZones {
        region: "ap-southeast-2",
        names: Some(&["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"]),
        ids: &["apse2-az1", "apse2-az2", "apse2-az3"],
    },
    RegionZones {
        region: "ap-southeast-3",
        names: Some(&["ap-southeast-3a", "ap-southeast-3b", "ap-southeast-3c"]),
        ids: &["apse3-az1", "apse3-az2", "apse3-az3"],
    },
    RegionZones {
        region: "ap-southeast-4",
        names: Some(&["ap-southeast-4a", "ap-southeast-4b", "ap-southeast-4c"]),
        ids: &["apse4-az1", "apse4-az2", "apse4-az3"],
    },
    RegionZones {
        region: "ap-southeast-5",
        names: Some(&["ap-southeast-5a", "ap-southeast-5b", "ap-southeast-5c"]),
        ids: &["apse5-az1", "apse5-az2", "apse5-az3"],
    },
    RegionZones {
        region: "ap-southeast-6",
        names: Some(&["ap-southeast-6a", "ap-southeast-6b", "ap-southeast-6c"]),
        ids: &["apse6-az1", "apse6-az2", "apse6-az3"],
    },
    RegionZones {
        region: "ap-southeast-7",
        names: Some(&["ap-southeast-7a", "ap-southeast-7b", "ap-southeast-7c"]),
        ids: &["apse7-az1", "apse7-az2", "apse7-az3"],
    },
    // Independently mapped; apne1-az3 is closed to newer accounts and to
    // Fargate. It is `b` for most accounts (awslabs/sbt-aws#66), but one
    // account was refused ap-northeast-1a and offered b, c, d
    // (openshift/installer#1789). No name is safe.
    RegionZones {
        region: "ap-northeast-1",
        names: None,
        ids: &["apne1-az1", "apne1-az2", "apne1-az4"],
    },
    // Uniformly mapped; b (apne2-az2) was closed to new accounts for years
    // (cloudtools/troposphere#1399), so it is left out.
    RegionZones {
        region: "ap-northeast-2",
        names: Some(&["ap-northeast-2a", "ap-northeast-2c", "ap-northeast-2d"]),
        ids: &["apne2-az1", "apne2-az3", "apne2-az4"],
    },
    RegionZones {
        region: "ap-northeast-3",
        names: Some(&["ap-northeast-3a", "ap-northeast-3b", "ap-northeast-3c"]),
        ids: &["apne3-az1", "apne3-az2", "apne3-az3"],
    },
    // Uniformly mapped; there is no `c`. Fargate long ran only in a and b
    // (cac1-az1, cac1-az2), so those come first.
    RegionZones {
        region: "ca-central-1",
        names: Some(&["ca-central-1a", "ca-central-1b", "ca-central-1d"]),
        ids: &["cac1-az1", "cac1-az2", "cac1-az4"],
    },
    RegionZones {
        region: "ca-west-1",
        names: Some(&["ca-west-1a", "ca-west-1b", "ca-west-1c"]),
        ids: &["caw1-az1", "caw1-az2", "caw1-az3"],
    },
    RegionZones {
        region: "eu-central-1",
        names: Some(&["eu-central-1a", "eu-central-1b", "eu-central-1c"]),
        ids: &["euc1-az1", "euc1-az2", "euc1-az3"],
    },
    RegionZones {
        region: "eu-central-2",
        names: Some(&["eu-central-2a", "eu-central-2b", "eu-central-2c"]),
        ids: &["euc2-az1", "euc2-az2", "euc2-az3"],
    },
    // Independently mapped, no constrained zone reported.
    RegionZones {
        region: "eu-west-1",
        names: Some(&["eu-west-1a", "eu-west-1b", "eu-west-1c"]),
        ids: &["euw1-az1", "euw1-az2", "euw1-az3"],
    },
    // euw2-az4 is new and its letter unconfirmed: left out.
    RegionZones {
        region: "eu-west-2",
        names: Some(&["eu-west-2a", "eu-west-2b", "eu-west-2c"]),
        ids: &["euw2-az1", "euw2-az2", "euw2-az3"],
    },
    RegionZones {
        region: "eu-west-3",
        names: Some(&["eu-west-3a", "eu-west-3b", "eu-west-3c"]),
        ids: &["euw3-az1", "euw3-az2", "euw3-az3"],
    },
    RegionZones {
        region: "eu-south-1",
        names: Some(&["eu-south-1a", "eu-south-1b", "eu-south-1c"]),
        ids: &["eus1-az1", "eus1-az2", "eus1-az3"],
    },
    RegionZones {
        region: "eu-south-2",
        names: Some(&["eu-south-2a", "eu-south-2b", "eu-south-2c"]),
        ids: &["eus2-az1", "eus2-az2", "eus2-az3"],
    },
    RegionZones {
        region: "eu-north-1",
        names: Some(&["eu-north-1a", "eu-north-1b", "eu-north-1c"]),
        ids: &["eun1-az1", "eun1-az2", "eun1-az3"],
    },
    RegionZones {
        region: "il-central-1",
        names: Some(&["il-central-1a", "il-central-1b", "il-central-1c"]),
        ids: &["ilc1-az1", "ilc1-az2", "ilc1-az3"],
    },
    RegionZones {
        region: "me-south-1",
        names: Some(&["me-south-1a", "me-south-1b", "me-south-1c"]),
        ids: &["mes1-az1", "mes1-az2", "mes1-az3"],
    },
    RegionZones {
        region: "me-central-1",
        names: Some(&["me-central-1a", "me-central-1b", "me-central-1c"]),
        ids: &["mec1-az1", "mec1-az2", "mec1-az3"],
    },
    RegionZones {
        region: "mx-central-1",
        names: Some(&["mx-central-1a", "mx-central-1b", "mx-central-1c"]),
        ids: &["mxc1-az1", "mxc1-az2", "mxc1-az3"],
    },
    // Independently mapped. No zone is documented as constrained, but new
    // accounts have been said to be restricted here (PatMyron/cloud#16,
    // unconfirmed): the least certain row of the table.
    RegionZones {
        region: "sa-east-1",
        names: Some(&["sa-east-1a", "sa-east-1b", "sa-east-1c"]),
        ids: &["sae1-az1", "sae1-az2", "sae1-az3"],
    },
    // Not listed: GovCloud and China. Their zone letters and constrained
    // zones could not be confirmed from public documentation (us-gov-west-1
    // is independently mapped; Fargate runs only in cnn1-az1 & cnn1-az2 of
    // cn-north-1), so users there set `availabilityZones`.
];

fn find(region: &str) -> Option<&'static RegionZones> {
    REGIONS.iter().find(|r| r.region == region)
}

/// Availability zone names every AWS account can use in `region`, best
/// first (a planner takes the first two); at least two.
///
/// `None` for a region missing from the table, and for us-east-1, us-west-1
/// and ap-northeast-1, where names are mapped per account and some accounts
/// cannot use some of them: prefer [`availability_zone_ids`] there, or
/// report [`unknown_region`].
pub fn availability_zones(region: &str) -> Option<&'static [&'static str]> {
    find(region).and_then(|r| r.names)
}

/// Availability zone IDs (`use1-az1`) every AWS account and Fargate can use
/// in `region`, best first; at least two. An ID is the same physical zone
/// in every account, so these are safe where names are not: give them to a
/// subnet as `availabilityZoneId`. `None` for a region missing from the
/// table.
pub fn availability_zone_ids(region: &str) -> Option<&'static [&'static str]> {
    find(region).map(|r| r.ids)
}

/// Every region in the table, including those without safe zone names.
pub fn regions() -> impl Iterator<Item = &'static str> {
    REGIONS.iter().map(|r| r.region)
}

/// The error for a region [`availability_zones`] has no zones for, naming
/// `property` (where the region came from): either zone names there differ
/// between accounts, or the region is unknown (a typo is answered with the
/// closest known region).
pub fn unknown_region(property: &str, region: &str) -> InputError {
    let shown = format!("{region:?}");
    if find(region).is_some() {
        return errors::zones_differ_between_accounts(property, shown, region);
    }
    match crate::naming::closest(region, regions()) {
        Some(near) => errors::unknown_aws_region_near(property, shown, format!("{near:?}")),
        None => errors::unknown_aws_region(property, shown),
    }
}

/// The stack's AWS region: `aws:region`, else the process environment's;
/// `missing` is the component's refusal when there is none.
pub fn stack_region(
    ctx: &ConstructContext,
    missing: fn() -> InputError,
) -> Result<String, InputError> {
    region_from(ctx, |key| std::env::var(key).ok(), missing)
}

/// [`stack_region`] reading the environment through `env`, so that tests
/// do not depend on the process's.
fn region_from(
    ctx: &ConstructContext,
    env: impl Fn(&str) -> Option<String>,
    missing: fn() -> InputError,
) -> Result<String, InputError> {
    let from_config = ctx.config("aws:region").and_then(|v| match v.strip() {
        Value::String(s) => Some(s),
        _ => None,
    });
    let region = from_config
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .filter(|r| !r.is_empty());
    region.ok_or_else(missing)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// AWS's AZ ID prefix of a region: `us-east-1` → `use1`,
    /// `ap-southeast-2` → `apse2`.
    fn id_prefix(region: &str) -> String {
        let parts: Vec<&str> = region.split('-').collect();
        let direction = match parts[1] {
            "east" => "e",
            "west" => "w",
            "north" => "n",
            "south" => "s",
            "central" => "c",
            "northeast" => "ne",
            "southeast" => "se",
            other => panic!("unexpected region part {other:?} in {region}"),
        };
        format!("{}{direction}{}", parts[0], parts[2])
    }

    #[test]
    fn the_region_comes_from_config_then_the_environment_else_each_component_refuses() {
        let ctx = |region: Option<&str>| ConstructContext {
            config: region
                .map(|r| ("aws:region".to_string(), r.to_string()))
                .into_iter()
                .collect(),
            ..ConstructContext::default()
        };
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            }
        };
        let refuse = crate::function::errors::function_without_region;
        let found = |c: &ConstructContext, e| region_from(c, e, refuse).ok();
        let both = env(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "us-east-2"),
        ]);
        assert_eq!(
            found(&ctx(Some("ap-south-1")), both),
            Some("ap-south-1".into())
        );
        assert_eq!(found(&ctx(None), both), Some("eu-west-1".into()));
        let default = env(&[("AWS_DEFAULT_REGION", "us-east-2")]);
        assert_eq!(found(&ctx(None), default), Some("us-east-2".into()));

        type Refusal = fn() -> InputError;
        let refusals: [(Refusal, &str); 2] = [
            (crate::function::errors::function_without_region, "Function"),
            (crate::web_service::errors::no_aws_region, "WebService"),
        ];
        for (refusal, who) in refusals {
            for (config, vars) in [(None, env(&[])), (Some(""), env(&[("AWS_REGION", "")]))] {
                let e = region_from(&ctx(config), vars, refusal).expect_err(who);
                assert_eq!(e.property, "aws:region", "{who}");
                assert!(
                    e.message.contains("pulumi config set aws:region"),
                    "{who}: {}",
                    e.message
                );
            }
        }
    }

    #[test]
    fn every_region_has_two_zone_ids_of_its_own() {
        for r in REGIONS {
            assert!(r.ids.len() >= 2, "{} has fewer than two zone IDs", r.region);
            let prefix = id_prefix(r.region);
            for id in r.ids {
                let number = id
                    .strip_prefix(prefix.as_str())
                    .and_then(|rest| rest.strip_prefix("-az"))
                    .unwrap_or_else(|| panic!("{id} is not an AZ ID of {}", r.region));
                assert!(
                    !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
                    "{id} is not an AZ ID of {}",
                    r.region
                );
            }
            assert_eq!(availability_zone_ids(r.region), Some(r.ids));
        }
    }

    #[test]
    fn zone_names_are_two_or_more_letters_of_their_region() {
        for r in REGIONS {
            let Some(names) = r.names else { continue };
            assert!(
                names.len() >= 2,
                "{} has fewer than two zone names",
                r.region
            );
            for name in names {
                let letter = name
                    .strip_prefix(r.region)
                    .unwrap_or_else(|| panic!("{name} is not a zone of {}", r.region));
                assert!(
                    letter.len() == 1 && letter.chars().all(|c| c.is_ascii_lowercase()),
                    "{name} is not a zone of {}",
                    r.region
                );
            }
        }
    }

    #[test]
    fn nothing_is_listed_twice() {
        let mut regions = HashSet::new();
        let mut names = HashSet::new();
        let mut ids = HashSet::new();
        for r in REGIONS {
            assert!(regions.insert(r.region), "{} listed twice", r.region);
            for name in r.names.unwrap_or_default() {
                assert!(names.insert(*name), "{name} listed twice");
            }
            for id in r.ids {
                assert!(ids.insert(*id), "{id} listed twice");
            }
        }
    }

    #[test]
    fn covers_every_commercial_region() {
        let expected = [
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-south-1",
            "eu-south-2",
            "eu-north-1",
            "il-central-1",
            "me-south-1",
            "me-central-1",
            "mx-central-1",
            "sa-east-1",
        ];
        let known: HashSet<&str> = regions().collect();
        assert_eq!(known, expected.into_iter().collect());
    }

    #[test]
    fn planner_zones_of_common_regions() {
        assert_eq!(
            availability_zones("eu-west-1").map(|z| &z[..2]),
            Some(&["eu-west-1a", "eu-west-1b"][..])
        );
        assert_eq!(
            availability_zones("ca-central-1"),
            Some(&["ca-central-1a", "ca-central-1b", "ca-central-1d"][..])
        );
        assert_eq!(
            availability_zone_ids("us-west-1"),
            Some(&["usw1-az1", "usw1-az3"][..])
        );
        assert_eq!(availability_zones("mars-east-1"), None);
        assert_eq!(availability_zone_ids("mars-east-1"), None);
    }

    #[test]
    fn regions_without_safe_names_still_have_ids() {
        for region in ["us-east-1", "us-west-1", "ap-northeast-1"] {
            assert_eq!(availability_zones(region), None, "{region}");
            assert!(availability_zone_ids(region).is_some(), "{region}");
        }
        // Names known to be refused to some accounts never appear.
        for name in [
            "us-east-1e",
            "us-west-1b",
            "ap-northeast-1b",
            "ap-northeast-2b",
        ] {
            assert!(
                regions()
                    .filter_map(availability_zones)
                    .all(|names| !names.contains(&name)),
                "{name} is listed"
            );
        }
    }

    #[test]
    fn unknown_region_suggests_the_closest_name() {
        let e = unknown_region("aws:region", "us-esat-1");
        assert_eq!(e.property, "aws:region");
        assert_eq!(
            e.message,
            "aws:region=\"us-esat-1\" is not an AWS region launchpad knows (did you mean \"us-east-1\"?); fix the region, or set `availabilityZones` explicitly to two zones of that region"
        );
        assert!(
            unknown_region("aws:region", "EU-WEST-1")
                .message
                .contains("did you mean \"eu-west-1\"?")
        );
        assert!(
            unknown_region("aws:region", "eu-west1")
                .message
                .contains("did you mean \"eu-west-1\"?")
        );
    }

    #[test]
    fn unknown_region_without_a_close_name_suggests_nothing() {
        let e = unknown_region("aws:region", "mars-1");
        assert_eq!(
            e.message,
            "aws:region=\"mars-1\" is not an AWS region launchpad knows; check it for a typo, or set `availabilityZones` explicitly to two zones of that region"
        );
        assert!(
            !unknown_region("region", "")
                .message
                .contains("did you mean")
        );
    }

    #[test]
    fn known_region_without_names_says_why() {
        let e = unknown_region("aws:region", "us-west-1");
        assert_eq!(e.property, "aws:region");
        assert_eq!(
            e.message,
            "aws:region=\"us-west-1\": availability zone names in us-west-1 differ between AWS accounts and some accounts cannot use some of them, so launchpad cannot choose two without asking AWS; set `availabilityZones` explicitly to two zones your account offers (`aws ec2 describe-availability-zones --region us-west-1` lists them)"
        );
    }
}
