#!/usr/bin/env python3
"""RELIABILITY.md: run the reliability suites that exist, count what they tried and what held.

`make reliability` runs this. Each entry of SUITES is one suite of issue 19: what it tries, in
words, and the command that runs it, a cargo test filter or a pytest selection. The counts come
from the suites' own output (cargo's `test ... ok` lines and `test result:` summary, pytest's
--junitxml), never from this script: the document says how many cases ran, which, and how many
passed. A suite issue 19 names that does not exist yet is an entry without a command, shown as
"not yet run"; adding a suite is adding its entry. A selection that matches no test fails the
run (a renamed test must not turn into a silent zero), and so does a failing case, after the
document is written.

    python3 tests/reliability/report.py [--out RELIABILITY.md] [--only NAME ...]

Python 3.11 standard library only (pytest comes from the e2e venv, as for `make test-e2e`).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
WORK = ROOT / "target" / "reliability"
PYTEST = ROOT / "target" / "e2e" / "venv" / "bin" / "pytest"
sys.path.insert(0, str(ROOT / "bench"))
import results  # noqa: E402  (bench/results.py: the machine facts both documents print)


@dataclass(frozen=True)
class Cargo:
    """`cargo test -p PACKAGE [TARGET...] -- FILTER`: the tests whose path contains FILTER; IGNORED
    adds the tests marked #[ignore] (a suite `make test` leaves out, as the memory one)."""
    package: str
    filter: str
    target: tuple[str, ...] = ()
    ignored: bool = False

    def argv(self) -> list[str]:
        return ["cargo", "test", "-p", self.package, *self.target, "--", self.filter,
                *(["--include-ignored"] if self.ignored else [])]


@dataclass(frozen=True)
class Pytest:
    """`pytest PATH -k EXPRESSION`, counted from its JUnit XML, with ENV added to the environment
    (a suite `make test` leaves out, as the scale one, runs only when its variable is set)."""
    path: str
    expression: str = ""
    env: tuple[tuple[str, str], ...] = ()

    def argv(self, xml: Path) -> list[str]:
        select = ["-k", self.expression] if self.expression else []
        # xunit1: the JUnit flavour whose <properties> pytest's `record_property` writes without a warning.
        return [str(PYTEST), self.path, *select, "-q", "-p", "no:cacheprovider", "-o", "junit_family=xunit1",
                f"--junitxml={xml}"]


@dataclass(frozen=True)
class Suite:
    name: str
    tried: str  # what the cases are, for a reader who has not seen the tests
    run: Cargo | Pytest | None  # None: issue 19 asks for it and it does not exist yet


