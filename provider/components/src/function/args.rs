//! Function inputs, decoded and validated into [`FunctionArgs`]. Every
//! refusal names the property, the value and the valid choices.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use launchpad_core::schema::TypeDef;
use launchpad_core::{ArgsReader, ConstructContext, Input, InputError, Inputs, PropertyMap, Value};

use super::errors;
use super::runtimes;
use super::schedule;
use super::{ARCHITECTURE, INVOKE_MODE, LOG_FORMAT, LOG_LEVEL, URL_AUTH_TYPE};
use crate::aws_regions;
use crate::aws_secrets::{SecretRef, SecretRules, kms_key_list, partition, secret_refs};
use crate::cloudwatch_logs::LogRetentionInputs;
use crate::container::{self, env_name, image_reference};

/// Function's inputs, each declared once: its doc comment is its
/// description, its attributes its rules and the child property it feeds.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct FunctionInputs {
    /// The function's built code: a folder relative to the program (for example `dist`),
    /// zipped and uploaded as it is. A changed file updates the function's code. Needs
    /// `runtime` and `handler`; not with `image`.
    #[input(feeds("function.code"))]
    pub path: Option<Input<String>>,
    /// A container image in Amazon ECR in the stack's region:
    /// `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>` or `…@sha256:<digest>`
    /// (prefer a digest: pushing a new image under the same tag does not update the function).
    /// Its architecture must be `architecture`. Not with `path`.
    // Passed on as it came: it may be another resource's output at preview.
    #[input(ty = TypeDef::String, feeds("function.imageUri"))]
    pub image: Option<Value>,
    /// The Lambda runtime of the code in `path`, for example `nodejs24.x` or `python3.14`.
    #[input(
        check = runtime,
        rule = "One of the runtimes Lambda supports (checked 2026-12-05): nodejs24.x, nodejs22.x, python3.14, python3.13, python3.12, python3.11, java25, java21, java17, java11, java8.al2, dotnet10, ruby3.4, ruby3.3, provided.al2023. A deprecated runtime is refused with its successor named.",
        feeds("function.runtime")
    )]
    pub runtime: Option<Input<String>>,
    /// The function Lambda calls in `path`'s code, for example `index.handler` (file `index`,
    /// export `handler`) or `app.main` (Python module `app`, function `main`).
    #[input(
        check = handler,
        rule = "1 to 128 characters without spaces.",
        feeds("function.handler")
    )]
    pub handler: Option<Input<String>>,
    /// The processor the code runs on. `arm64` (Graviton) costs less per second; code with
    /// native x86 binaries, or an x86 image, needs `x86_64` and fails at invoke otherwise.
    #[input(choices = ARCHITECTURE, default = "arm64", feeds("function.architectures"))]
    pub architecture: Input<String>,
    /// Memory in MB; CPU grows with it (1,769 MB is one vCPU).
    #[input(range = 128..=10240, default = 512, feeds("function.memorySize"))]
    pub memory: Input<f64>,
    /// Seconds an invocation may run.
    #[input(range = 1..=900, default = 20, feeds("function.timeout"))]
    pub timeout: Input<f64>,
    /// Size of `/tmp` in MB.
    #[input(range = 512..=10240, default = 512, feeds("function.ephemeralStorage"))]
    pub ephemeral_storage: Input<f64>,
    /// Environment variables. Names start with a letter; Lambda's own (`AWS_REGION`,
    /// `AWS_LAMBDA_FUNCTION_NAME` …) are refused; `TZ`, `LANG` or `NODE_OPTIONS` may be set. With `secrets`, at most 4 KB in all.
    // Values may be secret or unknown.
    #[input(read_with = environment, feeds("function.environment"))]
    pub environment: BTreeMap<String, Value>,
    /// Secrets the code reads: variable name → the ARN of a Secrets Manager secret or of an
    /// SSM parameter. Lambda injects no secret values: the function gets the ARN in
    /// `<NAME>_SECRET_ARN` and reads the value at start, with the AWS SDK
    /// (`GetSecretValue`, `GetParameter`) or the AWS Parameters and Secrets Lambda Extension.
    /// Its role may read exactly these.
    // Checked against `environment` into [`FunctionArgs::secrets`].
    #[input(feeds("function.environment", "secretsPolicy.policy"))]
    pub secrets: BTreeMap<String, Value>,
    /// The customer managed KMS keys that encrypt the `secrets`, by key ARN; the role may
    /// then decrypt with exactly these, only through Secrets Manager or Systems Manager. Not
    /// needed for the AWS managed keys. Only with `secrets`.
    #[input(ty = TypeDef::Array(&TypeDef::String), feeds("secretsPolicy.policy"))]
    pub secrets_kms_key_arns: Option<Value>,
    /// Run in a VPC, to reach private resources (a database). The function then reaches the
    /// internet and AWS APIs only through a NAT gateway or VPC endpoints.
    #[input(feeds("function.vpcConfig"))]
    pub vpc: Option<FunctionVpc>,
    /// Concurrent executions reserved for this function (and the most it may run); 0 stops
    /// it. Without it, the function shares the account's pool. AWS keeps 100 unreserved, so
    /// on a new account with a low limit any reservation may be refused.
    #[input(range = 0.., feeds("function.reservedConcurrentExecutions"))]
    pub reserved_concurrency: Option<Input<f64>>,
    /// `logRetentionDays`.
    #[input(flatten)]
    pub logs: LogRetentionInputs,
    /// How the runtime writes logs.
    #[input(choices = LOG_FORMAT, default = "Text", feeds("function.loggingConfig"))]
    pub log_format: Input<String>,
    /// The least severe application log level kept. Only with `logFormat: "JSON"`.
    #[input(choices = LOG_LEVEL, feeds("function.loggingConfig"))]
    pub log_level: Option<Input<String>>,
    /// An HTTPS endpoint for the function (`url: {}` gives one with IAM auth).
    #[input(feeds("url.authorizationType", "url.invokeMode", "url.cors"))]
    pub url: Option<FunctionUrl>,
    /// Run the function on a schedule, through EventBridge Scheduler.
    #[input(feeds(
        "schedule.scheduleExpression",
        "schedule.scheduleExpressionTimezone",
        "schedule.state",
        "schedule.target"
    ))]
    pub schedule: Option<FunctionSchedule>,
    /// What the function does, shown in the AWS console.
    #[input(ty = TypeDef::String, feeds("function.description"))]
    pub description: Option<Value>,
    /// Tags applied to every child resource that supports tags (not the schedule).
    #[input(ty = TypeDef::Map(&TypeDef::String), feeds("*.tags"))]
    pub tags: Option<Value>,
}

