"""Function end to end: the TypeScript and Python examples (a site with `/api/*` routed to a
Function, and a nightly scheduled one) preview through the real engine, our plugin and the
stand-in aws provider, which checks every child against the real aws schema; both
come up (their site content into the S3 emulator), preview no changes, and a changed file
in `path` is an update of the function's code, not a replacement; bad sizes, a deprecated
runtime, a bad schedule expression, overlapping routes and a public URL behind a route each
fail preview with a message naming the property."""

from __future__ import annotations

import json

import pytest

import harness

FUNCTION = "launchpad:index:Function"
STATIC_SITE = "launchpad:index:StaticSite"
EXAMPLES = {
    "ts": harness.ROOT / "examples" / "function-ts",
    "py": harness.ROOT / "examples" / "function-py",
}
# Driven by stack config; its node_modules (the local SDK) are the TypeScript example's.
PROGRAM = harness.ROOT / "tests" / "e2e" / "programs" / "function-ts"

LAMBDA_FUNCTION = "aws:lambda/function:Function"
ALIAS = "aws:lambda/alias:Alias"
FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl"
SCHEDULE = "aws:scheduler/schedule:Schedule"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
PERMISSION = "aws:lambda/permission:Permission"
OAC = "aws:cloudfront/originAccessControl:OriginAccessControl"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
CLOUDFRONT_FUNCTION = "aws:cloudfront/function:Function"
# What every Function with `path` makes (`url` and `schedule` add theirs).
FUNCTION_CHILDREN = {ROLE, ROLE_POLICY, LOG_GROUP, LAMBDA_FUNCTION, ALIAS}
# CloudFront's managed policies a route uses: CachingDisabled and AllViewerExceptHostHeader.
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_METHODS = {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
# Steps of a preview that would replace a resource.
REPLACING = {"replace", "create-replacement", "delete-replaced"}


@pytest.fixture(params=sorted(EXAMPLES))
def function_project(request, tmp_path):
    """A copy of one example (TypeScript or Python) in a temporary folder."""
    return harness.copy_example(EXAMPLES[request.param], tmp_path)


@pytest.fixture
def program(tmp_path):
    return harness.copy_program(PROGRAM, tmp_path, EXAMPLES["ts"])


def test_preview_plans_both_functions_and_the_route_to_the_api(function_project, env, standins):
    harness.select_stack(function_project, "test", env)
    steps = harness.preview_steps(function_project, env)

    api = harness.find_component(steps, FUNCTION, "api")
    assert FUNCTION_CHILDREN | {FUNCTION_URL} <= set(api.children), f"missing: {sorted(FUNCTION_CHILDREN - set(api.children))}"
    assert SCHEDULE not in api.children
    # An AWS_IAM URL: no public permissions, and none of ours under the function.
    assert PERMISSION not in api.children
    for found in api.children.values():
        for child in found:
            assert child.op == "create" and child.custom is True, (child.urn, child.op)
    function = api.one(LAMBDA_FUNCTION).inputs
    assert function["publish"] is True
    assert function["architectures"] == ["arm64"]
    assert function["runtime"] in ("nodejs24.x", "python3.13")
    assert "code" in function
    # Lambda writes into the group we made first, which keeps its retention.
    assert api.one(LOG_GROUP).inputs["retentionInDays"] == 30
    assert "logGroup" in function["loggingConfig"]
    assert api.one(ALIAS).inputs["name"] == "live"
    url = api.one(FUNCTION_URL).inputs
    assert url["qualifier"] == "live" and url["authorizationType"] == "AWS_IAM"

    nightly = harness.find_component(steps, FUNCTION, "nightly")
    assert FUNCTION_CHILDREN | {SCHEDULE} <= set(nightly.children), f"missing: {sorted(FUNCTION_CHILDREN - set(nightly.children))}"
    assert FUNCTION_URL not in nightly.children
    schedule = nightly.one(SCHEDULE).inputs
    assert schedule["scheduleExpression"] == "rate(1 day)"
    assert schedule["flexibleTimeWindow"]["mode"] == "OFF"
    assert json.loads(schedule["target"]["input"]) == {"task": "report"}
    # The function's role and the scheduler's: two roles.
    assert len(nightly.children[ROLE]) == 2

    site = harness.find_component(steps, STATIC_SITE, "site")
    # CloudFront signs its requests to the URL (a lambda OAC next to the bucket's s3 one).
    lambda_oacs = [s for s in site.children[OAC] if s.inputs["originAccessControlOriginType"] == "lambda"]
    assert len(lambda_oacs) == 1
    assert lambda_oacs[0].inputs["signingBehavior"] == "always"
    # Two permissions, both for this distribution only and on the `live` alias.
    permissions = site.children.get(PERMISSION, [])
    assert {p.inputs["action"] for p in permissions} == {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}
    for permission in permissions:
        assert permission.inputs["principal"] == "cloudfront.amazonaws.com"
        assert permission.inputs["qualifier"] == "live"
        assert "sourceArn" in permission.inputs
    (invoke,) = [p for p in permissions if p.inputs["action"] == "lambda:InvokeFunction"]
    assert invoke.inputs["invokedViaFunctionUrl"] is True
    distribution = site.one(DISTRIBUTION).inputs
    (behavior,) = distribution["orderedCacheBehaviors"]
    assert behavior["pathPattern"].lstrip("/") == "api/*"
    assert set(behavior["allowedMethods"]) == ALL_METHODS
    assert set(behavior["cachedMethods"]) == {"GET", "HEAD"}
    assert behavior["cachePolicyId"] == CACHING_DISABLED
    assert behavior["originRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    assert behavior["viewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["responseHeadersPolicyId"] == distribution["defaultCacheBehavior"]["responseHeadersPolicyId"]
    # The SPA fallback moved off the distribution (it would turn the API's 403/404 into 200
    # HTML) onto a viewer-request function of the default behaviour.
    assert not distribution.get("customErrorResponses"), distribution.get("customErrorResponses")
    associations = distribution["defaultCacheBehavior"]["functionAssociations"]
    assert [a["eventType"] for a in associations] == ["viewer-request"]
    assert CLOUDFRONT_FUNCTION in site.children

    # The stand-in checked every aws child against the real aws schema and found nothing wrong.
    checks = [
        r for r in standins.records("aws")
        if r.get("method") == "Check" and f"::{function_project.name}::" in r["urn"]
    ]
    assert {LAMBDA_FUNCTION, ALIAS, FUNCTION_URL, SCHEDULE, PERMISSION, LOG_GROUP} <= {r["token"] for r in checks}
    failures = [(r["token"], r["failures"]) for r in checks if r.get("failures")]
    assert failures == [], failures


# The file of each example's `api` folder the update test edits.
HANDLERS = {"ts": "index.mjs", "py": "app.py"}


@pytest.mark.parametrize("language", sorted(EXAMPLES))
def test_up_then_no_changes_and_a_changed_file_is_an_update_of_the_code(language, tmp_path, env, moto):
    project = harness.copy_example(EXAMPLES[language], tmp_path)
    harness.select_stack(project, "up", env)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    outputs = json.loads(harness.pulumi(["stack", "output", "--json"], project, env).stdout)
    assert outputs["url"].startswith("https://")
    assert outputs["functionName"] and outputs["nightlyFunctionName"]
    # The site's folder went into its bucket in the emulator.
    (bucket,) = [r["outputs"]["bucket"] for r in harness.stack_resources(project, env) if r["type"] == "aws:s3/bucket:Bucket"]
    listed = moto.client("s3", direct=True).list_objects_v2(Bucket=bucket).get("Contents", [])
    assert {o["Key"] for o in listed} == {"index.html"}
    # The plan is stable: running the program again changes nothing.
    harness.pulumi(["preview", "--expect-no-changes"], project, env)

    handler = project / "api" / HANDLERS[language]
    handler.write_text(handler.read_text() + ("// edited\n" if language == "ts" else "# edited\n"))
    steps = harness.preview_steps(project, env, "--diff")
    replaced = [(s.urn, s.op) for s in steps if s.op in REPLACING]
    assert replaced == [], replaced
    api = harness.find_component(steps, FUNCTION, "api")
    function = api.one(LAMBDA_FUNCTION)
    assert function.op == "update", function.op
    assert "code" in function.raw.get("diffReasons", []), function.raw.get("diffReasons")
    # The other function's folder did not change: nothing of it moves (an unchanged resource
    # may also be left out of the preview).
    moved = [(s.urn, s.op) for s in steps if s.parent.endswith(f"{FUNCTION}::nightly") and s.op != "same"]
    assert moved == [], moved
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    harness.pulumi(["preview", "--expect-no-changes"], project, env)
    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, env)


# Each bad input (stack config of the test program), the component that refuses it, and what
# its message must name: the property, the value and what is valid.
BAD_INPUTS = {
    "memory below Lambda's minimum": ({"memory": "64"}, FUNCTION, ["memory", "64", "128", "10240"]),
    "a deprecated runtime": ({"runtime": "nodejs20.x"}, FUNCTION, ["runtime", "nodejs20.x", "nodejs24.x"]),
    "a cron with five fields": (
        {"scheduleExpression": "cron(0 12 * * *)"}, FUNCTION, ["schedule.expression", "cron(0 12 * * *)"]),
    "the same route twice": ({"routePaths": '["/api/*", "api/*"]'}, STATIC_SITE, ["routes[1].path", "api/*"]),
    "a route to a public URL": ({"urlAuthType": "NONE"}, STATIC_SITE, ["routes[0].function", "NONE", "AWS_IAM"]),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_a_bad_input_fails_preview_naming_the_property(case, program, env):
    config, component_type, named = BAD_INPUTS[case]
    harness.select_stack(program, "bad", env, config=config)
    proc = harness.pulumi(["preview"], program, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    message = harness.problem(output, component_type)
    for fragment in named:
        assert fragment in message, message


def test_the_test_program_previews_as_it_is(program, env, standins):
    """The program the bad inputs vary is itself good: each failure above is the input's."""
    harness.select_stack(program, "good", env)
    steps = harness.preview_steps(program, env)
    assert harness.find_component(steps, FUNCTION, "api").one(LAMBDA_FUNCTION).op == "create"
    assert len(harness.find_component(steps, STATIC_SITE, "site").children[PERMISSION]) == 2
