//! The plugin launch contract: bind 127.0.0.1:0, print only the port on
//! stdout, serve until the engine closes us, a signal arrives or the engine
//! is gone ([`crate::engine_link`]).

use std::io::Write;
use std::net::SocketAddr;

use pulumi_gestalt_proto::pulumi::pulumirpc::resource_provider_server::ResourceProviderServer;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;

use launchpad_core::Package;

use crate::provider::Provider;

/// The engine address: the last positional argument; flags (`-x`, `--x`,
/// `--x=y`) are ignored, whatever they are.
pub fn engine_address(args: &[String]) -> Option<&str> {
    args.iter()
        .skip(1)
        .rfind(|a| !a.starts_with('-'))
        .map(String::as_str)
}

/// Bind, print the port, and serve `package` until SIGINT/SIGTERM or the
/// engine at `engine_address` is gone; messages for the user go to that
/// engine. When the engine is gone, nothing waits for requests in flight:
/// nobody is left to read their answers. The caller should not wait for
/// blocking work either (`Runtime::shutdown_timeout`).
pub async fn serve_plugin(package: Package, engine_address: Option<String>) -> std::io::Result<()> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let port = listener.local_addr()?.port();
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{port}")?;
    stdout.flush()?;
    drop(stdout);
    let engine_gone = async {
        match &engine_address {
            Some(address) => crate::engine_link::gone(address).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        served = serve(
            Provider::new(package, engine_address.clone()),
            listener,
            shutdown_signal(),
        ) => served,
        () = engine_gone => {
            tracing::warn!("the engine is gone; exiting");
            Ok(())
        }
    }
}

/// How long in-flight requests may finish after a shutdown signal; open but
/// idle connections (the engine keeps one) must not hold the process.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// Serve on an already-bound listener until `shutdown` completes.
pub async fn serve(
    provider: Provider,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let service = ResourceProviderServer::new(provider)
        .max_decoding_message_size(400 << 20)
        .max_encoding_message_size(400 << 20);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tonic::transport::Server::builder()
        .add_service(service)
        // Small replies must not wait for the engine's delayed ACK (Nagle): tonic's
        // own `tcp_nodelay` does not apply to an incoming stream, so set it here.
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(Some(true)),
            async {
                let _ = stopped.await;
            },
        );
    tokio::pin!(server);
    let result = tokio::select! {
        r = &mut server => r,
        () = shutdown => {
            let _ = stop.send(());
            tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await.unwrap_or(Ok(()))
        }
    };
    result.map_err(std::io::Error::other)
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::debug!("shutting down on signal");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_address_is_the_last_positional_and_flags_are_ignored() {
        let args: Vec<String> = [
            "bin",
            "--logtostderr",
            "-v=9",
            "--tracing",
            "127.0.0.1:5000",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(engine_address(&args), Some("127.0.0.1:5000"));
        assert_eq!(engine_address(&args[..1]), None);
    }
}