/// The VPC a function runs in.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:FunctionVpc")]
pub struct FunctionVpc {
    /// Subnets for the function's network interfaces (private subnets, in two zones or more).
    #[input(ty = TypeDef::Array(&TypeDef::String))]
    pub subnet_ids: Value,
    /// Security groups of the function's network interfaces.
    #[input(ty = TypeDef::Array(&TypeDef::String))]
    pub security_group_ids: Value,
}

/// A function URL on the `live` alias.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:FunctionUrl")]
pub struct FunctionUrl {
    /// Who may call the URL.
    #[input(choices = URL_AUTH_TYPE, default = "AWS_IAM")]
    pub auth_type: Input<String>,
    /// How the response is returned.
    #[input(choices = INVOKE_MODE, default = "BUFFERED")]
    pub invoke_mode: Input<String>,
    /// Cross-origin access for browsers on other sites.
    pub cors: Option<FunctionUrlCors>,
}

/// CORS settings of a function URL.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:FunctionUrlCors")]
pub struct FunctionUrlCors {
    /// Origins that may call (`https://app.example.com`, or `*`); at most 100.
    pub allow_origins: Option<Vec<Input<String>>>,
    /// Methods allowed: `GET`, `PUT`, `HEAD`, `POST`, `PATCH`, `DELETE` or `*`; at most 6.
    pub allow_methods: Option<Vec<Input<String>>>,
    /// Request headers allowed; at most 100. Sent lower case, as Lambda keeps them.
    pub allow_headers: Option<Vec<Input<String>>>,
    /// Response headers the browser may read; at most 100. Sent lower case, as Lambda keeps them.
    pub expose_headers: Option<Vec<Input<String>>>,
    /// Seconds a browser may cache a preflight answer.
    #[input(range = 0..=86400)]
    pub max_age: Option<Input<f64>>,
    /// Allow cookies and credentials; not with origin `*`.
    #[input(default = false)]
    pub allow_credentials: Input<bool>,
}

