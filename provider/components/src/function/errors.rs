//! Function's catalogue (LP8xxx): every message about a Function's own
//! inputs, and the warnings its planner gives (LP805x). Secret ARNs, KMS
//! keys and log retention are checked by the code WebService shares
//! ([`crate::aws_secrets`], [`crate::cloudwatch_logs`]) with its entries.
//! See [`launchpad_core::catalogue`] for the rules.

use std::fmt::Display;

launchpad_core::catalogue! {
    area = "Function";

    /// A function's code is either a built folder (`path`) or a container
    /// image (`image`), never both. Keep the one you deploy.
    LP8001 input path_and_image(property = "image", value: impl Display)
        = "image={value} cannot be used with `path`: a function's code is either a built folder (`path`) or a container image (`image`); remove one of them";

    /// Without code there is nothing to run. Give `path` (a built folder,
    /// with `runtime` and `handler`) or `image` (an ECR image URI).
    LP8002 input no_code(property = "path")
        = "a Function needs its code: set `path` to a built folder (with `runtime` and `handler`), or `image` to an ECR image URI";

    /// `path` must name the folder your build writes, relative to the Pulumi
    /// program. Build the code before `pulumi preview`, or fix the path.
    LP8003 input code_path_not_a_folder(property = "path", value: impl Display, looked: impl Display)
        = "path={value} is not a folder{looked}; build the function first or point `path` at its output folder";

    /// Lambda takes at most 250 MB of unzipped code, layers included
    /// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
    /// Leave dependencies out that the runtime has, or deploy a container
    /// image (`image`, up to 10 GB).
    LP8004 input package_too_large(property = "path", value: impl Display, megabytes: impl Display)
        = "path={value} holds {megabytes} MB of files, over Lambda's limit of 250 MB unzipped; trim the folder or deploy a container image with `image`";

    /// The folder could not be listed (an unreadable file or folder, or a
    /// broken link). Make every file readable.
    LP8005 input path_unlistable(property = "path", value: impl Display, why: impl Display)
        = "path={value} cannot be listed: {why}; check that every file in it can be read";

    /// A zip function needs its runtime (Lambda refuses `Zip` code without
    /// one). Set `runtime`, for example `nodejs24.x` or `python3.14`.
    LP8006 input runtime_missing(property = "runtime", valid: impl Display)
        = "runtime is required with `path`; valid: {valid}";

    /// A zip function needs its handler: the function Lambda calls, such
    /// as `index.handler` (Node.js) or `app.handler` (Python).
    LP8007 input handler_missing(property = "handler")
        = "handler is required with `path`, for example \"index.handler\" (file `index`, exported function `handler`)";

    /// A container image names its own runtime and entry point; Lambda
    /// refuses `runtime` and `handler` for `Image` functions. Remove it, or
    /// set the image's CMD.
    LP8008 input set_with_image(property, value: impl Display)
        = "{property}={value} cannot be used with `image`: a container image brings its own runtime and entry point (its CMD); remove {property}";

    /// The runtime is not one Lambda supports today (the list, with its
    /// source and the date it was checked, is in
    /// `provider/components/src/function/runtimes.rs`).
    LP8009 input unknown_runtime(property = "runtime", value: impl Display, valid: impl Display)
        = "runtime={value} is not a Lambda runtime launchpad supports; valid: {valid}";

    /// The runtime is deprecated: Lambda no longer patches it and soon
    /// refuses to create or update functions on it
    /// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
    /// Move to the successor named.
    LP8010 input deprecated_runtime(property = "runtime", value: impl Display, since: impl Display, successor: impl Display)
        = "runtime={value} is deprecated ({since}): Lambda no longer patches it and will refuse to deploy it; use {successor}";

    /// Lambda's handler is 1-128 characters without spaces
    /// (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
    LP8011 input invalid_handler(property = "handler", value: impl Display)
        = "handler={value} is not a valid handler: 1-128 characters without spaces, for example \"index.handler\"";

    /// Lambda runs images from Amazon ECR only, in the function's region
    /// (https://docs.aws.amazon.com/lambda/latest/dg/images-create.html);
    /// copy an image from another registry into ECR first.
    LP8012 input image_not_ecr(property = "image", value: impl Display)
        = "image={value} is not an Amazon ECR image URI; Lambda runs images from ECR only: \"<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>\" or \"…@sha256:<digest>\" (push the image to ECR first)";

    /// The image's ECR repository must be in the function's region (another
    /// account is fine). Replicate the repository into the stack's region.
    LP8013 input image_in_another_region(property = "image", value: impl Display, image_region: impl Display, region: impl Display)
        = "image={value} is in {image_region} but the function runs in {region}: Lambda takes images from ECR in its own region; push or replicate the image to {region}";

    /// Lambda sets these variables itself and refuses them in a function's
    /// environment
    /// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
    /// Rename the variable.
    LP8014 input lambda_reserved_variable(property, name: impl Display)
        = "{property}: {name} is reserved by Lambda (it sets it itself); rename the variable";

    /// Log levels filter JSON logs only
    /// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
    /// Set `logFormat: "JSON"`, or remove `logLevel`.
    LP8015 input log_level_without_json(property = "logLevel", value: impl Display)
        = "logLevel={value} needs logFormat=\"JSON\": Lambda filters log levels in JSON logs only; set logFormat=\"JSON\" or remove logLevel";

    /// EventBridge Scheduler takes `rate(value unit)` or a six-field
    /// `cron(minutes hours day-of-month month day-of-week year)`
    /// (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
    /// `{why}` says which part is wrong.
    LP8016 input invalid_schedule_expression(property = "schedule.expression", value: impl Display, why: impl Display)
        = "schedule.expression={value} is not a valid schedule: {why}; for example \"rate(5 minutes)\", \"rate(1 hour)\" or \"cron(0 9 ? * MON-FRI *)\"";

    /// Lambda's CORS settings take at most this many items
    /// (https://docs.aws.amazon.com/lambda/latest/api/API_Cors.html).
    LP8017 input cors_too_many(property, count: usize, max: usize)
        = "{property} lists {count} items; a function URL's CORS settings take at most {max}";

    /// A function URL's CORS methods are `GET`, `PUT`, `HEAD`, `POST`,
    /// `PATCH`, `DELETE` or `*`; Lambda answers `OPTIONS` preflights itself
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-url-cors.html).
    LP8018 input cors_bad_method(property, value: impl Display)
        = "{property}={value} is not a method a function URL's CORS takes; valid: GET, PUT, HEAD, POST, PATCH, DELETE or * (Lambda answers OPTIONS preflights itself)";

    /// Browsers refuse credentialed responses whose allowed origin is `*`
    /// (https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#credentialed_requests_and_wildcards).
    /// List the origins that may send credentials.
    LP8019 input cors_credentials_with_any_origin(property = "url.cors.allowCredentials")
        = "url.cors.allowCredentials=true cannot be used with allowOrigins [\"*\"]: browsers refuse credentialed responses to any origin; list the origins, for example [\"https://app.example.com\"]";

    /// A Function needs the stack's AWS region (to check an image's region
    /// and to name ARNs). Set it with `pulumi config set aws:region`.
    LP8020 input function_without_region(property = "aws:region")
        = "a Function needs the stack's AWS region: run `pulumi config set aws:region <region>`, for example us-east-1";

    /// Lambda has no `<arn>:<json-key>::` form (that is ECS's): the function
    /// receives the secret's ARN and reads the key from the JSON itself.
    /// Give the secret's ARN.
    LP8021 input secret_json_key(property)
        = "{property} has a JSON key (`<arn>:<json-key>::`), which only ECS reads; give the secret's ARN and select the key in the function's code";

    /// A CORS item is too long for Lambda
    /// (https://docs.aws.amazon.com/lambda/latest/api/API_Cors.html).
    LP8022 input cors_item_too_long(property, value: impl Display, max: usize)
        = "{property}={value} is longer than {max} characters, the most a function URL's CORS takes";

    /// Lambda refuses environments over 4 KB, counting every name and value
    /// (the `<NAME>_SECRET_ARN` variables included)
    /// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
    /// Move large values to a secret or parameter.
    LP8023 input environment_too_large(property = "environment", bytes: usize)
        = "environment and secrets make {bytes} bytes of variables, over Lambda's limit of 4096 (4 KB); keep large values in Secrets Manager or SSM and read them at start";

    /// A secret's variable `<NAME>_SECRET_ARN` would overwrite a variable of
    /// `environment` with that name. Rename one of them.
    LP8024 input secret_variable_taken(property, variable: impl Display)
        = "{property} is passed as {variable}, which `environment` also sets; rename one of them";

    /// A VPC needs subnets and security groups for the function's network
    /// interfaces. List at least one of each.
    LP8025 input empty_vpc_list(property)
        = "{property} is empty; a function in a VPC needs at least one subnet and one security group";

    /// Lambda's variable names start with a letter and have two characters
    /// at least (API `EnvironmentVariableName`, `[a-zA-Z][a-zA-Z0-9_]+`).
    LP8026 input invalid_variable_name(property, value: impl Display)
        = "{property}: {value} is not a name Lambda takes; a variable name starts with a letter and has letters, digits and `_`, two characters at least (for example DATABASE_URL)";

    /// Lambda's direct upload takes at most 50 MB zipped
    /// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html);
    /// a folder this large may zip above it and fail at `pulumi up`.
    LP8050 runtime package_near_upload_limit(path: impl Display, megabytes: impl Display)
        = "path={path} holds {megabytes} MB of files; Lambda takes at most 50 MB zipped by direct upload, so `pulumi up` fails if it does not zip below that: trim the folder or deploy a container image";

    /// Lambda streams responses on its Node.js runtimes only
    /// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html);
    /// other languages need a custom runtime or the Lambda Web Adapter.
    LP8051 runtime streaming_without_node(runtime: impl Display)
        = "url.invokeMode=\"RESPONSE_STREAM\" with runtime={runtime}: Lambda streams responses natively on Node.js runtimes only; other languages need a custom runtime or the Lambda Web Adapter";
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
