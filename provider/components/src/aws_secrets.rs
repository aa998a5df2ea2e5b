//! References to secrets kept in AWS (Secrets Manager secrets and SSM
//! parameters, by ARN) and the IAM statements that let a role read exactly
//! those, for every component that hands secrets to code on AWS (WebService's
//! task execution role, Function's execution role). The messages are
//! WebService's catalogue entries (LP4007, LP4010-LP4016), where they were
//! first written, worded for any component (codes never change meaning);
//! what differs per component is [`SecretRules`].

use std::collections::BTreeMap;

use launchpad_core::{Expr, Input, InputError, Value};

use crate::aws_iam::allow;
use crate::container::secret_variable;
use crate::web_service::errors;

/// What one component accepts in `secrets` beyond a plain ARN.
pub struct SecretRules {
    /// The refusal of `<arn>:<json-key>::` where the reader cannot select a
    /// JSON key (Lambda has no such form); `None` where ECS's form is accepted.
    pub json_key_refused: Option<fn(&str) -> InputError>,
}

/// Who reads the secrets, for the statements' IDs and actions.
pub struct Reader<'a> {
    /// Names the statements: `ReadThe<owner>Secrets`.
    pub owner: &'a str,
    /// The SSM actions the reader calls (ECS: `GetParameters`; the SDKs and
    /// Lambda's extension: `GetParameter`).
    pub ssm_actions: &'a [&'a str],
    /// The AWS partition the reader runs in.
    pub partition: &'a str,
}

/// The statements that let `reader` read exactly `secrets` (each ARN once,
/// however many variables read it) and decrypt them with `kms_keys`; none
/// without secrets.
pub fn read_statements(
    secrets: &[SecretRef],
    kms_keys: Option<&Value>,
    reader: &Reader,
) -> Vec<Expr> {
    let mut secrets_manager: Vec<Expr> = Vec::new();
    let mut ssm: Vec<Expr> = Vec::new();
    let add = |list: &mut Vec<Expr>, arn: &Value| {
        let arn = Expr::Value(arn.clone());
        if !list.contains(&arn) {
            list.push(arn);
        }
    };
    for s in secrets {
        match &s.grant {
            SecretGrant::SecretsManager(arns) => {
                arns.iter().for_each(|a| add(&mut secrets_manager, a))
            }
            SecretGrant::Ssm(arn) => add(&mut ssm, arn),
            SecretGrant::Unknown(arn) => {
                add(&mut secrets_manager, arn);
                add(&mut ssm, arn);
            }
        }
    }
    let reads = (!secrets_manager.is_empty(), !ssm.is_empty());
    let mut statements = Vec::new();
    if reads.0 {
        statements.push(allow(
            &format!("ReadThe{}Secrets", reader.owner),
            &["secretsmanager:GetSecretValue"],
            secrets_manager,
        ));
    }
    if reads.1 {
        statements.push(allow(
            &format!("ReadThe{}Parameters", reader.owner),
            reader.ssm_actions,
            ssm,
        ));
    }
    if let Some(keys) = kms_keys {
        statements.push(decrypt_with(reader, keys, reads.0, reads.1));
    }
    statements
}

/// One environment variable whose value is read from AWS.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretRef {
    /// The variable's name.
    pub name: String,
    /// The reference as given: an ARN (for ECS possibly with a JSON key).
    pub value_from: Value,
    /// What the reading role must be allowed to read.
    pub grant: SecretGrant,
}

/// The permission a secret reference needs.
#[derive(Clone, Debug, PartialEq)]
pub enum SecretGrant {
    /// `secretsmanager:GetSecretValue` on these ARNs.
    SecretsManager(Vec<Value>),
    /// The SSM read actions on this parameter ARN.
    Ssm(Value),
    /// Not known at preview (another resource's output): both actions on
    /// exactly that ARN.
    Unknown(Value),
}

