//! The plugin's link to the engine that launched it: the engine does not
//! always stop its plugins (it may be killed, or crash), so the plugin
//! watches the engine's address itself and ends when the engine is gone,
//! rather than living on as an orphan that holds memory and a port.
//!
//! The watch is one tiny unary RPC, `grpc.health.v1.Health/Check`, every
//! [`POLL`] on one kept-open HTTP/2 connection. Any answer, even
//! UNIMPLEMENTED from an engine without the health service, means the
//! engine is there; only a connection the engine's side refuses or drops
//! means it is gone. The link counts as up once the engine has answered:
//! a plugin started by hand with an address nobody serves keeps running,
//! as upstream's plugins do.

use std::time::Duration;

use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Endpoint};

/// How often the engine is asked whether it is there: the plugin exits at
/// most about this long (plus one confirmation) after the engine went away.
const POLL: Duration = Duration::from_millis(200);

/// A refusal is asked again this soon before the engine counts as gone, so
/// that one lost connection is not taken for a dead engine.
const CONFIRM: Duration = Duration::from_millis(50);

/// `grpc.health.v1.HealthCheckRequest`: the service asked about (empty: the
/// server as a whole).
#[derive(Clone, PartialEq, prost::Message)]
struct HealthCheckRequest {
    #[prost(string, tag = "1")]
    service: String,
}

/// `grpc.health.v1.HealthCheckResponse`; its status is not read: any answer
/// shows the engine is there.
#[derive(Clone, PartialEq, prost::Message)]
struct HealthCheckResponse {
    #[prost(int32, tag = "1")]
    status: i32,
}

/// Whether the engine answered one health check (with anything at all).
async fn answers(channel: &Channel) -> bool {
    let mut grpc = tonic::client::Grpc::new(channel.clone());
    if grpc.ready().await.is_err() {
        return false;
    }
    let reply = grpc
        .unary::<_, HealthCheckResponse, _>(
            tonic::Request::new(HealthCheckRequest::default()),
            PathAndQuery::from_static("/grpc.health.v1.Health/Check"),
            tonic_prost::ProstCodec::default(),
        )
        .await;
    match reply {
        Ok(_) => true,
        // Transport failures come back as UNAVAILABLE; every other code is
        // the engine's own answer.
        Err(status) => status.code() != tonic::Code::Unavailable,
    }
}

/// Completes once the engine at `address` has answered and then stopped
/// answering; never, for an address that is not a URI.
pub async fn gone(address: &str) {
    let channel = match Endpoint::from_shared(crate::engine::engine_uri(address)) {
        Ok(e) => e.connect_lazy(),
        Err(e) => {
            tracing::warn!(%address, error = %e, "the engine address is not a URI; not watching the engine");
            return std::future::pending().await;
        }
    };
    let mut interval = tokio::time::interval(POLL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut up = false;
    loop {
        interval.tick().await;
        if answers(&channel).await {
            if !up {
                tracing::debug!(%address, "engine link up");
                up = true;
            }
            continue;
        }
        if !up {
            continue;
        }
        tokio::time::sleep(CONFIRM).await;
        if !answers(&channel).await {
            tracing::debug!(%address, "engine link down");
            return;
        }
    }
}
