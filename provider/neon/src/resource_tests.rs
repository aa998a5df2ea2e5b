//! `NeonProject` and `NeonBranch` through their `CustomResource` lifecycle
//! against `wiremock` playing Neon (response bodies from `tests/neon/`).
//! (The `NeonDatabase` component's own tests are beside it, in
//! `launchpad-components`.) Every mock that must (or must not) be called says how often;
//! a server's expectations are checked when it is dropped at the end of the
//! test. No test asserts a wall-clock time.

use std::sync::Arc;
use std::time::Duration;

use launchpad_core::custom::{
    ChangeKind, CheckResult, CustomResource, ResourceContext, ResourceError, State,
};
use launchpad_core::value::{PropertyMap, Value};
use launchpad_http_mocks as http_mocks;
use serde_json::json;
use wiremock::matchers::{any, body_json, body_partial_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::branch::NeonBranch;
use super::client::API_KEY_ENV;
use super::project::NeonProject;
use super::resource::Clients;
use super::test_support::{
    CREATE_TIMELINE_OP, Harness, KEY, PROJECT, START_COMPUTE_OP, assert_clean, fast, guard,
    harness_at, harness_with, json_response,
};

const PROJECT_ID: &str = "floral-king-961888";
/// The project's default branch, `main`.
const MAIN: &str = "br-bitter-sound-247814";
const MAIN_ENDPOINT: &str = "ep-dark-snowflake-942567";
/// The branch `preview-pr-42` made from `main`.
const PREVIEW: &str = "br-wispy-meadow-118737";
const PREVIEW_ENDPOINT: &str = "ep-quiet-river-558833";
const DIRECT_URI: &str = "postgresql://app:npg_Qx7vR2mWk9Lp@ep-dark-snowflake-942567.us-east-2.aws.neon.tech/app?sslmode=require&channel_binding=require";
const POOLED_URI: &str = "postgresql://app:npg_Qx7vR2mWk9Lp@ep-dark-snowflake-942567-pooler.us-east-2.aws.neon.tech/app?sslmode=require&channel_binding=require";

/// An error's message, checked clean.
fn message(e: &ResourceError) -> String {
    let m = e.to_string();
    assert_clean(&m);
    m
}

fn harness(config: PropertyMap) -> Harness {
    harness_with(config, None)
}

/// The provider config that points at `server` with the test key.
fn config(server: &MockServer) -> PropertyMap {
    props(&[
        ("neonApiUrl", s(&format!("{}/api/v2", server.uri()))),
        ("neonApiKey", secret(KEY)),
    ])
}

/// A Neon of our own and a context configured for it. It holds no project
/// yet (a test's own `GET /projects` answer takes precedence).
async fn neon() -> (MockServer, Harness) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/projects"))
        .respond_with(json_response(200, "projects_list_empty.json"))
        .with_priority(10)
        .mount(&server)
        .await;
    let h = harness(config(&server));
    (server, h)
}

fn project() -> NeonProject {
    NeonProject {
        clients: Arc::new(Clients::with_timings(fast())),
    }
}

fn branch() -> NeonBranch {
    NeonBranch {
        clients: Arc::new(Clients::with_timings(fast())),
    }
}

fn s(v: &str) -> Value {
    Value::string(v)
}

fn n(v: f64) -> Value {
    Value::Number(v)
}

fn secret(v: &str) -> Value {
    Value::Secret(Box::new(Value::string(v)))
}

fn props(pairs: &[(&str, Value)]) -> PropertyMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn with(base: &PropertyMap, pairs: &[(&str, Value)]) -> PropertyMap {
    let mut m = base.clone();
    m.extend(props(pairs));
    m
}

/// Check as the engine runs it before a create or update: no failures, and
/// the inputs with their defaults.
async fn checked(
    resource: &dyn CustomResource,
    ctx: &ResourceContext,
    news: PropertyMap,
) -> PropertyMap {
    let CheckResult { inputs, failures } = resource.check(ctx, &PropertyMap::new(), news).await;
    assert!(failures.is_empty(), "{failures:?}");
    inputs
}

/// Neon's answers, as wiremock mocks that say how often they are called.
trait Answers {
    /// `verb url` answers `status` with `fixture`, exactly once.
    async fn once(&self, verb: &str, url: &str, status: u16, fixture: &str);
    /// `verb url` is never called.
    async fn never(&self, verb: &str, url: &str);
    /// The branch's roles and databases, each listed once.
    async fn listing(&self, branch: &str, roles: &str, databases: &str);
    /// The direct and the pooled connection URI of `database` as `role`,
    /// each asked for once.
    async fn connection_uris(&self, branch: &str, database: &str, role: &str);
    /// What a Read asks of a branch holding database and role `app`, each
    /// once: the branch itself (`fixture`), its endpoints, its databases
    /// and its connection URIs.
    async fn branch_reads(&self, branch: &str, fixture: &str, endpoints: &str);
}

impl Answers for MockServer {
    async fn once(&self, verb: &str, url: &str, status: u16, fixture: &str) {
        http_mocks::expect(self, 1, verb, url, json_response(status, fixture)).await;
    }

    async fn never(&self, verb: &str, url: &str) {
        http_mocks::never(self, verb, url).await;
    }

    async fn listing(&self, branch: &str, roles: &str, databases: &str) {
        let base = format!("{PROJECT}/branches/{branch}");
        self.once("GET", &format!("{base}/roles"), 200, roles).await;
        self.once("GET", &format!("{base}/databases"), 200, databases)
            .await;
    }

    async fn connection_uris(&self, branch: &str, database: &str, role: &str) {
        for (pooled, body) in [
            ("false", "res_connection_uri.json"),
            ("true", "res_connection_uri_pooled.json"),
        ] {
            Mock::given(method("GET"))
                .and(path(format!("{PROJECT}/connection_uri")))
                .and(query_param("branch_id", branch))
                .and(query_param("database_name", database))
                .and(query_param("role_name", role))
                .and(query_param("pooled", pooled))
                .respond_with(json_response(200, body))
                .expect(1)
                .named(format!("connection URI, pooled={pooled}"))
                .mount(self)
                .await;
        }
    }

    async fn branch_reads(&self, branch: &str, fixture: &str, endpoints: &str) {
        let base = format!("{PROJECT}/branches/{branch}");
        self.once("GET", &base, 200, fixture).await;
        self.once("GET", &format!("{base}/endpoints"), 200, endpoints)
            .await;
        self.once(
            "GET",
            &format!("{base}/databases"),
            200,
            "res_databases_list.json",
        )
        .await;
        self.connection_uris(branch, "app", "app").await;
    }
}

/// No request with `verb` at all.
async fn no_request(server: &MockServer, verb: &str) {
    Mock::given(method(verb))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named(format!("no {verb}"))
        .mount(server)
        .await;
}

/// What a program gives a NeonProject, before Check.
fn project_program() -> PropertyMap {
    props(&[
        ("name", s("launchpad-db-a1b2c3")),
        ("region", s("aws-us-east-2")),
        ("maxCu", n(2.0)),
    ])
}

/// [`project_program`] after Check.
fn project_inputs() -> PropertyMap {
    with(
        &project_program(),
        &[
            ("pgVersion", n(17.0)),
            ("minCu", n(0.25)),
            ("suspendTimeoutSeconds", n(0.0)),
            ("databaseName", s("app")),
            ("roleName", s("app")),
        ],
    )
}

/// What the engine recorded for the project created from `inputs`.
fn project_state(inputs: PropertyMap) -> State {
    let outputs = with(
        &inputs,
        &[
            ("projectId", s(PROJECT_ID)),
            ("branchId", s(MAIN)),
            ("endpointId", s(MAIN_ENDPOINT)),
            (
                "host",
                s("ep-dark-snowflake-942567.us-east-2.aws.neon.tech"),
            ),
            (
                "pooledHost",
                s("ep-dark-snowflake-942567-pooler.us-east-2.aws.neon.tech"),
            ),
            ("connectionUri", secret(DIRECT_URI)),
            ("pooledConnectionUri", secret(POOLED_URI)),
        ],
    );
    State { inputs, outputs }
}

/// A NeonBranch `preview-pr-42` of `main`, after Check.
fn branch_inputs() -> PropertyMap {
    props(&[
        ("name", s("preview-pr-42")),
        ("projectId", s(PROJECT_ID)),
        ("parentBranch", s("main")),
        ("minCu", n(0.25)),
        ("maxCu", n(1.0)),
        ("suspendTimeoutSeconds", n(0.0)),
        ("databaseName", s("app")),
        ("roleName", s("app")),
    ])
}

fn branch_state(inputs: PropertyMap) -> State {
    let outputs = with(
        &inputs,
        &[
            ("projectId", s(PROJECT_ID)),
            ("branchId", s(PREVIEW)),
            ("endpointId", s(PREVIEW_ENDPOINT)),
            ("host", s("ep-quiet-river-558833.us-east-2.aws.neon.tech")),
            (
                "pooledHost",
                s("ep-quiet-river-558833-pooler.us-east-2.aws.neon.tech"),
            ),
            ("connectionUri", secret(DIRECT_URI)),
            ("pooledConnectionUri", secret(POOLED_URI)),
            ("parentBranchId", s(MAIN)),
            ("parentBranchName", s("main")),
        ],
    );
    State { inputs, outputs }
}

const BRANCH_ID: &str = "floral-king-961888/br-wispy-meadow-118737";

// ---- NeonProject: create ----

