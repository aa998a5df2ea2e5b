"""Ctrl-C during a preview, through the real `pulumi` CLI and our language hosts:
the engine cancels the program (the host sends it SIGINT), and the program ends
without an interpreter dump, in Python as in TypeScript. The same signal ends a
Python program after a refused input (test_web_service.py), where the timing
decides whether it arrives; here it always does.

The programs (tests/e2e/programs/cancel-py, cancel-ts) write a file once they run,
then wait. cancel-py-own-rpc fails with a gRPC error of its own, which must not
pass for the engine ending the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

import harness

PROGRAMS = {
    "py": (harness.ROOT / "tests" / "e2e" / "programs" / "cancel-py", harness.ROOT / "examples" / "web-service-py"),
    "ts": (harness.ROOT / "tests" / "e2e" / "programs" / "cancel-ts", harness.ROOT / "examples" / "static-site-ts"),
}
OWN_RPC = harness.ROOT / "tests" / "e2e" / "programs" / "cancel-py-own-rpc"
STARTED_WITHIN = 120.0  # seconds: the CLI, the host and the interpreter start on a busy machine
ENDED_WITHIN = 60.0  # seconds after Ctrl-C


@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_ctrl_c_ends_a_running_program_without_a_traceback(language, tmp_path, env):
    program, dependencies = PROGRAMS[language]
    project = harness.copy_program(program, tmp_path, dependencies)
    harness.select_stack(project, "test", env)
    started = tmp_path / "started"
    proc = subprocess.Popen(
        ["pulumi", "preview", "--non-interactive"],
        cwd=project,
        env={**env, "LAUNCHPAD_TEST_STARTED": str(started)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Its own group: the Ctrl-C below goes to the CLI alone, as the engine's Cancel then reaches the program.
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTED_WITHIN
        while not started.exists():
            assert proc.poll() is None, f"pulumi ended before the program started:\n{proc.communicate()}"
            assert time.monotonic() < deadline, "the program did not start"
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=ENDED_WITHIN)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    output = out + err
    assert proc.returncode != 0, output
    assert "cancel" in output.lower(), output  # the CLI says the run was cancelled
    for noise in ("Traceback", "KeyboardInterrupt", "lost sys.stderr", "object type name"):
        assert noise not in output, output


def test_a_programs_own_unavailable_rpc_is_reported_as_its_failure(tmp_path, env):
    """The host leaves quietly when the SDK's RPCs to the engine fail because the
    run has ended; the same status from a gRPC service the program calls itself
    is the program's failure, and the user reads it."""
    project = harness.copy_program(OWN_RPC, tmp_path, PROGRAMS["py"][1])
    harness.select_stack(project, "test", env)
    proc = harness.pulumi(["preview"], project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "Program failed with an unhandled exception" in output, output
    assert "StatusCode.UNAVAILABLE" in output, output
