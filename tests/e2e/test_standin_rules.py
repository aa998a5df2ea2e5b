"""The stand-ins' rules reach a real `pulumi preview`: the harness starts them
with --strict-types, and Check refuses a value outside a property's value set.
One program, tests/e2e/programs/standin-rules-ts, registers a single aws
resource whose type and inputs come from stack config, as given."""

from __future__ import annotations

import json

import pytest

import harness

PROGRAM = harness.ROOT / "tests" / "e2e" / "programs" / "standin-rules-ts"
# The program needs only @pulumi/pulumi, which the TypeScript example has.
DEPENDENCIES = harness.ROOT / "examples" / "static-site-ts"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
VALID = {"port": 8080, "protocol": "HTTP", "targetType": "ip", "vpcId": "vpc-0123abcd"}
FUNCTION = "aws:lambda/function:Function"
# A container-image function: stack config cannot carry a code archive.
VALID_FUNCTION = {
    "role": "arn:aws:iam::123456789012:role/api",
    "packageType": "Image",
    "imageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1",
    "architectures": ["arm64"],
    "memorySize": 512,
    "timeout": 20,
    "publish": True,
}


def preview(tmp_path, env, stack: str, inputs: dict, token: str = TARGET_GROUP):
    project = harness.copy_program(PROGRAM, tmp_path, DEPENDENCIES)
    harness.select_stack(project, stack, env)
    harness.pulumi(
        ["config", "set-all", "--plaintext", f"token={token}", "--plaintext", f"inputs={json.dumps(inputs)}"],
        project,
        env,
    )
    return harness.pulumi(["preview"], project, env, check=False)


@pytest.mark.parametrize("token, inputs", [(TARGET_GROUP, VALID), (FUNCTION, VALID_FUNCTION)])
def test_valid_inputs_preview(tmp_path, env, token, inputs):
    proc = preview(tmp_path, env, "valid", inputs, token)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "token, change, property, reason",
    [
        # The real provider would coerce it; ours must send the schema's type.
        (TARGET_GROUP, {"port": "8080"}, "port", '"8080" given for a number property (the bridge would coerce it)'),
        (TARGET_GROUP, {"targetType": "ips"}, "targetType", '"ips" is not a value the service takes; valid: "alb", "instance", "ip", "lambda"'),
        # The aws provider's CustomizeDiff: a Zip function (the default) needs both.
        (FUNCTION, {"packageType": "Zip", "imageUri": None}, "handler", "handler and runtime must be set when PackageType is Zip"),
        (FUNCTION, {"timeout": 901}, "timeout", "901 is out of range; valid: 1 to 900"),
    ],
)
def test_preview_fails_naming_the_property(tmp_path, env, token, change, property, reason):
    valid = VALID if token == TARGET_GROUP else VALID_FUNCTION
    inputs = {k: v for k, v in {**valid, **change}.items() if v is not None}
    proc = preview(tmp_path, env, "refused", inputs, token)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert property in output and reason in output, output
