// A StaticSite whose resource options come from stack config, so that each
// end-to-end test (tests/e2e/test_options.py) sets config and runs the CLI.
// Every key is optional; with none set this is a plain site.
import * as pulumi from "@pulumi/pulumi";
import * as launchpad from "pulumi-launchpad";

const config = new pulumi.Config();
const list = (key: string) => (config.get(key) ?? "").split(",").filter((s) => s !== "");

// Resources that options can point at, declared generically (no @pulumi/aws):
// the stand-in aws provider serves them like any other aws resource.
class Bucket extends pulumi.CustomResource {
    constructor(name: string) {
        super("aws:s3/bucket:Bucket", name, {});
    }
}
class AwsProvider extends pulumi.ProviderResource {
    constructor(name: string, region: string) {
        super("aws", name, { region });
    }
}
const migration = new Bucket("migration");
const east = new AwsProvider("east", "us-east-1");

const createTimeout = config.get("createTimeout");
const explicitProvider = config.get("explicitProvider"); // "providers" | "provider"

// The SDK types offer `deleteBeforeReplace` only on custom resources, but its
// runtime sends it for any resource and the engine passes it to Construct.
const options: pulumi.ComponentResourceOptions & { deleteBeforeReplace?: boolean } = {
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
};
const site = new launchpad.StaticSite(
    config.get("siteName") ?? "site",
    // An input that a test can change, for ignoreChanges / replaceOnChanges.
    { path: "./site", priceClass: config.get("priceClass") as launchpad.PriceClass | undefined },
    options,
);

export const url = site.url;
export const migrationUrn = migration.urn;
export const eastProviderUrn = east.urn;
