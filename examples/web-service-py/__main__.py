"""A container on ECS Fargate behind a load balancer, with launchpad."""

import pulumi
import pulumi_launchpad as launchpad

config = pulumi.Config()

# Replace the secret's ARN with yours; add certificate_arn=... for HTTPS.
api = launchpad.WebService(
    "api",
    image=config.get("image") or "ghcr.io/acme/api:1.4.2",
    port=8000,
    cpu=config.get_int("cpu") or 512,
    memory=config.get_int("memory") or 1024,
    certificate_arn=config.get("certificateArn"),
    environment={"LOG_LEVEL": "info"},
    secrets={
        "DATABASE_URL": config.get("databaseUrlSecretArn")
        or "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/database-url-AbCdEf",
    },
    health_check=launchpad.HealthCheckArgs(path="/health"),
    scaling=launchpad.ScalingArgs(min_count=2, max_count=6, memory_target_percent=75),
    tags={"app": "web-service-py", "stack": pulumi.get_stack()},
)

pulumi.export("url", api.url)
pulumi.export("loadBalancerDnsName", api.load_balancer_dns_name)
pulumi.export("serviceName", api.service_name)
