// One resource whose type token and inputs come from stack config, exactly as
// given: no SDK types them, so a test can hand the stand-in providers what a
// careless planner might send (tests/e2e/test_standin_rules.py).
import * as pulumi from "@pulumi/pulumi";

class Raw extends pulumi.CustomResource {
    constructor(name: string, token: string, inputs: pulumi.Inputs) {
        super(token, name, inputs);
    }
}

const config = new pulumi.Config();
new Raw("raw", config.require("token"), config.requireObject<pulumi.Inputs>("inputs"));
