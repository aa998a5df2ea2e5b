//! Talking to the user while an operation runs: messages attached to a
//! resource, shown by `pulumi up` (ephemeral ones as its status line).
//! `launchpad-protocol` delivers them through the engine's `Log` RPC.

use std::sync::Arc;

/// How loud a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Only shown with `--debug`.
    Debug,
    /// Shown in the resource's diagnostics.
    Info,
    /// A warning the user should read.
    Warning,
    /// An error (the operation's own failure is reported by its result).
    Error,
}

/// Where messages for the user go.
pub trait EngineLog: Send + Sync {
    /// Send `message` about resource `urn` (empty: about the stack);
    /// `ephemeral` messages replace each other as a status line.
    fn log(&self, severity: Severity, urn: &str, message: &str, ephemeral: bool);
}

/// Drops every message (tests, and before the engine is known).
pub struct NoLog;

impl EngineLog for NoLog {
    fn log(&self, _: Severity, _: &str, _: &str, _: bool) {}
}

/// A handle that logs about one resource.
#[derive(Clone)]
pub struct ResourceLog {
    sink: Arc<dyn EngineLog>,
    urn: String,
}

impl ResourceLog {
    /// Messages about `urn` to `sink`.
    pub fn new(sink: Arc<dyn EngineLog>, urn: impl Into<String>) -> ResourceLog {
        ResourceLog {
            sink,
            urn: urn.into(),
        }
    }

    /// A status line for a long operation ("uploaded 120 of 300 files").
    pub fn progress(&self, message: &str) {
        self.sink.log(Severity::Info, &self.urn, message, true);
    }

    /// A lasting informational message.
    pub fn info(&self, message: &str) {
        self.sink.log(Severity::Info, &self.urn, message, false);
    }

    /// A warning.
    pub fn warn(&self, message: &str) {
        self.sink.log(Severity::Warning, &self.urn, message, false);
    }
}

impl std::fmt::Debug for ResourceLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ResourceLog({})", self.urn)
    }
}
