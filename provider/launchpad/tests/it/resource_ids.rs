//! Malformed resource IDs over real gRPC: an ID is the user's input (typed
//! in `pulumi import`, or edited into the state), so every native resource
//! answers one that is not of its form with INVALID_ARGUMENT and a message
//! naming the ID, the form and the resource type, on every call that takes
//! an ID, before asking anything of the cloud.

use launchpad_core::custom::State;
use launchpad_protocol::testing::{CallFailure, ResourceCall, ResourceDriver};
use launchpad_protocol::{PropertyMap, Value};

/// Diff, Read, Update and Delete of `id`, each expected to fail: the failures in that order.
async fn every_call_on(driver: &ResourceDriver, id: &str) -> Vec<(&'static str, CallFailure)> {
    let news = PropertyMap::from([("name".to_string(), Value::string("x"))]);
    let call = ResourceCall::new("r", news).on(id, State::default());
    vec![
        ("diff", driver.diff(&call).await.expect_err("diff")),
        ("read", driver.read(&call).await.expect_err("read")),
        ("update", driver.update(&call).await.expect_err("update")),
        ("delete", driver.delete(&call).await.expect_err("delete")),
    ]
}

/// Each malformed ID is refused as invalid input with exactly `message(id)`
/// on every call; a well-formed one passes Diff (which needs no cloud).
async fn refuses_malformed_ids(
    token: &str,
    malformed: &[&str],
    well_formed: &str,
    message: impl Fn(&str) -> String,
) {
    let driver = ResourceDriver::start(launchpad_components::package(), token).await;
    for id in malformed {
        for (call, failure) in every_call_on(&driver, id).await {
            assert_eq!(
                failure.code,
                tonic::Code::InvalidArgument,
                "{token} {call} of {id:?}: {}",
                failure.message
            );
            assert_eq!(failure.message, message(id), "{token} {call} of {id:?}");
        }
    }
    let call = ResourceCall::new("r", PropertyMap::new()).on(well_formed, State::default());
    driver
        .diff(&call)
        .await
        .unwrap_or_else(|f| panic!("{token} diff of {well_formed:?}: {f:?}"));
}

#[tokio::test]
async fn a_malformed_neon_branch_id_is_invalid_argument_naming_its_form() {
    refuses_malformed_ids(
        "launchpad:index:NeonBranch",
        &["i", "/br-1", "floral-king-961888/", "Floral/br-1", "p/br-1/x", "p/../br-1"],
        "floral-king-961888/br-wispy-meadow-12345",
        |id| {
            format!(
                "`{id}` is not a NeonBranch ID; a NeonBranch ID is `<projectId>/<branchId>` (each 1 to 60 lowercase letters, digits and hyphens), for example `floral-king-961888/br-wispy-meadow-12345`"
            )
        },
    )
    .await;
}

#[tokio::test]
async fn a_malformed_neon_project_id_is_invalid_argument_naming_its_form() {
    refuses_malformed_ids(
        "launchpad:index:NeonProject",
        &["floral-king-961888/br-1", "Floral King", "../projects"],
        "floral-king-961888",
        |id| {
            format!(
                "`{id}` is not a NeonProject ID; a NeonProject ID is the project's ID: 1 to 60 lowercase letters, digits and hyphens, for example `floral-king-961888`"
            )
        },
    )
    .await;
}

#[tokio::test]
async fn a_malformed_site_content_id_is_invalid_argument_naming_its_form() {
    refuses_malformed_ids(
        "launchpad:index:SiteContent",
        &["i", "my bucket", "s3://my-site", "-my-site", "my-site/assets"],
        "my-site-bucket",
        |id| {
            format!(
                "`{id}` is not a SiteContent ID; a SiteContent ID is the name of its S3 bucket: 3 or more letters, digits, dots, hyphens and underscores, starting and ending with a letter or digit, for example `my-site-bucket`"
            )
        },
    )
    .await;
}
