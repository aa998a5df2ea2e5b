"""WebService end to end: `pulumi preview` of the TypeScript and Python examples
through the real engine, our plugin and the stand-in aws provider (which checks
every child against the real aws schema), `up` then `preview
--expect-no-changes`, and a bad size failing preview naming `memory`."""

from __future__ import annotations

import json

import pytest

import harness

WEB_SERVICE = "launchpad:index:WebService"
EXAMPLES = {
    "ts": harness.ROOT / "examples" / "web-service-ts",
    "py": harness.ROOT / "examples" / "web-service-py",
}
# Children every example has (its own VPC; the TypeScript one adds HTTPS).
CHILDREN = {
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:lb/targetGroup:TargetGroup",
    "aws:lb/listener:Listener",
    "aws:ecs/cluster:Cluster",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:iam/role:Role",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:ecs/taskDefinition:TaskDefinition",
    "aws:ecs/service:Service",
    "aws:appautoscaling/target:Target",
    "aws:appautoscaling/policy:Policy",
}


@pytest.fixture(params=sorted(EXAMPLES))
def service_project(request, tmp_path):
    return harness.copy_example(EXAMPLES[request.param], tmp_path)


def test_preview_plans_the_service_and_every_child_under_it(service_project, env, standins):
    harness.select_stack(service_project, "test", env)
    children = harness.preview_children(service_project, env, WEB_SERVICE).children
    assert CHILDREN <= set(children), f"not children of the service: {sorted(CHILDREN - set(children))}"
    for token in CHILDREN:
        for child in children[token]:
            assert child.op == "create"
    listeners = len(children["aws:lb/listener:Listener"])
    assert listeners == (2 if service_project.name.endswith("-ts") else 1)
    # The stand-in checked every child against the real aws schema: nothing wrong.
    checks = [
        r for r in standins.records("aws")
        if r.get("method") == "Check" and WEB_SERVICE in r["urn"] and f"::{service_project.name}::" in r["urn"]
    ]
    assert {r["token"] for r in checks} >= CHILDREN
    failures = [(r["token"], r["failures"]) for r in checks if r.get("failures")]
    assert failures == []


def test_a_bad_size_fails_preview_naming_memory(service_project, env):
    harness.select_stack(service_project, "bad", env, config={"cpu": "512", "memory": "8192"})
    proc = harness.pulumi(["preview"], service_project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "memory=8192 is not valid with cpu=512; valid: 1024 to 4096 MiB" in output, output


def test_a_refused_input_previews_our_message_alone(service_project, env):
    """Once a Construct is refused the engine shuts the run down and cancels the
    program (its language host interrupts it): what the user reads is our message,
    not an interpreter dump after it (Python's KeyboardInterrupt traceback, or
    `object type name: KeyboardInterrupt ... lost sys.stderr` at exit)."""
    harness.select_stack(service_project, "refused", env, config={"cpu": "256", "memory": "300"})
    proc = harness.pulumi(["preview"], service_project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    for noise in ("Traceback", "KeyboardInterrupt", "lost sys.stderr", "object type name"):
        assert noise not in output, output
    diagnostics = output.split("\nDiagnostics:\n", 1)[1].split("\nResources:\n", 1)[0]
    lines = [
        line.strip() for line in diagnostics.splitlines()
        # The one warning every e2e run has: the plugin is found on PATH.
        if line.strip() and "using pulumi-resource-launchpad from $PATH" not in line
    ]
    assert lines[0].startswith("pulumi:pulumi:Stack ("), output
    (error,) = lines[1:]
    assert error.startswith("error: launchpad:index:WebService resource 'api' has a problem: "), output
    assert "memory=300 is not valid with cpu=256; valid: 512, 1024, 2048 MiB" in error, output


def test_up_then_an_unchanged_program_previews_no_changes(service_project, env):
    harness.select_stack(service_project, "up", env)
    harness.pulumi(["up", "--yes", "--skip-preview"], service_project, env)
    outputs = json.loads(harness.pulumi(["stack", "output", "--json"], service_project, env).stdout)
    assert outputs["url"].startswith(("http://", "https://"))
    assert outputs["serviceName"]
    # Nothing is replaced or updated on every run (awsx's task definitions are).
    harness.pulumi(["preview", "--expect-no-changes"], service_project, env)
    harness.pulumi(["destroy", "--yes", "--skip-preview"], service_project, env)


def service_updates(standins: harness.Standins, stack: str) -> list[dict]:
    """The aws stand-in's Updates of this stack's ECS service outside previews."""
    return [
        r for r in standins.records("aws")
        if r.get("method") == "Update" and r["token"] == "aws:ecs/service:Service"
        and r["urn"].startswith(f"urn:pulumi:{stack}::") and not r.get("preview")
    ]


def test_a_tag_change_keeps_the_tasks_and_a_spot_change_rolls_them(tmp_path, env, standins):
    """The stand-in refuses a capacity provider strategy change without
    forceNewDeployment, as the aws provider does, and records when an update
    would replace the tasks: a tag change must not, a Spot change must."""
    project = harness.copy_example(EXAMPLES["ts"], tmp_path)
    stack = "tag-and-spot"
    harness.select_stack(project, stack, env)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    program = project / "index.ts"

    def edit(old: str, new: str) -> None:
        text = program.read_text()
        assert old in text, f"{old!r} not in the example"
        program.write_text(text.replace(old, new, 1))

    edit('tags: { app: "web-service-ts"', 'tags: { team: "payments", app: "web-service-ts"')
    service = harness.preview_children(project, env, WEB_SERVICE).one("aws:ecs/service:Service")
    assert service.op == "update", service.op
    assert service.raw.get("diffReasons") == ["tags"], service.raw.get("diffReasons")
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    (update,) = service_updates(standins, stack)
    assert not update.get("deployment"), update.get("deployment")

    # On Spot and off again: each moves the tasks, and neither is refused.
    edit("port: 8000,", "port: 8000,\n    spot: 30,")
    harness.pulumi(["up", "--yes"], project, env)
    edit("    spot: 30,", "    spot: 0,")
    harness.pulumi(["up", "--yes"], project, env)
    updates = service_updates(standins, stack)
    assert len(updates) == 3, updates
    for update in updates[1:]:
        assert "capacityProviderStrategies" in update.get("deployment", ""), update
    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, env)
