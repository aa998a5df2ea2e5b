// AWSGuard (Pulumi's AWS best-practice policy pack) with every rule mandatory: a violation
// fails the preview. tests/e2e/test_policy.py runs it on the AWS examples.
import { AwsGuard } from "@pulumi/awsguard";

new AwsGuard({ all: "mandatory" });
