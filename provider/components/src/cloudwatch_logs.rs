//! The log retention every AWS component with a CloudWatch Logs group
//! offers (WebService, Function): one input, declared once and flattened
//! into each component's inputs, with the retentions CloudWatch Logs accepts.

use launchpad_core::{ChildResource, Expr, Input, InputError, Inputs, Value};

use crate::naming::AwsNames;

use crate::web_service::errors;

/// CloudWatch Logs retention periods, in days.
pub const LOG_RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// How long a component's logs are kept; its log group's key is `logGroup`.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct LogRetentionInputs {
    /// Days the logs are kept in the CloudWatch Logs group the component creates.
    #[input(
        range = 1..=3653,
        default = 30,
        check = log_retention,
        rule = "One of the retentions CloudWatch Logs offers: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653.",
        feeds("logGroup.retentionInDays")
    )]
    pub log_retention_days: Input<f64>,
}

/// The component's log group `key`: a name of our own under `/launchpad/`,
/// known at preview and unique across stacks, kept `logs.logRetentionDays`.
pub fn log_group(
    names: &AwsNames,
    key: &str,
    logs: &LogRetentionInputs,
    tags: Option<Expr>,
) -> ChildResource {
    names
        .child(key, "aws:cloudwatch/logGroup:LogGroup", "logs")
        .input("name", format!("/launchpad/{}", names.unique(200)))
        .input("retentionInDays", Value::from(&logs.log_retention_days))
        .input_opt("tags", tags)
        // A rename must not replace the group (and lose the logs).
        .with_options(|o| o.ignore_changes = vec!["name".into()])
}

/// `logRetentionDays`: a retention CloudWatch Logs offers.
fn log_retention(property: &str, days: Input<f64>) -> Result<Input<f64>, InputError> {
    let whole = *days as u32;
    if LOG_RETENTION_DAYS.contains(&whole) {
        return Ok(days);
    }
    let nearest = LOG_RETENTION_DAYS
        .iter()
        .min_by_key(|d| d.abs_diff(whole))
        .copied()
        .unwrap_or(30);
    // The entry names its property; this check serves no other.
    debug_assert_eq!(property, "logRetentionDays");
    Err(errors::log_retention_not_offered(
        days.shown_number(),
        nearest,
        LOG_RETENTION_DAYS.map(|d| d.to_string()).join(", "),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule sentence is written out for the schema; it must list
    /// exactly the retentions the check accepts.
    #[test]
    fn the_log_retention_rule_lists_the_checked_table() {
        let def = LogRetentionInputs::PROPERTIES
            .iter()
            .find(|p| p.name == "logRetentionDays")
            .expect("declared");
        let listed = LOG_RETENTION_DAYS.map(|d| d.to_string());
        let (head, last) = listed.split_at(listed.len() - 1);
        let sentence = format!("{} or {}.", head.join(", "), last.join(""));
        assert!(def.description.contains(&sentence), "{}", def.description);
    }
}