#[tokio::test]
async fn project_create_sends_the_checked_inputs_waits_for_neon_and_adopts_the_role_and_database() {
    let (server, h) = neon().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/projects"))
        .and(body_json(json!({"project": {
            "name": "launchpad-db-a1b2c3",
            "region_id": "aws-us-east-2",
            "pg_version": 17,
            // suspendTimeoutSeconds 0 (the plan's default) is not sent.
            "default_endpoint_settings": {
                "autoscaling_limit_min_cu": 0.25,
                "autoscaling_limit_max_cu": 2.0
            },
            "branch": {"role_name": "app", "database_name": "app"}
        }})))
        .respond_with(json_response(201, "project_created.json"))
        .expect(1)
        .named("create project")
        .mount(&server)
        .await;
    // create_timeline is running once more, then finished; start_compute is done.
    Mock::given(method("GET"))
        .and(path(CREATE_TIMELINE_OP))
        .respond_with(json_response(200, "operation_create_timeline_running.json"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    server
        .once(
            "GET",
            CREATE_TIMELINE_OP,
            200,
            "operation_create_timeline_finished.json",
        )
        .await;
    server
        .once(
            "GET",
            START_COMPUTE_OP,
            200,
            "operation_start_compute_finished.json",
        )
        .await;
    // Neon made the role and database asked for: adopted, not created again.
    server
        .listing(MAIN, "res_roles_list.json", "res_databases_list.json")
        .await;
    let branch_path = format!("{PROJECT}/branches/{MAIN}");
    server.never("POST", &format!("{branch_path}/roles")).await;
    server
        .never("POST", &format!("{branch_path}/databases"))
        .await;
    // The endpoint came with the project, already as wanted.
    server
        .never("GET", &format!("{branch_path}/endpoints"))
        .await;
    no_request(&server, "PATCH").await;
    server.connection_uris(MAIN, "app", "app").await;
    let r = project();

    let inputs = checked(&r, &h.ctx, project_program()).await;
    assert_eq!(inputs, project_inputs(), "Check fills in every default");
    let created = guard(r.create(&h.ctx, &inputs, false))
        .await
        .expect("created");

    assert_eq!(created.id, PROJECT_ID);
    let o = &created.outputs;
    for (key, value) in &inputs {
        assert_eq!(&o[key], value, "input {key} is recorded");
    }
    assert_eq!(o["projectId"], s(PROJECT_ID));
    assert_eq!(o["branchId"], s(MAIN));
    assert_eq!(o["endpointId"], s(MAIN_ENDPOINT));
    assert_eq!(
        o["host"],
        s("ep-dark-snowflake-942567.us-east-2.aws.neon.tech")
    );
    assert_eq!(
        o["pooledHost"],
        s("ep-dark-snowflake-942567-pooler.us-east-2.aws.neon.tech")
    );
    assert_eq!(o["databaseName"], s("app"));
    assert_eq!(o["roleName"], s("app"));
    assert_eq!(o["connectionUri"], secret(DIRECT_URI));
    assert_eq!(o["pooledConnectionUri"], secret(POOLED_URI));
    h.log.assert_clean();
}

#[tokio::test]
async fn a_project_of_the_same_name_is_never_created_twice_nor_adopted_silently() {
    // The import command adopts it as this very resource: its name, and
    // under its NeonDatabase when it is one's child.
    for (urn, command) in [
        (
            "urn:pulumi:dev::app::launchpad:index:NeonProject::db",
            "`pulumi import launchpad:index:NeonProject db floral-king-961888 --generate-code=false`",
        ),
        (
            "urn:pulumi:dev::app::launchpad:index:NeonDatabase$launchpad:index:NeonProject::db-project",
            "`pulumi import launchpad:index:NeonProject db-project floral-king-961888 --parent parent=urn:pulumi:dev::app::launchpad:index:NeonDatabase::db --generate-code=false`",
        ),
    ] {
        let server = MockServer::start().await;
        let h = harness_at(urn, config(&server), None);
        Mock::given(method("GET"))
            .and(path("/api/v2/projects"))
            .and(query_param("search", "launchpad-db-a1b2c3"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"projects": [{
                    "id": "floral-king-961888", "name": "launchpad-db-a1b2c3",
                    "region_id": "aws-us-east-2", "pg_version": 17
                }]})),
            )
            .expect(1)
            .mount(&server)
            .await;
        server.never("POST", "/api/v2/projects").await;
        let r = project();
        let inputs = checked(&r, &h.ctx, project_program()).await;
        let err = guard(r.create(&h.ctx, &inputs, false))
            .await
            .expect_err("refused");
        let m = message(&err);
        assert!(
            m.contains("already exists (floral-king-961888)") && m.contains(command),
            "{m}"
        );
    }
}