SUITES = [
    Suite("malformed resource IDs",
          "every native resource (NeonProject, NeonBranch, SiteContent) given IDs not of its form, on Diff, "
          "Read, Update and Delete over real gRPC: INVALID_ARGUMENT naming the ID, its form and the type",
          Cargo("pulumi-resource-launchpad", "resource_ids::", ("--test", "it"))),
    Suite("concurrent Construct isolation",
          "50 StaticSite Constructs at once on one plugin, every fifth with a bad input of its own: each bad "
          "one fails naming its value, each good one registers exactly the children of a site alone",
          Cargo("pulumi-resource-launchpad", "construct_isolation::", ("--test", "it"))),
    Suite("engine link",
          "the plugin's engine (monitor address) goes away: the plugin exits within 1 s and leaves no "
          "process of its group behind",
          Cargo("pulumi-resource-launchpad", "launch::the_plugin_exits_when_its_engine_is_gone",
                ("--test", "it"))),
    Suite("Neon API faults (client)",
          "the Neon client against a mock server: 423 Locked, 429 with Retry-After, 500 then 503, a lost "
          "answer or connection reset on create (nothing created twice), a malformed body, failed and "
          "never-ending operations, cancel during a poll, 401 and other 4xx, and the key never shown",
          Cargo("launchpad-neon", "client_tests::")),
    Suite("secrets at trace level",
          "previews of examples with secrets planted (config secret, secret literal) at LAUNCHPAD_LOG=trace "
          "and `pulumi -v=9 --logtostderr`, and a Neon database `up` against the fake Neon: no plaintext "
          "in logs, CLI output, exported state or error messages",
          Pytest("tests/e2e/test_secrets_trace.py")),
    Suite("site sync faults (moto)",
          "SiteContent deploys against moto with injected faults: throttling retried, a deploy failing part "
          "way then finished by the next, a failed invalidation owed and made by the next deploy",
          Pytest("tests/e2e/test_site_content.py",
                 "throttling or fails_part_way or invalidation_that_fails")),
    Suite("fuzzing corpus replay (cargo-fuzz targets on stable)",
          "every seed of fuzz/corpus (the examples' inputs, SiteContent's and the Neon resources' inputs, "
          "the Neon client tests' answers) and every crash kept in fuzz/regressions, through the bodies of "
          "the five fuzz targets: the Struct <-> Value codec (no panic, round trip holds), each component's "
          "decoding and plan and each native resource's Check (a valid plan or a catalogue refusal), every "
          "Neon API envelope, the site manifest and its cache-control rules. `make fuzz` (nightly, not "
          "counted here) adds libFuzzer's mutations for FUZZ_SECONDS per target and keeps any crash in "
          "fuzz/regressions, so it is replayed here from then on",
          Cargo("launchpad-fuzz-bodies", "replays_", ("--test", "replay"))),
    Suite("Neon fault matrix through the CLI",
          "the fake Neon API dies mid-operation, answers 500 for a minute, 423 during create, a malformed "
          "body; Ctrl-C during a poll; afterwards nothing created twice, orphaned or lost from state",
          Pytest("tests/e2e/test_neon_faults.py")),
    Suite("site sync faults against a real S3 server",
          "`pulumi up` of SiteContent (300 small files in nested folders, one 17 MiB multipart file) into "
          "versitygw through a fault proxy: connections closed or reset with no answer during a first up (the "
          "first 30 uploads, then every 10th, a multipart part); one page's upload failing every attempt in a "
          "first up; a new file whose answers are all lost after the server stored it and another the same "
          "failed up sent, both then removed from the folder; 503 SlowDown to every upload for 1 s and for 5 s; the server SIGKILLed during an update's "
          "multipart upload and restarted on its folder and port; a delete phase with DeleteObjects answers lost "
          "and slowed down, and one whose deletes fail every attempt. A faulted up either completes or fails "
          "naming the file, and the next finishes: every key equal to its file byte for byte, no stray key or "
          "unfinished multipart upload, `preview --expect-no-changes`, then one changed and one deleted file "
          "applied with exactly one PUT and one delete",
          Pytest("tests/e2e/test_site_sync_faults_versitygw.py", env=(("LAUNCHPAD_S3_FAULTS", "1"),))),
    Suite("memory of Constructs in flight",
          "two waves of 500 Constructs (Function, CloudRunService, WebService in turn) sent at once to one "
          "plugin, a fake engine holding every answer until all 500 are in flight: each Construct in flight "
          "adds at most 128 KiB to the plugin's peak RSS, and the second wave raises the peak by at most a "
          "tenth of what the first did (nothing kept per component once its Construct answered)",
          Cargo("pulumi-resource-launchpad", "construct_memory::", ("--test", "it"), ignored=True)),
    Suite("500 components",
          "500 components in one stack (Function, CloudRunService, WebService in turn), preview, `up` and "
          "`preview --expect-no-changes` against the stand-ins through the CLI: the plugin's peak RSS at 500 "
          "at most 128 KiB per component above that at 50 (the engine sends all 500 Constructs at once and "
          "each holds its plan and its children's calls until answered, so the peak grows with N; see the "
          "suite above for nothing being kept), and every component registers exactly the children of its "
          "kind alone",
          Pytest("tests/e2e/test_scale.py", env=(("LAUNCHPAD_SCALE", "1"),))),
]


@dataclass
class Outcome:
    """What one suite's own output says: each case and its verdict, and the command."""
    command: str
    cases: dict[str, str] = field(default_factory=dict)  # name -> passed | failed | known bug | skipped
    # What a case measured and recorded itself (pytest's `record_property`: the scale suite's
    # phase times and peak RSS), as (case, name, value), in the order recorded.
    figures: list[tuple[str, str, str]] = field(default_factory=list)
    error: str = ""  # the suite did not run to a count (a build failure, no test selected)

    def count(self, verdict: str) -> int:
        return sum(1 for v in self.cases.values() if v == verdict)


CARGO_CASE = re.compile(r"^test (\S+) \.\.\. (ok|FAILED|ignored)", re.M)
CARGO_SUMMARY = re.compile(r"^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", re.M)


def run_cargo(suite: Cargo) -> Outcome:
    argv = suite.argv()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    out = Outcome(shlex.join(argv))
    verdicts = {"ok": "passed", "FAILED": "failed", "ignored": "skipped"}
    out.cases = {name: verdicts[v] for name, v in CARGO_CASE.findall(proc.stdout)}
    summaries = [tuple(map(int, m)) for m in CARGO_SUMMARY.findall(proc.stdout)]
    summed = tuple(sum(col) for col in zip(*summaries)) if summaries else (0, 0, 0)
    if summed != (out.count("passed"), out.count("failed"), out.count("skipped")):
        out.error = f"cargo's summary {summed} does not match its {len(out.cases)} test lines"
    if proc.returncode != 0 and not out.count("failed"):
        out.error = f"cargo test exited {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}"
    return out


