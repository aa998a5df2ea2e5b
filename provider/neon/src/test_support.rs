//! What the Neon tests share: response bodies from `tests/neon/`, short
//! timings, a log that records every line, the leak check and a hang guard.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use launchpad_core::custom::ResourceContext;
use launchpad_core::log::{EngineLog, ResourceLog, Severity};
use launchpad_core::value::PropertyMap;
use tokio_util::sync::CancellationToken;
use wiremock::ResponseTemplate;

use super::Timings;

/// The API key: it must never show.
pub(super) const KEY: &str = "napi_k3y_must_never_show_0123456789";
/// A password that appears in the fixtures' connection URIs and roles: it must never show.
pub(super) const PASSWORD: &str = "npg_Qx7vR2mWk9Lp";
/// Long enough for anything here; only there so a bug hangs no test run.
const HANG_GUARD: Duration = Duration::from_secs(30);
/// The fixtures' project.
pub(super) const PROJECT: &str = "/api/v2/projects/floral-king-961888";
/// The operations its creation starts.
pub(super) const CREATE_TIMELINE_OP: &str =
    "/api/v2/projects/floral-king-961888/operations/a07f8772-1877-4da9-a939-3a3ae62d1d8d";
pub(super) const START_COMPUTE_OP: &str =
    "/api/v2/projects/floral-king-961888/operations/d8ac46eb-a757-42b1-9907-f78322ee394e";

pub(super) fn fixture(name: &str) -> String {
    let file = format!("{}/tests/neon/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"))
}

pub(super) fn json_response(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

/// 10–50 ms backoff and no rate limit to speak of: the real behaviour, quickly.
pub(super) fn fast() -> Timings {
    Timings {
        first_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        request_timeout: Duration::from_secs(5),
        retry_window: Duration::from_secs(20),
        requests_per_minute: 60_000,
        burst: 1_000,
    }
}

/// Every message sent to the user.
#[derive(Default)]
pub(super) struct RecordingLog(Mutex<Vec<String>>);

impl EngineLog for RecordingLog {
    fn log(&self, _: Severity, _: &str, message: &str, _: bool) {
        self.0.lock().expect("log").push(message.to_string());
    }
}

impl RecordingLog {
    pub(super) fn lines(&self) -> Vec<String> {
        self.0.lock().expect("log").clone()
    }

    pub(super) fn assert_clean(&self) {
        for line in self.lines() {
            assert_clean(&line);
        }
    }
}

/// Neither the API key nor a password may show.
pub(super) fn assert_clean(text: &str) {
    assert!(!text.contains(KEY), "the API key leaked: {text}");
    assert!(!text.contains(PASSWORD), "a password leaked: {text}");
}

/// A context (with `config` and `timeout`), its Cancel and its log.
pub(super) struct Harness {
    pub(super) ctx: ResourceContext,
    pub(super) cancel: CancellationToken,
    pub(super) log: Arc<RecordingLog>,
}

pub(super) fn harness_with(config: PropertyMap, timeout: Option<Duration>) -> Harness {
    harness_at(
        "urn:pulumi:dev::app::launchpad:index:NeonProject::db",
        config,
        timeout,
    )
}

/// [`harness_with`] for the resource `urn` (its name and parent chain).
pub(super) fn harness_at(urn: &str, config: PropertyMap, timeout: Option<Duration>) -> Harness {
    let cancel = CancellationToken::new();
    let log = Arc::new(RecordingLog::default());
    let ctx = ResourceContext::new(
        urn,
        Arc::new(config),
        ResourceLog::new(log.clone(), urn),
        cancel.child_token(),
        timeout,
    );
    Harness { ctx, cancel, log }
}

pub(super) async fn guard<T>(work: impl Future<Output = T>) -> T {
    tokio::time::timeout(HANG_GUARD, work)
        .await
        .expect("the call hung")
}