#[tokio::test]
async fn project_create_makes_the_role_and_database_neon_did_not() {
    let (server, h) = neon().await;
    server
        .once("POST", "/api/v2/projects", 201, "project_created.json")
        .await;
    for (op, body) in [
        (
            CREATE_TIMELINE_OP,
            "operation_create_timeline_finished.json",
        ),
        (START_COMPUTE_OP, "operation_start_compute_finished.json"),
    ] {
        server.once("GET", op, 200, body).await;
    }
    // Neither `shop_owner` nor `shop` is there.
    server
        .listing(MAIN, "roles_list.json", "databases_list.json")
        .await;
    let branch_path = format!("{PROJECT}/branches/{MAIN}");
    Mock::given(method("POST"))
        .and(path(format!("{branch_path}/roles")))
        .and(body_json(json!({"role": {"name": "shop_owner"}})))
        .respond_with(json_response(201, "role_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{branch_path}/databases")))
        .and(body_json(
            json!({"database": {"name": "shop", "owner_name": "shop_owner"}}),
        ))
        .respond_with(json_response(201, "database_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    server
        .never("PATCH", &format!("{branch_path}/databases/neondb"))
        .await;
    server.connection_uris(MAIN, "shop", "shop_owner").await;
    let r = project();
    let program = with(
        &project_program(),
        &[("databaseName", s("shop")), ("roleName", s("shop_owner"))],
    );

    let inputs = checked(&r, &h.ctx, program).await;
    let created = guard(r.create(&h.ctx, &inputs, false))
        .await
        .expect("created");

    assert_eq!(created.outputs["databaseName"], s("shop"));
    assert_eq!(created.outputs["roleName"], s("shop_owner"));
    let lines = h.log.lines();
    assert!(
        lines.contains(&"creating role shop_owner".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"creating database shop".to_string()),
        "{lines:?}"
    );
    h.log.assert_clean();
}

#[tokio::test]
async fn cancel_after_the_project_exists_returns_it_as_partially_created() {
    let (server, h) = neon().await;
    server
        .once("POST", "/api/v2/projects", 201, "project_created.json")
        .await;
    // create_timeline never finishes.
    Mock::given(method("GET"))
        .and(path(CREATE_TIMELINE_OP))
        .respond_with(json_response(200, "operation_create_timeline_running.json"))
        .mount(&server)
        .await;
    server.never("GET", START_COMPUTE_OP).await;
    server
        .never("GET", &format!("{PROJECT}/branches/{MAIN}/roles"))
        .await;
    let r = Arc::new(project());
    let inputs = checked(r.as_ref(), &h.ctx, project_program()).await;
    let creating = tokio::spawn({
        let (r, ctx, inputs) = (r.clone(), h.ctx.clone(), inputs.clone());
        async move { r.create(&ctx, &inputs, false).await }
    });
    // Cancel once the project exists and its operation is being polled.
    guard(async {
        while server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .all(|r| r.url.path() != CREATE_TIMELINE_OP)
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;

    h.cancel.cancel();
    let err = guard(creating).await.expect("task").expect_err("cancelled");

    let text = message(&err);
    let ResourceError::PartiallyCreated {
        id,
        outputs,
        inputs: recorded,
        reasons,
    } = err
    else {
        panic!("expected a partial create, got {text}");
    };
    assert_eq!(id, PROJECT_ID);
    assert_eq!(outputs["projectId"], s(PROJECT_ID));
    assert_eq!(outputs["branchId"], s(MAIN));
    assert_eq!(outputs["name"], s("launchpad-db-a1b2c3"));
    assert!(!outputs.contains_key("connectionUri"), "{outputs:?}");
    assert_eq!(recorded, inputs);
    assert_eq!(reasons.len(), 1);
    assert!(reasons[0].contains("cancelled"), "{reasons:?}");
    assert!(reasons[0].contains("the next `pulumi up`"), "{reasons:?}");
    h.log.assert_clean();
}

#[tokio::test]
async fn a_postgres_version_neon_refuses_is_named_pg_version() {
    let (server, h) = neon().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/projects"))
        .and(body_partial_json(json!({"project": {"pg_version": 19}})))
        .respond_with(json_response(400, "res_error_pg_version.json"))
        .expect(1)
        .mount(&server)
        .await;
    let r = project();
    // launchpad passes a version newer than it knows on to Neon.
    let inputs = checked(
        &r,
        &h.ctx,
        with(&project_program(), &[("pgVersion", n(19.0))]),
    )
    .await;

    let err = guard(r.create(&h.ctx, &inputs, false))
        .await
        .expect_err("refused");

    let m = message(&err);
    assert!(m.contains("pgVersion=19"), "{m}");
    assert!(
        m.contains("pg_version: unsupported Postgres version"),
        "Neon's reason: {m}"
    );
    assert!(m.contains("14, 15, 16, 17, 18"), "{m}");
    assert!(
        matches!(err, ResourceError::Failed(_)),
        "nothing was created"
    );
    h.log.assert_clean();
}

// ---- NeonBranch: create ----

#[tokio::test]
async fn branch_create_resolves_the_parent_by_name_and_adopts_the_copied_database() {
    let (server, h) = neon().await;
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches"),
            200,
            "branches_list.json",
        )
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{PROJECT}/branches")))
        .and(body_json(json!({
            "branch": {"name": "preview-pr-42", "parent_id": MAIN},
            "endpoints": [{
                "type": "read_write",
                "autoscaling_limit_min_cu": 0.25,
                "autoscaling_limit_max_cu": 1.0
            }]
        })))
        .respond_with(json_response(201, "branch_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    // The parent's name is known from the listing.
    server
        .never("GET", &format!("{PROJECT}/branches/{MAIN}"))
        .await;
    // The branch copied the parent's role and database.
    server
        .listing(PREVIEW, "res_roles_list.json", "res_databases_list.json")
        .await;
    let branch_path = format!("{PROJECT}/branches/{PREVIEW}");
    server.never("POST", &format!("{branch_path}/roles")).await;
    server
        .never("POST", &format!("{branch_path}/databases"))
        .await;
    server
        .never("PATCH", &format!("{PROJECT}/endpoints/{PREVIEW_ENDPOINT}"))
        .await;
    server.connection_uris(PREVIEW, "app", "app").await;
    let r = branch();
    let program = props(&[
        ("name", s("preview-pr-42")),
        ("projectId", s(PROJECT_ID)),
        ("parentBranch", s("main")),
        ("maxCu", n(1.0)),
    ]);

    let inputs = checked(&r, &h.ctx, program).await;
    assert_eq!(inputs, branch_inputs(), "Check fills in every default");
    let created = guard(r.create(&h.ctx, &inputs, false))
        .await
        .expect("created");

    assert_eq!(created.id, BRANCH_ID);
    let o = &created.outputs;
    assert_eq!(o["projectId"], s(PROJECT_ID));
    assert_eq!(o["branchId"], s(PREVIEW));
    assert_eq!(o["parentBranch"], s("main"));
    assert_eq!(o["parentBranchId"], s(MAIN));
    assert_eq!(o["parentBranchName"], s("main"));
    assert_eq!(o["endpointId"], s(PREVIEW_ENDPOINT));
    assert_eq!(
        o["pooledHost"],
        s("ep-quiet-river-558833-pooler.us-east-2.aws.neon.tech")
    );
    assert_eq!(o["connectionUri"], secret(DIRECT_URI));
    assert_eq!(o["pooledConnectionUri"], secret(POOLED_URI));
    h.log.assert_clean();
}

#[tokio::test]
async fn an_unknown_parent_branch_is_named_with_the_branches_there_are() {
    let (server, h) = neon().await;
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches"),
            200,
            "branches_list.json",
        )
        .await;
    server.never("POST", &format!("{PROJECT}/branches")).await;
    let r = branch();
    let inputs = with(&branch_inputs(), &[("parentBranch", s("staging"))]);

    let err = guard(r.create(&h.ctx, &inputs, false))
        .await
        .expect_err("no such parent");

    let m = message(&err);
    assert!(m.contains("parentBranch=\"staging\""), "{m}");
    assert!(m.contains("its branches: main"), "{m}");
    assert!(
        matches!(err, ResourceError::Failed(_)),
        "nothing was created"
    );
    h.log.assert_clean();
}

// ---- update ----

#[tokio::test]
async fn project_update_of_max_cu_patches_the_defaults_and_the_endpoint_once_and_creates_nothing() {
    let (server, h) = neon().await;
    Mock::given(method("PATCH"))
        .and(path(PROJECT))
        .and(body_partial_json(
            json!({"project": {"default_endpoint_settings": {
                "autoscaling_limit_min_cu": 0.25,
                "autoscaling_limit_max_cu": 4.0
            }}}),
        ))
        .respond_with(json_response(200, "project.json"))
        .expect(1)
        .mount(&server)
        .await;
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches/{MAIN}/endpoints"),
            200,
            "branch_endpoints.json",
        )
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{PROJECT}/endpoints/{MAIN_ENDPOINT}")))
        .and(body_partial_json(json!({"endpoint": {
            "autoscaling_limit_min_cu": 0.25,
            "autoscaling_limit_max_cu": 4.0
        }})))
        .respond_with(json_response(200, "endpoint_updated.json"))
        .expect(1)
        .mount(&server)
        .await;
    server
        .listing(MAIN, "res_roles_list.json", "res_databases_list.json")
        .await;
    for verb in ["POST", "DELETE"] {
        no_request(&server, verb).await;
    }
    server.connection_uris(MAIN, "app", "app").await;
    let r = project();
    let old = project_state(project_inputs());
    let news = checked(&r, &h.ctx, with(&project_program(), &[("maxCu", n(4.0))])).await;

    let diff = r.diff(&h.ctx, PROJECT_ID, &old, &news).await.expect("diff");
    assert_eq!(diff.changes.keys().collect::<Vec<_>>(), ["maxCu"]);
    assert!(!diff.changes["maxCu"].replace);
    let outputs = guard(r.update(&h.ctx, PROJECT_ID, &old, &news, false))
        .await
        .expect("updated");

    assert_eq!(outputs["maxCu"], n(4.0));
    assert_eq!(outputs["branchId"], s(MAIN));
    assert_eq!(outputs["connectionUri"], secret(DIRECT_URI));
    h.log.assert_clean();
}

#[tokio::test]
async fn a_new_database_name_renames_the_database_and_never_deletes_it() {
    let (server, h) = neon().await;
    let branch_path = format!("{PROJECT}/branches/{PREVIEW}");
    server
        .once(
            "GET",
            &format!("{branch_path}/endpoints"),
            200,
            "res_branch_endpoints_preview.json",
        )
        .await;
    server
        .listing(PREVIEW, "res_roles_list.json", "res_databases_list.json")
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{branch_path}/databases/app")))
        .and(body_json(json!({"database": {"name": "shop"}})))
        .respond_with(json_response(200, "database_created.json"))
        .expect(1)
        .mount(&server)
        .await;
    // The branch is still there (Neon may have deleted it on expiry)...
    server
        .once("GET", &branch_path, 200, "branch_updated.json")
        .await;
    // ...and nothing else changes: not the branch, not its compute.
    server.never("PATCH", &branch_path).await;
    server
        .never("PATCH", &format!("{PROJECT}/endpoints/{PREVIEW_ENDPOINT}"))
        .await;
    for verb in ["POST", "DELETE"] {
        no_request(&server, verb).await;
    }
    server.connection_uris(PREVIEW, "shop", "app").await;
    let r = branch();
    let old = branch_state(branch_inputs());
    let news = with(&branch_inputs(), &[("databaseName", s("shop"))]);

    let diff = r.diff(&h.ctx, BRANCH_ID, &old, &news).await.expect("diff");
    assert_eq!(diff.changes.keys().collect::<Vec<_>>(), ["databaseName"]);
    assert!(
        !diff.changes["databaseName"].replace,
        "a rename, not a replacement"
    );
    let outputs = guard(r.update(&h.ctx, BRANCH_ID, &old, &news, false))
        .await
        .expect("updated");

    assert_eq!(outputs["databaseName"], s("shop"));
    assert_eq!(
        outputs["parentBranchId"],
        s(MAIN),
        "kept from the old outputs"
    );
    assert_eq!(outputs["parentBranchName"], s("main"));
    assert_eq!(outputs["connectionUri"], secret(DIRECT_URI));
    h.log.assert_clean();
}

// ---- read ----

#[tokio::test]
async fn read_reports_the_live_compute_as_inputs_so_refresh_shows_drift() {
    let (server, h) = neon().await;
    server.once("GET", PROJECT, 200, "project.json").await;
    // Someone raised the compute to 2 CU in the console.
    server
        .branch_reads(MAIN, "res_branch_main.json", "branch_endpoints.json")
        .await;
    let r = project();
    let recorded = with(&project_inputs(), &[("maxCu", n(1.0))]);
    let old = project_state(recorded.clone());

    let state = guard(r.read(&h.ctx, PROJECT_ID, &old))
        .await
        .expect("read")
        .expect("exists");

    assert_eq!(state.inputs, project_inputs(), "the live settings, maxCu=2");
    assert_eq!(state.outputs["maxCu"], n(2.0));
    assert_eq!(state.outputs["connectionUri"], secret(DIRECT_URI));
    // The program still says 1 CU: the next update brings it back.
    let diff = r
        .diff(&h.ctx, PROJECT_ID, &state, &recorded)
        .await
        .expect("diff");
    assert_eq!(diff.changes.keys().collect::<Vec<_>>(), ["maxCu"]);
    assert_eq!(diff.changes["maxCu"].kind, ChangeKind::Update);
    h.log.assert_clean();
}

#[tokio::test]
async fn importing_a_branch_by_id_gives_inputs_that_check_and_diff_clean() {
    let (server, h) = neon().await;
    let branch_path = format!("{PROJECT}/branches/{PREVIEW}");
    server
        .once("GET", &branch_path, 200, "branch_updated.json")
        .await;
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches/{MAIN}"),
            200,
            "res_branch_main.json",
        )
        .await;
    server
        .once(
            "GET",
            &format!("{branch_path}/endpoints"),
            200,
            "res_branch_endpoints_preview.json",
        )
        .await;
    server
        .once(
            "GET",
            &format!("{branch_path}/databases"),
            200,
            "databases_list.json",
        )
        .await;
    server
        .connection_uris(PREVIEW, "neondb", "neondb_owner")
        .await;
    let r = branch();

    let state = guard(r.read(&h.ctx, BRANCH_ID, &State::default()))
        .await
        .expect("read")
        .expect("exists");

    // The parent is the default branch, which a program leaves out.
    let expected = props(&[
        ("name", s("preview-pr-42")),
        ("projectId", s(PROJECT_ID)),
        ("minCu", n(0.25)),
        ("maxCu", n(1.0)),
        ("suspendTimeoutSeconds", n(300.0)),
        ("databaseName", s("neondb")),
        ("roleName", s("neondb_owner")),
    ]);
    assert_eq!(state.inputs, expected);
    assert_eq!(state.outputs["branchId"], s(PREVIEW));
    assert_eq!(state.outputs["parentBranchId"], s(MAIN));
    assert_eq!(state.outputs["parentBranchName"], s("main"));
    assert_eq!(state.outputs["pooledConnectionUri"], secret(POOLED_URI));
    let check = r.check(&h.ctx, &state.inputs, state.inputs.clone()).await;
    assert!(check.failures.is_empty(), "{:?}", check.failures);
    assert_eq!(check.inputs, state.inputs);
    let diff = r
        .diff(&h.ctx, BRANCH_ID, &state, &check.inputs)
        .await
        .expect("diff");
    assert!(diff.changes.is_empty(), "{:?}", diff.changes);
    // Naming the default parent in the program changes nothing either.
    let named = with(&check.inputs, &[("parentBranch", s("main"))]);
    let diff = r
        .diff(&h.ctx, BRANCH_ID, &state, &named)
        .await
        .expect("diff");
    assert!(diff.changes.is_empty(), "{:?}", diff.changes);
    h.log.assert_clean();
}

#[tokio::test]
async fn read_of_a_project_that_is_gone_is_none() {
    let (server, h) = neon().await;
    server
        .once("GET", PROJECT, 404, "error_not_found.json")
        .await;

    let state = guard(project().read(&h.ctx, PROJECT_ID, &project_state(project_inputs())))
        .await
        .expect("read");

    assert_eq!(state, None);
}

#[tokio::test]
async fn a_malformed_branch_id_says_what_an_id_looks_like() {
    let (server, h) = neon().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let r = branch();

    let err = guard(r.read(&h.ctx, "nope", &State::default()))
        .await
        .expect_err("malformed");

    let m = message(&err);
    assert!(m.contains("`nope`"), "{m}");
    assert!(m.contains("<projectId>/<branchId>"), "{m}");
    for id in ["/br-1", "proj/"] {
        let err = guard(r.delete(&h.ctx, id, &State::default()))
            .await
            .expect_err(id);
        assert!(message(&err).contains("<projectId>/<branchId>"), "{err}");
    }
}

// ---- delete ----

#[tokio::test]
async fn delete_treats_gone_as_done_and_a_branch_delete_names_project_and_branch() {
    let (server, h) = neon().await;
    server
        .once("DELETE", PROJECT, 404, "error_not_found.json")
        .await;
    server
        .once(
            "GET",
            "/api/v2/projects/p/branches/b",
            200,
            "branch_updated.json",
        )
        .await;
    server
        .once(
            "DELETE",
            "/api/v2/projects/p/branches/b",
            200,
            "branch_updated.json",
        )
        .await;
    // Found, then gone by the time of the DELETE: Neon answers 204, no body.
    server
        .once(
            "GET",
            "/api/v2/projects/p/branches/c",
            200,
            "branch_updated.json",
        )
        .await;
    http_mocks::expect(
        &server,
        1,
        "DELETE",
        "/api/v2/projects/p/branches/c",
        ResponseTemplate::new(204),
    )
    .await;
    // Gone before: nothing to delete.
    server
        .once(
            "GET",
            "/api/v2/projects/p/branches/gone",
            404,
            "error_not_found.json",
        )
        .await;
    server
        .never("DELETE", "/api/v2/projects/p/branches/gone")
        .await;

    guard(project().delete(&h.ctx, PROJECT_ID, &State::default()))
        .await
        .expect("already gone");
    guard(branch().delete(&h.ctx, "p/b", &State::default()))
        .await
        .expect("deleted");
    guard(branch().delete(&h.ctx, "p/c", &State::default()))
        .await
        .expect("204");
    guard(branch().delete(&h.ctx, "p/gone", &State::default()))
        .await
        .expect("already gone");

    let lines = h.log.lines();
    assert!(
        lines.contains(&"deleting branch b of Neon project p".to_string()),
        "{lines:?}"
    );
    h.log.assert_clean();
}

#[tokio::test]
async fn a_branch_kept_longer_in_neon_than_the_state_knows_is_not_deleted_until_a_refresh() {
    let (server, h) = neon().await;
    let branch_path = format!("{PROJECT}/branches/{PREVIEW}");
    // Neon now has the branch expiring on 2026-05-11 (branch_created.json).
    http_mocks::expect(
        &server,
        2,
        "GET",
        &branch_path,
        json_response(200, "branch_created.json"),
    )
    .await;
    http_mocks::expect(
        &server,
        1,
        "DELETE",
        &branch_path,
        json_response(200, "branch_updated.json"),
    )
    .await;
    let b = branch();
    let recorded = |t: &str| {
        let mut old = branch_state(with(&branch_inputs(), &[("expiresIn", s("7d"))]));
        old.outputs.insert("expiresAt".into(), s(t));
        old
    };

    // The state says the 4th (past, so the plan replaces it): re-armed since.
    let err = guard(b.delete(&h.ctx, BRANCH_ID, &recorded("2026-05-04T10:00:00Z")))
        .await
        .expect_err("extended");
    let m = message(&err);
    assert!(
        m.contains("branch preview-pr-42 (br-wispy-meadow-118737) of Neon project floral-king-961888 was not deleted: the branch's expiry changed since the last refresh (now 2026-05-11T10:00:00Z; the state has 2026-05-04T10:00:00Z); run `pulumi refresh`, then try again"),
        "{m}"
    );
    // The same time, however written: deleted.
    guard(b.delete(&h.ctx, BRANCH_ID, &recorded("2026-05-11T19:00:00+09:00")))
        .await
        .expect("the state's time is Neon's");
    h.log.assert_clean();
}

#[tokio::test]
async fn a_branch_neon_no_longer_expires_is_not_deleted_on_a_stale_expiry() {
    let (server, h) = neon().await;
    let branch_path = format!("{PROJECT}/branches/{PREVIEW}");
    server
        .once("GET", &branch_path, 200, "branch_updated.json")
        .await;
    server.never("DELETE", &branch_path).await;
    let mut old = branch_state(with(&branch_inputs(), &[("expiresIn", s("1d"))]));
    old.outputs
        .insert("expiresAt".into(), s(&utc_in(time::Duration::hours(-2))));

    let err = guard(branch().delete(&h.ctx, BRANCH_ID, &old))
        .await
        .expect_err("kept");

    assert!(message(&err).contains("(now never;"), "{err}");
}

// ---- preview and the API key ----

/// A Neon that must not be called, and a config naming it but holding no key.
async fn untouchable() -> (MockServer, Harness) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("any request")
        .mount(&server)
        .await;
    let h = harness(props(&[(
        "neonApiUrl",
        s(&format!("{}/api/v2", server.uri())),
    )]));
    (server, h)
}

