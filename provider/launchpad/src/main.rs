//! `pulumi-resource-launchpad`: the plugin the Pulumi engine launches.
//!
//! `--schema` prints the package schema; `--messages` prints every catalogue
//! of user-facing messages as JSON ([`launchpad_core::catalogue::to_json`]);
//! anything else follows the plugin launch contract (serve, print only the port). Nothing heavy happens
//! before the port is printed: the schema and cloud clients are built on
//! the first request that needs them.

use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--schema") {
        print!("{}", launchpad_components::package().schema_text());
        return Ok(());
    }
    if args.iter().any(|a| a == "--messages") {
        println!("{}", launchpad_core::catalogue::to_json(&catalogues())?);
        return Ok(());
    }
    if args.iter().any(|a| a == "--version") {
        println!("{}", launchpad_components::PACKAGE.version);
        return Ok(());
    }
    // stdout carries the port only; every log line goes to stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_env("LAUNCHPAD_LOG").unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .init();
    let engine = launchpad_protocol::launch::engine_address(&args).map(str::to_string);
    tracing::debug!(?engine, "starting");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let served = runtime.block_on(launchpad_protocol::launch::serve_plugin(
        launchpad_components::package(),
        engine,
    ));
    // Work still on a blocking thread (hashing a site's files) must not keep
    // a plugin whose engine is gone alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    served?;
    Ok(())
}

/// Every crate's catalogue: core's, protocol's, then the components'.
fn catalogues() -> Vec<&'static [launchpad_core::catalogue::ErrorDef]> {
    let mut all = vec![
        launchpad_core::errors::CATALOGUE,
        launchpad_protocol::errors::CATALOGUE,
    ];
    all.extend(launchpad_components::catalogues());
    all
}
