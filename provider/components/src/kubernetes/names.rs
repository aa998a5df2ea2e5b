//! The API server's rules for the names a KubernetesService writes or
//! refers to — object names (DNS-1035 and DNS-1123 labels, DNS-1123
//! subdomains), label keys and values, and Ingress/HTTPRoute host names —
//! so that a name the API server would refuse fails at preview instead.
//! The rules are those of `k8s.io/apimachinery/pkg/util/validation`
//! (`IsDNS1035Label`, `IsDNS1123Label`, `IsDNS1123Subdomain`,
//! `IsQualifiedName`, `IsValidLabelValue`, `IsWildcardDNS1123Subdomain`).
//! This module knows nothing of the component's inputs: each check takes a
//! string and answers whether it is valid.

/// The longest DNS label (and label value, and label key name).
const LABEL_MAX: usize = 63;
/// The longest DNS subdomain.
const SUBDOMAIN_MAX: usize = 253;

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?` of any length: a label's shape.
fn is_label_shaped(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63: namespaces and most names.
pub fn is_dns1123_label(s: &str) -> bool {
    s.len() <= LABEL_MAX && is_label_shaped(s)
}

/// A DNS-1123 label that starts with a letter: Service names.
pub fn is_dns1035_label(s: &str) -> bool {
    is_dns1123_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// DNS-1123 labels joined by `.`, at most 253: Secrets, ConfigMaps,
/// service accounts and most other object names.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    // The API server does not hold each part to 63 here; a host name (below) does.
    s.len() <= SUBDOMAIN_MAX && s.split('.').all(is_label_shaped)
}

/// A host an Ingress or HTTPRoute routes: a DNS subdomain whose labels are
/// at most 63, optionally starting with `*.` (every subdomain), and not an
/// IP address.
pub fn is_host(s: &str) -> bool {
    let name = s.strip_prefix("*.").unwrap_or(s);
    let is_ip = name.parse::<std::net::IpAddr>().is_ok();
    !is_ip && is_dns1123_subdomain(name) && name.split('.').all(|l| l.len() <= LABEL_MAX)
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63: the name part of
/// a label key, and a label value when not empty.
fn is_qualified_name_part(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= LABEL_MAX
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// A label (or annotation) key: `[prefix/]name`, the prefix a DNS subdomain.
pub fn is_label_key(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => {
            !prefix.is_empty() && is_dns1123_subdomain(prefix) && is_qualified_name_part(name)
        }
        None => is_qualified_name_part(s),
    }
}

/// A label value: empty, or a qualified name part.
pub fn is_label_value(s: &str) -> bool {
    s.is_empty() || is_qualified_name_part(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_api_servers_rules() {
        for good in ["api", "a1", "a-b", &"a".repeat(63)] {
            assert!(is_dns1035_label(good), "{good}");
        }
        for bad in ["", "1api", "-a", "a-", "A", "a_b", "a.b", &"a".repeat(64)] {
            assert!(!is_dns1035_label(bad), "{bad}");
        }
        assert!(is_dns1123_label("1api") && !is_dns1123_label("a.b"));
        assert!(is_dns1123_subdomain("db.creds-1") && !is_dns1123_subdomain("db..x"));
        assert!(!is_dns1123_subdomain(&"a".repeat(254)));
    }

    #[test]
    fn hosts_may_start_with_a_wildcard_and_keep_labels_short() {
        for good in ["api.example.com", "*.example.com", "localhost"] {
            assert!(is_host(good), "{good}");
        }
        let long_label = format!("{}.com", "a".repeat(64));
        for bad in [
            "API.example.com",
            "a.*.com",
            "10.0.0.1",
            "",
            "a..b",
            long_label.as_str(),
        ] {
            assert!(!is_host(bad), "{bad}");
        }
    }

    #[test]
    fn label_keys_and_values() {
        for good in [
            "team",
            "example.com/team",
            "app.kubernetes.io/part-of",
            "A_b.c",
        ] {
            assert!(is_label_key(good), "{good}");
        }
        for bad in ["", "/team", "Example.com/team", "team/", "-team", "a/b/c"] {
            assert!(!is_label_key(bad), "{bad}");
        }
        for good in ["", "1.4.2", "v1_rc-2"] {
            assert!(is_label_value(good), "{good}");
        }
        for bad in ["bad value!", "-x", "x.", &"a".repeat(64)] {
            assert!(!is_label_value(bad), "{bad}");
        }
    }
}