/// A recurring schedule (EventBridge Scheduler) that invokes the `live` alias.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:FunctionSchedule")]
pub struct FunctionSchedule {
    /// `rate(5 minutes)`, `rate(1 day)` or `cron(minutes hours day-of-month month day-of-week
    /// year)`, for example `cron(0 9 ? * MON-FRI *)`.
    #[input(
        check = schedule_expression,
        rule = "`rate(value unit)` (unit singular for 1 only) or a six-field `cron(...)` with `?` in exactly one of day-of-month and day-of-week; at most 256 characters."
    )]
    pub expression: Input<String>,
    /// The IANA time zone cron expressions are read in, for example `Europe/Paris`.
    #[input(default = "UTC")]
    pub timezone: Input<String>,
    /// Whether the schedule runs.
    #[input(default = true)]
    pub enabled: Input<bool>,
    /// The event the function receives, as a JSON object of strings (`{}` without it).
    pub input: BTreeMap<String, Value>,
    /// Times Scheduler retries an invocation it could not deliver (function errors are
    /// Lambda's asynchronous retries, twice by default).
    #[input(range = 0..=185, default = 0)]
    pub retry_attempts: Input<f64>,
}

/// Validated Function inputs and what the planner derives from them.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionArgs {
    /// The inputs as declared.
    pub inputs: FunctionInputs,
    /// Where the code comes from.
    pub code: Code,
    /// Variables whose secret the code reads by ARN.
    pub secrets: Vec<SecretRef>,
    /// `secretsKmsKeyArns` checked where known; `None` for an empty list.
    pub secrets_kms_keys: Option<Value>,
    /// The AWS region (from `aws:region`).
    pub region: String,
    /// The AWS partition of the region.
    pub partition: &'static str,
}

/// The function's code.
#[derive(Clone, Debug, PartialEq)]
pub enum Code {
    /// A folder, zipped by the engine.
    Folder {
        /// The folder, resolved from the program's.
        folder: PathBuf,
        /// The runtime (required with a folder).
        runtime: Input<String>,
        /// The handler (required with a folder).
        handler: Input<String>,
        /// The files' total size, unzipped.
        bytes: u64,
    },
    /// A container image URI, as given.
    Image(Value),
}

/// Lambda refuses code over 250 MB unzipped.
pub const MAX_UNZIPPED_BYTES: u64 = 250 * 1024 * 1024;
/// Lambda's direct upload takes 50 MB zipped; warn when the files alone exceed it.
pub const DIRECT_UPLOAD_BYTES: u64 = 50 * 1024 * 1024;
/// Lambda's limit on all environment variables together.
const MAX_ENVIRONMENT_BYTES: usize = 4096;
/// The suffix of the variable that carries a secret's ARN.
pub const SECRET_ARN_SUFFIX: &str = "_SECRET_ARN";

/// Variables Lambda sets itself and refuses in a function's environment
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime,
/// "Reserved environment variables"; re-read 2026-12-05). `TZ`, `LANG`, `PATH`,
/// `NODE_OPTIONS` and the other "unreserved" ones there may be set.
const RESERVED_VARIABLES: [&str; 21] = [
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
    "AWS_LAMBDA_MAX_CONCURRENCY",
    "AWS_LAMBDA_METADATA_API",
    "AWS_LAMBDA_METADATA_TOKEN",
];