def run_pytest(suite: Pytest, name: str) -> Outcome:
    xml = WORK / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".xml")
    xml.unlink(missing_ok=True)
    argv = suite.argv(xml)
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **dict(suite.env)})
    shown = shlex.join([f"{k}={v}" for k, v in suite.env] + argv[:-1]).replace(str(ROOT) + "/", "")
    out = Outcome(shown)
    if not xml.exists():
        out.error = f"pytest exited {proc.returncode} without a report: {proc.stdout.strip().splitlines()[-1:]}"
        return out
    for case in ET.parse(xml).getroot().iter("testcase"):
        verdict = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                verdict = "failed"
            elif child.tag == "skipped":
                # A strict xfail that failed as it names: a bug found and not fixed yet, not a skip.
                verdict = "known bug" if child.get("type") == "pytest.xfail" else "skipped"
        out.cases[case.get("name", "?")] = verdict
        out.figures += [(case.get("name", "?"), prop.get("name", "?"), prop.get("value", ""))
                        for prop in case.iter("property")]
    return out


def run(suite: Suite) -> Outcome | None:
    if suite.run is None:
        return None
    print(f"reliability: {suite.name} ...", flush=True)
    out = run_cargo(suite.run) if isinstance(suite.run, Cargo) else run_pytest(suite.run, suite.name)
    if not out.cases and not out.error:
        out.error = "the selection matched no test (renamed or removed?)"
    print(f"  {out.count('passed')} passed, {out.count('failed')} failed, {out.count('known bug')} known bugs, "
          f"{out.count('skipped')} skipped"
          f"{'; ' + out.error if out.error else ''}", flush=True)
    return out


def render(outcomes: list[tuple[Suite, Outcome | None]], load_start: str) -> str:
    m = results.machine(load_start)
    lines = [
        "# Reliability",
        "",
        "Generated by `make reliability` (`tests/reliability/report.py`): do not edit by hand. Each row is",
        "a suite of issue 19; its counts are from the suite's own output (cargo's test lines, pytest's",
        "JUnit XML). \"Not yet run\" is a suite the issue asks for that does not exist yet.",
        "",
        f"- **Run:** {m['date']}, commit {m['commit']}, on {m['cpu']} ({m['cores']} cores), Linux {m['kernel']}",
        f"- **Tools:** {m['tools']['rustc']}, pulumi {m['tools']['pulumi']}, node {m['tools']['node']}, "
        f"python {m['tools']['python']}",
        "",
        "| suite | what was tried | cases | passed | failed | known bugs (strict xfail) | skipped |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for suite, out in outcomes:
        if out is None:
            missing = "not yet run" if suite.run is None else "not run this time (--only)"
            lines.append(f"| {suite.name} | {suite.tried} | {missing} | | | | |")
        else:
            failed = out.count("failed")
            lines.append(f"| {suite.name} | {suite.tried} | {len(out.cases)} | {out.count('passed')} | "
                         f"{f'**{failed}**' if failed else failed} | {out.count('known bug')} | "
                         f"{out.count('skipped')} |")
    for suite, out in outcomes:
        if out is None:
            continue
        lines += ["", f"## {suite.name}", "", f"`{out.command}`", ""]
        if out.error:
            lines += [f"**Did not run to a count:** {out.error}", ""]
        lines += [f"- {name}: {verdict}" for name, verdict in sorted(out.cases.items())]
        if out.figures:
            lines += ["", "| case | measured | value |", "|---|---|---:|"]
            lines += [f"| {case} | {name} | {value} |" for case, name, value in out.figures]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "RELIABILITY.md", help="where to write (default RELIABILITY.md)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these suites (the others show as not run)")
    args = ap.parse_args()
    unknown = set(args.only or []) - {s.name for s in SUITES}
    if unknown:
        ap.error(f"no suite named {sorted(unknown)}; the suites are {[s.name for s in SUITES]}")
    WORK.mkdir(parents=True, exist_ok=True)
    load_start = results.load_average()
    outcomes = [(s, run(s) if not args.only or s.name in args.only else None) for s in SUITES]
    args.out.write_text(render(outcomes, load_start))
    print(f"wrote {args.out}")
    broken = [s.name for s, out in outcomes if out and (out.error or out.count("failed"))]
    if broken:
        print(f"reliability: did not hold: {', '.join(broken)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
