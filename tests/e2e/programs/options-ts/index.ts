// A StaticSite whose resource options come from stack config, so that each
// end-to-end test (tests/e2e/test_options.py) sets config and runs the CLI.
// Every key is optional; with none set this is a plain site.
import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();
const list = (key: string) => (config.get(key) ?? "").split(",").filter((s) => s !== "");

// Resources that options can point at, created generically (no @pulumi/aws):
// the stand-in aws provider serves them like any other aws resource.
const migration = new pulumi.CustomResource("aws:s3/bucket:Bucket", "migration", {}, {});
const east = new pulumi.ProviderResource("aws", "east", { region: "us-east-1" });

const createTimeout = config.get("createTimeout");
const explicitProvider = config.get("explicitProvider"); // "providers" | "provider"

const site = new launchpad.StaticSite(
    config.get("siteName") ?? "site",
    { path: "./site" },
    {
        aliases: list("aliases").map((name) => ({ name })),
        protect: config.getBoolean("protect"),
        retainOnDelete: config.getBoolean("retainOnDelete"),
        deleteBeforeReplace: config.getBoolean("deleteBeforeReplace"),
        dependsOn: config.getBoolean("dependsOnMigration") ? [migration] : undefined,
        deletedWith: config.getBoolean("deletedWithMigration") ? migration : undefined,
        customTimeouts: createTimeout ? { create: createTimeout } : undefined,
        providers: explicitProvider === "providers" ? [east] : undefined,
        provider: explicitProvider === "provider" ? east : undefined,
        ignoreChanges: list("ignoreChanges"),
        replaceOnChanges: list("replaceOnChanges"),
    },
);

export const url = site.url;
export const migrationUrn = migration.urn;
export const eastProviderUrn = east.urn;