#[tokio::test]
async fn preview_calls_nothing_and_needs_no_key() {
    let (_server, h) = untouchable().await;
    let (p, b) = (project(), branch());

    let inputs = checked(&p, &h.ctx, project_program()).await;
    let created = p.create(&h.ctx, &inputs, true).await.expect("preview");
    assert_eq!(created.id, "");
    assert_eq!(created.outputs["name"], s("launchpad-db-a1b2c3"));
    for unknown in ["projectId", "connectionUri", "pooledConnectionUri", "host"] {
        assert!(
            matches!(created.outputs[unknown], Value::Unknown(_)),
            "{unknown}: {:?}",
            created.outputs[unknown]
        );
    }

    // A branch of a project that does not exist yet.
    let program = props(&[
        ("name", s("preview-pr-42")),
        ("projectId", Value::unknown()),
    ]);
    let inputs = checked(&b, &h.ctx, program).await;
    let created = b.create(&h.ctx, &inputs, true).await.expect("preview");
    assert!(matches!(
        created.outputs["connectionUri"],
        Value::Unknown(_)
    ));

    // An update of the compute keeps the URIs; a new database makes them unknown.
    let old = project_state(project_inputs());
    let news = with(&project_inputs(), &[("maxCu", n(4.0))]);
    let outputs = p
        .update(&h.ctx, PROJECT_ID, &old, &news, true)
        .await
        .expect("preview");
    assert_eq!(outputs["maxCu"], n(4.0));
    assert_eq!(outputs["connectionUri"], secret(DIRECT_URI));
    let old = branch_state(branch_inputs());
    let news = with(&branch_inputs(), &[("databaseName", s("shop"))]);
    let outputs = b
        .update(&h.ctx, BRANCH_ID, &old, &news, true)
        .await
        .expect("preview");
    assert_eq!(outputs["databaseName"], s("shop"));
    assert!(matches!(outputs["connectionUri"], Value::Unknown(_)));
    assert!(matches!(outputs["pooledConnectionUri"], Value::Unknown(_)));
    assert_eq!(outputs["parentBranchId"], s(MAIN));
    assert!(h.log.lines().is_empty(), "{:?}", h.log.lines());
}

#[tokio::test]
async fn what_check_accepts_with_an_unknown_preview_accepts_too() {
    let (_server, h) = untouchable().await;
    let p = project();
    // A NeonProject used directly, its compute computed from another
    // resource's output: unknown during preview.
    let program = with(&project_program(), &[("minCu", Value::unknown())]);
    let inputs = checked(&p, &h.ctx, program).await;
    let old = project_state(project_inputs());

    let created = p.create(&h.ctx, &inputs, true).await;
    let updated = p.update(&h.ctx, PROJECT_ID, &old, &inputs, true).await;

    let refusals: Vec<String> = [created.err(), updated.err()]
        .into_iter()
        .flatten()
        .map(|e| e.to_string())
        .collect();
    assert!(
        refusals.is_empty(),
        "Check accepted the inputs, so preview must too; got: {refusals:?}"
    );
}

#[tokio::test]
async fn a_branch_preview_with_unknown_inputs_shows_what_it_can() {
    let (_server, h) = untouchable().await;
    let b = branch();
    let mut old = branch_state(with(&branch_inputs(), &[("expiresIn", s("7d"))]));
    old.outputs
        .insert("expiresAt".into(), s("2026-05-11T10:00:00Z"));
    // The name now comes from another resource's output; the expiry stays.
    let news = with(&old.inputs, &[("name", Value::unknown())]);
    let outputs = b
        .update(&h.ctx, BRANCH_ID, &old, &news, true)
        .await
        .expect("preview");
    assert_eq!(outputs["expiresAt"], s("2026-05-11T10:00:00Z"));
    // A new window is known only once it is set; no expiry, no output.
    let renewed = with(&old.inputs, &[("expiresIn", s("1d"))]);
    let outputs = b
        .update(&h.ctx, BRANCH_ID, &old, &renewed, true)
        .await
        .expect("preview");
    assert!(matches!(outputs["expiresAt"], Value::Unknown(_)));
    let mut none = old.inputs.clone();
    none.remove("expiresIn");
    let outputs = b
        .update(&h.ctx, BRANCH_ID, &old, &none, true)
        .await
        .expect("preview");
    assert!(!outputs.contains_key("expiresAt"), "{outputs:?}");
}

