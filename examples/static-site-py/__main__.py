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
    # `pulumi config set spa false` for a plain site: /about/ serves about/index.html.
    spa=config.get_bool("spa", True),
    price_class=config.get("priceClass"),
    domain=launchpad.SiteDomainArgs(name=domain, zone_id=config.require("zoneId")) if domain else None,
    # Tried before the defaults (fingerprinted assets cached for a year, the rest `no-cache`);
    # the first matching rule wins.
    cache_control=[launchpad.CacheControlRuleArgs(pattern="*.html", value="public, max-age=0, must-revalidate")],
    tags={"app": "static-site-py", "stack": pulumi.get_stack()},
)

pulumi.export("url", site.url)
pulumi.export("bucketName", site.bucket_name)
pulumi.export("distributionId", site.distribution_id)
pulumi.export("fileCount", site.file_count)
