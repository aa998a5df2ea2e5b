//! `pulumi-resource-testbed`: TEST ONLY. Serves [`launchpad_testbed::package`]
//! under the same launch contract as launchpad's plugin.

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let engine = launchpad_protocol::launch::engine_address(&args).map(str::to_string);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(launchpad_protocol::launch::serve_plugin(
            launchpad_testbed::package(),
            engine,
        ))
}
