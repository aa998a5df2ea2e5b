// A Postbox of the test-only testbed provider (tests/testbed): a component
// whose one child is a native Mailbox. Written without a generated SDK, the
// way a generated SDK declares a remote component.
import * as pulumi from "@pulumi/pulumi";

interface PostboxArgs {
    owner: pulumi.Input<string>;
    readySeconds?: pulumi.Input<number>;
    mailboxName?: pulumi.Input<string>;
    mailboxAliases?: pulumi.Input<string>[];
}

class Postbox extends pulumi.ComponentResource {
    public readonly address!: pulumi.Output<string>;

    constructor(name: string, args: PostboxArgs, opts?: pulumi.ComponentResourceOptions) {
        super("testbed:index:Postbox", name, { ...args, address: undefined }, opts, true);
    }
}

const config = new pulumi.Config();
const createTimeout = config.get("createTimeout");
const box = new Postbox(
    "box",
    {
        owner: config.get("owner") ?? "ann",
        readySeconds: config.getNumber("readySeconds") ?? 0,
        // As a later version of a component would rename its child, keeping the old name.
        mailboxName: config.get("mailboxName"),
        mailboxAliases: config.get("mailboxAliases")?.split(","),
    },
    { customTimeouts: createTimeout ? { create: createTimeout } : undefined },
);

export const address = box.address;
