//! Messages for the user, delivered through the engine's `Log` RPC: the
//! [`EngineLog`] sink of `launchpad-core`, on the wire.
//!
//! Nothing happens at start-up: the engine's address is only remembered,
//! and the first message starts one background task that connects and then
//! sends every message in order. Logging never fails an operation: if the
//! engine cannot be reached, messages go to stderr instead.

use std::sync::{Mutex, OnceLock};

use launchpad_core::log::{EngineLog, Severity};
use pulumi_gestalt_proto::pulumi::pulumirpc::{self as rpc, engine_client::EngineClient};
use tokio::sync::mpsc;

/// The engine's `Log` endpoint.
#[derive(Default)]
pub struct EngineLogger {
    address: Mutex<Option<String>>,
    queue: OnceLock<mpsc::UnboundedSender<rpc::LogRequest>>,
}

impl EngineLogger {
    /// A logger for the engine at `address` (`host:port`), when known.
    pub fn new(address: Option<String>) -> EngineLogger {
        EngineLogger {
            address: Mutex::new(address),
            queue: OnceLock::new(),
        }
    }

    /// Learn the engine's address (from the handshake) if not known yet.
    pub fn set_address(&self, address: &str) {
        if let Ok(mut a) = self.address.lock()
            && a.is_none()
            && !address.is_empty()
        {
            *a = Some(address.to_string());
        }
    }

    fn queue(&self) -> Option<&mpsc::UnboundedSender<rpc::LogRequest>> {
        if let Some(q) = self.queue.get() {
            return Some(q);
        }
        let address = self.address.lock().ok()?.clone()?;
        // Only inside the server's runtime; a message without one goes to stderr.
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        Some(self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            runtime.spawn(deliver(address, rx));
            tx
        }))
    }
}

/// The URI of the engine at `address`: `host:port` as the engine passes
/// it, or already a URI.
pub(crate) fn engine_uri(address: &str) -> String {
    if address.contains("://") {
        address.to_string()
    } else {
        format!("http://{address}")
    }
}

/// Connect once, then send messages in order until the sender goes away.
async fn deliver(address: String, mut rx: mpsc::UnboundedReceiver<rpc::LogRequest>) {
    let uri = engine_uri(&address);
    let mut client = match EngineClient::connect(uri).await {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::warn!(%address, error = %e, "cannot reach the engine to log; logging to stderr");
            None
        }
    };
    while let Some(req) = rx.recv().await {
        let sent = match client.as_mut() {
            Some(c) => c.log(req.clone()).await.is_ok(),
            None => false,
        };
        if !sent {
            tracing::info!(urn = %req.urn, "{}", req.message);
        }
    }
}

impl EngineLog for EngineLogger {
    fn log(&self, severity: Severity, urn: &str, message: &str, ephemeral: bool) {
        let severity = match severity {
            Severity::Debug => rpc::LogSeverity::Debug,
            Severity::Info => rpc::LogSeverity::Info,
            Severity::Warning => rpc::LogSeverity::Warning,
            Severity::Error => rpc::LogSeverity::Error,
        };
        let req = rpc::LogRequest {
            severity: severity as i32,
            message: message.to_string(),
            urn: urn.to_string(),
            stream_id: 0,
            ephemeral,
        };
        match self.queue() {
            Some(q) if q.send(req.clone()).is_ok() => {}
            _ => tracing::info!(urn = %req.urn, "{}", req.message),
        }
    }
}
