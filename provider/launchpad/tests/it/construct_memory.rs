//! The plugin's memory with many Constructs in flight at once, measured on
//! the built binary from outside (`/proc/<pid>/status`) as the scale suite
//! does under the CLI (tests/e2e/test_scale.py), without the CLI: the fake
//! monitor plays an engine busy with a long queue of steps. It answers no
//! registration until every Construct of a wave has registered its
//! component, then one at a time, first come first served, so all of them
//! are in flight together, each waiting for its children.
//!
//! A Construct in flight must hold what it has yet to send, the children
//! registered so far and one monitor call per child being registered, so the
//! plugin's peak grows with how many the engine sends at once. heaptrack,
//! debug build, 500 at once, ~104 KiB each at the peak: 29 KiB in tonic calls
//! (~10 KiB each, ~3 per Construct), 23 KiB HTTP/2 streams and tasks, 15 KiB
//! the children's futures, 14 KiB plan still to send, 11 KiB decoded values,
//! 8 KiB the Construct's own future. (Before the monitor calls were boxed and
//! sent children's inputs dropped: ~133 KiB, of which 36 KiB plan and 60 KiB
//! futures.) What this guards:
//!
//! - **per Construct in flight** at most [`IN_FLIGHT_KIB`]: a Construct that
//!   copied something large (the 100 KB schema, a catalogue) or kept a
//!   buffer per call would cross it;
//! - **nothing kept once answered**: a second wave of as many Constructs
//!   raises the high-water mark by at most [`KEPT_FRACTION`] of what the
//!   first raised it. A plugin that kept anything per component after
//!   answering (its plan, its children's outputs, a task) would need new
//!   memory for the second wave; one that keeps nothing reuses the first's.

use std::collections::BTreeMap;
use std::path::Path;

use launchpad_protocol::testing::{ConstructCall, FakeMonitor, FakeMonitorConfig};
use launchpad_protocol::{PropertyMap, Value};

use crate::launch::Plugin;

/// The scale program's turn (tests/e2e/programs/scale-ts): a Function, a
/// CloudRunService and a WebService, each with the inputs that program gives.
fn scale_call(i: usize, code: &Path) -> ConstructCall {
    let s = |v: &str| Value::string(v);
    let map = |pairs: Vec<(&str, Value)>| -> PropertyMap {
        pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    };
    let (token, name, inputs) = match i % 3 {
        0 => (
            "launchpad:index:Function",
            format!("fn-{i}"),
            map(vec![
                ("path", Value::string(code.display().to_string())),
                ("runtime", s("nodejs24.x")),
                ("handler", s("index.handler")),
            ]),
        ),
        1 => (
            "launchpad:index:CloudRunService",
            format!("run-{i}"),
            map(vec![
                ("image", s("us-docker.pkg.dev/acme-scale/app/api:1.0.0")),
                ("port", Value::Number(8080.0)),
            ]),
        ),
        _ => (
            "launchpad:index:WebService",
            format!("web-{i}"),
            map(vec![
                ("image", s("ghcr.io/acme/api:1.0.0")),
                ("port", Value::Number(8000.0)),
                (
                    "network",
                    Value::Object(map(vec![
                        ("vpcId", s("vpc-0a1b2c3d4e5f60718")),
                        (
                            "subnetIds",
                            Value::Array(vec![
                                s("subnet-0a1b2c3d4e5f60718"),
                                s("subnet-1a2b3c4d5e6f70819"),
                            ]),
                        ),
                    ])),
                ),
            ]),
        ),
    };
    ConstructCall {
        config: BTreeMap::from([
            ("aws:region".to_string(), "eu-west-1".to_string()),
            ("gcp:project".to_string(), "acme-scale".to_string()),
            ("gcp:region".to_string(), "europe-west1".to_string()),
        ]),
        ..ConstructCall::new(token, &name, inputs)
    }
}

