"""A single-page app on a private S3 bucket behind CloudFront, with launchpad."""

import pulumi
import pulumi_launchpad as launchpad

config = pulumi.Config()
# Optional custom domain: `pulumi config set domain www.example.com` and `zoneId Z0123...`.
domain = config.get("domain")

# `site/` stands in for your build output (for example Vite's `dist/`).
site = launchpad.StaticSite(
    "site",
    path="./site",
    spa=True,
    price_class=config.get("priceClass"),
    domain=launchpad.SiteDomainArgs(name=domain, zone_id=config.require("zoneId")) if domain else None,
    tags={"app": "static-site-py", "stack": pulumi.get_stack()},
)

pulumi.export("url", site.url)
pulumi.export("bucketName", site.bucket_name)
pulumi.export("distributionId", site.distribution_id)
