//! The Neon client against `wiremock` playing Neon's API v2: one mock server
//! per test, response bodies from `tests/neon/`, faults included. Timings
//! are shortened (10–50 ms backoff) but the behaviour is the real one; no
//! test asserts a wall-clock time, and every call runs under a hang guard.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use launchpad_core::custom::{Interrupted, ResourceError};
use launchpad_core::value::{PropertyMap, Value};
use launchpad_http_mocks as http_mocks;
use serde_json::json;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

use super::api::{
    BranchSpec, BranchUpdate, ConnectionUriQuery, EndpointSettings, Operation, OperationStatus,
    ProjectBranchSpec, ProjectSpec,
};
use super::client::{API_KEY_ENV, CreatedBranch, DEFAULT_API_URL};
use super::retry::TokenBucket;
use super::test_support::{
    CREATE_TIMELINE_OP, Harness, KEY, PROJECT, START_COMPUTE_OP, assert_clean, fast, fixture,
    guard, harness_with, json_response,
};
use super::{NeonClient, NeonError, Timings};

fn harness(timeout: Option<Duration>) -> Harness {
    harness_with(PropertyMap::new(), timeout)
}

fn client_for(base: &str) -> NeonClient {
    NeonClient::new(format!("{base}/api/v2"), KEY)
        .expect("client")
        .with_timings(fast())
}

async fn requests_to(server: &MockServer, http_method: &str, url_path: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() == http_method && r.url.path() == url_path)
        .count()
}

fn spec() -> ProjectSpec {
    ProjectSpec {
        name: "launchpad-db-a1b2c3".to_string(),
        region_id: Some("aws-us-east-2".to_string()),
        ..ProjectSpec::default()
    }
}

fn operation(name: &str) -> Operation {
    #[derive(serde::Deserialize)]
    struct Envelope {
        operation: Operation,
    }
    serde_json::from_str::<Envelope>(&fixture(name))
        .expect("operation fixture")
        .operation
}

/// Mount what Neon answers to the creation of project `launchpad-db-a1b2c3`.
async fn mount_project_created(server: &MockServer) {
    http_mocks::expect(
        server,
        1,
        "POST",
        "/api/v2/projects",
        json_response(201, "project_created.json"),
    )
    .await;
}