/// Lambda's code reads a secret by its ARN; it has no JSON-key form.
const SECRET_RULES: SecretRules = SecretRules {
    json_key_refused: Some(errors::secret_json_key),
};

impl FunctionArgs {
    /// Decode and validate raw inputs; `path` starts at the program's folder.
    pub fn decode(
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<FunctionArgs, InputError> {
        let inputs = FunctionInputs::decode(inputs)?;
        let region = aws_regions::stack_region(ctx, errors::function_without_region)?;
        let code = code(ctx, &inputs, &region)?;
        let secrets = secret_refs(&inputs.secrets, &inputs.environment, &SECRET_RULES)?;
        let secrets_kms_keys =
            kms_key_list(inputs.secrets_kms_key_arns.as_ref(), partition(&region))?;
        if secrets.is_empty() && secrets_kms_keys.is_some() {
            return Err(crate::web_service::errors::kms_keys_without_secrets());
        }
        environment_size(&inputs.environment, &secrets)?;
        if let Some(level) = &inputs.log_level
            && inputs.log_format.as_str() != "JSON"
        {
            return Err(errors::log_level_without_json(level.shown()));
        }
        if let Some(vpc) = &inputs.vpc {
            non_empty("vpc.subnetIds", &vpc.subnet_ids)?;
            non_empty("vpc.securityGroupIds", &vpc.security_group_ids)?;
        }
        if let Some(cors) = inputs.url.as_ref().and_then(|u| u.cors.as_ref()) {
            cors_settings(cors)?;
        }
        Ok(FunctionArgs {
            inputs,
            code,
            secrets,
            secrets_kms_keys,
            partition: partition(&region),
            region,
        })
    }

    /// The variable each secret's ARN is passed in.
    pub fn secret_variable(secret: &SecretRef) -> String {
        format!("{}{SECRET_ARN_SUFFIX}", secret.name)
    }
}

/// Exactly one of `path` and `image`; a folder with its runtime and
/// handler, or an ECR image in the stack's region without them.
fn code(ctx: &ConstructContext, inputs: &FunctionInputs, region: &str) -> Result<Code, InputError> {
    match (&inputs.path, &inputs.image) {
        (Some(_), Some(image)) => Err(errors::path_and_image(shown(image))),
        (None, None) => Err(errors::no_code()),
        (None, Some(image)) => {
            for (property, value) in [("runtime", &inputs.runtime), ("handler", &inputs.handler)] {
                if let Some(v) = value {
                    return Err(errors::set_with_image(property, v.shown()));
                }
            }
            if let Some(uri) = Input::known(image) {
                ecr_image(&uri, region)?;
            }
            Ok(Code::Image(image.clone()))
        }
        (Some(path), None) => {
            let runtime = inputs
                .runtime
                .clone()
                .ok_or_else(|| errors::runtime_missing(runtimes::listed()))?;
            let handler = inputs.handler.clone().ok_or_else(errors::handler_missing)?;
            let folder = ctx.resolve_path(path.as_str());
            if !folder.is_dir() {
                let looked = if path.secret() {
                    String::new()
                } else {
                    format!(" (looked for {})", folder.display())
                };
                return Err(errors::code_path_not_a_folder(path.shown(), looked));
            }
            let bytes =
                folder_size(&folder).map_err(|e| errors::path_unlistable(path.shown(), e))?;
            if bytes > MAX_UNZIPPED_BYTES {
                return Err(errors::package_too_large(path.shown(), megabytes(bytes)));
            }
            Ok(Code::Folder {
                folder,
                runtime,
                handler,
                bytes,
            })
        }
    }
}

/// A size in MB with one decimal, for messages.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// The total size of the files under `folder` (links followed, as the
/// engine's archive follows them, but never back into a folder the walk is
/// already in, which would never end).
fn folder_size(folder: &Path) -> Result<u64, String> {
    let real = |p: &Path| {
        p.canonicalize()
            .map_err(|e| format!("{}: {e}", p.display()))
    };
    folder_size_within(folder, &mut vec![real(folder)?])
}

/// [`folder_size`] of `folder`, whose real path and its ancestors' are
/// `inside`.
fn folder_size_within(folder: &Path, inside: &mut Vec<PathBuf>) -> Result<u64, String> {
    let mut total = 0;
    let entries = std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let meta = std::fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !meta.is_dir() {
            total += meta.len();
            continue;
        }
        let real = path
            .canonicalize()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if inside.contains(&real) {
            continue;
        }
        inside.push(real);
        total += folder_size_within(&path, inside)?;
        inside.pop();
    }
    Ok(total)
}

