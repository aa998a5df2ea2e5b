"""The result line every benchmark prints last, and the goals its figures are held to.

Each bench/*/run.py ends by calling `emit`: one JSON object on one line, the last thing it
prints, which bench/report.py renders into BENCHMARKS.md. The object is the same shape for
every benchmark so that a new peer is one more key and the renderer needs no change:

    {"benchmark": "startup", "title": ..., "debug": false, "params": {"runs": 30},
     "machine": {...}, "metrics": [{"key": ..., "label": ..., "unit": "ms"}, ...],
     "reference": "launchpad", "peers": {"launchpad": {key: figure}, "node": {...}},
     "ratios": {"node": {key: node / launchpad}}, "goals": [...], ...benchmark's own keys}

`machine` is where and on what it ran (CPU, RAM, kernel, load, date, commit, tools/versions.env,
the toolchains' versions). With LAUNCHPAD_BENCH_RESULTS set to a folder (`make bench` sets it),
the same object is also written there as <benchmark>.json. The goals are issue 19's, kept here
once: `emit` evaluates them into the line and the renderer lists the ones nothing measured.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR_ENV = "LAUNCHPAD_BENCH_RESULTS"
REFERENCE = "launchpad"
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
import harness  # noqa: E402  (tests/e2e/harness.py: versions() reads tools/versions.env)


# ---------------------------------------------------------------- where it ran


def positive(text: str) -> int:
    """An argparse type for the benchmarks' counts: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def process_cpu_s(pids: list[int]) -> float:
    """CPU seconds (user + system) the running processes PIDS have used so far, from
    /proc/PID/stat (utime and stime, its 14th and 15th fields, in clock ticks; the 2nd, the
    command in parentheses, may hold spaces, so they are counted from the last ')'). A process
    gone already counts nothing."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def children_cpu_s() -> float:
    """CPU seconds (user + system) of this process's children that have exited and been waited for."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def rotated(items: list, n: int) -> list:
    """ITEMS in round N's order: each round starts one further along, so that what the machine
    does meanwhile (a warm cache, a server still writing back) falls on each peer in turn."""
    k = n % len(items)
    return items[k:] + items[:k]


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _first_line(argv: list[str]) -> str | None:
    """A tool's version line, or None when the tool is not installed (the renderer says so)."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd=ROOT)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0] if proc.returncode == 0 and lines else None


def _proc_field(path: str, name: str) -> str | None:
    try:
        with open(path) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == name:
                    return value.strip()
    except OSError:
        pass
    return None


def machine(load_start: str) -> dict:
    """The run's circumstances. LOAD_START is the load average the benchmark saw as it started
    (it is the figure that explains a noisy result), the end's is read now."""
    mem_kib = _proc_field("/proc/meminfo", "MemTotal")
    commit = _first_line(["git", "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=ROOT).returncode != 0 if commit else False
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": round(int(mem_kib.split()[0]) / 2**20, 1) if mem_kib else None,
        "kernel": platform.release(),
        "load_start": load_start,
        "load_end": load_average(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": f"{commit}{' (uncommitted changes)' if dirty else ''}" if commit else None,
        "versions": harness.versions(),
        "tools": {
            "rustc": _first_line(["rustc", "--version"]),
            "node": _first_line(["node", "--version"]),
            "go": _first_line(["go", "version"]),
            "python": platform.python_version(),
            "pulumi": _first_line([str(ROOT / "tools" / "bin" / "pulumi"), "version"]),
        },
    }


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Metric:
    """One row of a benchmark's table: KEY in every peer's figures, shown as LABEL in UNIT
    (ms, s, MiB, requests, ratio). LOWER_IS_BETTER says which way the peer / launchpad ratio
    favours us; None when a ratio means nothing (a count both must match)."""
    key: str
    label: str
    unit: str
    lower_is_better: bool | None = True

    def as_json(self) -> dict:
        return {"key": self.key, "label": self.label, "unit": self.unit, "lower_is_better": self.lower_is_better}


def ratios(metrics: list[Metric], peers: dict[str, dict]) -> dict[str, dict[str, float]]:
    """Every other peer's figure over launchpad's, per metric that has a direction."""
    ours = peers.get(REFERENCE, {})
    out: dict[str, dict[str, float]] = {}
    for peer, figures in peers.items():
        if peer == REFERENCE:
            continue
        out[peer] = {m.key: figures[m.key] / ours[m.key] for m in metrics
                     if m.lower_is_better is not None and isinstance(figures.get(m.key), (int, float))
                     and isinstance(ours.get(m.key), (int, float)) and ours[m.key] > 0}
    return out


# ---------------------------------------------------------------- goals (issue 19)


@dataclass(frozen=True)
class Goal:
    """A target one benchmark's result is held to. MEASURE returns the figure from a result line,
    or None when that run did not measure it (a size not run, a peer not present)."""
    benchmark: str
    what: str
    target: str  # as the document prints it, e.g. "<= 1.5"
    holds: Callable[[float], bool]
    measure: Callable[[dict], float | None]
    unit: str = ""
    metric: str | None = None  # the row of the benchmark's table it holds, if it is one


def _figure(result: dict, peer: str, key: str) -> float | None:
    value = result.get("peers", {}).get(peer, {}).get(key)
    return value if isinstance(value, (int, float)) else None


def _noop_at(files: int) -> Callable[[dict], float | None]:
    """launchpad's timed no-op of a site-sync result's `--noop-files` site, only at FILES files."""
    return lambda r: (r.get("noop") or {}).get("seconds") if (r.get("noop") or {}).get("files") == files else None


def _at_files(files: int, figure: Callable[[dict], float | None]) -> Callable[[dict], float | None]:
    """FIGURE of a site-sync result, only from a run of FILES files."""
    return lambda r: figure(r) if r.get("files") == files else None


def _ratio(peer: str, key: str) -> Callable[[dict], float | None]:
    """PEER's figure over launchpad's, as `emit` computed it."""
    return lambda r: r.get("ratios", {}).get(peer, {}).get(key)


def _inverse(figure: Callable[[dict], float | None]) -> Callable[[dict], float | None]:
    """launchpad's figure over a peer's, from the peer's over launchpad's."""
    def measure(result: dict) -> float | None:
        value = figure(result)
        return 1 / value if value else None
    return measure


def _flatness(component: str) -> Callable[[dict], float | None]:
    def measure(result: dict) -> float | None:
        if 1000 not in result.get("sizes", []):
            return None  # the goal is about N=1,000; a smoke run's N=10 says nothing
        return _figure(result, REFERENCE, f"{component} flatness")
    return measure


CONSTRUCT_COMPONENTS = ("StaticSite", "WebService", "CloudRunService", "NeonDatabase", "KubernetesService",
                        "Function")

GOALS: list[Goal] = [
    *(Goal("construct-cost", f"{c}: per-component time at N=1,000 / at N=1", "<= 1.5", lambda v: v <= 1.5,
           _flatness(c), metric=f"{c} flatness") for c in CONSTRUCT_COMPONENTS),
    Goal("site-sync", "first sync of 10,000 files: rclone's wall time / launchpad's", ">= 2x",
         lambda v: v >= 2.0, _at_files(10_000, _ratio("rclone", "first sync wall")), "x"),
    Goal("site-sync", "first sync of 10,000 files: launchpad's wall time / the server's ingest limit "
         "(a trivial parallel PUT loop, peer `ingest`)", "<= 1.5x", lambda v: v <= 1.5,
         _at_files(10_000, _inverse(_ratio("ingest", "first sync wall"))), "x"),
    Goal("site-sync", "no-change resync of 10,000 files: launchpad's wall time", "<= 0.2 s", lambda v: v <= 0.2,
         _at_files(10_000, lambda r: _figure(r, REFERENCE, "no-change resync wall")), "s"),
    Goal("site-sync", "no-change resync of 100,000 files: launchpad's wall time (`--noop-files 100000`)", "< 2 s",
         lambda v: v < 2.0, _noop_at(100_000), "s"),
]


def evaluate(goal: Goal, result: dict) -> dict:
    value = goal.measure(result)
    return {"what": goal.what, "target": goal.target, "unit": goal.unit, "metric": goal.metric, "measured": value,
            "held": None if value is None else goal.holds(value)}


# ---------------------------------------------------------------- the line


def emit(benchmark: str, title: str, *, debug: bool, load_start: str, params: dict, metrics: list[Metric],
         peers: dict[str, dict], variant: str = "", variant_label: str = "", variant_note: str = "",
         **own) -> dict:
    """Print the result line (the last thing the benchmark prints) and, under `make bench`, write
    it to $LAUNCHPAD_BENCH_RESULTS/<benchmark><variant>.json (VARIANT tells apart two runs of one
    benchmark in one `make bench`, e.g. two site sizes). With VARIANT_LABEL, the run is the same
    measurement as the benchmark's run without VARIANT, under one changed condition (e.g.
    PULUMI_SKIP_CHECKPOINTS=true): the line says so in `variant` (name, label, VARIANT_NOTE on what
    the difference means), and bench/report.py shows the two side by side. OWN is the benchmark's
    own keys (site-sync's `files` and `results`, construct-cost's `components`), kept as they were."""
    result = {
        "benchmark": benchmark, "title": title, "debug": debug, "params": params,
        "machine": machine(load_start), "metrics": [m.as_json() for m in metrics], "reference": REFERENCE,
        "peers": peers, "ratios": ratios(metrics, peers), **own,
    }
    if variant_label:
        result["variant"] = {"name": variant, "label": variant_label, "note": variant_note}
    result["goals"] = [evaluate(g, result) for g in GOALS if g.benchmark == benchmark]
    for goal in result["goals"]:
        verdict = "not measured by this run" if goal["held"] is None else "held" if goal["held"] else "NOT held"
        figure = "" if goal["measured"] is None else f"{goal['measured']:.2f}{goal['unit']}: "
        print(f"goal: {goal['what']} {goal['target']}: {figure}{verdict}" + (" (debug build)" if debug else ""))
    line = json.dumps(result)
    folder = os.environ.get(RESULTS_DIR_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{benchmark}{variant}.json").write_text(line + "\n")
    sys.stdout.flush()
    print(line, flush=True)
    return result
