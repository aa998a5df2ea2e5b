//! What goes over the wire and what comes back means: one API call
//! ([`Call`]), and the classification of Neon's answers ([`classify`]):
//! 2xx is a reply, 404 is "none" (and on a delete, done), 423 Locked, 429
//! and 503 are transient and safe to send again, 500/502/504 may hide work
//! done, 401/403 and other 4xx are final. Error bodies are reduced to Neon's
//! `message` ([`error_message`]) and bodies that do not parse are described
//! by where they broke, never quoted: they can hold a password.
//!
//! How long to keep trying is not decided here: that is [`crate::retry`].

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::ErrorBody;
use crate::client::{NeonError, status_text};

/// How Neon's answer (400) starts when a personal API key lists or creates
/// projects without naming the organization (<https://neon.com/docs/cli/api>);
/// in full `org_id is required, you can find it on your organization settings
/// page` (<https://github.com/neondatabase/website/issues/5671>). Matched as a
/// substring, as neonctl does, so a rewording of the rest still matches.
const ORG_ID_REQUIRED: &str = "org_id is required";

/// One API call: method, path segments under the base URL, query, body.
#[derive(Clone)]
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
}

impl Call {
    pub(crate) fn new(method: Method, segments: &[&str]) -> Call {
        Call {
            method,
            segments: segments.iter().map(|s| s.to_string()).collect(),
            query: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn get(segments: &[&str]) -> Call {
        Call::new(Method::GET, segments)
    }

    pub(crate) fn post(segments: &[&str], body: &impl Serialize) -> Result<Call, NeonError> {
        Call::with_body(Method::POST, segments, body)
    }

    pub(crate) fn with_body(
        method: Method,
        segments: &[&str],
        body: &impl Serialize,
    ) -> Result<Call, NeonError> {
        let mut call = Call::new(method, segments);
        call.body = Some(serde_json::to_vec(body).map_err(|e| NeonError::Encode {
            endpoint: call.label(),
            reason: e.to_string(),
        })?);
        Ok(call)
    }

    pub(crate) fn query(mut self, key: &'static str, value: &str) -> Call {
        self.query.push((key, value.to_string()));
        self
    }

    /// Method and path, as errors and progress lines name the call (no
    /// query: it is never needed to tell calls apart).
    pub(crate) fn label(&self) -> String {
        format!("{} /{}", self.method, self.segments.join("/"))
    }
}

/// A final answer.
pub(crate) enum Reply {
    /// 2xx, with its body.
    Body(Vec<u8>),
    /// 404, with Neon's message.
    NotFound(String),
}

pub(crate) enum Exchange {
    /// An answer retrying cannot change.
    Done(Reply),
    /// No usable answer, and the request may have been carried out.
    Lost(String),
}

/// What an answer means for the call that got it.
pub(crate) enum Answer {
    /// Final: a reply, or an error retrying will not fix.
    Final(Result<Reply, NeonError>),
    /// Nothing was done (423 Locked, 429, 503): send again, after the wait
    /// the server asked for when it gave one.
    Again {
        /// What went wrong, for the progress line and a give-up.
        failure: String,
        /// `Retry-After` of a 429.
        told_wait: Option<Duration>,
    },
    /// The server failed, possibly after doing the work (500, 502, 504).
    MaybeDone(String),
}

/// What the answer `status` (with its `Retry-After` and body) to the call
/// `label` means: 2xx and 404 are replies; 401/403, a missing organization
/// and other 4xx are errors retrying will not fix; the rest are transient.
pub(crate) fn classify(
    label: &str,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Answer {
    let transient = || format!("{}: {}", status_text(status.as_u16()), error_message(body));
    match status.as_u16() {
        423 | 429 | 503 => Answer::Again {
            failure: transient(),
            told_wait: retry_after.filter(|_| status == StatusCode::TOO_MANY_REQUESTS),
        },
        500 | 502 | 504 => Answer::MaybeDone(transient()),
        _ if status.is_success() => Answer::Final(Ok(Reply::Body(body.to_vec()))),
        404 => Answer::Final(Ok(Reply::NotFound(error_message(body)))),
        401 | 403 => Answer::Final(Err(NeonError::Unauthorized {
            status: status.as_u16(),
            endpoint: label.to_string(),
            message: error_message(body),
        })),
        _ => {
            let message = error_message(body);
            if status == StatusCode::BAD_REQUEST && message.contains(ORG_ID_REQUIRED) {
                return Answer::Final(Err(NeonError::OrgIdRequired {
                    endpoint: label.to_string(),
                    message,
                }));
            }
            Answer::Final(Err(NeonError::Api {
                endpoint: label.to_string(),
                status: status.as_u16(),
                message,
            }))
        }
    }
}

pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    // Seconds only; an HTTP date falls back to the backoff.
    let seconds: u64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds.min(300)))
}

/// Neon's `message` (and request ID) from an error body, or the limits or
/// projects a transfer's refusal names; never the body itself.
pub(crate) fn error_message(body: &[u8]) -> String {
    let Ok(e) = serde_json::from_slice::<ErrorBody>(body) else {
        return "no message".to_string();
    };
    let mut parts: Vec<String> = e.message.into_iter().collect();
    if !e.limits.is_empty() {
        let limits: Vec<String> = e
            .limits
            .iter()
            .map(|l| format!("{} (allowed {}, would be {})", l.name, l.expected, l.actual))
            .collect();
        parts.push(format!(
            "the destination's plan limits: {}",
            limits.join(", ")
        ));
    }
    if !e.projects.is_empty() {
        let projects: Vec<String> = e
            .projects
            .iter()
            .map(|p| format!("{} ({})", p.id, p.integration))
            .collect();
        parts.push(format!(
            "projects with an integration: {}",
            projects.join(", ")
        ));
    }
    let text = if parts.is_empty() {
        "no message".to_string()
    } else {
        parts.join("; ")
    };
    match e.request_id {
        Some(id) => format!("{text} (request ID {id})"),
        None => text,
    }
}

pub(crate) fn decode<T: DeserializeOwned>(
    endpoint: &str,
    expected: &'static str,
    body: &[u8],
) -> Result<T, NeonError> {
    serde_json::from_slice(body).map_err(|e| NeonError::UnexpectedResponse {
        endpoint: endpoint.to_string(),
        expected,
        problem: json_problem(&e),
    })
}

/// Where a body broke, without quoting it: serde's "invalid type: string
/// \"…\"" would print a value that may be a password.
pub(crate) fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {} column {}", e.line(), e.column());
    match e.classify() {
        Category::Syntax => format!("the body is not valid JSON (at {at})"),
        Category::Eof => format!("the body ends too early (at {at})"),
        Category::Io => "the body could not be read".to_string(),
        Category::Data => {
            let message = e.to_string();
            match message.strip_prefix("missing field ") {
                Some(rest) => format!(
                    "the field {} is missing (at {at})",
                    rest.split(" at line").next().unwrap_or(rest)
                ),
                None => format!("a value has the wrong type (at {at})"),
            }
        }
    }
}

pub(crate) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
