// Says it has started, then waits: tests/e2e/test_cancel.py cancels the run.
import * as fs from "fs";

fs.writeFileSync(process.env.LAUNCHPAD_TEST_STARTED!, "");
// An output the SDK awaits, held open by a timer the test never lets fire.
export const done = new Promise<boolean>(resolve => setTimeout(() => resolve(true), 600_000));