#[tokio::test]
async fn a_preview_with_one_unknown_input_diffs_only_that_input() {
    let h = harness(PropertyMap::new());
    let p = project();
    let old = project_state(project_inputs());
    // The same program, its name now computed from another resource's output.
    let program = with(&project_program(), &[("name", Value::unknown())]);

    let news = checked(&p, &h.ctx, program).await;
    let d = p.diff(&h.ctx, PROJECT_ID, &old, &news).await.expect("diff");

    // Not also the defaults Check left out (shown as deleted).
    assert_eq!(
        d.changes.keys().collect::<Vec<_>>(),
        ["name"],
        "{:?}",
        d.changes
    );
}

#[tokio::test]
async fn up_without_a_key_says_where_to_set_one() {
    if std::env::var_os(API_KEY_ENV).is_some() {
        // The key comes from the environment then (and the calls go to the
        // mock, which answers nothing useful): nothing to check here.
        eprintln!("{API_KEY_ENV} is set: skipping the missing-key check");
        return;
    }
    let (_server, h) = untouchable().await;
    let (p, b) = (project(), branch());
    let inputs = checked(&p, &h.ctx, project_program()).await;

    let errors = [
        p.create(&h.ctx, &inputs, false).await.expect_err("no key"),
        p.delete(&h.ctx, PROJECT_ID, &State::default())
            .await
            .expect_err("no key"),
        b.update(
            &h.ctx,
            BRANCH_ID,
            &branch_state(branch_inputs()),
            &with(&branch_inputs(), &[("maxCu", n(2.0))]),
            false,
        )
        .await
        .expect_err("no key"),
    ];

    for err in &errors {
        let m = message(err);
        assert!(m.contains("launchpad:neonApiKey"), "{m}");
        assert!(m.contains("NEON_API_KEY"), "{m}");
    }
}

// ---- check and diff ----

#[tokio::test]
async fn check_validates_like_the_component_and_waits_for_unknowns() {
    let h = harness(PropertyMap::new());
    let (p, b) = (project(), branch());
    let failures = |r: CheckResult| {
        r.failures
            .iter()
            .map(|f| (f.property.clone(), f.message.clone()))
            .collect::<Vec<_>>()
    };

    let too_wide = props(&[("name", s("db")), ("minCu", n(0.25)), ("maxCu", n(10.0))]);
    let f = failures(p.check(&h.ctx, &PropertyMap::new(), too_wide.clone()).await);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "maxCu", "{f:?}");
    assert!(f[0].1.contains("maxCu=10"), "{f:?}");
    let f = failures(
        b.check(
            &h.ctx,
            &PropertyMap::new(),
            with(&too_wide, &[("projectId", s(PROJECT_ID))]),
        )
        .await,
    );
    assert_eq!(
        f.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["maxCu"]
    );

    let with_project = with(&project_program(), &[("projectId", s(PROJECT_ID))]);
    let f = failures(p.check(&h.ctx, &PropertyMap::new(), with_project).await);
    assert_eq!(
        f.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["projectId"]
    );

    let nameless = props(&[("projectId", s(PROJECT_ID))]);
    let f = failures(b.check(&h.ctx, &PropertyMap::new(), nameless).await);
    assert_eq!(f.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), ["name"]);

    let unknown = props(&[("name", s("db")), ("minCu", Value::unknown())]);
    let r = p.check(&h.ctx, &PropertyMap::new(), unknown.clone()).await;
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    assert!(
        matches!(r.inputs["minCu"], Value::Unknown(_)),
        "kept for later"
    );
    assert_eq!(r.inputs["name"], s("db"));
}

#[tokio::test]
async fn diff_replaces_only_what_neon_cannot_change_in_place() {
    let h = harness(PropertyMap::new());
    let (p, b) = (project(), branch());
    let old = project_state(project_inputs());

    let moved = with(&project_inputs(), &[("region", s("aws-eu-central-1"))]);
    let d = p
        .diff(&h.ctx, PROJECT_ID, &old, &moved)
        .await
        .expect("diff");
    assert_eq!(d.changes.keys().collect::<Vec<_>>(), ["region"]);
    assert!(d.changes["region"].replace);
    let newer = with(&project_inputs(), &[("pgVersion", n(18.0))]);
    let d = p
        .diff(&h.ctx, PROJECT_ID, &old, &newer)
        .await
        .expect("diff");
    assert!(d.changes["pgVersion"].replace);
    let bigger = with(&project_inputs(), &[("maxCu", n(4.0))]);
    let d = p
        .diff(&h.ctx, PROJECT_ID, &old, &bigger)
        .await
        .expect("diff");
    assert_eq!(d.changes.keys().collect::<Vec<_>>(), ["maxCu"]);
    assert!(!d.changes["maxCu"].replace);
    let same = p
        .diff(&h.ctx, PROJECT_ID, &old, &project_inputs())
        .await
        .expect("diff");
    assert!(same.changes.is_empty(), "{:?}", same.changes);

    // The parent named by ID where it was named by name is the same parent.
    let old = branch_state(branch_inputs());
    let by_id = with(&branch_inputs(), &[("parentBranch", s(MAIN))]);
    let d = b.diff(&h.ctx, BRANCH_ID, &old, &by_id).await.expect("diff");
    assert!(d.changes.is_empty(), "{:?}", d.changes);
    let other = with(&branch_inputs(), &[("parentBranch", s("staging"))]);
    let d = b.diff(&h.ctx, BRANCH_ID, &old, &other).await.expect("diff");
    assert!(d.changes["parentBranch"].replace);
    let elsewhere = with(&branch_inputs(), &[("projectId", s("winter-boat-259881"))]);
    let d = b
        .diff(&h.ctx, BRANCH_ID, &old, &elsewhere)
        .await
        .expect("diff");
    assert!(d.changes["projectId"].replace);
}

// ---- organizations: personal API keys must name one ----

const ORG: &str = "org-cool-breeze-12345678";

/// A Neon answer built from a fixture, with `edit` applied to its JSON.
fn edited(status: u16, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> ResponseTemplate {
    let mut body: serde_json::Value =
        serde_json::from_str(&super::test_support::fixture(name)).expect("fixture");
    edit(&mut body);
    ResponseTemplate::new(status).set_body_json(body)
}

/// Everything a project create asks after its POST, each once.
async fn project_create_follow_up(server: &MockServer) {
    for (op, body) in [
        (
            CREATE_TIMELINE_OP,
            "operation_create_timeline_finished.json",
        ),
        (START_COMPUTE_OP, "operation_start_compute_finished.json"),
    ] {
        server.once("GET", op, 200, body).await;
    }
    server
        .listing(MAIN, "res_roles_list.json", "res_databases_list.json")
        .await;
    server.connection_uris(MAIN, "app", "app").await;
}

#[tokio::test]
async fn the_organization_goes_with_the_listing_and_the_create_and_the_input_wins_over_the_config()
{
    for (config_org, input_org) in [(Some(ORG), None), (Some("org-from-config-1"), Some(ORG))] {
        let server = MockServer::start().await;
        let mut settings = config(&server);
        if let Some(org) = config_org {
            settings.insert("neonOrgId".into(), s(org));
        }
        let h = harness(settings);
        Mock::given(method("GET"))
            .and(path("/api/v2/projects"))
            .and(query_param("org_id", ORG))
            .respond_with(json_response(200, "projects_list_empty.json"))
            .expect(1)
            .named("the listing names the organization")
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/v2/projects"))
            .and(body_partial_json(json!({"project": {"org_id": ORG}})))
            .respond_with(edited(201, "project_created.json", |b| {
                b["project"]["org_id"] = json!(ORG);
            }))
            .expect(1)
            .named("the create names the organization")
            .mount(&server)
            .await;
        project_create_follow_up(&server).await;
        let r = project();
        let mut program = project_program();
        if let Some(org) = input_org {
            program.insert("orgId".into(), s(org));
        }

        let inputs = checked(&r, &h.ctx, program).await;
        let created = guard(r.create(&h.ctx, &inputs, false))
            .await
            .expect("created");

        assert_eq!(
            created.outputs["orgId"],
            s(ORG),
            "{config_org:?} {input_org:?}"
        );
        h.log.assert_clean();
    }
}

#[tokio::test]
async fn a_personal_key_without_the_organization_is_told_what_to_set_and_where_to_find_it() {
    let (server, h) = neon().await;
    server
        .once(
            "GET",
            "/api/v2/projects",
            400,
            "res_error_org_id_required.json",
        )
        .await;
    server.never("POST", "/api/v2/projects").await;
    let r = project();
    let inputs = checked(&r, &h.ctx, project_program()).await;

    let err = guard(r.create(&h.ctx, &inputs, false))
        .await
        .expect_err("refused");

    let m = message(&err);
    for hint in [
        "org_id is required",
        "`orgId`",
        "`launchpad:neonOrgId`",
        "Settings",
        "`neon orgs list`",
    ] {
        assert!(m.contains(hint), "{hint}: {m}");
    }
    assert!(
        matches!(err, ResourceError::Failed(_)),
        "nothing was created"
    );
}

#[tokio::test]
async fn another_organization_is_an_update_never_a_new_project_and_its_own_or_none_changes_nothing()
{
    let h = harness(PropertyMap::new());
    let p = project();
    // Created with the organization from `launchpad:neonOrgId`: Neon reported it.
    let mut old = project_state(project_inputs());
    old.outputs.insert("orgId".into(), s(ORG));

    let same = with(&project_inputs(), &[("orgId", s(ORG))]);
    let d = p.diff(&h.ctx, PROJECT_ID, &old, &same).await.expect("diff");
    assert!(
        d.changes.is_empty(),
        "naming its own organization: {:?}",
        d.changes
    );

    // Another organization, or one not known yet (preview): an update (a
    // transfer), which `replaceOnChanges: ["orgId"]` can still make a replacement.
    for other in [s("org-other-87654321"), Value::unknown()] {
        let news = with(&project_inputs(), &[("orgId", other.clone())]);
        let d = p.diff(&h.ctx, PROJECT_ID, &old, &news).await.expect("diff");
        assert_eq!(d.changes.keys().collect::<Vec<_>>(), ["orgId"], "{other:?}");
        assert!(!d.changes["orgId"].replace, "a transfer, not a new project");
    }

    // A project made before `orgId` existed records no organization: naming
    // one is an update that reads it, never a replacement.
    let legacy = project_state(project_inputs());
    let d = p
        .diff(&h.ctx, PROJECT_ID, &legacy, &same)
        .await
        .expect("diff");
    assert_eq!(d.changes.keys().collect::<Vec<_>>(), ["orgId"]);
    assert!(!d.changes["orgId"].replace, "{:?}", d.changes);

    // Set in the program, then left out: the project stays where it is.
    let named = with(&project_inputs(), &[("orgId", s(ORG))]);
    let old = project_state(named);
    let d = p
        .diff(&h.ctx, PROJECT_ID, &old, &project_inputs())
        .await
        .expect("diff");
    assert!(d.changes.is_empty(), "{:?}", d.changes);
}

#[tokio::test]
async fn read_of_a_project_needs_no_organization_and_reports_the_one_it_is_in() {
    let (server, h) = neon().await;
    Mock::given(method("GET"))
        .and(path(PROJECT))
        .and(wiremock::matchers::query_param_is_missing("org_id"))
        .respond_with(edited(200, "project.json", |b| {
            b["project"]["org_id"] = json!(ORG);
        }))
        .expect(1)
        .mount(&server)
        .await;
    server
        .branch_reads(MAIN, "res_branch_main.json", "branch_endpoints.json")
        .await;
    let named = with(&project_inputs(), &[("orgId", s(ORG)), ("maxCu", n(2.0))]);

    let state = guard(project().read(&h.ctx, PROJECT_ID, &project_state(named.clone())))
        .await
        .expect("read")
        .expect("exists");

    assert_eq!(state.inputs, named);
    assert_eq!(state.outputs["orgId"], s(ORG));
}

/// What updating the project's endpoint, role, database and URIs reads.
async fn project_update_follow_up(server: &MockServer) {
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches/{MAIN}/endpoints"),
            200,
            "branch_endpoints.json",
        )
        .await;
    server
        .listing(MAIN, "res_roles_list.json", "res_databases_list.json")
        .await;
    server.connection_uris(MAIN, "app", "app").await;
}

