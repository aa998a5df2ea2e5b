//! `launchpad:index:Function` — code on AWS Lambda, published behind a
//! `live` alias, optionally with a function URL and a schedule.
//!
//! Right by default: arm64, a log group created before the function with a
//! retention, and an execution role that may write to exactly that group
//! (never `logs:CreateLogGroup`, so no never-expiring group can appear), read
//! exactly the named secrets and, with `vpc`, manage its network interfaces
//! (inline, not the managed policy that grants logs on `*`). URLs and
//! schedules point at the alias, never at `$LATEST`. Every size, runtime,
//! handler, schedule and CORS mistake fails at preview, without AWS
//! credentials. Read [`args`] for the inputs, [`runtimes`] for the runtime
//! list and its source, [`schedule`] for the schedule grammar, [`plan`] for
//! the children (code and logs, IAM, URL, schedule).

pub mod args;
pub mod errors;
pub mod plan;
pub mod runtimes;
pub mod schedule;
#[cfg(test)]
mod tests;

use launchpad_core::schema::{ComponentDef, EnumDef, PropertyDef, TypeDef};
use launchpad_core::{Component, ComponentPlan, ConstructContext, InputError, Inputs, PropertyMap};

/// Lambda's instruction set architectures (API `Architecture`).
pub static ARCHITECTURE: EnumDef = EnumDef {
    token: "launchpad:index:FunctionArchitecture",
    description: "The processor a function runs on (https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html).",
    values: &[
        ("arm64", "AWS Graviton: about 20% cheaper per second."),
        ("x86_64", "Intel/AMD 64-bit."),
    ],
};

/// Lambda's log formats (API `LoggingConfig.LogFormat`).
pub static LOG_FORMAT: EnumDef = EnumDef {
    token: "launchpad:index:FunctionLogFormat",
    description: "How a function's logs are written (https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html).",
    values: &[
        ("Text", "Plain text lines."),
        ("JSON", "Structured JSON, filterable by level."),
    ],
};

/// Lambda's application log levels (API `LoggingConfig.ApplicationLogLevel`).
pub static LOG_LEVEL: EnumDef = EnumDef {
    token: "launchpad:index:FunctionLogLevel",
    description: "The least severe application log level kept (https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html).",
    values: &[
        ("TRACE", "Everything."),
        ("DEBUG", "Debug and above."),
        ("INFO", "Info and above."),
        ("WARN", "Warnings and above."),
        ("ERROR", "Errors and above."),
        ("FATAL", "Fatal errors only."),
    ],
};

/// Who may call a function URL (API `FunctionUrlAuthType`).
pub static URL_AUTH_TYPE: EnumDef = EnumDef {
    token: "launchpad:index:FunctionUrlAuthType",
    description: "Who may call a function URL (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).",
    values: &[
        (
            "AWS_IAM",
            "Callers sign requests with AWS credentials allowed `lambda:InvokeFunctionUrl` (a StaticSite route signs them through CloudFront).",
        ),
        ("NONE", "Anyone on the internet."),
    ],
};

/// How a function URL answers (API `InvokeMode`).
pub static INVOKE_MODE: EnumDef = EnumDef {
    token: "launchpad:index:FunctionUrlInvokeMode",
    description: "How a function URL returns the response (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html).",
    values: &[
        ("BUFFERED", "The whole response at once, up to 6 MB."),
        (
            "RESPONSE_STREAM",
            "Streamed as it is written, up to 200 MB (Node.js runtimes natively).",
        ),
    ],
};

/// The alias every URL and schedule invokes.
pub const ALIAS: &str = "live";

/// The component's schema definition; its inputs are [`args::FunctionInputs`].
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:Function",
    description: "Code on AWS Lambda — behind a URL, on a schedule, or under a StaticSite's own domain (`routes`) — right by default.\n\nThe function runs on arm64, is published with an alias `live` that its URL and schedule invoke, and logs to a group created before it with a retention. Its role may write to exactly that group, read exactly the named `secrets` (passed as `<NAME>_SECRET_ARN`: Lambda injects no values) and, with `vpc`, manage its network interfaces. Sizes, runtime, handler, schedule and CORS are checked at preview, which needs no AWS credentials.",
    inputs: <args::FunctionInputs as Inputs>::PROPERTIES,
    outputs: &[
        PropertyDef::new("functionName", TypeDef::String, "The Lambda function's name.").required(),
        PropertyDef::new("functionArn", TypeDef::String, "The function's ARN (unqualified).")
            .required(),
        PropertyDef::new(
            "aliasName",
            TypeDef::String,
            "The alias URLs, schedules and routes invoke: always `live`.",
        )
        .required(),
        PropertyDef::new(
            "aliasArn",
            TypeDef::String,
            "The `live` alias's ARN: grant `lambda:InvokeFunction` on this to let others invoke the function.",
        )
        .required(),
        PropertyDef::new("version", TypeDef::String, "The published version `live` points at.")
            .required(),
        PropertyDef::new(
            "roleArn",
            TypeDef::String,
            "The execution role: grant it what the code needs.",
        )
        .required(),
        PropertyDef::new("roleName", TypeDef::String, "The execution role's name.").required(),
        PropertyDef::new(
            "logGroupName",
            TypeDef::String,
            "The CloudWatch log group of the function's output.",
        )
        .required(),
        PropertyDef::new(
            "url",
            TypeDef::String,
            "The function URL (with `url`), ending in `/`.",
        ),
        PropertyDef::new(
            "urlAuthType",
            TypeDef::String,
            "The URL's `authType` (with `url`): `AWS_IAM` or `NONE`.",
        ),
        PropertyDef::new(
            "timeout",
            TypeDef::Number,
            "The function's timeout in seconds.",
        )
        .required(),
        PropertyDef::new(
            "scheduleArn",
            TypeDef::String,
            "The EventBridge Scheduler schedule's ARN (with `schedule`).",
        ),
    ],
};

/// The Function component.
pub struct Function;

impl Component for Function {
    fn definition(&self) -> &'static ComponentDef {
        &DEFINITION
    }

    fn plan(
        &self,
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError> {
        let args = args::FunctionArgs::decode(ctx, inputs)?;
        Ok(plan::plan(ctx, &args))
    }
}
