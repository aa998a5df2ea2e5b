//! The Construct-cost benchmark (`bench/construct-cost/`, run by `make bench`
//! and, small, by `make bench-smoke`): for each component of [`package`],
//! N Constructs one after another through the real
//! `launchpad_protocol::construct::construct` against the in-process
//! `FakeMonitor`, sharing one monitor connection as the plugin does within a
//! deployment. It prints per component and N the total, the per-Construct
//! median and p90 and the per-component time (total / N), then the flatness
//! ratio (per-component time at the largest N over that at the smallest;
//! goal ≤ 1.5), as a table and as one JSON line.
//!
//! `cargo run -p launchpad-components --example construct_cost -- [--sizes
//! 1,10,100,1000] [--reps R]`. Each (component, N) point is R deployments,
//! each a fresh fake monitor: one untimed Construct opens the connection (a
//! cost paid once per deployment, which would otherwise flatter large N),
//! then N timed ones. Every Construct must register the same number of
//! resources as the first, or the run fails: a broken component fails
//! `make bench-smoke` rather than look fast.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use launchpad_components::package;
use launchpad_core::{Component, PropertyMap, Value};
use launchpad_protocol::construct::{ConstructEnv, construct};
use launchpad_protocol::testing::{ConstructCall, FakeMonitor, FakeMonitorConfig, RecordingLog};

/// One measured point: a component at N, over R deployments.
struct Point {
    n: usize,
    /// Per-deployment totals of the N timed Constructs.
    totals: Vec<Duration>,
    /// Every timed Construct, all deployments together.
    each: Vec<Duration>,
}

impl Point {
    /// The median deployment's total.
    fn total(&self) -> Duration {
        median(&self.totals)
    }

    /// Time per component: the median total over N.
    fn per_component(&self) -> Duration {
        self.total() / self.n as u32
    }
}

/// The tiny project every call builds from: a one-page site folder and a
/// one-file function bundle under one program directory.
fn program_directory() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("launchpad-construct-cost-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("site"))?;
    std::fs::write(dir.join("site").join("index.html"), "<p>hi</p>")?;
    std::fs::create_dir_all(dir.join("dist"))?;
    std::fs::write(
        dir.join("dist").join("index.mjs"),
        "export const handler = async () => ({ statusCode: 200 });",
    )?;
    Ok(dir)
}

/// Valid inputs and stack config for `token` (as the component tests and
/// the examples write them), or `None` for a component this bench does not
/// know yet — which fails the run, so a new component is not left out.
fn inputs_for(token: &str) -> Option<(PropertyMap, BTreeMap<String, String>)> {
    let s = |v: &str| Value::string(v);
    let map = |pairs: &[(&str, Value)]| -> PropertyMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    };
    let aws = BTreeMap::from([("aws:region".to_string(), "eu-west-1".to_string())]);
    Some(match token {
        "launchpad:index:StaticSite" => (map(&[("path", s("site"))]), aws),
        "launchpad:index:WebService" => (map(&[("image", s("ghcr.io/acme/api:1.4.2"))]), aws),
        "launchpad:index:CloudRunService" => (
            map(&[("image", s("us-docker.pkg.dev/acme/app/api:1.4.2"))]),
            BTreeMap::from([
                ("gcp:region".to_string(), "europe-west1".to_string()),
                ("gcp:project".to_string(), "acme-prod".to_string()),
            ]),
        ),
        "launchpad:index:NeonDatabase" => (PropertyMap::new(), BTreeMap::new()),
        "launchpad:index:KubernetesService" => (
            map(&[("image", s("ghcr.io/acme/api:1.4.2"))]),
            BTreeMap::new(),
        ),
        "launchpad:index:Function" => (
            map(&[
                ("path", s("dist")),
                ("runtime", s("nodejs24.x")),
                ("handler", s("index.handler")),
            ]),
            aws,
        ),
        _ => return None,
    })
}

/// One deployment: a fresh monitor, one untimed Construct, then `n` timed.
async fn deployment(
    component: &dyn Component,
    template: &ConstructCall,
    n: usize,
    point: &mut Point,
) -> Result<(), String> {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let env = ConstructEnv {
        program_directory: template.program_directory.clone(),
        log: Arc::new(RecordingLog::default()),
        monitors: Arc::default(),
    };
    let token = &template.token;
    let call = |name: String| ConstructCall {
        name,
        ..template.clone()
    };
    construct(component, monitor.request(&call("warm".into())), &env)
        .await
        .map_err(|e| format!("{token}: the first Construct failed: {e}"))?;
    let per_construct = monitor.registrations().len();
    let mut total = Duration::ZERO;
    for i in 0..n {
        let request = monitor.request(&call(format!("c{i}")));
        let started = Instant::now();
        construct(component, request, &env)
            .await
            .map_err(|e| format!("{token}: Construct {i} failed: {e}"))?;
        let took = started.elapsed();
        total += took;
        point.each.push(took);
    }
    let registered = monitor.registrations().len();
    if registered != per_construct * (n + 1) {
        return Err(format!(
            "{token}: {} Constructs registered {registered} resources, not {} ({per_construct} each)",
            n + 1,
            per_construct * (n + 1)
        ));
    }
    point.totals.push(total);
    Ok(())
}

