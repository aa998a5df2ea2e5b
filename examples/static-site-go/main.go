// A single-page app on a private S3 bucket behind CloudFront, with launchpad.
package main

import (
	"github.com/launchpad-dev/launchpad/sdk/go/launchpad"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")

		// `pulumi config set spa false` for a plain site: /about/ serves about/index.html.
		spa, err := cfg.TryBool("spa")
		if err != nil {
			spa = true
		}
		var priceClass launchpad.PriceClassPtrInput
		if v := cfg.Get("priceClass"); v != "" {
			priceClass = launchpad.PriceClass(v)
		}
		// Optional custom domain: `pulumi config set domain www.example.com` and `zoneId Z0123...`.
		var domain launchpad.SiteDomainPtrInput
		if name := cfg.Get("domain"); name != "" {
			domain = launchpad.SiteDomainArgs{Name: pulumi.String(name), ZoneId: pulumi.String(cfg.Require("zoneId"))}
		}

		// `site/` stands in for your build output (for example Vite's `dist/`).
		site, err := launchpad.NewStaticSite(ctx, "site", &launchpad.StaticSiteArgs{
			Path:       pulumi.String("./site"),
			Spa:        pulumi.Bool(spa),
			PriceClass: priceClass,
			Domain:     domain,
			// Tried before the defaults (fingerprinted assets cached for a year, the rest `no-cache`);
			// the first matching rule wins.
			CacheControl: launchpad.CacheControlRuleArray{
				launchpad.CacheControlRuleArgs{Pattern: pulumi.String("*.html"), Value: pulumi.String("public, max-age=0, must-revalidate")},
			},
			Tags: pulumi.StringMap{"app": pulumi.String("static-site-go"), "stack": pulumi.String(ctx.Stack())},
		})
		if err != nil {
			return err
		}

		ctx.Export("url", site.Url)
		ctx.Export("bucketName", site.BucketName)
		ctx.Export("distributionId", site.DistributionId)
		ctx.Export("fileCount", site.FileCount)
		return nil
	})
}
