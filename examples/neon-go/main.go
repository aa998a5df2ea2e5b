// A scale-to-zero Neon serverless Postgres project, with launchpad.
package main

import (
	"github.com/launchpad-dev/launchpad/sdk/go/launchpad"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		minCu, err := cfg.TryFloat64("minCu")
		if err != nil {
			minCu = 0.25
		}
		maxCu, err := cfg.TryFloat64("maxCu")
		if err != nil {
			maxCu = 2
		}
		var orgID pulumi.StringPtrInput
		if v := cfg.Get("neonOrgId"); v != "" {
			orgID = pulumi.String(v)
		}

		// A new Neon project: Postgres 17 in Frankfurt, autoscaling from a quarter
		// of a CU to 2 CU, suspended after five idle minutes. `pulumi up` needs
		// `pulumi config set --secret launchpad:neonApiKey <key>` (or NEON_API_KEY);
		// `pulumi preview` calls nothing. A personal API key also needs the
		// organization the project goes to: `pulumi config set neonOrgId org-...`
		// here, or `pulumi config set launchpad:neonOrgId org-...` for every project.
		db, err := launchpad.NewNeonDatabase(ctx, "db", &launchpad.NeonDatabaseArgs{
			Region:                launchpad.NeonRegion_Aws_Eu_Central_1,
			OrgId:                 orgID,
			PgVersion:             pulumi.Int(17),
			MinCu:                 pulumi.Float64(minCu),
			MaxCu:                 pulumi.Float64(maxCu),
			SuspendTimeoutSeconds: pulumi.Int(300),
			DatabaseName:          pulumi.String("shop"),
			RoleName:              pulumi.String("shop"),
		})
		if err != nil {
			return err
		}

		// Secret: encrypted in the state, shown only with `--show-secrets`.
		ctx.Export("connectionUri", db.ConnectionUri)
		ctx.Export("pooledConnectionUri", db.PooledConnectionUri)
		ctx.Export("host", db.Host)
		ctx.Export("projectId", db.ProjectId)
		return nil
	})
}