/// The AWS partition a region belongs to (for ARNs of AWS-managed policies).
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The parts of a known ARN of `service` whose resource starts with
/// `resource_prefix`; `None` for anything else (the caller says which ARN
/// it wanted).
pub fn arn_parts<'a>(arn: &'a str, service: &str, resource_prefix: &str) -> Option<Vec<&'a str>> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == service
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5].starts_with(resource_prefix)
        && parts[5].len() > resource_prefix.len();
    ok.then_some(parts)
}

/// The `secrets` map: each value a Secrets Manager secret (with a JSON key
/// where `rules` allow it) or an SSM parameter ARN; names valid and not also in
/// `environment`.
pub fn secret_refs(
    secrets: &BTreeMap<String, Value>,
    environment: &BTreeMap<String, Value>,
    rules: &SecretRules,
) -> Result<Vec<SecretRef>, InputError> {
    let mut refs = Vec::new();
    for (name, value) in secrets.clone() {
        let property = secret_variable(&name, environment)?;
        let grant = match value.unwrap_top() {
            (Some(Value::String(s)), _) => {
                let arn = Input::plain(s.clone());
                match s.split(':').nth(2) {
                    Some("ssm") => {
                        let parts = arn_parts(&arn, "ssm", "parameter/")
                            .ok_or_else(|| errors::not_a_parameter_arn(&property, arn.shown()))?;
                        // Parameter Store's window onto Secrets Manager reads the secret
                        // with secretsmanager:GetSecretValue, which a parameter grant
                        // lacks (https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html);
                        // the secret's own ARN is what ECS reads and we grant exactly.
                        if parts[5].starts_with("parameter/aws/reference/secretsmanager/") {
                            return Err(errors::secret_through_parameter_store(&property));
                        }
                        SecretGrant::Ssm(value.replace_plain(Value::string(s)))
                    }
                    _ => {
                        let parts: Vec<&str> = s.split(':').collect();
                        let base = parts.iter().take(7).copied().collect::<Vec<_>>().join(":");
                        if arn_parts(&base, "secretsmanager", "secret:").is_none() {
                            let shown = Input::plain(base.clone());
                            return Err(errors::not_a_secret_arn(&property, shown.shown()));
                        }
                        if parts.len() > 7 {
                            match rules.json_key_refused {
                                Some(refused) => return Err(refused(&property)),
                                None if parts.len() != 10 => {
                                    return Err(errors::json_key_not_in_ecs_form(&property));
                                }
                                None => {}
                            }
                        }
                        SecretGrant::SecretsManager(
                            secret_arns(&base)
                                .into_iter()
                                .map(|a| value.replace_plain(Value::string(a)))
                                .collect(),
                        )
                    }
                }
            }
            _ => SecretGrant::Unknown(value.clone()),
        };
        refs.push(SecretRef {
            name,
            value_from: value,
            grant,
        });
    }
    Ok(refs)
}

/// The `secretsKmsKeyArns` list: each known item a key ARN (not an alias:
/// IAM matches a `Resource` against the key ARN only) in the service's
/// partition, none twice; `None` for an empty list.
pub fn kms_key_list(value: Option<&Value>, partition: &str) -> Result<Option<Value>, InputError> {
    let Some(value) = value.cloned() else {
        return Ok(None);
    };
    let (Some(Value::Array(items)), _) = value.unwrap_top() else {
        // Another resource's output during preview: checked when it is known.
        return Ok(Some(value));
    };
    if items.is_empty() {
        return Ok(None);
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("secretsKmsKeyArns[{i}]");
        let (arn, taint) = match item.unwrap_top() {
            (Some(Value::String(arn)), taint) => (arn, taint),
            // Another resource's output during preview: checked when it is known.
            (None, _) => continue,
            // The type check lets only a null through.
            (Some(_), _) => {
                return Err(errors::kms_key_is_null(&path));
            }
        };
        let shown = if taint.secret {
            "[secret]".to_string()
        } else {
            format!("{arn:?}")
        };
        kms_key_arn(arn, partition)
            .map_err(|why| errors::invalid_kms_key_arn(&path, &shown, why, partition))?;
        if seen.contains(&arn.as_str()) {
            return Err(errors::kms_key_listed_twice(shown));
        }
        seen.push(arn);
    }
    Ok(Some(value))
}

