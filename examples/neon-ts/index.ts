import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();

// A new Neon project: Postgres 17 in Frankfurt, autoscaling from a quarter
// of a CU to 2 CU, suspended after five idle minutes. `pulumi up` needs
// `pulumi config set --secret launchpad:neonApiKey <key>` (or NEON_API_KEY);
// `pulumi preview` calls nothing. A personal API key also needs the
// organization the project goes to: `pulumi config set neonOrgId org-...`
// here, or `pulumi config set launchpad:neonOrgId org-...` for every project.
const db = new launchpad.NeonDatabase("db", {
    region: "aws-eu-central-1",
    orgId: config.get("neonOrgId"),
    pgVersion: 17,
    minCu: config.getNumber("minCu") ?? 0.25,
    maxCu: config.getNumber("maxCu") ?? 2,
    suspendTimeoutSeconds: 300,
    databaseName: "shop",
    roleName: "shop",
});

// Secret: encrypted in the state, shown only with `--show-secrets`.
export const connectionUri = db.connectionUri;
export const pooledConnectionUri = db.pooledConnectionUri;
export const host = db.host;
export const projectId = db.projectId;