const ORG_B: &str = "org-quiet-river-87654321";
const TRANSFER: &str = "/api/v2/organizations/org-cool-breeze-12345678/projects/transfer";

/// The project as Neon reports it, in organization `org`.
fn project_in(org: &str) -> ResponseTemplate {
    edited(200, "project.json", |b| b["project"]["org_id"] = json!(org))
}

#[tokio::test]
async fn another_organization_moves_the_project_by_neons_transfer() {
    let (server, h) = neon().await;
    server.never("PATCH", PROJECT).await;
    http_mocks::expect(&server, 1, "GET", PROJECT, project_in(ORG)).await;
    Mock::given(method("POST"))
        .and(path(TRANSFER))
        .and(body_json(
            json!({"destination_org_id": ORG_B, "project_ids": [PROJECT_ID]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    project_update_follow_up(&server).await;
    let r = project();
    let mut old = project_state(with(&project_inputs(), &[("orgId", s(ORG))]));
    old.outputs.insert("orgId".into(), s(ORG));
    let news = with(&project_inputs(), &[("orgId", s(ORG_B))]);

    let outputs = guard(r.update(&h.ctx, PROJECT_ID, &old, &news, false))
        .await
        .expect("moved");

    assert_eq!(outputs["orgId"], s(ORG_B));
    assert_eq!(outputs["connectionUri"], secret(DIRECT_URI));
    let lines = h.log.lines();
    assert!(
        lines.contains(&format!(
            "moving Neon project {PROJECT_ID} from organization {ORG} to {ORG_B}"
        )),
        "{lines:?}"
    );
    h.log.assert_clean();
}

#[tokio::test]
async fn naming_the_organization_of_a_project_made_before_org_id_reads_and_records_it() {
    let (server, h) = neon().await;
    http_mocks::expect(&server, 1, "GET", PROJECT, project_in(ORG)).await;
    server.never("POST", TRANSFER).await;
    project_update_follow_up(&server).await;
    let r = project();
    // Nothing about the organization in the state at all.
    let old = project_state(project_inputs());
    let news = with(&project_inputs(), &[("orgId", s(ORG))]);

    let outputs = guard(r.update(&h.ctx, PROJECT_ID, &old, &news, false))
        .await
        .expect("recorded");

    assert_eq!(outputs["orgId"], s(ORG));
    let state = State {
        inputs: news.clone(),
        outputs,
    };
    let d = r
        .diff(&h.ctx, PROJECT_ID, &state, &news)
        .await
        .expect("diff");
    assert!(d.changes.is_empty(), "{:?}", d.changes);
}

#[tokio::test]
async fn a_refused_transfer_names_org_id_what_it_needs_and_the_way_by_hand() {
    for (status, body, why) in [
        (
            403,
            json!({"code": "", "message": "permission denied"}),
            "the API key may not move it (Neon answered 403: permission denied)",
        ),
        (
            406,
            json!({"limits": [{"name": "projects_count", "expected": "10", "actual": "11"}]}),
            "the destination organization's plan cannot take it (Neon answered 406: the destination's plan limits: projects_count (allowed 10, would be 11))",
        ),
        (
            422,
            json!({"projects": [{"id": PROJECT_ID, "integration": "github"}]}),
            "it has a GitHub or Vercel integration, which Neon does not transfer (Neon answered 422: projects with an integration: floral-king-961888 (github))",
        ),
    ] {
        let (server, h) = neon().await;
        http_mocks::expect(&server, 2, "GET", PROJECT, project_in(ORG)).await;
        http_mocks::expect(
            &server,
            1,
            "POST",
            TRANSFER,
            ResponseTemplate::new(status).set_body_json(body),
        )
        .await;
        server.never("PATCH", PROJECT).await;
        let mut old = project_state(project_inputs());
        old.outputs.insert("orgId".into(), s(ORG));
        let news = with(&project_inputs(), &[("orgId", s(ORG_B))]);

        let err = guard(project().update(&h.ctx, PROJECT_ID, &old, &news, false))
            .await
            .expect_err("refused");

        let m = message(&err);
        assert!(
            m.starts_with(&format!(
                "orgId=\"{ORG_B}\": cannot move Neon project {PROJECT_ID} from organization {ORG} to {ORG_B}: {why}"
            )),
            "{status}: {m}"
        );
        for hint in [
            "the Admin role in org-cool-breeze-12345678",
            "at least the Member role in org-quiet-river-87654321",
            "the project's Settings → Transfer",
            "`pulumi refresh`",
            "`replaceOnChanges: [\"orgId\"]`",
        ] {
            assert!(m.contains(hint), "{status}: {hint}: {m}");
        }
    }
}

#[tokio::test]
async fn a_transfer_whose_answer_was_lost_but_done_is_done() {
    let (server, h) = neon().await;
    Mock::given(method("GET"))
        .and(path(PROJECT))
        .respond_with(project_in(ORG))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    // The transfer was carried out; its answer, and the retries', lost.
    http_mocks::expect(
        &server,
        1,
        "POST",
        TRANSFER,
        ResponseTemplate::new(404)
            .set_body_json(json!({"message": "project not found in organization"})),
    )
    .await;
    http_mocks::expect(&server, 1, "GET", PROJECT, project_in(ORG_B)).await;
    project_update_follow_up(&server).await;
    let mut old = project_state(project_inputs());
    old.outputs.insert("orgId".into(), s(ORG));
    let news = with(&project_inputs(), &[("orgId", s(ORG_B))]);

    let outputs = guard(project().update(&h.ctx, PROJECT_ID, &old, &news, false))
        .await
        .expect("it is there");

    assert_eq!(outputs["orgId"], s(ORG_B));
}

// ---- branch expiry ----

/// The time `delta` from now, as Neon writes times.
fn utc_in(delta: time::Duration) -> String {
    super::args::rfc3339(time::OffsetDateTime::now_utc() + delta)
}

fn parse_time(t: &str) -> time::OffsetDateTime {
    super::args::parse_rfc3339(t).expect(t)
}

/// A NeonBranch program of `main`'s child `preview-pr-42` with `extra`.
fn branch_program(extra: &[(&str, Value)]) -> PropertyMap {
    with(
        &props(&[
            ("name", s("preview-pr-42")),
            ("projectId", s(PROJECT_ID)),
            ("maxCu", n(1.0)),
        ]),
        extra,
    )
}

/// What a branch create asks after its POST (no `parentBranch`: Neon's default).
async fn branch_create_follow_up(server: &MockServer) {
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches/{MAIN}"),
            200,
            "res_branch_main.json",
        )
        .await;
    server
        .listing(PREVIEW, "res_roles_list.json", "res_databases_list.json")
        .await;
    server.connection_uris(PREVIEW, "app", "app").await;
}

/// Neon's answer to a branch create or update, with the `expires_at` the
/// request sent (Neon keeps what it was given).
fn echo_expiry(
    status: u16,
    fixture: &'static str,
) -> impl Fn(&wiremock::Request) -> ResponseTemplate {
    move |request: &wiremock::Request| {
        let sent: serde_json::Value = request.body_json().expect("a JSON body");
        edited(status, fixture, |b| {
            b["branch"]["expires_at"] = sent["branch"]["expires_at"].clone();
        })
    }
}

#[tokio::test]
async fn expires_in_is_made_a_time_once_at_create_and_later_diffs_show_no_change() {
    let (server, h) = neon().await;
    http_mocks::expect(
        &server,
        1,
        "POST",
        &format!("{PROJECT}/branches"),
        echo_expiry(201, "branch_created.json"),
    )
    .await;
    branch_create_follow_up(&server).await;
    let r = branch();
    let inputs = checked(&r, &h.ctx, branch_program(&[("expiresIn", s("7d"))])).await;

    let before = time::OffsetDateTime::now_utc();
    let created = guard(r.create(&h.ctx, &inputs, false))
        .await
        .expect("created");
    let after = time::OffsetDateTime::now_utc();

    let posts = server.received_requests().await.unwrap_or_default();
    let post = posts
        .iter()
        .find(|r| r.method.as_str() == "POST")
        .expect("the POST");
    let body: serde_json::Value = post.body_json().expect("json");
    let sent = body["branch"]["expires_at"]
        .as_str()
        .expect("an expiry was sent");
    let t = parse_time(sent);
    let week = time::Duration::days(7);
    assert!(
        t >= before + week - time::Duration::SECOND && t <= after + week,
        "{sent} is not 7 days after the create"
    );
    assert!(
        sent.ends_with('Z') && !sent.contains('.'),
        "UTC, to the second: {sent}"
    );
    assert_eq!(created.outputs["expiresAt"], s(sent));
    assert_eq!(created.outputs["expiresIn"], s("7d"));
    // The window is fixed: the same program diffs clean, now and later.
    let state = State {
        inputs: inputs.clone(),
        outputs: created.outputs.clone(),
    };
    let d = r
        .diff(&h.ctx, BRANCH_ID, &state, &inputs)
        .await
        .expect("diff");
    assert!(d.changes.is_empty(), "{:?}", d.changes);
    h.log.assert_clean();
}

#[tokio::test]
async fn an_expiry_neon_would_refuse_fails_check_and_create_before_any_request() {
    let (_server, h) = untouchable().await;
    let b = branch();
    for (extra, message) in [
        (
            vec![("expiresAt", s("2020-01-01T00:00:00Z"))],
            "expiresAt=\"2020-01-01T00:00:00Z\" is in the past",
        ),
        (
            vec![("expiresAt", s(&utc_in(time::Duration::days(31))))],
            "is more than 30 days away",
        ),
        (
            vec![("expiresIn", s("31d"))],
            "expiresIn=\"31d\" is more than 30 days",
        ),
    ] {
        let r = b
            .check(&h.ctx, &PropertyMap::new(), branch_program(&extra))
            .await;
        let f: Vec<(&str, &str)> = r
            .failures
            .iter()
            .map(|f| (f.property.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].1.contains(message), "{message}: {f:?}");
    }
    // Time passes between preview and up: create checks again.
    let stale = with(
        &branch_inputs(),
        &[("expiresAt", s(&utc_in(time::Duration::hours(-1))))],
    );
    let err = guard(b.create(&h.ctx, &stale, false))
        .await
        .expect_err("past");
    assert!(message(&err).contains("is in the past"), "{err}");
}

#[tokio::test]
async fn a_branch_whose_recorded_expiry_passed_is_replaced_old_one_first() {
    let h = harness(PropertyMap::new());
    let b = branch();
    let inputs = with(&branch_inputs(), &[("expiresIn", s("1d"))]);
    let mut old = branch_state(inputs.clone());
    old.outputs
        .insert("expiresAt".into(), s(&utc_in(time::Duration::hours(-2))));

    let d = b
        .diff(&h.ctx, BRANCH_ID, &old, &inputs)
        .await
        .expect("diff");

    assert_eq!(d.changes.keys().collect::<Vec<_>>(), ["expiresIn"]);
    assert!(d.changes["expiresIn"].replace);
    assert!(
        d.delete_before_replace,
        "the new branch takes the old one's name"
    );
    // The expiry removed from the program: that is how a user keeps the
    // branch (and the recorded time may be stale), so an update, never a
    // replacement.
    let d = b
        .diff(&h.ctx, BRANCH_ID, &old, &branch_inputs())
        .await
        .expect("diff");
    assert_eq!(d.changes.keys().collect::<Vec<_>>(), ["expiresIn"]);
    assert!(!d.changes["expiresIn"].replace, "{:?}", d.changes);
    assert!(!d.delete_before_replace);
    // Still ahead: nothing to do.
    old.outputs
        .insert("expiresAt".into(), s(&utc_in(time::Duration::hours(2))));
    let d = b
        .diff(&h.ctx, BRANCH_ID, &old, &inputs)
        .await
        .expect("diff");
    assert!(d.changes.is_empty(), "{:?}", d.changes);
    assert!(!d.delete_before_replace);
}

#[tokio::test]
async fn read_of_a_branch_neon_deleted_is_none_so_refresh_drops_it() {
    let (server, h) = neon().await;
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches/{PREVIEW}"),
            404,
            "error_not_found.json",
        )
        .await;
    let mut old = branch_state(with(&branch_inputs(), &[("expiresIn", s("1d"))]));
    old.outputs
        .insert("expiresAt".into(), s(&utc_in(time::Duration::hours(-2))));

    let state = guard(branch().read(&h.ctx, BRANCH_ID, &old))
        .await
        .expect("read");

    assert_eq!(state, None);
}

/// The reads that follow each of `updates` updates of a branch: its
/// compute, role, database and URIs.
async fn branch_update_follow_up(server: &MockServer, updates: u64) {
    let branch_path = format!("{PROJECT}/branches/{PREVIEW}");
    for (tail, fixture) in [
        ("endpoints", "res_branch_endpoints_preview.json"),
        ("roles", "res_roles_list.json"),
        ("databases", "res_databases_list.json"),
        ("connection_uri", "res_connection_uri.json"),
    ] {
        let url = if tail == "connection_uri" {
            format!("{PROJECT}/connection_uri")
        } else {
            format!("{branch_path}/{tail}")
        };
        let expected = if tail == "connection_uri" {
            2 * updates
        } else {
            updates
        };
        http_mocks::expect(server, expected, "GET", &url, json_response(200, fixture)).await;
    }
}

#[tokio::test]
async fn read_keeps_expires_in_and_reports_neons_time_as_the_output() {
    let (server, h) = neon().await;
    server
        .branch_reads(
            PREVIEW,
            "branch_created.json",
            "res_branch_endpoints_preview.json",
        )
        .await;
    // Its parent, for `parentBranchName`.
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches/{MAIN}"),
            200,
            "res_branch_main.json",
        )
        .await;
    // The program's compute, as the endpoint has it (300 s to scale to zero).
    let recorded = with(
        &branch_inputs(),
        &[("expiresIn", s("7d")), ("suspendTimeoutSeconds", n(300.0))],
    );

    let state = guard(branch().read(&h.ctx, BRANCH_ID, &branch_state(recorded.clone())))
        .await
        .expect("read")
        .expect("exists");

    // The program's time to live stays; Neon's time is the output.
    assert_eq!(state.inputs, recorded);
    assert_eq!(state.outputs["expiresAt"], s("2026-05-11T10:00:00Z"));
}

#[tokio::test]
async fn read_drops_expires_in_once_neon_no_longer_expires_the_branch_so_the_drift_shows() {
    let (server, h) = neon().await;
    // Someone removed the expiry in the console: Neon's branch has none.
    server
        .branch_reads(
            PREVIEW,
            "branch_updated.json",
            "res_branch_endpoints_preview.json",
        )
        .await;
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches/{MAIN}"),
            200,
            "res_branch_main.json",
        )
        .await;
    let program = with(
        &branch_inputs(),
        &[("expiresIn", s("7d")), ("suspendTimeoutSeconds", n(300.0))],
    );
    let mut recorded = branch_state(program.clone());
    recorded
        .outputs
        .insert("expiresAt".into(), s("2026-05-11T10:00:00Z"));

    let state = guard(branch().read(&h.ctx, BRANCH_ID, &recorded))
        .await
        .expect("read")
        .expect("exists");

    assert!(
        !state.inputs.contains_key("expiresIn"),
        "{:?}",
        state.inputs
    );
    assert!(!state.outputs.contains_key("expiresAt"));
    // The program still says 7d: the next `up` sets a new window.
    let d = branch()
        .diff(&h.ctx, BRANCH_ID, &state, &program)
        .await
        .expect("diff");
    assert_eq!(d.changes.keys().collect::<Vec<_>>(), ["expiresIn"]);
    assert!(!d.changes["expiresIn"].replace);
}