/// A field of `/proc/<pid>/status` in KiB (`VmRSS`, `VmHWM`).
fn status_kib(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// Constructs sent at once, in each wave: the scale suite's N.
const WAVE: usize = 500;
/// The most a Construct in flight may add to the plugin's peak RSS (KiB).
/// Measured here, debug build: 104 to 107; 141 before the monitor calls were boxed
/// and sent children's inputs dropped, which this would catch undone. The
/// release build measures the same, 103 to 104 (its baseline is 10 MiB, not 24).
const IN_FLIGHT_KIB: u64 = 128;
/// How much a second wave may raise the peak, as a fraction of what the
/// first raised it (measured: under 1%).
const KEPT_FRACTION: f64 = 0.1;

/// `first..first + n` sent at once; fails unless each answered. Answers are
/// held until all `n` components are registered.
async fn wave(plugin: &Plugin, monitor: &FakeMonitor, code: &Path, first: usize, n: usize) {
    monitor.hold_answers_until(monitor.registrations().len() + n);
    // One connection, as the engine keeps one to its plugin.
    let client = plugin.client().await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in first..first + n {
        let request = monitor.request(&scale_call(i, code));
        let mut client = client.clone();
        tasks.spawn(async move { client.construct(request).await });
    }
    while let Some(joined) = tasks.join_next().await {
        if let Err(e) = joined.expect("join") {
            panic!("a Construct failed: {}", e.message());
        }
    }
}

// A reliability suite (`make reliability` runs it with --include-ignored), not
// part of `make test`: its bounds are on RSS, which a loaded machine moves,
// and it failed once in eleven runs here without a cause found.
#[ignore = "reliability suite: make reliability runs it"]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn constructs_in_flight_cost_a_bounded_amount_each_and_nothing_is_kept_after_they_answer() {
    let code = std::env::temp_dir().join(format!("launchpad-it-code-{}", std::process::id()));
    std::fs::create_dir_all(&code).expect("mkdir");
    std::fs::write(
        code.join("index.mjs"),
        "export const handler = async () => ({ statusCode: 200 });",
    )
    .expect("write");
    // One malloc arena: glibc's default (up to 8 per core) lets a second
    // wave land partly in arenas the first left free, which raises the
    // high-water mark by megabytes with nothing kept (measured: 3 to 14 MiB
    // at 500), and would hide what a leak adds.
    let plugin = Plugin::spawn_with_env(&[("MALLOC_ARENA_MAX", "1")]);
    let pid = plugin.pid();
    let monitor = FakeMonitor::start(FakeMonitorConfig {
        serial_answers: true,
        ..FakeMonitorConfig::default()
    })
    .await;

    // One of each kind first: how many registrations each makes, and the
    // plugin warm.
    let mut per_kind = Vec::new();
    for i in 0..3 {
        let before = monitor.registrations().len();
        wave(&plugin, &monitor, &code, i, 1).await;
        per_kind.push(monitor.registrations().len() - before);
    }
    let base = status_kib(pid, "VmRSS");

    wave(&plugin, &monitor, &code, 3, WAVE).await;
    let first = status_kib(pid, "VmHWM");
    wave(&plugin, &monitor, &code, 3 + WAVE, WAVE).await;
    let second = status_kib(pid, "VmHWM");

    let expected: usize = (0..3 + 2 * WAVE).map(|i| per_kind[i % 3]).sum();
    assert_eq!(
        monitor.registrations().len(),
        expected,
        "every Construct registers its component and all its children ({per_kind:?} by kind)"
    );
    let per_construct = first.saturating_sub(base) / WAVE as u64;
    eprintln!(
        "construct memory: RSS {base} KiB before, peak {first} KiB after {WAVE} at once \
         ({per_construct} KiB each), peak {second} KiB after {WAVE} more"
    );
    assert!(
        per_construct <= IN_FLIGHT_KIB,
        "{WAVE} Constructs in flight raised the plugin's peak RSS from {base} to {first} KiB: \
         {per_construct} KiB each, more than {IN_FLIGHT_KIB}"
    );
    let allowed = ((first - base) as f64 * KEPT_FRACTION) as u64;
    assert!(
        // VmHWM is read from counters the kernel syncs lazily: it may read a
        // few pages lower later.
        second.saturating_sub(first) <= allowed,
        "a second wave of {WAVE} raised the peak RSS from {first} to {second} KiB, more than \
         {allowed} KiB: memory is kept per component after its Construct answered"
    );
}
