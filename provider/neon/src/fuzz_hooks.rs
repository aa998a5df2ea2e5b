//! The fuzz targets' way in to how Neon's answers are read. Classifying an
//! answer ([`crate::transport`]) and decoding its body into each response
//! envelope ([`crate::api`]) are crate-private, and the public client only
//! reads what a server sends, so fuzzing them needs this hook. Hidden, not
//! API; always compiled (a feature would split launchpad-neon into two
//! builds, `make build`'s and the workspace tests'), and nothing in the
//! provider calls it, so the linker leaves it out of the plugin.

use reqwest::StatusCode;

use crate::api::{
    BranchEnvelope, BranchesPage, ConnectionUriEnvelope, DatabaseEnvelope, DatabasesEnvelope,
    EndpointEnvelope, EndpointsEnvelope, OperationEnvelope, OperationsPage, Page, ProjectCreated,
    ProjectEnvelope, ProjectsPage, RoleEnvelope, RolesEnvelope,
};
use crate::transport::{Answer, Reply, classify, decode, error_message};

/// Read `body` as the answer `status` to a call, exactly as the client
/// does: classify it, then decode it as every envelope the client parses.
/// Returns what each step made of it (an error's text, or which envelope
/// held), so a caller can check that no step panics and that an error never
/// quotes the body.
pub fn read_answer(status: u16, body: &[u8]) -> Vec<String> {
    const LABEL: &str = "GET /fuzz";
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut seen = vec![match classify(LABEL, status, None, body) {
        Answer::Final(Ok(Reply::Body(b))) => format!("body of {} bytes", b.len()),
        Answer::Final(Ok(Reply::NotFound(message))) => format!("not found: {message}"),
        Answer::Final(Err(e)) => e.to_string(),
        Answer::Again { failure, .. } => format!("again: {failure}"),
        Answer::MaybeDone(failure) => format!("maybe done: {failure}"),
    }];
    seen.push(error_message(body));
    let mut outcome = |name: &str, result: Result<(), crate::NeonError>| {
        seen.push(match result {
            Ok(()) => format!("{name}: read"),
            Err(e) => format!("{name}: {e}"),
        });
    };
    outcome(
        "project created",
        decode::<ProjectCreated>(LABEL, "a project", body).map(drop),
    );
    outcome(
        "project",
        decode::<ProjectEnvelope>(LABEL, "a project", body).map(drop),
    );
    outcome(
        "projects",
        decode::<ProjectsPage>(LABEL, "projects", body).map(|p| drop(p.into_parts())),
    );
    outcome(
        "branch",
        decode::<BranchEnvelope>(LABEL, "a branch", body).map(drop),
    );
    outcome(
        "branches",
        decode::<BranchesPage>(LABEL, "branches", body).map(|p| drop(p.into_parts())),
    );
    outcome(
        "endpoint",
        decode::<EndpointEnvelope>(LABEL, "an endpoint", body).map(drop),
    );
    outcome(
        "endpoints",
        decode::<EndpointsEnvelope>(LABEL, "endpoints", body).map(drop),
    );
    outcome(
        "role",
        decode::<RoleEnvelope>(LABEL, "a role", body).map(drop),
    );
    outcome(
        "roles",
        decode::<RolesEnvelope>(LABEL, "roles", body).map(drop),
    );
    outcome(
        "database",
        decode::<DatabaseEnvelope>(LABEL, "a database", body).map(drop),
    );
    outcome(
        "databases",
        decode::<DatabasesEnvelope>(LABEL, "databases", body).map(drop),
    );
    outcome(
        "operation",
        decode::<OperationEnvelope>(LABEL, "an operation", body).map(|o| {
            // What the poll loop asks of every operation it reads.
            let _ = (
                o.operation.status.is_terminal(),
                o.operation.status.as_str(),
            );
        }),
    );
    outcome(
        "operations",
        decode::<OperationsPage>(LABEL, "operations", body).map(drop),
    );
    outcome(
        "connection uri",
        decode::<ConnectionUriEnvelope>(LABEL, "a connection URI", body).map(drop),
    );
    seen
}
