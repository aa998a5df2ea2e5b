//! The Function planner: validated args → the child resources, one
//! function per concern (logs and IAM, the function and its alias, the
//! URL, the schedule) composed by [`plan`].

use std::collections::BTreeMap;

use launchpad_core::value::{Archive, ArchiveSource};
use launchpad_core::{ChildResource, ComponentPlan, ConstructContext, Expr, Value};

use super::ALIAS;
use super::args::{
    Code, DIRECT_UPLOAD_BYTES, FunctionArgs, FunctionSchedule, FunctionUrl, megabytes,
};
use super::{errors, runtimes};
use crate::aws_iam::{self, allow, role_policy};
use crate::aws_secrets;
use crate::cloudwatch_logs;
use crate::naming::AwsNames as Names;

/// Child keys, one place: a typo is a compile error, not a dangling reference.
pub mod key {
    #![allow(missing_docs)]
    pub const ROLE: &str = "role";
    pub const LOGS_POLICY: &str = "logsPolicy";
    pub const SECRETS_POLICY: &str = "secretsPolicy";
    pub const VPC_POLICY: &str = "vpcPolicy";
    pub const LOG_GROUP: &str = "logGroup";
    pub const FUNCTION: &str = "function";
    pub const ALIAS: &str = "alias";
    pub const URL: &str = "url";
    pub const PUBLIC_URL_PERMISSIONS: [&str; 2] = ["publicUrlAccess", "publicUrlInvoke"];
    pub const SCHEDULE_ROLE: &str = "scheduleRole";
    pub const SCHEDULE_POLICY: &str = "schedulePolicy";
    pub const SCHEDULE: &str = "schedule";
}

/// What a function in a VPC needs to manage its network interfaces: the
/// EC2 actions of AWSLambdaVPCAccessExecutionRole without its logs on `*`
/// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html).
/// They take no narrower resource: `DescribeNetworkInterfaces` works only on `*`.
const ENI_ACTIONS: [&str; 6] = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
];

