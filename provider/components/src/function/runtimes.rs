//! The Lambda runtimes a Function accepts, and the deprecated ones it
//! refuses with their successor: the one list, with its source.
//!
//! Source: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
//! (supported and deprecated tables; policy:
//! https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html),
//! checked 2026-12-05. A runtime is listed as supported only when its
//! deprecation date is still ahead AND the pinned aws provider
//! (`AWS_PROVIDER_VERSION`, 7.48.0: `lambda.Runtime`) knows it, since the
//! provider refuses any other at Check. Re-read both when either changes.

/// Runtimes Lambda supports and the pinned provider accepts, newest of each
/// language first, with their deprecation date (all after the day they were
/// checked: a test says when one must move to [`DEPRECATED`]).
pub const SUPPORTED: [(&str, &str); 15] = [
    ("nodejs24.x", "2028-04-30"),
    ("nodejs22.x", "2027-04-30"),
    ("python3.14", "2029-06-30"),
    ("python3.13", "2029-06-30"),
    ("python3.12", "2028-10-31"),
    ("python3.11", "2027-06-30"),
    ("java25", "2029-06-30"),
    ("java21", "2029-06-30"),
    ("java17", "2027-06-30"),
    ("java11", "2027-06-30"),
    ("java8.al2", "2027-06-30"),
    ("dotnet10", "2028-11-14"),
    ("ruby3.4", "2028-03-31"),
    ("ruby3.3", "2027-03-31"),
    ("provided.al2023", "2029-06-30"),
];

/// Deprecated runtimes: the name (or a name prefix ending in `*`), when it
/// was deprecated ("" when long ago), and the successor to name.
const DEPRECATED: [(&str, &str, &str); 14] = [
    ("nodejs20.x", "2026-04-30", "nodejs24.x"),
    ("nodejs*", "", "nodejs24.x"),
    ("python3.10", "2026-10-31", "python3.14"),
    ("python3.9", "2025-12-15", "python3.14"),
    ("python*", "", "python3.14"),
    ("dotnet8", "2026-11-10", "dotnet10"),
    ("dotnet*", "", "dotnet10"),
    ("ruby3.2", "2026-03-31", "ruby3.4"),
    ("ruby*", "", "ruby3.4"),
    ("provided.al2", "2026-07-31", "provided.al2023"),
    ("provided", "", "provided.al2023"),
    ("go1.x", "", "provided.al2023"),
    ("java8", "", "java21 or java25"),
    ("java*", "", "java25"),
];

/// Why a runtime is refused.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// Lambda deprecated it.
    Deprecated {
        /// When ("" when long ago).
        since: &'static str,
        /// The runtime to name instead.
        successor: &'static str,
    },
    /// Not a runtime Lambda has had.
    Unknown,
}

/// Why `runtime` is refused, if it is.
pub fn refusal(runtime: &str) -> Option<Refusal> {
    if SUPPORTED.iter().any(|(name, _)| *name == runtime) {
        return None;
    }
    let deprecated = DEPRECATED
        .iter()
        .find(|(name, _, _)| match name.strip_suffix('*') {
            Some(prefix) => runtime.starts_with(prefix),
            None => *name == runtime,
        });
    Some(match deprecated {
        Some((_, since, successor)) => Refusal::Deprecated { since, successor },
        None => Refusal::Unknown,
    })
}

/// The supported runtimes, for messages.
pub fn listed() -> String {
    SUPPORTED.map(|(name, _)| name).join(", ")
}

/// Whether Lambda streams responses natively on `runtime` (Node.js only).
pub fn streams_natively(runtime: &str) -> bool {
    runtime.starts_with("nodejs")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The day the tables were read from AWS's page (the module's "checked").
    const CHECKED: &str = "2026-12-05";

    #[test]
    fn deprecated_runtimes_name_a_supported_successor() {
        for (name, _, successor) in DEPRECATED {
            assert!(
                matches!(
                    refusal(name.trim_end_matches('*')),
                    Some(Refusal::Deprecated { .. })
                ),
                "{name}"
            );
            let first = successor.split(" or ").next().unwrap_or_default();
            assert_eq!(refusal(first), None, "{name} → {successor}");
        }
        let deprecated = |since, successor| Some(Refusal::Deprecated { since, successor });
        assert_eq!(
            refusal("nodejs20.x"),
            deprecated("2026-04-30", "nodejs24.x")
        );
        assert_eq!(refusal("nodejs16.x"), deprecated("", "nodejs24.x"));
        assert_eq!(refusal("cobol1"), Some(Refusal::Unknown));
        assert_eq!(refusal("python3.14"), None);
    }

    #[test]
    fn supported_runtimes_were_still_supported_and_deprecated_ones_not_when_checked() {
        // ISO dates compare as text.
        for (name, deprecation) in SUPPORTED {
            assert!(
                deprecation > CHECKED,
                "{name} was deprecated on {deprecation}: move it to DEPRECATED"
            );
        }
        for (name, since, _) in DEPRECATED {
            assert!(since <= CHECKED, "{name} is deprecated only from {since}");
        }
    }
}
