//! The IAM children and documents AWS components share: roles a service
//! assumes, inline role policies, and the policy documents and `Allow`
//! statements in them. Planner pieces only: nothing here reads inputs or
//! calls AWS.

use launchpad_core::{ChildResource, Expr};

use crate::naming::AwsNames;

/// The type of an inline role policy, [`role_policy`]'s children.
pub const ROLE_POLICY: &str = "aws:iam/rolePolicy:RolePolicy";

/// An inline policy document allowing `statements`.
pub fn policy(statements: Vec<Expr>) -> Expr {
    Expr::Json(Box::new(Expr::object([
        ("Version", "2012-10-17".into()),
        ("Statement", Expr::Array(statements)),
    ])))
}

/// One `Allow` statement.
pub fn allow(sid: &str, actions: &[&str], resources: Vec<Expr>) -> Expr {
    Expr::object([
        ("Sid", sid.into()),
        ("Effect", "Allow".into()),
        ("Action", Expr::strings(actions)),
        ("Resource", Expr::Array(resources)),
    ])
}

/// The role child `key` (`<component>-<suffix>`, described as `what`) that
/// the AWS `service` may assume, under an optional trust `condition`.
pub fn role(
    names: &AwsNames,
    (key, suffix, what): (&str, &str, &str),
    service: &str,
    condition: Option<Expr>,
    tags: Option<Expr>,
) -> ChildResource {
    let mut statement = vec![
        ("Effect", Expr::from("Allow")),
        ("Principal", Expr::object([("Service", service.into())])),
        ("Action", "sts:AssumeRole".into()),
    ];
    if let Some(c) = condition {
        statement.push(("Condition", c));
    }
    let trust = Expr::object([
        ("Version", "2012-10-17".into()),
        ("Statement", Expr::Array(vec![Expr::object(statement)])),
    ]);
    names
        .child(key, "aws:iam/role:Role", suffix)
        // IAM role names are at most 64 characters; AWS adds 26 to a prefix.
        .input("namePrefix", names.prefix(suffix, 38))
        .input("description", names.description(what))
        .input("assumeRolePolicy", Expr::Json(Box::new(trust)))
        .input_opt("tags", tags)
        // Both follow the component's name: a rename (with an alias) changes nothing.
        .with_options(|o| o.ignore_changes = vec!["namePrefix".into(), "description".into()])
}

/// The inline policy child `key` (`<component>-<suffix>`) of the role child
/// `role`, allowing `statements`.
pub fn role_policy(
    names: &AwsNames,
    key: &str,
    suffix: &str,
    role: &str,
    statements: Vec<Expr>,
) -> ChildResource {
    names
        .child(key, ROLE_POLICY, suffix)
        .input("role", Expr::output(role, "id"))
        .input("policy", policy(statements))
}