/// Plan the children of a Function named `ctx.name`.
pub fn plan(ctx: &ConstructContext, args: &FunctionArgs) -> ComponentPlan {
    let names = Names::new(ctx, super::DEFINITION.token, "Function", "function");
    let mut children = iam(&names, args);
    // The role must hold its permissions before Lambda checks them at
    // create (ENIs in a VPC) and before the first invoke writes a log.
    let policies = children
        .iter()
        .filter(|c| c.type_token == aws_iam::ROLE_POLICY)
        .map(|c| c.key.clone())
        .collect();
    children.extend(function(&names, args, policies));
    let mut outputs: BTreeMap<String, Expr> = [
        ("functionName", Expr::output(key::FUNCTION, "name")),
        ("functionArn", Expr::output(key::FUNCTION, "arn")),
        ("aliasName", Expr::output(key::ALIAS, "name")),
        ("aliasArn", Expr::output(key::ALIAS, "arn")),
        ("version", Expr::output(key::FUNCTION, "version")),
        ("roleArn", Expr::output(key::ROLE, "arn")),
        ("roleName", Expr::output(key::ROLE, "name")),
        ("logGroupName", Expr::output(key::LOG_GROUP, "name")),
        // A plain value: a StaticSite route reads it at preview.
        ("timeout", Value::from(&args.inputs.timeout).into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(url) = &args.inputs.url {
        children.extend(function_url(&names, url));
        outputs.insert("url".into(), Expr::output(key::URL, "functionUrl"));
        // A plain value, known at preview (a StaticSite route checks it).
        outputs.insert("urlAuthType".into(), Value::from(&url.auth_type).into());
    }
    if let Some(schedule) = &args.inputs.schedule {
        children.extend(schedule_children(&names, args, schedule));
        outputs.insert("scheduleArn".into(), Expr::output(key::SCHEDULE, "arn"));
    }
    ComponentPlan {
        children,
        outputs,
        warnings: warnings(args),
        ..ComponentPlan::default()
    }
}

/// What deploys but may fail later: a folder near the upload limit, a
/// streaming URL on a runtime that does not stream.
fn warnings(args: &FunctionArgs) -> Vec<String> {
    let mut out = Vec::new();
    if let Code::Folder { bytes, runtime, .. } = &args.code {
        if *bytes > DIRECT_UPLOAD_BYTES {
            let path = args
                .inputs
                .path
                .as_ref()
                .map(|p| p.shown())
                .unwrap_or_default();
            out.push(errors::package_near_upload_limit(path, megabytes(*bytes)).to_string());
        }
        let streams = args
            .inputs
            .url
            .as_ref()
            .is_some_and(|u| u.invoke_mode.as_str() == "RESPONSE_STREAM");
        if streams && !runtimes::streams_natively(runtime) {
            out.push(errors::streaming_without_node(runtime.shown()).to_string());
        }
    }
    out
}

fn tags(args: &FunctionArgs) -> Option<Expr> {
    args.inputs.tags.clone().map(Expr::Value)
}

/// The log group, the execution role and its inline policies: write to
/// exactly the log group, read exactly the secrets, manage network
/// interfaces in a VPC.
fn iam(names: &Names, args: &FunctionArgs) -> Vec<ChildResource> {
    // Lambda's trust takes no aws:SourceAccount condition we could test
    // offline (a wrong one makes the role unassumable at create), so none.
    let mut children = vec![
        aws_iam::role(
            names,
            (key::ROLE, "role", "Lambda execution role"),
            "lambda.amazonaws.com",
            None,
            tags(args),
        ),
        // Pointed at by the function's loggingConfig, so Lambda never makes
        // `/aws/lambda/<name>` itself (a later create would collide with it);
        // custom names must not start `aws/`.
        cloudwatch_logs::log_group(names, key::LOG_GROUP, &args.inputs.logs, tags(args)),
        // Log streams only, in exactly this group: never logs:CreateLogGroup,
        // so nothing can recreate a group without retention after a destroy.
        // A LogGroup's `arn` has no `:*`; its streams' ARNs go on from it.
        role_policy(
            names,
            key::LOGS_POLICY,
            "logs-policy",
            key::ROLE,
            vec![allow(
                "WriteTheFunctionsLogs",
                &["logs:CreateLogStream", "logs:PutLogEvents"],
                vec![Expr::Concat(vec![
                    Expr::output(key::LOG_GROUP, "arn"),
                    ":*".into(),
                ])],
            )],
        ),
    ];
    let statements = aws_secrets::read_statements(
        &args.secrets,
        args.secrets_kms_keys.as_ref(),
        &aws_secrets::Reader {
            owner: "Functions",
            // The SDKs and the Parameters and Secrets extension call GetParameter.
            ssm_actions: &["ssm:GetParameter", "ssm:GetParameters"],
            partition: args.partition,
        },
    );
    if !statements.is_empty() {
        children.push(role_policy(
            names,
            key::SECRETS_POLICY,
            "secrets-policy",
            key::ROLE,
            statements,
        ));
    }
    if args.inputs.vpc.is_some() {
        children.push(role_policy(
            names,
            key::VPC_POLICY,
            "vpc-policy",
            key::ROLE,
            vec![allow(
                "ManageTheFunctionsNetworkInterfaces",
                &ENI_ACTIONS,
                vec!["*".into()],
            )],
        ));
    }
    children
}

/// The function, published once the role's `policies` exist, and its
/// `live` alias on the new version.
fn function(names: &Names, args: &FunctionArgs, policies: Vec<String>) -> Vec<ChildResource> {
    let i = &args.inputs;
    // `<label>-<hash>`: known at preview, unique across stacks. The hash also
    // covers the package type, the one input besides the name that replaces a
    // function: the replacement then has a name of its own and is created
    // before the old one is deleted, without a collision.
    let package_type = match &args.code {
        Code::Folder { .. } => "Zip",
        Code::Image(_) => "Image",
    };
    let function_name = names.unique_variant(package_type, 64);
    let mut f = names
        .child(key::FUNCTION, "aws:lambda/function:Function", "function")
        .input("name", function_name)
        .input("role", Expr::output(key::ROLE, "arn"))
        .input("packageType", package_type)
        .input(
            "architectures",
            Expr::Array(vec![Value::from(&i.architecture).into()]),
        )
        .input("memorySize", Value::from(&i.memory))
        .input("timeout", Value::from(&i.timeout))
        .input(
            "ephemeralStorage",
            Expr::object([("size", Value::from(&i.ephemeral_storage).into())]),
        )
        .input("publish", true)
        .input_opt("description", i.description.clone().map(Expr::Value))
        .input_opt(
            "reservedConcurrentExecutions",
            i.reserved_concurrency.as_ref().map(Value::from),
        )
        .input_opt("tags", tags(args));
    f = match &args.code {
        Code::Folder {
            folder,
            runtime,
            handler,
            ..
        } => f
            // The engine hashes the archive: a changed file is an update of
            // `code` (UpdateFunctionCode), never a replacement.
            .input(
                "code",
                Value::Archive(Archive {
                    hash: None,
                    source: ArchiveSource::Path(folder.display().to_string()),
                }),
            )
            .input("runtime", Value::from(runtime))
            .input("handler", Value::from(handler)),
        Code::Image(image) => f.input("imageUri", Expr::Value(image.clone())),
    };
    let mut logging = vec![
        ("logFormat", Expr::from(Value::from(&i.log_format))),
        // Pointing at the group orders it first: Lambda never makes its own.
        ("logGroup", Expr::output(key::LOG_GROUP, "name")),
    ];
    if let Some(level) = &i.log_level {
        logging.push(("applicationLogLevel", Value::from(level).into()));
    }
    f = f.input("loggingConfig", Expr::object(logging));
    let mut variables: BTreeMap<String, Expr> = i
        .environment
        .iter()
        .map(|(k, v)| (k.clone(), Expr::Value(v.clone())))
        .collect();
    for s in &args.secrets {
        variables.insert(
            FunctionArgs::secret_variable(s),
            Expr::Value(s.value_from.clone()),
        );
    }
    if !variables.is_empty() {
        f = f.input(
            "environment",
            Expr::object([("variables", Expr::Object(variables))]),
        );
    }
    if let Some(vpc) = &i.vpc {
        f = f.input(
            "vpcConfig",
            Expr::object([
                ("subnetIds", Expr::Value(vpc.subnet_ids.clone())),
                (
                    "securityGroupIds",
                    Expr::Value(vpc.security_group_ids.clone()),
                ),
            ]),
        );
    }
    f = f.with_options(|o| o.depends_on = policies);
    let alias = names
        .child(key::ALIAS, "aws:lambda/alias:Alias", "alias")
        // Explicit: the provider would otherwise autoname it.
        .input("name", ALIAS)
        .input("functionName", Expr::output(key::FUNCTION, "name"))
        .input("functionVersion", Expr::output(key::FUNCTION, "version"));
    vec![f, alias]
}

/// The function URL on the alias and, for `NONE`, the public permissions
/// on that alias.
fn function_url(names: &Names, url: &FunctionUrl) -> Vec<ChildResource> {
    let mut u = names
        .child(key::URL, "aws:lambda/functionUrl:FunctionUrl", "url")
        .input("functionName", Expr::output(key::FUNCTION, "name"))
        .input("qualifier", ALIAS)
        .input("authorizationType", Value::from(&url.auth_type))
        .input("invokeMode", Value::from(&url.invoke_mode))
        .with_options(|o| o.depends_on = vec![key::ALIAS.into()]);
    if let Some(c) = &url.cors {
        let list = |l: &Option<Vec<launchpad_core::Input<String>>>| {
            l.as_ref()
                .map(|items| Expr::Array(items.iter().map(|s| Value::from(s).into()).collect()))
        };
        // Lambda stores header names lower case and reads them back so
        // (https://github.com/go-to-k/cdk-real-drift/issues/874); names are
        // case-insensitive (RFC 9110), so send them as Lambda keeps them, or
        // every preview after `up` shows an update of the URL.
        let header_names = |l: &Option<Vec<launchpad_core::Input<String>>>| {
            l.as_ref().map(|items| {
                items
                    .iter()
                    .map(|h| h.clone().map(|name| name.to_ascii_lowercase()))
                    .collect::<Vec<_>>()
            })
        };
        let mut cors = vec![(
            "allowCredentials",
            Expr::from(Value::from(&c.allow_credentials)),
        )];
        for (name, l) in [
            ("allowOrigins", &c.allow_origins),
            ("allowMethods", &c.allow_methods),
            ("allowHeaders", &header_names(&c.allow_headers)),
            ("exposeHeaders", &header_names(&c.expose_headers)),
        ] {
            if let Some(e) = list(l) {
                cors.push((name, e));
            }
        }
        if let Some(age) = &c.max_age {
            cors.push(("maxAge", Value::from(age).into()));
        }
        u = u.input("cors", Expr::object(cors));
    }
    let mut children = vec![u];
    if url.auth_type.as_str() == "NONE" {
        // The aws provider adds public statements itself, but the stored
        // terraform-provider-aws function_url.go adds only InvokeFunctionUrl
        // (FunctionURLAllowPublicAccess) and without the qualifier in older
        // versions; a URL created since October 2025 also needs
        // lambda:InvokeFunction, and so does every URL from 2026-11-01, when
        // the grace AWS gave accounts with older URLs ends
        // (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html), and a
        // statement on the function does not cover its alias
        // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html).
        // So both, on the alias, under statement IDs the provider generates
        // (its own fixed IDs would collide). InvokeFunction only through the
        // URL: without `invokedViaFunctionUrl` anyone could call the Invoke API.
        let permission = |i: usize, action: &str, suffix: &str| {
            names
                .child(
                    key::PUBLIC_URL_PERMISSIONS[i],
                    "aws:lambda/permission:Permission",
                    suffix,
                )
                .input("function", Expr::output(key::FUNCTION, "name"))
                .input("qualifier", ALIAS)
                .input("action", action)
                .input("principal", "*")
                .with_options(|o| o.depends_on = vec![key::ALIAS.into()])
        };
        children.push(
            permission(0, "lambda:InvokeFunctionUrl", "url-public")
                .input("functionUrlAuthType", "NONE"),
        );
        children.push(
            permission(1, "lambda:InvokeFunction", "url-public-invoke")
                .input("invokedViaFunctionUrl", true),
        );
    }
    children
}

/// The schedule, and the role Scheduler assumes to invoke exactly the alias.
fn schedule_children(
    names: &Names,
    args: &FunctionArgs,
    s: &FunctionSchedule,
) -> Vec<ChildResource> {
    // `arn:<partition>:lambda:<region>:<account>:function:<name>`: the account
    // without a lookup at preview (unknown on the first one).
    let account = Expr::field(Expr::output(key::FUNCTION, "arn"), ':', 4);
    // Scheduler's confused-deputy guard
    // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role).
    let condition = Expr::object([(
        "StringEquals",
        Expr::object([("aws:SourceAccount", account)]),
    )]);
    let input = Expr::Json(Box::new(Expr::Object(
        s.input
            .iter()
            .map(|(k, v)| (k.clone(), Expr::Value(v.clone())))
            .collect(),
    )));
    let state = if *s.enabled { "ENABLED" } else { "DISABLED" };
    vec![
        aws_iam::role(
            names,
            (
                key::SCHEDULE_ROLE,
                "schedule-role",
                "EventBridge Scheduler role",
            ),
            "scheduler.amazonaws.com",
            Some(condition),
            tags(args),
        ),
        // The alias ARN exactly: a qualified invoke needs the qualified ARN.
        role_policy(
            names,
            key::SCHEDULE_POLICY,
            "schedule-policy",
            key::SCHEDULE_ROLE,
            vec![allow(
                "InvokeTheLiveAlias",
                &["lambda:InvokeFunction"],
                vec![Expr::output(key::ALIAS, "arn")],
            )],
        ),
        // Schedules take no tags. Named by us: an autoname
        // (`<component>-schedule-<random>`) breaks the provider's 64
        // characters of `[0-9A-Za-z_.-]` for a long or spaced component name.
        names
            .child(key::SCHEDULE, "aws:scheduler/schedule:Schedule", "schedule")
            .input("name", names.unique(64))
            .input("scheduleExpression", Value::from(&s.expression))
            .input("scheduleExpressionTimezone", Value::from(&s.timezone))
            .input("state", state)
            .input("flexibleTimeWindow", Expr::object([("mode", "OFF".into())]))
            .input(
                "target",
                Expr::object([
                    ("arn", Expr::output(key::ALIAS, "arn")),
                    ("roleArn", Expr::output(key::SCHEDULE_ROLE, "arn")),
                    ("input", input),
                    (
                        "retryPolicy",
                        Expr::object([(
                            "maximumRetryAttempts",
                            Value::from(&s.retry_attempts).into(),
                        )]),
                    ),
                ]),
            )
            .with_options(|o| o.depends_on = vec![key::SCHEDULE_POLICY.into()]),
    ]
}
