#!/usr/bin/env python3
"""Construct-cost benchmark: what one Construct of each component costs at N = 1, 10, 100, 1,000.

`make bench` runs this. It builds the `construct_cost` driver in release mode
(provider/components/examples/construct_cost.rs) and runs it: for each component
(StaticSite with a one-page folder, WebService, CloudRunService, NeonDatabase,
KubernetesService, Function with a one-file bundle), N Constructs one after
another through the real `construct()` against the in-process fake resource
monitor, one monitor connection per deployment as in the plugin. It prints per
component and N the total, the per-Construct median and p90 and the
per-component time (total / N), then the flatness ratio, per-component time at
the largest N over that at N=1 (goal <= 1.5: a deployment of a thousand
components must not make each one dearer), as a table, then the result line of
bench/results.py (the driver's own JSON line, `components`, inside it). There
is no peer: nothing else constructs our components. No thresholds: it exits 0
unless a Construct fails or registers other than its first did. Python 3.11
standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
import cargo_example  # noqa: E402  (bench/cargo_example.py: --debug / --no-build and the driver)
import results  # noqa: E402  (bench/results.py: the result line every benchmark prints last)


def result_line(driver_json: dict, args: argparse.Namespace, load_start: str) -> None:
    """The driver's figures as bench/results.py's result line: launchpad's only (no peer); the
    flatness goal stands beside them."""
    metrics, figures = [], {}
    for component in driver_json["components"]:
        name = component["component"]
        for point in component["points"]:
            key = f"{name} N={point['n']} per-component"
            metrics.append(results.Metric(key, f"{name}, N={point['n']:,}: per component", "ms", None))
            figures[key] = point["per_component_ms"]
        metrics.append(results.Metric(f"{name} flatness", f"{name}: flatness (N={max(driver_json['sizes']):,} / "
                                      f"N={min(driver_json['sizes'])})", "ratio", None))
        figures[f"{name} flatness"] = component["flatness"]
    results.emit("construct-cost", "Construct cost: N Constructs of each component against the fake monitor",
                 debug=args.debug, load_start=load_start, params={"sizes": args.sizes, "reps": args.reps},
                 metrics=metrics, peers={results.REFERENCE: figures}, **driver_json)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,10,100,1000", help="the N to measure (default 1,10,100,1000)")
    ap.add_argument("--reps", type=int, default=5, help="deployments per point; medians over them (default 5)")
    cargo_example.add_options(ap)
    args = ap.parse_args()
    driver = cargo_example.driver(args, "launchpad-components", "construct_cost")
    load = results.load_average()
    print(f"construct-cost: sizes {args.sizes}, {args.reps} deployments per point; {os.cpu_count()} CPUs, "
          f"load average {load}; {time.strftime('%Y-%m-%d')}; driver {driver.relative_to(ROOT)}", flush=True)
    proc = subprocess.run([str(driver), "--sizes", args.sizes, "--reps", str(args.reps)], cwd=ROOT,
                          stdout=subprocess.PIPE, text=True)
    lines = proc.stdout.splitlines()
    print("\n".join(lines[:-1]), flush=True)  # the table; the driver's JSON line goes into the result line
    if proc.returncode != 0 or not lines:
        return proc.returncode or 1
    result_line(json.loads(lines[-1]), args, load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
