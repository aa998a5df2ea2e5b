//! WebService's catalogue (LP4xxx): every message about a WebService's own
//! inputs — Fargate sizes, secrets and their keys, the certificate, the
//! network and zones, health checks and scaling. The image and environment
//! checks it shares with CloudRunService are the crate's ([`crate::errors`],
//! LP12xx); reading inputs is core's (LP10xx). See
//! [`launchpad_core::catalogue`] for the rules.

use std::fmt::Display;

launchpad_core::catalogue! {
    area = "WebService";

    /// Fargate offers seven CPU sizes. Give one of them (1024 is one vCPU),
    /// then a `memory` that fits it.
    LP4001 input cpu_not_a_fargate_size(property = "cpu", value: impl Display, valid: impl Display)
        = "cpu={value} is not a Fargate size; valid: {valid} (1024 = 1 vCPU)";

    /// Fargate pairs each CPU size with a range of memory sizes, and this
    /// memory is in the range of other CPU sizes only. `{nearest}` names the
    /// closest memory this cpu takes. Change `memory` to one of the valid
    /// values, or `cpu` to one of the sizes that take this memory.
    LP4002 input memory_does_not_fit_cpu(
        property = "memory", value: impl Display, cpu: u32, valid: impl Display,
        nearest: impl Display, cpus: impl Display)
        = "memory={value} is not valid with cpu={cpu}; valid: {valid}{nearest}; for {value} MiB use cpu={cpus}";

    /// The memory is more than the largest Fargate task has (120 GB). Lower
    /// `memory` to the largest valid value for the cpu.
    LP4003 input memory_above_fargate(
        property = "memory", value: impl Display, cpu: u32, valid: impl Display,
        nearest: impl Display, max: u32)
        = "memory={value} is not valid with cpu={cpu}; valid: {valid}{nearest}; the most a Fargate task has is {max} MiB, with cpu=16384";

    /// The memory is less than the smallest Fargate task has (512 MiB).
    /// Raise `memory` to a valid value for the cpu.
    LP4004 input memory_below_fargate(
        property = "memory", value: impl Display, cpu: u32, valid: impl Display,
        nearest: impl Display, min: u32)
        = "memory={value} is not valid with cpu={cpu}; valid: {valid}{nearest}; the least a Fargate task has is {min} MiB, with cpu=256";

    /// The memory is not one of the sizes this cpu takes, and no other cpu
    /// takes it either (it is not a whole number of MiB, or off the table's
    /// steps). `{nearest}` names the closest valid memory when there is one.
    /// Give one of the valid values.
    LP4005 input memory_not_valid_with_cpu(
        property = "memory", value: impl Display, cpu: u32, valid: impl Display,
        nearest: impl Display)
        = "memory={value} is not valid with cpu={cpu}; valid: {valid}{nearest}";

    /// Fargate Spot runs only X86_64 tasks. Set `spot: 0` to run on regular
    /// Fargate, or build an X86_64 image and set `cpuArchitecture: "X86_64"`.
    LP4006 input spot_on_arm(property = "spot", value: impl Display)
        = "spot={value} cannot be used with cpuArchitecture=\"ARM64\": Fargate Spot runs X86_64 only; set spot=0 or cpuArchitecture=\"X86_64\"";

    /// `secretsKmsKeyArns` lets the role that reads the `secrets` (a
    /// WebService's execution role, a Function's role) decrypt them with your
    /// own KMS keys; without `secrets` there is nothing to decrypt. Add the
    /// secrets, or remove the keys.
    LP4007 input kms_keys_without_secrets(property = "secretsKmsKeyArns")
        = "secretsKmsKeyArns names the keys that encrypt `secrets`, but `secrets` is empty: add the secrets they encrypt or remove secretsKmsKeyArns";

    /// A load balancer's HTTPS listener takes certificates of its own region
    /// only (a certificate for CloudFront lives in us-east-1, which is not
    /// it). Request or import the certificate in the service's region.
    LP4008 input certificate_in_another_region(
        property = "certificateArn", certificate_region: impl Display, region: impl Display)
        = "certificateArn is in {certificate_region} but the service runs in {region}: a load balancer takes an ACM certificate of its own region (a CloudFront certificate lives in us-east-1); request one in {region}";

    /// `certificateArn` must be the ARN of an ACM certificate
    /// (`aws acm list-certificates` lists them).
    LP4009 input not_a_certificate_arn(property = "certificateArn", value: impl Display)
        = "certificateArn={value} is not an ARN of acm `certificate/…`; it looks like \"arn:aws:acm:us-east-1:123456789012:certificate/…\"";

    /// A `secrets` value that names Systems Manager (`:ssm:`) must be the
    /// ARN of a Parameter Store parameter.
    LP4010 input not_a_parameter_arn(property, value: impl Display)
        = "{property}={value} is not an ARN of ssm `parameter/…`; it looks like \"arn:aws:ssm:us-east-1:123456789012:parameter/…\"";

    /// A `secrets` value that is not a parameter must be the ARN of a
    /// Secrets Manager secret, for a WebService optionally followed by ECS's
    /// `:<json-key>:<version-stage>:<version-id>` fields.
    LP4011 input not_a_secret_arn(property, value: impl Display)
        = "{property}={value} is not an ARN of secretsmanager `secret:…`; it looks like \"arn:aws:secretsmanager:us-east-1:123456789012:secret:…\"";

    /// Parameter Store's `/aws/reference/secretsmanager/` path reads a
    /// secret with `secretsmanager:GetSecretValue`, which a grant on the
    /// parameter does not give. Give the secret's own ARN; ECS (or a
    /// Function's code) reads it directly and the role is granted exactly
    /// that secret.
    LP4012 input secret_through_parameter_store(property)
        = "{property} reads a Secrets Manager secret through Parameter Store (`/aws/reference/secretsmanager/`); give the secret's own ARN instead (\"arn:aws:secretsmanager:<region>:<account>:secret:<name>\"), which can be read directly";

    /// ECS reads one key of a JSON secret from
    /// `<secret ARN>:<json-key>:<version-stage>:<version-id>`, where the last
    /// two may be empty: write `<secret ARN>:<json-key>::`.
    LP4013 input json_key_not_in_ecs_form(property)
        = "{property} has a JSON key but not in ECS's form; write `<secret ARN>:<json-key>::` (version stage and ID may follow the key)";

    /// An item of `secretsKmsKeyArns` is null. List key ARNs only.
    LP4014 input kms_key_is_null(property)
        = "{property} is null; list key ARNs only";

    /// An item of `secretsKmsKeyArns` is not a key the role reading the
    /// secrets can be granted. `{why}` is one of: is not a KMS key ARN; has no 12-digit
    /// account ID; is an alias ARN (an IAM policy names the alias, not its
    /// key: `aws kms describe-key --key-id alias/<name>` prints the key's
    /// ARN); is not a KMS key ARN (the resource must be `key/<key-id>`); is
    /// a key of another partition than the one the component runs in.
    LP4015 input invalid_kms_key_arn(property, value: impl Display, why: impl Display, partition: impl Display)
        = "{property}={value} {why}; a key ARN looks like \"arn:{partition}:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"";

    /// The same key is listed twice in `secretsKmsKeyArns`. List each once.
    LP4016 input kms_key_listed_twice(property = "secretsKmsKeyArns", value: impl Display)
        = "secretsKmsKeyArns lists {value} twice; list each key once";

    /// A WebService needs the stack's AWS region for its availability zones,
    /// ARNs and logs, and reads it from `aws:region` (or `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`). Run `pulumi config set aws:region <region>`.
    LP4017 input no_aws_region(property = "aws:region")
        = "a WebService needs the stack's AWS region (for its availability zones and its logs): run `pulumi config set aws:region <region>`, for example us-east-1";

    /// `availabilityZones` places the subnets of the VPC a WebService
    /// creates; with `network` your subnets decide the zones. Remove one of
    /// the two.
    LP4018 input zones_with_network(property = "availabilityZones")
        = "availabilityZones is for the new VPC a WebService creates; with `network` the subnets decide the zones: remove one of the two";

    /// A zone of `availabilityZones` is not in the stack's `aws:region`.
    /// Name zones of that region (`aws ec2 describe-availability-zones`
    /// lists them), or change the region.
    LP4019 input zone_not_in_region(property = "availabilityZones", zone: impl Display, region: impl Display)
        = "availabilityZones: {zone} is not a zone of the stack's region {region}; zones look like \"{region}a\"";

    /// The new VPC has one public subnet in each of two zones, and an
    /// Application Load Balancer needs two. Name exactly two different zones.
    LP4020 input zones_not_two(property = "availabilityZones", got: impl Display, region: impl Display)
        = "availabilityZones needs two different zones (an Application Load Balancer spans two; the new VPC has one public subnet in each), got {got}; for example [\"{region}a\", \"{region}b\"]";

    /// `network.vpcId` is a VPC's ID (`aws ec2 describe-vpcs` lists them).
    LP4021 input invalid_vpc_id(property = "network.vpcId", value: impl Display)
        = "network.vpcId={value} is not an ID of the form \"vpc-0123456789abcdef0\"";

    /// A subnet is given by its ID (`aws ec2 describe-subnets` lists them).
    LP4022 input invalid_subnet_id(property, value: impl Display)
        = "{property}={value} is not an ID of the form \"subnet-0123456789abcdef0\"";

    /// A secret subnet ID is not an ID of the form `subnet-…`; the message
    /// does not quote it. Give the subnet's ID.
    LP4023 input invalid_secret_subnet_id(property)
        = "{property} is not a subnet ID";

    /// The same subnet is listed twice. List each once.
    LP4024 input subnet_listed_twice(property, subnet: impl Display)
        = "{property} lists {subnet} twice";

    /// The load balancer needs subnets in at least two availability zones.
    /// List two public subnets or more.
    LP4025 input too_few_subnets(property = "network.subnetIds", got: usize)
        = "network.subnetIds needs at least 2 subnets, got {got} (an Application Load Balancer spans two availability zones)";

    /// `taskSubnetIds`, when given, must list a subnet. List one at least,
    /// or leave it out to run the tasks in `subnetIds`.
    LP4026 input no_task_subnets(property = "network.taskSubnetIds", got: usize)
        = "network.taskSubnetIds needs at least 1 subnet, got {got}";

    /// CloudWatch Logs keeps logs for one of a fixed set of periods. Give one
    /// of the listed values (`{nearest}` is the closest).
    LP4027 input log_retention_not_offered(
        property = "logRetentionDays", value: impl Display, nearest: u32, valid: impl Display)
        = "logRetentionDays={value} is not a CloudWatch Logs retention (nearest: {nearest}); valid: {valid}";

    /// The load balancer requests this path on the container port. Give a
    /// path that starts with `/` and has no spaces.
    LP4028 input invalid_health_check_path(property = "healthCheck.path", value: impl Display)
        = "healthCheck.path={value} must start with `/` and have no spaces, for example \"/health\"";

    /// The load balancer counts an answer with one of these HTTP codes as
    /// healthy. Give codes from 200 to 499: one, a comma-separated list, or a
    /// range written low-high.
    LP4029 input invalid_health_check_matcher(property = "healthCheck.matcher", value: impl Display)
        = "healthCheck.matcher={value} is not valid; use HTTP codes from 200 to 499: one (\"200\"), a list (\"200,204\") or a range (\"200-399\")";

    /// A health check must time out before the next one starts. Lower
    /// `timeoutSeconds` or raise `intervalSeconds`.
    LP4030 input health_check_timeout_not_below_interval(
        property = "healthCheck.timeoutSeconds", value: impl Display, interval: impl Display)
        = "healthCheck.timeoutSeconds={value} must be less than healthCheck.intervalSeconds={interval}";

    /// Autoscaling keeps the task count between `minCount` and `maxCount`.
    /// Make `minCount` at most `maxCount`.
    LP4031 input scaling_min_above_max(property = "scaling.minCount", value: impl Display, max: impl Display)
        = "scaling.minCount={value} is more than scaling.maxCount={max}";

    /// A CPU or memory target is a percentage of use to keep the tasks near.
    /// Give a number above 0 and at most 100 (70 is a common choice).
    LP4032 input target_not_a_percentage(property, value: impl Display)
        = "{property}={value} must be a percentage above 0 and at most 100";

    /// A requests-per-target goal is a number of requests per task per
    /// minute. Give a number above 0.
    LP4033 input target_not_positive(property, value: impl Display)
        = "{property}={value} must be more than 0";
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalogue_is_well_formed() {
        assert_eq!(
            launchpad_core::catalogue::problems(&[super::CATALOGUE]),
            Vec::<String>::new()
        );
    }
}
