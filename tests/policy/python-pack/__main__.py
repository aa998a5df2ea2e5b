"""One mandatory rule that every S3 bucket breaks: tests/e2e/test_policy.py sees it reported
for StaticSite's bucket, so the pack ran (through the python host's RunPlugin) and saw our
children with their inputs."""

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def bucket_names_its_purpose(args, report_violation):
    if args.resource_type == "aws:s3/bucket:Bucket" and "purpose" not in (args.props.get("tags") or {}):
        report_violation("a bucket must carry a `purpose` tag")


PolicyPack(
    name="launchpad-python-pack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="bucket-tag-purpose",
            description="Every S3 bucket carries a purpose tag.",
            validate=bucket_names_its_purpose,
        )
    ],
)