fn shown(value: &Value) -> String {
    match Input::known(value) {
        Some(v) => v.shown(),
        None => "[unknown]".into(),
    }
}

/// `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>(:tag|@sha256:…)`,
/// in the stack's region.
fn ecr_image(uri: &Input<String>, region: &str) -> Result<(), InputError> {
    image_reference("image", uri.clone())?;
    let host = uri.split('/').next().unwrap_or_default();
    let parts: Vec<&str> = host.split('.').collect();
    let ecr = match parts.as_slice() {
        [account, "dkr", "ecr", image_region, "amazonaws", "com"]
        | [
            account,
            "dkr",
            "ecr",
            image_region,
            "amazonaws",
            "com",
            "cn",
        ] => (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()))
            .then_some(*image_region),
        _ => None,
    };
    let has_repository = uri.len() > host.len() + 1;
    let Some(image_region) = ecr.filter(|_| has_repository) else {
        return Err(errors::image_not_ecr(uri.shown()));
    };
    if image_region != region {
        return Err(errors::image_in_another_region(
            uri.shown(),
            image_region,
            region,
        ));
    }
    Ok(())
}

/// `environment`: WebService's name rule, then Lambda's own: a letter
/// first, two characters at least, none of Lambda's reserved names.
fn environment(r: &ArgsReader<'_>, name: &str) -> Result<BTreeMap<String, Value>, InputError> {
    let environment = container::environment(r, name)?;
    for variable in environment.keys() {
        lambda_variable(name, variable)?;
    }
    Ok(environment)
}

/// A variable name Lambda accepts (`[a-zA-Z][a-zA-Z0-9_]+`, API
/// `EnvironmentVariableName`) and does not reserve.
fn lambda_variable(map: &str, variable: &str) -> Result<(), InputError> {
    let property = format!("{map}.{variable}");
    if RESERVED_VARIABLES.contains(&variable) {
        return Err(errors::lambda_reserved_variable(&property, variable));
    }
    if !variable.starts_with(|c: char| c.is_ascii_alphabetic()) || variable.len() < 2 {
        // The shared message names the rule; a leading `_` or one letter
        // passes it, so say it with Lambda's stricter example.
        return Err(errors::invalid_variable_name(
            &property,
            format!("{variable:?}"),
        ));
    }
    env_name(map, variable)
}

/// Names and known values of every variable, the secrets' ARN variables
/// included, within Lambda's 4 KB; each secret's variable free.
fn environment_size(
    environment: &BTreeMap<String, Value>,
    secrets: &[SecretRef],
) -> Result<(), InputError> {
    let known_len = |v: &Value| match v.unwrap_top() {
        (Some(Value::String(s)), _) => s.len(),
        _ => 0,
    };
    let mut bytes = 0;
    for (name, value) in environment {
        bytes += name.len() + known_len(value);
    }
    for s in secrets {
        let variable = FunctionArgs::secret_variable(s);
        let property = format!("secrets.{}", s.name);
        lambda_variable("secrets", &s.name)?;
        if environment.contains_key(&variable) {
            return Err(errors::secret_variable_taken(&property, variable));
        }
        bytes += variable.len() + known_len(&s.value_from);
    }
    if bytes > MAX_ENVIRONMENT_BYTES {
        return Err(errors::environment_too_large(bytes));
    }
    Ok(())
}

