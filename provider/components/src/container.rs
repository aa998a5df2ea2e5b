//! What a container's image reference and environment variable names must
//! look like, for every component that runs a container.

use std::collections::BTreeMap;

use launchpad_core::{Input, InputError, Value};

/// `[registry[:port]/]repository[:tag][@sha256:digest]`, repository in lower case.
pub fn image_reference(property: &str, image: Input<String>) -> Result<Input<String>, InputError> {
    let bad = |why: &str| {
        Err(InputError::new(
            property,
            format!(
                "{property}={} is not a valid image reference: {why}; for example \"ghcr.io/acme/api:1.4.2\" or \"123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:…\"",
                image.shown()
            ),
        ))
    };
    let text = image.as_str();
    if text.is_empty() || text.chars().any(char::is_whitespace) {
        return bad("it is empty or contains spaces");
    }
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (text, None),
    };
    if let Some(d) = digest {
        let hex = d.strip_prefix("sha256:").unwrap_or("");
        if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return bad("a digest is `sha256:` and 64 hex digits");
        }
    }
    // A tag follows the last `:` after the last `/` (a registry may have a port).
    let last = rest.rsplit('/').next().unwrap_or(rest);
    let (repo_tail, tag) = match last.split_once(':') {
        Some((r, t)) => (r, Some(t)),
        None => (last, None),
    };
    if let Some(t) = tag
        && (t.is_empty()
            || t.len() > 128
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)))
    {
        return bad("a tag is 1-128 characters of letters, digits, `_`, `.` and `-`");
    }
    let repository = &rest[..rest.len() - last.len() + repo_tail.len()];
    let mut parts: Vec<&str> = repository.split('/').collect();
    // The first part is a registry when it has a `.` or `:`, or is `localhost`.
    if parts.len() > 1 && (parts[0].contains(['.', ':']) || parts[0] == "localhost") {
        parts.remove(0);
    }
    let valid_part = |p: &&str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
            && p.starts_with(|c: char| c.is_ascii_alphanumeric())
    };
    if parts.is_empty() || !parts.iter().all(valid_part) {
        return bad("the repository name is lower-case letters, digits, `.`, `_`, `-` and `/`");
    }
    Ok(image)
}

/// An environment variable name.
pub fn env_name(property: &str, name: &str) -> Result<(), InputError> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(InputError::new(
            format!("{property}.{name}"),
            format!(
                "{property}.{name:?} is not a valid environment variable name; use letters, digits and `_`, not starting with a digit (for example DATABASE_URL)"
            ),
        ))
    }
}

/// A variable named in `secrets`: a valid name, not also in `environment`.
/// Returns its property path (`secrets.NAME`) for further messages.
pub fn secret_variable(
    name: &str,
    environment: &BTreeMap<String, Value>,
) -> Result<String, InputError> {
    env_name("secrets", name)?;
    let property = format!("secrets.{name}");
    if environment.contains_key(name) {
        return Err(InputError::new(
            &property,
            format!("{name} is set in both `environment` and `secrets`; keep it in one of them"),
        ));
    }
    Ok(property)
}
