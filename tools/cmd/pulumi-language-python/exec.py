"""Run a Pulumi Python program for launchpad's pulumi-language-python host.

The host starts `python <this file> [flags] PROGRAM [ARGS...]` with the
interpreter of the project's virtualenv. We configure the `pulumi` SDK's
runtime (monitor, engine, project, stack, ...), load config from the
PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS environment variables, then execute
the program (a directory's __main__.py, or a file) inside the stack resource.

Exit codes: 0 success, 32 "the error was already reported to the engine"
(the host then just fails the update), anything else a plain failure.

Where the engine ends a run itself (a component's Construct refused its
inputs, the user pressed Ctrl-C), it reports why, shuts the resource monitor
down and cancels the program: the host sends SIGINT. The program then leaves
quietly, as a Node.js program does, instead of adding an interpreter dump to
the engine's message (upstream's exec script leaves Python's defaults, which
print a KeyboardInterrupt traceback, or "lost sys.stderr" during shutdown,
and report the monitor's shutdown as the program's own failure).
"""

import argparse
import asyncio
import inspect
import logging
import os
import runpy
import signal
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor

REPORTED = 32


def leave_when_cancelled(signum, frame):  # noqa: ARG001
    """SIGINT: the engine has cancelled the run and says why itself. Leave at
    once: a KeyboardInterrupt would surface wherever the program is (inside
    the SDK, in asyncio, during interpreter shutdown) with its traceback. A
    program that wants to clean up installs its own handler, which replaces
    this one, and gets the signal as upstream's hosts deliver it."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # gone or closed: nothing left to keep
            pass
    os._exit(REPORTED)


# Before the SDK's imports, which take long enough for a Cancel to arrive.
signal.signal(signal.SIGINT, leave_when_cancelled)

try:
    import grpc
    import pulumi
    import pulumi.runtime
except ImportError:
    # Printed text reaches the user through the engine.
    traceback.print_exc()
    print(
        "The pulumi Python SDK is not installed for this interpreter "
        f"({sys.executable}); install the project's requirements into its virtualenv.",
        file=sys.stderr,
    )
    sys.exit(1)


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="pulumi-language-python-exec")
    for flag in ("monitor", "engine", "project", "stack", "organization",
                 "root_directory", "pwd", "parallel", "dry_run", "tracing"):
        ap.add_argument("--" + flag)
    ap.add_argument("program")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    return ap.parse_args(argv)


def configure(ns):
    """Load config from the environment and point the SDK at the engine."""
    config = pulumi.runtime.get_config_env()
    if hasattr(pulumi.runtime, "set_all_config"):
        pulumi.runtime.set_all_config(config, pulumi.runtime.get_config_secret_keys_env())
    else:
        for key, value in config.items():
            pulumi.runtime.set_config(key, value)

    wanted = {
        "monitor": ns.monitor,
        "engine": ns.engine,
        "project": ns.project,
        "stack": ns.stack,
        "organization": ns.organization,
        "root_directory": ns.root_directory,
        "parallel": int(ns.parallel or 0),
        "dry_run": ns.dry_run == "true",
    }
    # Older SDKs lack some Settings parameters: pass only the ones it accepts.
    accepted = inspect.signature(pulumi.runtime.Settings.__init__).parameters
    settings = pulumi.runtime.Settings(**{k: v for k, v in wanted.items() if k in accepted})
    pulumi.runtime.configure(settings)
    return settings


def main(argv):
    ns = parse_args(argv)
    settings = configure(ns)

    sys.argv = [ns.program] + ns.args
    if ns.pwd:
        os.chdir(ns.pwd)
    program = os.path.abspath(ns.program)
    if os.path.isdir(program) and not os.path.exists(os.path.join(program, "__main__.py")):
        pulumi.log.error(f"no __main__.py in the Python program directory {program}")
        return REPORTED
    # runpy puts the program's own directory first on sys.path, as `python dir` would.

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # The SDK runs blocking work in the default executor; size it from --parallel.
    executor = ThreadPoolExecutor(max_workers=max(settings.parallel or 1, 1) * 4)
    loop.set_default_executor(executor)
    # Futures left unobserved after a failure are expected; keep asyncio quiet about them.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)

    code = 1
    try:
        loop.run_until_complete(
            pulumi.runtime.run_in_stack(lambda: runpy.run_path(program, run_name="__main__"))
        )
        code = 0
    except Exception as err:  # noqa: BLE001 - any failure of the user's program is reported
        if monitor_shut_down(err):
            # Not the program's failure: the engine ended the run and reported why.
            code = REPORTED
        elif isinstance(err, pulumi.RunError):
            pulumi.log.error(str(err))
        else:
            pulumi.log.error("Program failed with an unhandled exception:\n" + user_traceback(program))
            code = REPORTED
    finally:
        executor.shutdown(wait=True)
        loop.close()
        sys.stdout.flush()
        sys.stderr.flush()
    return code


def monitor_shut_down(err):
    """Whether ERR comes from an RPC the SDK made to the engine, refused because
    the engine has ended the run: UNAVAILABLE or CANCELLED (as the Node.js SDK
    tells them), or the UNKNOWN "resource monitor shut down" it answers a
    RegisterResource whose Construct failed, after reporting the failure itself
    (pkg/resource/deploy/source_eval.go). The SDK raises its own exception with
    the RPC error as the cause or context. An RPC of the program's own (a gRPC
    service it calls) failing so is the program's failure, reported as such."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, grpc.RpcError) and hasattr(err, "code") and called_by_the_sdk(err):
            if err.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED):
                return True
            if (err.details() or "").startswith("resource monitor shut down"):
                return True
        err = err.__cause__ or err.__context__
    return False


PULUMI_DIR = os.path.dirname(pulumi.__file__) + os.sep
GRPC_DIR = os.path.dirname(grpc.__file__) + os.sep


def called_by_the_sdk(rpc_error):
    """Whether the frame that called into grpc for RPC_ERROR is the pulumi SDK's."""
    callers = [f.filename for f in traceback.extract_tb(rpc_error.__traceback__)
               if not f.filename.startswith(GRPC_DIR)]
    return bool(callers) and callers[-1].startswith(PULUMI_DIR)


def user_traceback(program):
    """The traceback from the first frame in the user's program on (the runner's frames are noise)."""
    frames = traceback.extract_tb(sys.exc_info()[2])
    root = (program if os.path.isdir(program) else os.path.dirname(program)) + os.sep
    for i, frame in enumerate(frames):
        if frame.filename.startswith("<"):  # e.g. "<frozen runpy>"
            continue
        path = os.path.abspath(frame.filename)
        # A virtualenv may live inside the program directory: its files are not the user's.
        if path.startswith(root) and not path.startswith(sys.prefix + os.sep):
            return traceback.format_exc(limit=-(len(frames) - i))
    return traceback.format_exc()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