/// Why `arn` is not the ARN of a KMS key in `partition`, if it is not.
fn kms_key_arn(arn: &str, partition: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, arn_partition, service, region, account, resource] = parts.as_slice() else {
        return Err("is not a KMS key ARN".into());
    };
    if *prefix != "arn" || *service != "kms" || region.is_empty() {
        return Err("is not a KMS key ARN".into());
    }
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("has no 12-digit account ID ({account:?})"));
    }
    if resource.starts_with("alias/") {
        // https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html
        return Err("is an alias ARN: in an IAM policy an alias ARN names the alias, not its key, so it cannot grant kms:Decrypt; give the key's ARN (`aws kms describe-key --key-id alias/<name>` prints it)".into());
    }
    let id = resource.strip_prefix("key/").unwrap_or_default();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err("is not a KMS key ARN (the resource must be `key/<key-id>`)".into());
    }
    if *arn_partition != partition {
        return Err(format!(
            "is a key of partition {arn_partition:?} but the component runs in {partition:?}; only keys of its own partition can be used"
        ));
    }
    Ok(())
}

/// IAM resources for a secret ARN: as written, and with `-??????`, the six
/// characters Secrets Manager appends — an ARN written with the name only
/// cannot be told apart from a complete one (a name may end in `-abcdef`).
fn secret_arns(arn: &str) -> Vec<String> {
    vec![arn.to_string(), format!("{arn}-??????")]
}

/// `kms:Decrypt` on exactly the customer managed keys that encrypt the
/// secrets, which the reading role needs to read them
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html#task-execution-secrets,
/// https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html),
/// and only when Secrets Manager or Systems Manager asks on its behalf
/// (`kms:ViaService`, https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service):
/// the role cannot decrypt anything else with them. A key serves secrets of
/// its own region, so the endpoints are those of each key's region.
fn decrypt_with(reader: &Reader, keys: &Value, secrets_manager: bool, ssm: bool) -> Expr {
    let services: Vec<&str> = [("secretsmanager", secrets_manager), ("ssm", ssm)]
        .into_iter()
        .filter(|(_, used)| *used)
        .map(|(service, _)| service)
        .collect();
    // China's endpoints end in amazonaws.com.cn; whether kms:ViaService names
    // them so there is not documented that we could find, so both spellings
    // (of the same two services) are allowed there.
    let domains: &[&str] = if reader.partition == "aws-cn" {
        &["amazonaws.com", "amazonaws.com.cn"]
    } else {
        &["amazonaws.com"]
    };
    let via = match keys.unwrap_top() {
        (Some(Value::Array(items)), _) => {
            let mut endpoints = Vec::new();
            for region in key_regions(items) {
                for service in &services {
                    for domain in domains {
                        endpoints.push(Expr::Concat(vec![
                            format!("{service}.").into(),
                            region.clone(),
                            format!(".{domain}").into(),
                        ]));
                    }
                }
            }
            Expr::Array(endpoints)
        }
        // The whole list is another resource's output: unknown until it exists.
        _ => Expr::Value(keys.clone()),
    };
    Expr::object([
        ("Sid", format!("DecryptThe{}Secrets", reader.owner).into()),
        ("Effect", "Allow".into()),
        ("Action", Expr::strings(&["kms:Decrypt"])),
        ("Resource", Expr::Value(keys.clone())),
        (
            "Condition",
            Expr::object([("StringEquals", Expr::object([("kms:ViaService", via)]))]),
        ),
    ])
}

/// The keys' regions, each once: the region field of a key ARN (args checked
/// its shape), or, for a key that is another resource's output at preview,
/// that unknown value, which leaves its endpoints unknown too.
fn key_regions(keys: &[Value]) -> Vec<Expr> {
    let mut regions: Vec<Expr> = Vec::new();
    for key in keys {
        let region = match key.unwrap_top() {
            (Some(Value::String(arn)), _) => Expr::from(arn.split(':').nth(3).unwrap_or_default()),
            _ => Expr::Value(key.clone()),
        };
        if !regions.contains(&region) {
            regions.push(region);
        }
    }
    regions
}