#[tokio::test]
async fn a_new_expires_in_starts_a_new_window_and_an_unchanged_one_sends_nothing() {
    let (server, h) = neon().await;
    let branch_path = format!("{PROJECT}/branches/{PREVIEW}");
    http_mocks::expect(
        &server,
        2,
        "GET",
        &branch_path,
        json_response(200, "branch_updated.json"),
    )
    .await;
    http_mocks::expect(
        &server,
        1,
        "PATCH",
        &branch_path,
        echo_expiry(200, "branch_updated.json"),
    )
    .await;
    branch_update_follow_up(&server, 2).await;
    let b = branch();
    let mut old = branch_state(with(&branch_inputs(), &[("expiresIn", s("7d"))]));
    old.outputs
        .insert("expiresAt".into(), s(&utc_in(time::Duration::days(6))));
    let news = with(&branch_inputs(), &[("expiresIn", s("1d"))]);

    let before = time::OffsetDateTime::now_utc();
    let outputs = guard(b.update(&h.ctx, BRANCH_ID, &old, &news, false))
        .await
        .expect("updated");

    let Value::String(t) = &outputs["expiresAt"] else {
        panic!("expiresAt: {:?}", outputs["expiresAt"]);
    };
    let day = time::Duration::days(1);
    assert!(
        parse_time(t) >= before + day - time::Duration::SECOND
            && parse_time(t) <= time::OffsetDateTime::now_utc() + day,
        "a day from this update: {t}"
    );
    // The same expiresIn again: the window stays, nothing is sent.
    let state = State {
        inputs: news.clone(),
        outputs: outputs.clone(),
    };
    let again = guard(b.update(&h.ctx, BRANCH_ID, &state, &news, false))
        .await
        .expect("updated");
    assert_eq!(again["expiresAt"], outputs["expiresAt"]);
    h.log.assert_clean();
}

