//! Many Constructs at once through one plugin process: each is its own.
//! Good ones register their whole child set with their own inputs, bad ones
//! fail with their own message and register nothing, and neither reaches
//! into another.

use std::collections::{BTreeMap, BTreeSet};

use launchpad_protocol::Value;
use launchpad_protocol::testing::{FakeMonitor, FakeMonitorConfig, Registration};

use crate::launch::{Plugin, named_site as site};

const SITE: &str = "launchpad:index:StaticSite";
const DISTRIBUTION: &str = "aws:cloudfront/distribution:Distribution";
const PRICE_CLASSES: [&str; 3] = ["PriceClass_100", "PriceClass_200", "PriceClass_All"];

/// The registrations below `urn` (children, their children, …).
fn descendants<'a>(all: &'a [Registration], urn: &str) -> Vec<&'a Registration> {
    let mut below = BTreeSet::from([urn.to_string()]);
    let mut found = Vec::new();
    // Registrations come parent first, so one pass in order finds them all.
    for r in all {
        if below.contains(&r.parent) {
            below.insert(r.urn.clone());
            found.push(r);
        }
    }
    found
}

/// A child set as `(type, name)` with the component's own name made
/// generic, so two sites' sets compare equal when they have the same shape.
fn shape(children: &[&Registration], name: &str) -> BTreeSet<(String, String)> {
    children
        .iter()
        .map(|r| (r.type_token.clone(), r.name.replacen(name, "<site>", 1)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_constructs_stay_isolated_one_failure_breaks_no_other() {
    let plugin = Plugin::spawn();
    let client = plugin.client().await;

    // One site alone: the child set every good site must register.
    let alone = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let urn = client
        .clone()
        .construct(alone.request(&site("solo", "PriceClass_All")))
        .await
        .expect("construct alone")
        .into_inner()
        .urn;
    let all = alone.registrations();
    let expected = shape(&descendants(&all, &urn), "solo");
    assert!(expected.len() >= 8, "a site's children: {expected:?}");

    // Every fifth call is bad, each with a value of its own.
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let calls: Vec<(String, String, bool)> = (0..50)
        .map(|i| {
            if i % 5 == 0 {
                (format!("bad-{i}"), format!("Cheap{i}"), false)
            } else {
                (format!("good-{i}"), PRICE_CLASSES[i % 3].to_string(), true)
            }
        })
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for (name, price_class, good) in calls.clone() {
        let request = monitor.request(&site(&name, &price_class));
        let mut client = client.clone();
        tasks.spawn(async move { (name, price_class, good, client.construct(request).await) });
    }
    let mut answers = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (name, price_class, good, answer) = joined.expect("join");
        answers.insert(name, (price_class, good, answer));
    }
    assert_eq!(answers.len(), 50);

    let all = monitor.registrations();
    let mut registered_by_goods = 0;
    for (name, (price_class, good, answer)) in &answers {
        let urn = format!("urn:pulumi:dev::proj::{SITE}::{name}");
        if *good {
            let resp = answer
                .as_ref()
                .unwrap_or_else(|e| panic!("{name} failed: {}", e.message()))
                .get_ref();
            assert_eq!(resp.urn, urn);
            let children = descendants(&all, &urn);
            assert_eq!(shape(&children, name), expected, "{name}'s children");
            // Its own inputs reached its own children.
            let distribution = children
                .iter()
                .find(|r| r.type_token == DISTRIBUTION)
                .expect("a distribution");
            assert_eq!(
                distribution.inputs["priceClass"],
                Value::string(price_class),
                "{name}'s distribution"
            );
            assert!(
                children.iter().all(|r| r.name.contains(name.as_str())),
                "{name} registered a child named for another site"
            );
            registered_by_goods += 1 + children.len();
        } else {
            let e = answer.as_ref().expect_err("a bad priceClass fails");
            assert_eq!(e.code(), tonic::Code::InvalidArgument, "{name}");
            assert!(
                e.message().starts_with(&format!(
                    "priceClass=\"{price_class}\" is not valid; valid:"
                )),
                "{name}: {}",
                e.message()
            );
            assert!(
                all.iter().all(|r| r.urn != urn && r.parent != urn),
                "{name} failed yet registered something"
            );
        }
    }
    // Nothing beyond the good sites and their children was registered.
    assert_eq!(all.len(), registered_by_goods);
}