#[tokio::test]
async fn create_project_sends_only_what_was_set_and_waits_for_its_operations() {
    let server = MockServer::start().await;
    mount_project_created(&server).await;
    Mock::given(method("GET"))
        .and(path(CREATE_TIMELINE_OP))
        .respond_with(json_response(200, "operation_create_timeline_running.json"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    http_mocks::expect(
        &server,
        1,
        "GET",
        CREATE_TIMELINE_OP,
        json_response(200, "operation_create_timeline_finished.json"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(START_COMPUTE_OP))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(json_response(200, "operation_start_compute_finished.json"))
        .expect(1)
        .mount(&server)
        .await;
    let h = harness(None);
    let client = client_for(&server.uri());

    let created = guard(client.create_project(&h.ctx, &spec()))
        .await
        .expect("created");

    assert_eq!(created.project.id, "floral-king-961888");
    assert_eq!(created.project.pg_version, 17);
    assert_eq!(created.branch.id, "br-bitter-sound-247814");
    assert!(created.branch.default);
    assert_eq!(created.endpoints.len(), 1);
    assert!(created.endpoints[0].is_read_write());
    assert_eq!(
        created.endpoints[0].host,
        "ep-dark-snowflake-942567.us-east-2.aws.neon.tech"
    );
    // Exactly what was set: no pg_version, no history_retention_seconds, no
    // empty default_endpoint_settings object.
    let posts = server.received_requests().await.unwrap_or_default();
    let post = posts
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .expect("the POST");
    let body: serde_json::Value = post.body_json().expect("json body");
    assert_eq!(
        body,
        json!({"project": {"name": "launchpad-db-a1b2c3", "region_id": "aws-us-east-2"}})
    );
    assert!(body["project"].get("history_retention_seconds").is_none());
    assert_eq!(
        post.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert!(
        h.log
            .lines()
            .contains(&"Neon operation create_timeline: running".to_string()),
        "{:?}",
        h.log.lines()
    );
    h.log.assert_clean();
    assert_clean(&format!("{created:?}"));
}

#[tokio::test]
async fn every_field_that_is_set_is_sent_with_neons_names() {
    let server = MockServer::start().await;
    let spec = ProjectSpec {
        name: "launchpad-db-a1b2c3".to_string(),
        region_id: Some("aws-us-east-2".to_string()),
        pg_version: Some(16),
        org_id: Some("org-morning-bread-81040908".to_string()),
        default_endpoint_settings: EndpointSettings {
            autoscaling_limit_min_cu: Some(0.25),
            autoscaling_limit_max_cu: Some(4.0),
            suspend_timeout_seconds: Some(-1),
        },
        history_retention_seconds: Some(3600),
        branch: Some(ProjectBranchSpec {
            role_name: "app".to_string(),
            database_name: "shop".to_string(),
        }),
    };
    Mock::given(method("POST"))
        .and(path("/api/v2/projects"))
        .and(body_json(json!({"project": {
            "name": "launchpad-db-a1b2c3",
            "region_id": "aws-us-east-2",
            "pg_version": 16,
            "org_id": "org-morning-bread-81040908",
            "default_endpoint_settings": {
                "autoscaling_limit_min_cu": 0.25,
                "autoscaling_limit_max_cu": 4.0,
                "suspend_timeout_seconds": -1
            },
            "history_retention_seconds": 3600,
            "branch": {"role_name": "app", "database_name": "shop"}
        }})))
        .respond_with(json_response(201, "project_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CREATE_TIMELINE_OP))
        .respond_with(json_response(
            200,
            "operation_create_timeline_finished.json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(START_COMPUTE_OP))
        .respond_with(json_response(200, "operation_start_compute_finished.json"))
        .mount(&server)
        .await;
    let h = harness(None);

    guard(client_for(&server.uri()).create_project(&h.ctx, &spec))
        .await
        .expect("created");
}

#[tokio::test]
async fn create_branch_asks_for_a_read_write_endpoint_and_does_not_poll_finished_operations() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{PROJECT}/branches")))
        .and(body_json(json!({
            "branch": {
                "name": "preview-pr-42",
                "parent_id": "br-bitter-sound-247814",
                "expires_at": "2026-05-11T10:00:00Z"
            },
            "endpoints": [{
                "type": "read_write",
                "autoscaling_limit_min_cu": 0.25,
                "autoscaling_limit_max_cu": 1.0,
                "suspend_timeout_seconds": 300
            }]
        })))
        .respond_with(json_response(201, "branch_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    // Its operations are finished and skipped already: nothing to poll.
    http_mocks::never(
        &server,
        "GET",
        &format!("{PROJECT}/operations/3f8e5b27-40c1-4d5e-9a63-0c2b7d1e8f90"),
    )
    .await;
    let h = harness(None);
    let spec = BranchSpec {
        name: "preview-pr-42".to_string(),
        parent_id: Some("br-bitter-sound-247814".to_string()),
        expires_at: Some("2026-05-11T10:00:00Z".to_string()),
        read_write_endpoint: Some(EndpointSettings {
            autoscaling_limit_min_cu: Some(0.25),
            autoscaling_limit_max_cu: Some(1.0),
            suspend_timeout_seconds: Some(300),
        }),
        ..BranchSpec::default()
    };

    let created =
        guard(client_for(&server.uri()).create_branch(&h.ctx, "floral-king-961888", &spec))
            .await
            .expect("created");

    assert_eq!(created.branch.id, "br-wispy-meadow-118737");
    assert_eq!(
        created.branch.parent_id.as_deref(),
        Some("br-bitter-sound-247814")
    );
    assert_eq!(created.endpoints.len(), 1);
    assert!(created.endpoints[0].is_read_write());
    assert_eq!(created.endpoints[0].branch_id, "br-wispy-meadow-118737");
    assert_eq!(created.endpoints[0].autoscaling_limit_max_cu, 1.0);
}

#[tokio::test]
async fn roles_and_databases_are_created_listed_and_never_carry_a_password() {
    let server = MockServer::start().await;
    let branch = format!("{PROJECT}/branches/br-wispy-meadow-118737");
    Mock::given(method("POST"))
        .and(path(format!("{branch}/roles")))
        .and(body_json(json!({"role": {"name": "app_user"}})))
        .respond_with(json_response(201, "role_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{branch}/databases")))
        .and(body_json(
            json!({"database": {"name": "app", "owner_name": "app_user"}}),
        ))
        .respond_with(json_response(201, "database_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    http_mocks::expect(
        &server,
        1,
        "GET",
        &format!("{branch}/roles"),
        json_response(200, "roles_list.json"),
    )
    .await;
    http_mocks::expect(
        &server,
        1,
        "GET",
        &format!("{branch}/databases"),
        json_response(200, "databases_list.json"),
    )
    .await;
    let h = harness(None);
    let client = client_for(&server.uri());
    let (project, branch) = ("floral-king-961888", "br-wispy-meadow-118737");

    let role = guard(client.create_role(&h.ctx, project, branch, "app_user"))
        .await
        .expect("role");
    let database = guard(client.create_database(&h.ctx, project, branch, "app", "app_user"))
        .await
        .expect("database");
    let roles = guard(client.list_roles(&h.ctx, project, branch))
        .await
        .expect("roles");
    let databases = guard(client.list_databases(&h.ctx, project, branch))
        .await
        .expect("databases");

    assert_eq!(role.name, "app_user");
    assert_eq!(
        (database.name.as_str(), database.owner_name.as_str()),
        ("app", "app_user")
    );
    assert_eq!(
        roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["neondb_owner", "app_user"]
    );
    assert_eq!(databases.len(), 2);
    // Neon returns the new role's password; the client never keeps it.
    assert_clean(&format!("{role:?}"));
}

#[tokio::test]
async fn update_branch_can_remove_an_expiry_by_sending_null() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("{PROJECT}/branches/br-wispy-meadow-118737")))
        .and(body_json(json!({"branch": {"expires_at": null}})))
        .respond_with(json_response(200, "branch_updated.json"))
        .expect(1)
        .mount(&server)
        .await;
    let h = harness(None);
    let update = BranchUpdate {
        expires_at: Some(None),
        ..BranchUpdate::default()
    };

    let branch = guard(client_for(&server.uri()).update_branch(
        &h.ctx,
        "floral-king-961888",
        "br-wispy-meadow-118737",
        &update,
    ))
    .await
    .expect("updated");

    assert_eq!(branch.expires_at, None);
    assert_eq!(branch.current_state.as_deref(), Some("ready"));
}

#[tokio::test]
async fn connection_uri_asks_for_the_database_role_and_pooler_and_stays_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{PROJECT}/connection_uri")))
        .and(query_param("branch_id", "br-wispy-meadow-118737"))
        .and(query_param("database_name", "neondb"))
        .and(query_param("role_name", "neondb_owner"))
        .and(query_param("pooled", "true"))
        .respond_with(json_response(200, "connection_uri_pooled.json"))
        .expect(1)
        .mount(&server)
        .await;
    let h = harness(None);
    let query = ConnectionUriQuery {
        project_id: "floral-king-961888".to_string(),
        branch_id: Some("br-wispy-meadow-118737".to_string()),
        database_name: "neondb".to_string(),
        role_name: "neondb_owner".to_string(),
        pooled: true,
    };

    let uri = guard(client_for(&server.uri()).connection_uri(&h.ctx, &query))
        .await
        .expect("uri");

    assert!(
        uri.expose_secret().starts_with(
            "postgresql://neondb_owner:npg_Qx7vR2mWk9Lp@ep-quiet-river-558833-pooler."
        )
    );
    assert_eq!(format!("{uri:?}"), "[secret]");
    assert_eq!(uri.to_string(), "[secret]");
}

#[tokio::test]
async fn locked_423_is_retried_until_the_update_goes_through() {
    let server = MockServer::start().await;
    let endpoint = format!("{PROJECT}/endpoints/ep-dark-snowflake-942567");
    let expected_body = json!({"endpoint": {
        "autoscaling_limit_min_cu": 0.5,
        "autoscaling_limit_max_cu": 4.0
    }});
    Mock::given(method("PATCH"))
        .and(path(endpoint.as_str()))
        .and(body_json(expected_body.clone()))
        .respond_with(json_response(423, "error_locked.json"))
        .up_to_n_times(1)
        .expect(1)
        .named("locked")
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(endpoint.as_str()))
        .and(body_json(expected_body))
        .respond_with(json_response(200, "endpoint_updated.json"))
        .expect(1)
        .named("updated")
        .mount(&server)
        .await;
    let h = harness(None);
    let settings = EndpointSettings {
        autoscaling_limit_min_cu: Some(0.5),
        autoscaling_limit_max_cu: Some(4.0),
        suspend_timeout_seconds: None,
    };

    let updated = guard(client_for(&server.uri()).update_endpoint(
        &h.ctx,
        "floral-king-961888",
        "ep-dark-snowflake-942567",
        &settings,
    ))
    .await
    .expect("updated");

    assert_eq!(updated.autoscaling_limit_max_cu, 4.0);
    let lines = h.log.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("423 Locked")
                && l.contains("project already has running operations")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn too_many_requests_429_waits_the_seconds_neon_asks_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PROJECT))
        .respond_with(
            json_response(429, "error_rate_limited.json").insert_header("Retry-After", "1"),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    http_mocks::expect(
        &server,
        1,
        "GET",
        PROJECT,
        json_response(200, "project.json"),
    )
    .await;
    let h = harness(None);
    let client = client_for(&server.uri());
    let project = guard(client.get_project(&h.ctx, "floral-king-961888"))
        .await
        .expect("project");
    // The wait the client chose is the one it logs and then sleeps: Neon's
    // one second, not its own 10-50 ms backoff. (No clock is asserted.)
    assert_eq!(project.expect("found").id, "floral-king-961888");
    assert_eq!(requests_to(&server, "GET", PROJECT).await, 2);
    let lines = h.log.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("429 Too Many Requests") && l.contains("retrying in 1s")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn server_errors_500_then_503_are_retried_until_success() {
    let server = MockServer::start().await;
    for (status, body) in [
        (500, "error_internal.json"),
        (503, "error_unavailable.json"),
    ] {
        Mock::given(method("GET"))
            .and(path(PROJECT))
            .respond_with(json_response(status, body))
            .up_to_n_times(1)
            .expect(1)
            .named(format!("{status}"))
            .mount(&server)
            .await;
    }
    http_mocks::expect(
        &server,
        1,
        "GET",
        PROJECT,
        json_response(200, "project.json"),
    )
    .await;
    let h = harness(None);

    let project = guard(client_for(&server.uri()).get_project(&h.ctx, "floral-king-961888"))
        .await
        .expect("project")
        .expect("found");

    assert_eq!(project.name, "launchpad-db-a1b2c3");
    let lines = h.log.lines();
    let retries: Vec<_> = lines.iter().filter(|l| l.contains("retrying in")).collect();
    assert_eq!(retries.len(), 2, "{lines:?}");
    assert!(retries[0].contains("500 Internal Server Error: internal server error"));
    assert!(retries[1].contains("503 Service Unavailable"));
}

#[tokio::test]
async fn a_failed_operation_is_waited_for_until_neon_finishes_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(START_COMPUTE_OP))
        .respond_with(json_response(200, "operation_start_compute_failed.json"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    http_mocks::expect(
        &server,
        1,
        "GET",
        START_COMPUTE_OP,
        json_response(200, "operation_start_compute_finished.json"),
    )
    .await;
    let h = harness(None);
    let mut op = operation("operation_start_compute_failed.json");
    op.status = OperationStatus::Running;

    guard(client_for(&server.uri()).wait_for_operations(&h.ctx, &[op]))
        .await
        .expect("finished");

    let lines = h.log.lines();
    assert!(
        lines.contains(
            &"Neon operation start_compute failed (1 failure so far): compute ep-dark-snowflake-942567 did not become ready in time; Neon retries it"
                .to_string()
        ),
        "{lines:?}"
    );
}

/// Wait, with a 300 ms deadline, for an operation Neon keeps reporting as
/// in `fixture`; returns the server (for its request log) and the error.
async fn wait_past_deadline(op_path: &str, fixture: &str) -> (MockServer, NeonError) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(op_path))
        .respond_with(json_response(200, fixture))
        .mount(&server)
        .await;
    let h = harness(Some(Duration::from_millis(300)));
    let err = guard(client_for(&server.uri()).wait_for_operations(&h.ctx, &[operation(fixture)]))
        .await
        .expect_err("deadline");
    (server, err)
}

#[tokio::test]
async fn an_operation_that_never_finishes_ends_at_the_deadline() {
    let (server, err) =
        wait_past_deadline(CREATE_TIMELINE_OP, "operation_create_timeline_running.json").await;

    assert_eq!(
        err.interrupted(),
        Some(Interrupted::DeadlineExceeded(Duration::from_millis(300)))
    );
    let message = err.to_string();
    assert!(
        message.starts_with(
            "waiting for the Neon operation create_timeline (a07f8772-1877-4da9-a939-3a3ae62d1d8d): timed out after 300ms"
        ),
        "{message}"
    );
    assert!(!message.contains("Neon's last error"), "{message}");
    assert!(requests_to(&server, "GET", CREATE_TIMELINE_OP).await >= 1);
    assert!(matches!(
        ResourceError::from(err),
        ResourceError::Interrupted(Interrupted::DeadlineExceeded(_))
    ));
}

#[tokio::test]
async fn a_deadline_hit_while_the_operation_is_failed_reports_neons_error() {
    let (_server, err) =
        wait_past_deadline(START_COMPUTE_OP, "operation_start_compute_failed.json").await;

    let message = err.to_string();
    assert!(message.contains("timed out after 300ms"), "{message}");
    assert!(
        message.ends_with(
            "; Neon's last error for it: compute ep-dark-snowflake-942567 did not become ready in time"
        ),
        "{message}"
    );
    // The user sees Neon's reason, not just "timed out".
    match ResourceError::from(err) {
        ResourceError::Failed(m) => assert!(m.contains("did not become ready"), "{m}"),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn cancel_stops_polling_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CREATE_TIMELINE_OP))
        .respond_with(json_response(200, "operation_create_timeline_running.json"))
        .mount(&server)
        .await;
    let h = harness(None);
    // Polls far apart: a prompt return can only come from Cancel.
    let client = Arc::new(client_for(&server.uri()).with_timings(Timings {
        first_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(3600),
        ..fast()
    }));
    let waiting = tokio::spawn({
        let (client, ctx) = (client.clone(), h.ctx.clone());
        let op = operation("operation_create_timeline_running.json");
        async move { client.wait_for_operations(&ctx, &[op]).await }
    });
    guard(async {
        while requests_to(&server, "GET", CREATE_TIMELINE_OP).await < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;

    h.cancel.cancel();
    let err = guard(waiting).await.expect("task").expect_err("cancelled");

    assert_eq!(err.interrupted(), Some(Interrupted::Cancelled));
    assert!(
        err.to_string()
            .starts_with("waiting for the Neon operation create_timeline"),
        "{err}"
    );
    assert!(matches!(
        ResourceError::from(err),
        ResourceError::Interrupted(Interrupted::Cancelled)
    ));
}

#[tokio::test]
async fn a_lost_answer_to_create_project_finds_the_project_instead_of_creating_it_twice() {
    let server = MockServer::start().await;
    // Neon creates the project but the answer comes after the client gave up.
    http_mocks::expect(
        &server,
        1,
        "POST",
        "/api/v2/projects",
        json_response(201, "project_created.json").set_delay(Duration::from_secs(3)),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/projects"))
        .and(query_param("search", "launchpad-db-a1b2c3"))
        .respond_with(json_response(200, "projects_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    http_mocks::expect(
        &server,
        1,
        "GET",
        &format!("{PROJECT}/branches"),
        json_response(200, "branches_list.json"),
    )
    .await;
    http_mocks::expect(
        &server,
        1,
        "GET",
        &format!("{PROJECT}/branches/br-bitter-sound-247814/endpoints"),
        json_response(200, "branch_endpoints.json"),
    )
    .await;
    http_mocks::expect(
        &server,
        1,
        "GET",
        &format!("{PROJECT}/operations"),
        json_response(200, "operations_list.json"),
    )
    .await;
    // The start_compute it found running is waited for.
    http_mocks::expect(
        &server,
        1,
        "GET",
        START_COMPUTE_OP,
        json_response(200, "operation_start_compute_finished.json"),
    )
    .await;
    let h = harness(None);
    let client = NeonClient::new(format!("{}/api/v2", server.uri()), KEY)
        .expect("client")
        .with_timings(Timings {
            request_timeout: Duration::from_millis(300),
            ..fast()
        });

    let created = guard(client.create_project(&h.ctx, &spec()))
        .await
        .expect("found");

    assert_eq!(created.project.id, "floral-king-961888");
    assert_eq!(created.branch.id, "br-bitter-sound-247814");
    assert_eq!(created.endpoints[0].id, "ep-dark-snowflake-942567");
    assert_eq!(requests_to(&server, "POST", "/api/v2/projects").await, 1);
    let lines = h.log.lines();
    assert!(
        lines.iter().any(|l| l
            .starts_with("lost the Neon API's answer to POST /projects (no answer within 300ms)")),
        "{lines:?}"
    );
    h.log.assert_clean();
}

/// A front for `upstream` that reads the first request and drops the
/// connection without an answer (a reset as the client sees it), then
/// passes every later connection through.
async fn drop_first_connection(upstream: SocketAddr) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let mut first = true;
        while let Ok((mut inbound, _)) = listener.accept().await {
            if std::mem::take(&mut first) {
                let mut buffer = [0u8; 8192];
                let _ = inbound.read(&mut buffer).await;
                drop(inbound);
                continue;
            }
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    address
}

#[tokio::test]
async fn a_connection_reset_on_create_looks_first_and_sends_again_only_when_nothing_exists() {
    let server = MockServer::start().await;
    mount_project_created(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/v2/projects"))
        .and(query_param("search", "launchpad-db-a1b2c3"))
        .and(query_param_is_missing("cursor"))
        .respond_with(json_response(200, "projects_list_empty.json"))
        .expect(1)
        .mount(&server)
        .await;
    for (op, body) in [
        (
            CREATE_TIMELINE_OP,
            "operation_create_timeline_finished.json",
        ),
        (START_COMPUTE_OP, "operation_start_compute_finished.json"),
    ] {
        http_mocks::expect(&server, 1, "GET", op, json_response(200, body)).await;
    }
    let front = drop_first_connection(*server.address()).await;
    let h = harness(None);

    let created = guard(client_for(&format!("http://{front}")).create_project(&h.ctx, &spec()))
        .await
        .expect("created");

    assert_eq!(created.project.id, "floral-king-961888");
    // The first POST never reached Neon; the list showed nothing; one POST made it.
    assert_eq!(requests_to(&server, "POST", "/api/v2/projects").await, 1);
    let lines = h.log.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("lost the Neon API's answer to POST /projects (connection lost")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("POST /projects was not done; sending it again in")),
        "{lines:?}"
    );
}

/// Create branch `preview-pr-42` of project floral-king-961888 on `server`,
/// where Neon lists no branch of that name (once) when the client looks.
async fn create_preview_branch(server: &MockServer) -> Result<CreatedBranch, NeonError> {
    Mock::given(method("GET"))
        .and(path(format!("{PROJECT}/branches")))
        .and(query_param("search", "preview-pr-42"))
        .respond_with(json_response(200, "branches_list_empty.json"))
        .expect(1)
        .mount(server)
        .await;
    let h = harness(None);
    let spec = BranchSpec {
        name: "preview-pr-42".to_string(),
        ..BranchSpec::default()
    };
    guard(client_for(&server.uri()).create_branch(&h.ctx, "floral-king-961888", &spec)).await
}

#[tokio::test]
async fn a_500_on_create_branch_is_checked_before_the_branch_is_asked_for_again() {
    let server = MockServer::start().await;
    let branches = format!("{PROJECT}/branches");
    Mock::given(method("POST"))
        .and(path(branches.as_str()))
        .respond_with(json_response(500, "error_internal.json"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    http_mocks::expect(
        &server,
        1,
        "POST",
        &branches,
        json_response(201, "branch_created.json"),
    )
    .await;

    let created = create_preview_branch(&server).await.expect("created");

    assert_eq!(created.branch.name, "preview-pr-42");
}

#[tokio::test]
async fn a_malformed_answer_to_create_project_finds_the_project_instead_of_orphaning_it() {
    let server = MockServer::start().await;
    // Neon creates the project; its answer arrives cut off.
    http_mocks::expect(
        &server,
        1,
        "POST",
        "/api/v2/projects",
        json_response(201, "project_truncated.json"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/projects"))
        .and(query_param("search", "launchpad-db-a1b2c3"))
        .respond_with(json_response(200, "projects_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    for (url_path, body) in [
        (format!("{PROJECT}/branches"), "branches_list.json"),
        (
            format!("{PROJECT}/branches/br-bitter-sound-247814/endpoints"),
            "branch_endpoints.json",
        ),
        (format!("{PROJECT}/operations"), "operations_list.json"),
        (
            START_COMPUTE_OP.to_string(),
            "operation_start_compute_finished.json",
        ),
    ] {
        http_mocks::expect(&server, 1, "GET", &url_path, json_response(200, body)).await;
    }
    let h = harness(None);

    let created = guard(client_for(&server.uri()).create_project(&h.ctx, &spec()))
        .await
        .expect("found");

    assert_eq!(created.project.id, "floral-king-961888");
    assert_eq!(created.branch.id, "br-bitter-sound-247814");
    assert_eq!(requests_to(&server, "POST", "/api/v2/projects").await, 1);
    let lines = h.log.lines();
    assert!(
        lines.iter().any(|l| l.starts_with(
            "could not read the Neon API's answer to POST /projects; looking for what it made"
        )),
        "{lines:?}"
    );
    h.log.assert_clean();
}

#[tokio::test]
async fn a_malformed_answer_to_a_create_that_made_nothing_findable_is_not_sent_again() {
    let server = MockServer::start().await;
    let branches = format!("{PROJECT}/branches");
    http_mocks::expect(
        &server,
        1,
        "POST",
        &branches,
        json_response(201, "project_truncated.json"),
    )
    .await;

    let err = create_preview_branch(&server)
        .await
        .expect_err("unreadable");

    assert!(
        err.to_string().starts_with(
            "unexpected answer from the Neon API to POST /projects/floral-king-961888/branches"
        ),
        "{err}"
    );
    assert_eq!(requests_to(&server, "POST", &branches).await, 1);
}

#[tokio::test]
async fn a_malformed_answer_names_the_call_and_what_was_expected_but_not_the_body() {
    let cases = [
        (
            "project_truncated.json",
            "unexpected answer from the Neon API to GET /projects/floral-king-961888: expected a project, but the body ends too early",
        ),
        (
            "project_wrong_type.json",
            "unexpected answer from the Neon API to GET /projects/floral-king-961888: expected a project, but a value has the wrong type",
        ),
    ];
    for (body, expected) in cases {
        let server = MockServer::start().await;
        http_mocks::expect(&server, 1, "GET", PROJECT, json_response(200, body)).await;
        let h = harness(None);

        let err = guard(client_for(&server.uri()).get_project(&h.ctx, "floral-king-961888"))
            .await
            .expect_err("malformed");

        let message = err.to_string();
        assert!(message.starts_with(expected), "{body}: {message}");
        assert_clean(&message);
        assert!(!message.contains("postgresql://"), "{message}");
    }
}

#[tokio::test]
async fn an_invalid_key_401_says_so_and_where_to_set_it_without_showing_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PROJECT))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(json_response(401, "error_unauthorized.json"))
        .expect(1)
        .mount(&server)
        .await;
    let h = harness(None);

    let err = guard(client_for(&server.uri()).get_project(&h.ctx, "floral-king-961888"))
        .await
        .expect_err("unauthorized");

    let message = err.to_string();
    assert!(
        message.starts_with(
            "the Neon API key is not valid (401 Unauthorized): authentication required"
        ),
        "{message}"
    );
    assert!(message.contains("`launchpad:neonApiKey`"), "{message}");
    assert!(message.contains("`NEON_API_KEY`"), "{message}");
    assert_clean(&message);
    assert_clean(&format!("{err:?}"));
}

#[tokio::test]
async fn another_4xx_shows_neons_message_and_status_and_is_not_retried() {
    let server = MockServer::start().await;
    http_mocks::expect(
        &server,
        1,
        "POST",
        "/api/v2/projects",
        json_response(400, "error_bad_request.json"),
    )
    .await;
    let h = harness(None);

    let err = guard(client_for(&server.uri()).create_project(&h.ctx, &spec()))
        .await
        .expect_err("bad request");

    assert!(matches!(err, NeonError::Api { status: 400, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the Neon API answered POST /projects with 400 Bad Request: autoscaling_limit_max_cu: the maximum compute size for your plan is 2 CU (request ID 6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2918)"
    );
}

#[tokio::test]
async fn deleting_what_is_already_gone_is_success() {
    let server = MockServer::start().await;
    for gone in [
        PROJECT.to_string(),
        format!("{PROJECT}/branches/br-wispy-meadow-118737"),
        format!("{PROJECT}/branches/br-wispy-meadow-118737/roles/app_user"),
        format!("{PROJECT}/branches/br-wispy-meadow-118737/databases/app"),
    ] {
        http_mocks::expect(
            &server,
            1,
            "DELETE",
            &gone,
            json_response(404, "error_not_found.json"),
        )
        .await;
    }
    let h = harness(None);
    let client = client_for(&server.uri());
    let (project, branch) = ("floral-king-961888", "br-wispy-meadow-118737");

    guard(client.delete_project(&h.ctx, project))
        .await
        .expect("project");
    guard(client.delete_branch(&h.ctx, project, branch))
        .await
        .expect("branch");
    guard(client.delete_role(&h.ctx, project, branch, "app_user"))
        .await
        .expect("role");
    guard(client.delete_database(&h.ctx, project, branch, "app"))
        .await
        .expect("database");
}

#[tokio::test]
async fn the_http_client_is_built_on_the_first_request_not_before() {
    let server = MockServer::start().await;
    http_mocks::expect(
        &server,
        1,
        "GET",
        PROJECT,
        json_response(404, "error_not_found.json"),
    )
    .await;
    let client = client_for(&server.uri());
    assert!(!client.http_is_built());
    let h = harness(None);

    let project = guard(client.get_project(&h.ctx, "floral-king-961888"))
        .await
        .expect("answer");

    assert_eq!(project, None);
    assert!(client.http_is_built());
}

#[tokio::test]
async fn neither_debug_nor_any_error_nor_any_log_line_shows_the_key() {
    let client = NeonClient::new("https://console.neon.tech/api/v2", KEY).expect("client");
    let debug = format!("{client:?}");
    assert!(debug.contains("api_key: [secret]"), "{debug}");
    assert_clean(&debug);

    // Errors of every kind the wire can produce, from a server that answers
    // each status once, and from an address where nothing listens.
    let server = MockServer::start().await;
    let mut errors = Vec::new();
    let h = harness(None);
    for (status, body) in [
        (401, "error_unauthorized.json"),
        (403, "error_unauthorized.json"),
        (400, "error_bad_request.json"),
        (404, "error_not_found.json"),
        (200, "project_truncated.json"),
        (200, "project_wrong_type.json"),
    ] {
        server.reset().await;
        Mock::given(method("PATCH"))
            .and(path(PROJECT))
            .respond_with(json_response(status, body))
            .mount(&server)
            .await;
        let update = super::api::ProjectUpdate {
            name: Some("renamed".to_string()),
            ..Default::default()
        };
        errors.push(
            guard(client_for(&server.uri()).update_project(&h.ctx, "floral-king-961888", &update))
                .await
                .expect_err("error"),
        );
    }
    server.reset().await;
    Mock::given(method("GET"))
        .and(path(PROJECT))
        .respond_with(json_response(503, "error_unavailable.json"))
        .mount(&server)
        .await;
    let impatient = client_for(&server.uri()).with_timings(Timings {
        retry_window: Duration::from_millis(100),
        ..fast()
    });
    errors.push(
        guard(impatient.get_project(&h.ctx, "floral-king-961888"))
            .await
            .expect_err("gave up"),
    );
    let nowhere = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
    };
    errors.push(
        guard(client_for(&format!("http://{nowhere}")).get_project(&h.ctx, "floral-king-961888"))
            .await
            .expect_err("unreachable"),
    );
    errors.push(NeonClient::new("http://example.com/api/v2", KEY).expect_err("clear text"));

    assert_eq!(errors.len(), 9);
    for err in &errors {
        assert_clean(&err.to_string());
        assert_clean(&format!("{err:?}"));
    }
    let texts: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        texts[1].starts_with(
            "the Neon API key may not call PATCH /projects/floral-king-961888 (403 Forbidden)"
        ),
        "{}",
        texts[1]
    );
    assert!(
        texts[6].starts_with(
            "the Neon API kept failing GET /projects/floral-king-961888 (503 Service Unavailable"
        ),
        "{}",
        texts[6]
    );
    assert!(texts[7].contains("(cannot connect: "), "{}", texts[7]);
    assert!(texts[8].contains("must be an https URL"), "{}", texts[8]);
    h.log.assert_clean();
}

#[test]
fn the_config_gives_the_url_and_a_secret_key_or_the_environment_gives_the_key() {
    let secret = |s: &str| Value::Secret(Box::new(Value::string(s)));
    let config = PropertyMap::from([
        (
            "neonApiUrl".to_string(),
            Value::string("http://127.0.0.1:4010/api/v2"),
        ),
        ("neonApiKey".to_string(), secret(KEY)),
    ]);
    let client = NeonClient::from_config_and_env(&config, None).expect("from config");
    assert_eq!(client.base_url(), "http://127.0.0.1:4010/api/v2");
    assert_clean(&format!("{client:?}"));

    // No key in the config (or an empty one): the environment's.
    for config in [
        PropertyMap::new(),
        PropertyMap::from([("neonApiKey".to_string(), secret(""))]),
    ] {
        let client = NeonClient::from_config_and_env(&config, Some(KEY.to_string()))
            .expect("from the environment");
        assert_eq!(client.base_url(), DEFAULT_API_URL);
    }

    let missing = NeonClient::from_config_and_env(&PropertyMap::new(), None).expect_err("no key");
    assert!(matches!(missing, NeonError::MissingApiKey));
    let message = missing.to_string();
    assert!(message.contains("launchpad:neonApiKey"), "{message}");
    assert!(message.contains(API_KEY_ENV), "{message}");

    let refusals = [
        (
            PropertyMap::from([("neonApiKey".to_string(), Value::Number(42.0))]),
            "launchpad:neonApiKey must be a string",
        ),
        (
            PropertyMap::from([
                ("neonApiKey".to_string(), secret(KEY)),
                ("neonApiUrl".to_string(), Value::string("console.neon.tech")),
            ]),
            "launchpad:neonApiUrl=\"console.neon.tech\" is not a URL",
        ),
        (
            PropertyMap::from([
                ("neonApiKey".to_string(), secret(KEY)),
                (
                    "neonApiUrl".to_string(),
                    Value::string("http://neon.internal/api/v2"),
                ),
            ]),
            "launchpad:neonApiUrl=\"http://neon.internal/api/v2\" must be an https URL",
        ),
    ];
    for (config, expected) in refusals {
        let err = NeonClient::from_config_and_env(&config, None).expect_err(expected);
        let message = err.to_string();
        assert!(message.starts_with(expected), "{message}");
        assert_clean(&message);
    }
}

#[test]
fn the_token_bucket_allows_a_burst_then_spaces_requests_at_the_rate() {
    let timings = Timings {
        requests_per_minute: 60,
        burst: 2,
        ..Timings::default()
    };
    let mut bucket = TokenBucket::new(&timings);
    let t0 = tokio::time::Instant::now();
    let waits: Vec<Duration> = (0..4).map(|_| bucket.reserve(t0)).collect();
    assert_eq!(
        waits,
        [
            Duration::ZERO,
            Duration::ZERO,
            Duration::from_secs(1),
            Duration::from_secs(2)
        ]
    );
    // Ten seconds later the debt is paid and the bucket is full again (not fuller).
    let later = t0 + Duration::from_secs(10);
    assert_eq!(bucket.reserve(later), Duration::ZERO);
    assert_eq!(bucket.reserve(later), Duration::ZERO);
    assert_eq!(bucket.reserve(later), Duration::from_secs(1));
}

#[test]
fn neons_documented_default_limits_are_the_defaults() {
    let timings = Timings::default();
    assert_eq!(timings.requests_per_minute, 700);
    assert_eq!(timings.burst, 40);
    assert_eq!(timings.first_backoff, Duration::from_millis(100));
    assert_eq!(timings.max_backoff, Duration::from_secs(5));
}