#[tokio::test]
async fn an_update_of_a_branch_neon_deleted_says_to_refresh() {
    let (server, h) = neon().await;
    let branch_path = format!("{PROJECT}/branches/{PREVIEW}");
    server
        .once("GET", &branch_path, 404, "error_not_found.json")
        .await;
    server.never("PATCH", &branch_path).await;
    let old = branch_state(with(&branch_inputs(), &[("expiresIn", s("1d"))]));
    let news = with(&branch_inputs(), &[("expiresIn", s("2d"))]);

    let err = guard(branch().update(&h.ctx, BRANCH_ID, &old, &news, false))
        .await
        .expect_err("gone");

    let m = message(&err);
    assert!(
        m.contains("no longer exists") && m.contains("`pulumi refresh`"),
        "{m}"
    );
}

#[tokio::test]
async fn an_expiry_on_a_default_branch_is_refused_before_neon_is_asked() {
    let (server, h) = neon().await;
    let main_path = format!("{PROJECT}/branches/{MAIN}");
    server
        .once("GET", &main_path, 200, "res_branch_main.json")
        .await;
    server.never("PATCH", &main_path).await;
    // `main`, imported as a NeonBranch.
    let imported = props(&[
        ("name", s("main")),
        ("projectId", s(PROJECT_ID)),
        ("minCu", n(0.25)),
        ("maxCu", n(1.0)),
        ("suspendTimeoutSeconds", n(0.0)),
        ("databaseName", s("app")),
        ("roleName", s("app")),
    ]);
    let news = with(&imported, &[("expiresIn", s("7d"))]);

    let err = guard(branch().update(
        &h.ctx,
        &format!("{PROJECT_ID}/{MAIN}"),
        &State {
            inputs: imported.clone(),
            outputs: imported,
        },
        &news,
        false,
    ))
    .await
    .expect_err("default branch");

    let m = message(&err);
    assert!(
        m.starts_with("expiresIn: branch main is the project's default branch"),
        "{m}"
    );
}

#[tokio::test]
async fn an_expiry_on_a_protected_branch_is_refused_before_neon_is_asked() {
    // Neon refuses an expiry on a protected branch as on the default one; a
    // protected branch that is not the default must be caught by its own flag.
    const PROTECTED: &str = "br-still-river-530112";
    let (server, h) = neon().await;
    let branch_path = format!("{PROJECT}/branches/{PROTECTED}");
    server
        .once("GET", &branch_path, 200, "res_branch_protected.json")
        .await;
    server.never("PATCH", &branch_path).await;
    let imported = props(&[
        ("name", s("production")),
        ("projectId", s(PROJECT_ID)),
        ("minCu", n(0.25)),
        ("maxCu", n(1.0)),
        ("suspendTimeoutSeconds", n(0.0)),
        ("databaseName", s("app")),
        ("roleName", s("app")),
    ]);
    let news = with(&imported, &[("expiresIn", s("7d"))]);

    let err = guard(branch().update(
        &h.ctx,
        &format!("{PROJECT_ID}/{PROTECTED}"),
        &State {
            inputs: imported.clone(),
            outputs: imported,
        },
        &news,
        false,
    ))
    .await
    .expect_err("protected branch");

    let m = message(&err);
    assert!(
        m.starts_with("expiresIn: branch production is the project's protected branch"),
        "{m}"
    );
}

/// A 409 for the branch create of a resource at `urn`: its message.
async fn taken_409_at(urn: &str, search_result: &str) -> String {
    let server = MockServer::start().await;
    let h = harness_at(urn, config(&server), None);
    server
        .once(
            "POST",
            &format!("{PROJECT}/branches"),
            409,
            "res_error_branch_exists.json",
        )
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{PROJECT}/branches")))
        .and(query_param("search", "preview-pr-42"))
        .respond_with(json_response(200, search_result))
        .expect(1)
        .mount(&server)
        .await;
    let r = branch();
    let inputs = checked(&r, &h.ctx, branch_program(&[])).await;
    let err = guard(r.create(&h.ctx, &inputs, false))
        .await
        .expect_err("taken");
    assert!(
        matches!(err, ResourceError::Failed(_)),
        "nothing was created: {err}"
    );
    message(&err)
}

#[tokio::test]
async fn a_branch_name_taken_409_gets_the_import_command_with_the_branch_id() {
    let m = taken_409_at(
        "urn:pulumi:dev::app::launchpad:index:NeonBranch::db",
        "res_branches_search_preview.json",
    )
    .await;

    assert!(
        m.contains(
            "a branch named \"preview-pr-42\" already exists in Neon project floral-king-961888"
        ),
        "{m}"
    );
    // The resource's own name; at the root, no parent.
    assert!(
        m.contains(&format!(
            "`pulumi import launchpad:index:NeonBranch db {BRANCH_ID} --generate-code=false`"
        )),
        "{m}"
    );
}

#[tokio::test]
async fn the_409_import_command_puts_a_databases_branch_back_under_its_database() {
    // The child of NeonDatabase `db` at the root of the stack.
    let m = taken_409_at(
        "urn:pulumi:pr-7::shop::launchpad:index:NeonDatabase$launchpad:index:NeonBranch::db-branch",
        "res_branches_search_preview.json",
    )
    .await;
    assert!(
        m.contains(&format!(
            "`pulumi import launchpad:index:NeonBranch db-branch {BRANCH_ID} --parent parent=urn:pulumi:pr-7::shop::launchpad:index:NeonDatabase::db --generate-code=false`"
        )),
        "{m}"
    );
    // A NeonDatabase inside a component of the user's: the whole type chain,
    // quoted for the shell (`$`).
    let m = taken_409_at(
        "urn:pulumi:pr-7::shop::acme:index:App$launchpad:index:NeonDatabase$launchpad:index:NeonBranch::orders-db-branch",
        "res_branches_search_preview.json",
    )
    .await;
    assert!(
        m.contains(&format!(
            "`pulumi import launchpad:index:NeonBranch orders-db-branch {BRANCH_ID} --parent 'parent=urn:pulumi:pr-7::shop::acme:index:App$launchpad:index:NeonDatabase::orders-db' --generate-code=false`"
        )),
        "{m}"
    );
    // A NeonBranch of the user's own under a component: the URN does not
    // carry the parent's name, so the command says where to find it.
    let m = taken_409_at(
        "urn:pulumi:pr-7::shop::acme:index:App$launchpad:index:NeonBranch::pr-branch",
        "res_branches_search_preview.json",
    )
    .await;
    assert!(
        m.contains(&format!(
            "`pulumi import launchpad:index:NeonBranch pr-branch {BRANCH_ID} --parent 'parent=<URN of the acme:index:App that is its parent, from pulumi stack --show-urns>' --generate-code=false`"
        )),
        "{m}"
    );
}

#[tokio::test]
async fn a_409_with_no_branch_of_that_name_to_be_found_says_so_and_prints_no_made_up_id() {
    let m = taken_409_at(
        "urn:pulumi:dev::app::launchpad:index:NeonBranch::db",
        "branches_list_empty.json",
    )
    .await;
    assert!(
        m.contains("but lists no branch of that name in project floral-king-961888"),
        "{m}"
    );
    assert!(!m.contains("pulumi import") && !m.contains('<'), "{m}");
}

#[test]
fn a_parent_is_read_from_the_urns_type_chain() {
    use super::resource::{Parent, parent_of};
    let db = "launchpad:index:NeonDatabase";
    for (urn, parent) in [
        (
            "urn:pulumi:dev::app::launchpad:index:NeonBranch::b".to_string(),
            Parent::Root,
        ),
        (
            format!("urn:pulumi:dev::app::{db}$launchpad:index:NeonProject::db-project"),
            Parent::Known(format!("urn:pulumi:dev::app::{db}::db")),
        ),
        (
            format!("urn:pulumi:dev::app::{db}$launchpad:index:NeonBranch::my::db-branch"),
            Parent::Known(format!("urn:pulumi:dev::app::{db}::my::db")),
        ),
        // A branch of the user's own under some component: its name is not in the URN.
        (
            "urn:pulumi:dev::app::acme:index:App$launchpad:index:NeonBranch::b".to_string(),
            Parent::Named("acme:index:App".to_string()),
        ),
        // Named unlike a NeonDatabase's child: not guessed.
        (
            format!("urn:pulumi:dev::app::{db}$launchpad:index:NeonBranch::other"),
            Parent::Named(db.to_string()),
        ),
    ] {
        assert_eq!(parent_of(&urn), parent, "{urn}");
    }
}

#[tokio::test]
async fn no_branch_is_made_from_an_expiring_parent() {
    let (server, h) = neon().await;
    server
        .once(
            "GET",
            &format!("{PROJECT}/branches"),
            200,
            "res_branches_list_expiring_staging.json",
        )
        .await;
    server.never("POST", &format!("{PROJECT}/branches")).await;
    let r = branch();
    let inputs = checked(
        &r,
        &h.ctx,
        branch_program(&[("parentBranch", s("staging"))]),
    )
    .await;

    let err = guard(r.create(&h.ctx, &inputs, false))
        .await
        .expect_err("expiring parent");

    let m = message(&err);
    assert!(
        m.contains("parentBranch=\"staging\" expires at 2026-05-20T00:00:00Z"),
        "{m}"
    );
}