/// A known list has at least one item.
fn non_empty(property: &str, list: &Value) -> Result<(), InputError> {
    if let (Some(Value::Array(items)), _) = list.unwrap_top()
        && items.is_empty()
    {
        return Err(errors::empty_vpc_list(property));
    }
    Ok(())
}

/// Lambda's CORS limits (https://docs.aws.amazon.com/lambda/latest/api/API_Cors.html).
fn cors_settings(cors: &FunctionUrlCors) -> Result<(), InputError> {
    let lists = [
        ("url.cors.allowOrigins", &cors.allow_origins, 100, 253),
        ("url.cors.allowMethods", &cors.allow_methods, 6, 6),
        ("url.cors.allowHeaders", &cors.allow_headers, 100, 1024),
        ("url.cors.exposeHeaders", &cors.expose_headers, 100, 1024),
    ];
    for (property, list, most, longest) in lists {
        let Some(items) = list else { continue };
        if items.len() > most {
            return Err(errors::cors_too_many(property, items.len(), most));
        }
        for (i, item) in items.iter().enumerate() {
            let at = format!("{property}[{i}]");
            if property == "url.cors.allowMethods"
                && !["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"].contains(&item.as_str())
            {
                return Err(errors::cors_bad_method(&at, item.shown()));
            }
            if item.is_empty() || item.len() > longest {
                return Err(errors::cors_item_too_long(&at, item.shown(), longest));
            }
        }
    }
    let any_origin = cors
        .allow_origins
        .iter()
        .flatten()
        .any(|o| o.as_str() == "*");
    if *cors.allow_credentials && any_origin {
        return Err(errors::cors_credentials_with_any_origin());
    }
    Ok(())
}

/// `runtime`: supported today; a deprecated one names its successor.
fn runtime(property: &str, runtime: Input<String>) -> Result<Input<String>, InputError> {
    // The entries name their property; this check serves no other.
    debug_assert_eq!(property, "runtime");
    match runtimes::refusal(&runtime) {
        None => Ok(runtime),
        Some(runtimes::Refusal::Deprecated { since, successor }) => {
            let since = if since.is_empty() {
                "long ago".to_string()
            } else {
                format!("since {since}")
            };
            Err(errors::deprecated_runtime(
                runtime.shown(),
                since,
                successor,
            ))
        }
        Some(runtimes::Refusal::Unknown) => {
            Err(errors::unknown_runtime(runtime.shown(), runtimes::listed()))
        }
    }
}

/// `handler`: 1-128 characters, no whitespace (API `Handler`).
fn handler(property: &str, handler: Input<String>) -> Result<Input<String>, InputError> {
    debug_assert_eq!(property, "handler");
    if handler.is_empty() || handler.len() > 128 || handler.chars().any(char::is_whitespace) {
        return Err(errors::invalid_handler(handler.shown()));
    }
    Ok(handler)
}

/// `schedule.expression`: a rate or cron expression Scheduler takes.
fn schedule_expression(
    property: &str,
    expression: Input<String>,
) -> Result<Input<String>, InputError> {
    debug_assert_eq!(property, "schedule.expression");
    match schedule::problem(&expression) {
        None => Ok(expression),
        Some(why) => Err(errors::invalid_schedule_expression(expression.shown(), why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule sentence is written out for the schema; it must list
    /// exactly the runtimes the check accepts, in order.
    #[test]
    fn the_runtime_rule_lists_the_supported_runtimes() {
        let def = FunctionInputs::PROPERTIES
            .iter()
            .find(|p| p.name == "runtime")
            .expect("declared");
        let sentence = format!("(checked 2026-12-05): {}.", runtimes::listed());
        assert!(def.description.contains(&sentence), "{}", def.description);
    }
}
