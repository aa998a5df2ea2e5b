//! What a container's image reference and environment variable names must
//! look like, for every component that runs a container.

use std::collections::BTreeMap;

use launchpad_core::{ArgsReader, Input, InputError, Value};

use crate::errors;

/// `[registry[:port]/]repository[:tag][@sha256:digest]`, repository in lower case.
pub fn image_reference(property: &str, image: Input<String>) -> Result<Input<String>, InputError> {
    let text = image.as_str();
    if text.is_empty() || text.chars().any(char::is_whitespace) {
        return Err(errors::image_empty_or_spaced(property, image.shown()));
    }
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (text, None),
    };
    if let Some(d) = digest {
        let hex = d.strip_prefix("sha256:").unwrap_or("");
        if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(errors::image_bad_digest(property, image.shown()));
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
        return Err(errors::image_bad_tag(property, image.shown()));
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
        return Err(errors::image_bad_repository(property, image.shown()));
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
        Err(errors::invalid_env_name(
            &format!("{property}.{name}"),
            property,
            format!("{name:?}"),
        ))
    }
}

/// The map input `name` of environment variables: names valid; values
/// passed on as they came.
pub fn environment(r: &ArgsReader<'_>, name: &str) -> Result<BTreeMap<String, Value>, InputError> {
    let environment = r.entries(name)?.unwrap_or_default();
    for variable in environment.keys() {
        env_name(name, variable)?;
    }
    Ok(environment)
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
        return Err(errors::variable_in_environment_and_secrets(&property, name));
    }
    Ok(property)
}
