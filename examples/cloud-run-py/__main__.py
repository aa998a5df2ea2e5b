"""A private, scale-to-zero container on Google Cloud Run, with launchpad."""

import pulumi
import pulumi_launchpad as launchpad

config = pulumi.Config()

# Private (callers need roles/run.invoker); reaches a VPC for a private database.
api = launchpad.CloudRunService(
    "api",
    image=config.get("image") or "us-docker.pkg.dev/acme-prod/app/worker:2.0.1",
    cpu=config.get("cpu") or "1",
    memory=config.get("memory") or "1Gi",
    concurrency=config.get_int("concurrency") or 40,
    min_instances=0,
    max_instances=10,
    environment={"LOG_LEVEL": "info"},
    secrets={"DATABASE_URL": launchpad.CloudRunSecretArgs(secret="database-url", version="latest")},
    vpc_access=launchpad.CloudRunVpcAccessArgs(subnetwork="apps"),
    labels={"app": "cloud-run-py"},
)

pulumi.export("url", api.url)
pulumi.export("serviceAccountEmail", api.service_account_email)