fn median(values: &[Duration]) -> Duration {
    let mut v = values.to_vec();
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Nearest-rank p90, as bench/startup/run.py computes it.
fn p90(values: &[Duration]) -> Duration {
    let mut v = values.to_vec();
    v.sort();
    let rank = (values.len() * 9).div_ceil(10).max(1) - 1;
    v.get(rank).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

struct Options {
    sizes: Vec<usize>,
    reps: usize,
}

fn options() -> Result<Options, String> {
    let mut opts = Options {
        sizes: vec![1, 10, 100, 1000],
        reps: 5,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--sizes" => {
                opts.sizes = value
                    .split(',')
                    .map(|s| s.trim().parse::<usize>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("--sizes {value}: {e}"))?;
            }
            "--reps" => opts.reps = value.parse().map_err(|e| format!("--reps {value}: {e}"))?,
            _ => return Err(format!("unknown argument {arg} (--sizes 1,10,… --reps R)")),
        }
    }
    if opts.sizes.is_empty() || opts.sizes.contains(&0) || opts.reps == 0 {
        return Err("--sizes must list positive counts and --reps be at least 1".into());
    }
    Ok(opts)
}

async fn run(opts: &Options) -> Result<(), String> {
    let dir = program_directory().map_err(|e| format!("writing the tiny project: {e}"))?;
    let smallest = opts.sizes.iter().copied().min().unwrap_or(1);
    let largest = opts.sizes.iter().copied().max().unwrap_or(1);
    println!(
        "{:<18} {:>5} {:>11} {:>11} {:>11} {:>14}",
        "component", "N", "total ms", "median ms", "p90 ms", "per-comp. ms"
    );
    let mut json = Vec::new();
    let mut ratios = Vec::new();
    for component in package().components {
        let def = component.definition();
        let (inputs, config) = inputs_for(def.token)
            .ok_or(format!("{}: no inputs in construct_cost.rs", def.token))?;
        let template = ConstructCall {
            config,
            program_directory: Some(dir.clone()),
            ..ConstructCall::new(def.token, "c", inputs)
        };
        let short = def.token.rsplit(':').next().unwrap_or(def.token);
        let mut points = Vec::new();
        for &n in &opts.sizes {
            let mut point = Point {
                n,
                totals: Vec::new(),
                each: Vec::new(),
            };
            for _ in 0..opts.reps {
                deployment(component.as_ref(), &template, n, &mut point).await?;
            }
            println!(
                "{:<18} {:>5} {:>11.2} {:>11.3} {:>11.3} {:>14.3}",
                short,
                n,
                ms(point.total()),
                ms(median(&point.each)),
                ms(p90(&point.each)),
                ms(point.per_component())
            );
            points.push(point);
        }
        let at = |n: usize| points.iter().find(|p| p.n == n).map(Point::per_component);
        let ratio = match (at(largest), at(smallest)) {
            (Some(big), Some(small)) if !small.is_zero() => big.as_secs_f64() / small.as_secs_f64(),
            _ => f64::NAN,
        };
        ratios.push((short.to_string(), ratio));
        let rows: Vec<serde_json::Value> = points
            .iter()
            .map(|p| {
                serde_json::json!({
                    "n": p.n,
                    "total_ms": ms(p.total()),
                    "median_ms": ms(median(&p.each)),
                    "p90_ms": ms(p90(&p.each)),
                    "per_component_ms": ms(p.per_component()),
                })
            })
            .collect();
        json.push(serde_json::json!({
            "component": short,
            "points": rows,
            "flatness": ratio,
        }));
    }
    println!();
    println!("flatness: per-component time at N={largest} / at N={smallest} (goal <= 1.5)");
    for (name, ratio) in &ratios {
        println!("  {name:<18} {ratio:.2}");
    }
    println!(
        "{}",
        serde_json::json!({
            "reps": opts.reps,
            "sizes": opts.sizes,
            "goal_flatness": 1.5,
            "components": json,
        })
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let result = match options() {
        Ok(opts) => run(&opts).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("construct_cost: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
