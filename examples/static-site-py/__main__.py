"""A single-page app on a private S3 bucket behind CloudFront, with launchpad."""

import pulumi
import pulumi_launchpad as launchpad

config = pulumi.Config()

# `site/` stands in for your build output (for example Vite's `dist/`).
site = launchpad.StaticSite(
    "site",
    path="./site",
    spa=True,
    price_class=config.get("priceClass"),
    tags={"app": "static-site-py", "stack": pulumi.get_stack()},
)

pulumi.export("url", site.url)
pulumi.export("bucketName", site.bucket_name)
pulumi.export("distributionId", site.distribution_id)
