"""Says it has started, then waits: tests/e2e/test_cancel.py cancels the run."""

import os
import time

import pulumi

pulumi.export("started", True)
open(os.environ["LAUNCHPAD_TEST_STARTED"], "w").close()
time.sleep(600)
