"""The stand-ins' rules reach a real `pulumi preview`: the harness starts them
with --strict-types, and Check refuses a value outside a property's value set.
One program, tests/e2e/programs/standin-rules-ts, registers a single aws
resource whose inputs come from stack config, as given."""

from __future__ import annotations

import json

import pytest

import harness

PROGRAM = harness.ROOT / "tests" / "e2e" / "programs" / "standin-rules-ts"
# The program needs only @pulumi/pulumi, which the TypeScript example has.
DEPENDENCIES = harness.ROOT / "examples" / "static-site-ts"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
VALID = {"port": 8080, "protocol": "HTTP", "targetType": "ip", "vpcId": "vpc-0123abcd"}


def preview(tmp_path, env, stack: str, inputs: dict):
    project = harness.copy_program(PROGRAM, tmp_path, DEPENDENCIES)
    harness.select_stack(project, stack, env)
    harness.pulumi(
        ["config", "set-all", "--plaintext", f"token={TARGET_GROUP}", "--plaintext", f"inputs={json.dumps(inputs)}"],
        project,
        env,
    )
    return harness.pulumi(["preview"], project, env, check=False)


def test_valid_inputs_preview(tmp_path, env):
    proc = preview(tmp_path, env, "valid", VALID)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "change, property, reason",
    [
        # The real provider would coerce it; ours must send the schema's type.
        ({"port": "8080"}, "port", '"8080" given for a number property (the bridge would coerce it)'),
        ({"targetType": "ips"}, "targetType", '"ips" is not a value the service takes; valid: "alb", "instance", "ip", "lambda"'),
    ],
)
def test_preview_fails_naming_the_property(tmp_path, env, change, property, reason):
    proc = preview(tmp_path, env, "refused", {**VALID, **change})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert property in output and reason in output, output
