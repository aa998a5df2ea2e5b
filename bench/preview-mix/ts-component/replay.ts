// A TypeScript component with no logic of its own: it registers, under its own name, exactly the
// children launchpad registered for one instance of a kind, as recorded from launchpad's own
// preview (bench/preview-mix/run.py writes the recording; its format is `Recorded` below). Each
// child gets the recorded type, name, inputs and options, with the recorded instance's name
// replaced by this one's in every name and string; a dependency on a sibling stays one: an input
// that depended on siblings is an Output of theirs here (unknown where launchpad's was unknown),
// so the engine sees the same graph and the same unknowns. It validates nothing, decides nothing
// and loads no provider SDK: the cheapest a component written in TypeScript can be.
import * as pulumi from "@pulumi/pulumi";

// A recorded value: JSON, where an object with one of these keys stands for what JSON cannot say.
//   {"$unknown": true}              unknown in preview (a sibling's output not known yet)
//   {"$secret": value}              a secret
//   {"$archive": {"path": p}}       a FileArchive; {"assets": {...}} an AssetArchive
//   {"$asset": {"path"|"text": s}}  a FileAsset / StringAsset
type Recorded = unknown;

export interface RecordedChild {
    name: string;                   // the child's name, with the recorded instance's name in it
    type: string;
    custom: boolean;
    parent?: string;                // a sibling's name; absent: the component
    inputs: Record<string, Recorded>;
    dependsOn: string[];            // siblings' names
    propertyDependencies: Record<string, string[]>;
    options: {
        version?: string;
        pluginDownloadURL?: string;
        deleteBeforeReplace?: boolean;
        ignoreChanges?: string[];
        replaceOnChanges?: string[];
        additionalSecretOutputs?: string[];
        protect?: boolean;
        retainOnDelete?: boolean;
        customTimeouts?: { create?: string; update?: string; delete?: string };
        provider?: string;          // a sibling provider's name
        deletedWith?: string;       // a sibling's name
        aliases?: { name?: string; type?: string }[];
    };
}

export interface RecordedKind {
    instance: string;               // the name of the instance the children were recorded from
    children: RecordedChild[];      // in launchpad's registration order
}

export class Replayed extends pulumi.ComponentResource {
    constructor(type: string, name: string, recorded: RecordedKind, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        const renamed = (s: string) => s.split(recorded.instance).join(name);
        const made = new Map<string, pulumi.Resource>();
        const sibling = (recordedName: string) => {
            const r = made.get(recordedName);
            if (!r) {
                throw new Error(`${name}: ${recordedName} is used before it is registered (the recording is out of order)`);
            }
            return r;
        };
        for (const child of recorded.children) {
            const o = child.options;
            const options: pulumi.CustomResourceOptions = {
                parent: child.parent ? sibling(child.parent) : this,
                dependsOn: child.dependsOn.map(sibling),
                version: o.version,
                pluginDownloadURL: o.pluginDownloadURL,
                deleteBeforeReplace: o.deleteBeforeReplace,
                ignoreChanges: o.ignoreChanges,
                replaceOnChanges: o.replaceOnChanges,
                additionalSecretOutputs: o.additionalSecretOutputs,
                protect: o.protect,
                retainOnDelete: o.retainOnDelete,
                customTimeouts: o.customTimeouts,
                provider: o.provider ? sibling(o.provider) as pulumi.ProviderResource : undefined,
                deletedWith: o.deletedWith ? sibling(o.deletedWith) : undefined,
                aliases: o.aliases?.map((a) => ({ name: a.name, type: a.type })),
            };
            const inputs: Record<string, pulumi.Input<any>> = {};
            for (const [key, value] of Object.entries(child.inputs)) {
                inputs[key] = wired(value, (child.propertyDependencies[key] ?? []).map(sibling), renamed);
            }
            const childName = renamed(child.name);
            let resource: pulumi.Resource;
            if (child.type.startsWith("pulumi:providers:")) {
                resource = new pulumi.ProviderResource(child.type.slice("pulumi:providers:".length), childName, inputs,
                    options);
            } else if (child.custom) {
                resource = new pulumi.CustomResource(child.type, childName, inputs, options);
            } else {
                resource = new pulumi.ComponentResource(child.type, childName, inputs, options);
            }
            made.set(child.name, resource);
        }
        this.registerOutputs({});
    }
}

// An input as launchpad sent it: known where it was known, unknown where it was unknown, and in
// either case depending on the siblings DEPS it depended on.
function wired(value: Recorded, deps: pulumi.Resource[], renamed: (s: string) => string): pulumi.Input<any> {
    const built = build(value, deps, renamed);
    if (deps.length === 0 || hasUnknown(value)) {
        // Unknown leaves are outputs of DEPS already; the rest is sent as it is.
        return built;
    }
    // Known, but only once the siblings are registered: their URNs are known in preview.
    const registered = pulumi.all(deps.map((d) => d.urn));
    return hasSecret(value)
        ? pulumi.all([registered, built]).apply(([, v]) => v)  // unwraps the nested secrets, keeps them secret
        : registered.apply(() => built);
}

function build(value: Recorded, deps: pulumi.Resource[], renamed: (s: string) => string): any {
    if (typeof value === "string") {
        return renamed(value);
    }
    if (Array.isArray(value)) {
        return value.map((v) => build(v, deps, renamed));
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const v = value as Record<string, any>;
    if ("$unknown" in v) {
        // An output of the siblings that is not known before they are created: their IDs.
        const ids = deps.filter((d): d is pulumi.CustomResource => d instanceof pulumi.CustomResource).map((d) => d.id);
        if (ids.length === 0) {
            throw new Error("an unknown input depends on no custom sibling: nothing to derive it from");
        }
        return pulumi.all(ids).apply(() => undefined as any);
    }
    if ("$secret" in v) {
        return pulumi.secret(build(v.$secret, deps, renamed));
    }
    if ("$archive" in v) {
        const a = v.$archive;
        if (a.path !== undefined) return new pulumi.asset.FileArchive(a.path);
        return new pulumi.asset.AssetArchive(Object.fromEntries(
            Object.entries(a.assets).map(([k, x]) => [k, build(x, deps, renamed)])));
    }
    if ("$asset" in v) {
        const a = v.$asset;
        return a.path !== undefined ? new pulumi.asset.FileAsset(a.path) : new pulumi.asset.StringAsset(a.text);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, build(x, deps, renamed)]));
}

function hasSecret(value: Recorded): boolean {
    if (Array.isArray(value)) return value.some(hasSecret);
    if (value === null || typeof value !== "object") return false;
    return "$secret" in (value as object) || Object.values(value as object).some(hasSecret);
}

function hasUnknown(value: Recorded): boolean {
    if (Array.isArray(value)) return value.some(hasUnknown);
    if (value === null || typeof value !== "object") return false;
    return "$unknown" in (value as object) || Object.values(value as object).some(hasUnknown);
}
