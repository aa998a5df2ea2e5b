#!/usr/bin/env node
// A minimal Node.js component provider: the peer that bench/startup/run.py
// compares launchpad's start-up with. It uses @pulumi/pulumi's provider
// support the way pulumi-awsx does (provider.main(new Provider(), argv)):
// a version, a one-component schema, and a construct that registers a
// pulumi.ComponentResource. Launch contract as for any plugin: the engine
// address is the last argument, and only the port is printed on stdout.
"use strict";

const pulumi = require("@pulumi/pulumi");
const provider = require("@pulumi/pulumi/provider");

const PACKAGE = "nodebench";
const VERSION = "0.1.0";
const GREETING = `${PACKAGE}:index:Greeting`;

const schema = JSON.stringify({
    name: PACKAGE,
    version: VERSION,
    resources: {
        [GREETING]: {
            isComponent: true,
            inputProperties: { name: { type: "string" } },
            requiredInputs: ["name"],
            properties: { message: { type: "string" } },
            required: ["message"],
        },
    },
});

class Greeting extends pulumi.ComponentResource {
    constructor(name, args, opts) {
        super(GREETING, name, {}, opts);
        this.message = pulumi.output(args.name).apply((n) => `hello, ${n}`);
        this.registerOutputs({ message: this.message });
    }
}

class Provider {
    constructor() {
        this.version = VERSION;
        this.schema = schema;
    }

    async construct(name, type, inputs, options) {
        if (type !== GREETING) {
            throw new Error(`unknown resource type ${type}`);
        }
        const greeting = new Greeting(name, inputs, options);
        return { urn: greeting.urn, state: { message: greeting.message } };
    }
}

provider.main(new Provider(), process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
});
