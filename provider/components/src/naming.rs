//! Physical names derived from logical names so that cloud length and
//! character limits can never be exceeded, whatever the user calls things.

use launchpad_core::{ChildResource, ConstructContext};
use sha2::{Digest, Sha256};

/// Lower-case `[a-z0-9-]` form of `name`: other characters become `-`,
/// runs of `-` collapse, and no `-` leads or trails.
pub fn dns_label(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `name` cut to at most `max` characters without a trailing `-`.
pub fn truncate(name: &str, max: usize) -> String {
    name.chars()
        .take(max)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// Eight hex characters identifying `seed`: the same seed always gives the
/// same suffix, different stacks give different ones.
pub fn short_hash(seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
}

/// A name of at most `max` characters: the readable part of `name`, then
/// `-` and [`short_hash`] of `seed`.
pub fn unique_name(name: &str, seed: &str, max: usize) -> String {
    let hash = short_hash(seed);
    let readable = truncate(&dns_label(name), max.saturating_sub(hash.len() + 1));
    if readable.is_empty() {
        hash
    } else {
        format!("{readable}-{hash}")
    }
}

/// The name in `known` nearest to `wanted` (ignoring case), if within 3
/// edits: "did you mean …?" for a typo. The first one on a tie.
pub fn closest<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_ascii_lowercase();
    known
        .map(|k| (edit_distance(&wanted, k), k))
        .filter(|(distance, _)| *distance <= 3)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

/// Levenshtein distance counted in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            let insert = current[j] + 1;
            let delete = previous[j + 1] + 1;
            current.push(substitute.min(insert).min(delete));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Physical names of an AWS component's children, derived from the
/// component's name, within AWS limits and unique across stacks.
pub struct AwsNames {
    /// The component's logical name (children are `<name>-<suffix>`).
    pub name: String,
    /// A readable label (`my-api`).
    pub label: String,
    /// What makes names unique across stacks.
    seed: String,
    /// The component's type, for descriptions (`WebService`).
    kind: &'static str,
}

impl AwsNames {
    /// Names for the children of component `kind` (its `token`) named
    /// `ctx.name`; `fallback` labels a name with nothing readable in it.
    pub fn new(
        ctx: &ConstructContext,
        token: &str,
        kind: &'static str,
        fallback: &str,
    ) -> AwsNames {
        let mut label = dns_label(&ctx.name);
        if label.is_empty() {
            label = fallback.into();
        }
        AwsNames {
            name: ctx.name.clone(),
            label,
            seed: ctx.unique_seed(token),
            kind,
        }
    }

    /// A unique physical name of at most `max` characters.
    pub fn unique(&self, max: usize) -> String {
        unique_name(&self.name, &self.seed, max)
    }

    /// A unique physical name of at most `max` characters that also differs
    /// per `variant`, for a resource whose `variant` input forces a
    /// replacement: the replacement gets a name of its own.
    pub fn unique_variant(&self, variant: &str, max: usize) -> String {
        unique_name(&self.name, &format!("{}:{variant}", self.seed), max)
    }

    /// An AWS child named `<component>-<suffix>`, pinned to our aws
    /// provider version.
    pub fn child(&self, key: &str, token: &str, suffix: &str) -> ChildResource {
        ChildResource::new(key, token, format!("{}-{suffix}", self.name))
            .with_options(|o| o.version = Some(crate::AWS_PROVIDER_VERSION.to_string()))
    }

    /// An AWS `namePrefix` of at most `max` characters ending in `-`.
    pub fn prefix(&self, suffix: &str, max: usize) -> String {
        // `<label>-<suffix>-`: the label gets what the two dashes and the suffix leave.
        let base = truncate(&self.label, max.saturating_sub(suffix.len() + 2));
        format!("{base}-{suffix}-")
    }

    /// The load balancer's and target group's `namePrefix`: six characters
    /// at most, letters and digits (AWS adds 26 unique characters).
    pub fn short_prefix(&self) -> String {
        let p: String = self
            .label
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(6)
            .collect();
        if p.is_empty() { "svc".into() } else { p }
    }

    /// What the AWS console shows for this component: the cleaned label, so
    /// only characters EC2 and IAM accept in descriptions (`[a-z0-9 .:_-]`).
    pub fn description(&self, what: &str) -> String {
        truncate(
            &format!("launchpad {} {}: {what}", self.kind, self.label),
            255,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_a_name_within_three_edits() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("us-esat-1", "us-east-1"), 2);
        let known = ["us-east-1", "eu-west-1"];
        assert_eq!(
            closest("US-EAST-9", known.iter().copied()),
            Some("us-east-1")
        );
        assert_eq!(closest("mars-1", known.iter().copied()), None);
    }

    #[test]
    fn dns_labels_are_lower_case_and_clean() {
        assert_eq!(dns_label("My_Site!!v2"), "my-site-v2");
        assert_eq!(dns_label("--a--"), "a");
        assert_eq!(dns_label("ÉÉ"), "");
        assert_eq!(dns_label("ÉTÉ"), "t");
    }

    #[test]
    fn unique_names_respect_the_limit_and_differ_by_seed() {
        let long = "x".repeat(300);
        for max in [20, 32, 63, 64] {
            let n = unique_name(&long, "seed", max);
            assert!(n.len() <= max, "{n} longer than {max}");
        }
        assert_ne!(unique_name("site", "a", 64), unique_name("site", "b", 64));
        assert_eq!(unique_name("site", "a", 64), unique_name("site", "a", 64));
        assert_eq!(unique_name("é", "a", 64).len(), 8);
    }
}
