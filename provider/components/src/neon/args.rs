//! NeonDatabase inputs, decoded and validated into [`NeonArgs`]: a new
//! project, or a branch of an existing one. Every refusal names the
//! property, the value and the valid choices. (The component that serves
//! them is the next step of issue 8; these definitions are its inputs.)

use launchpad_core::schema::{DefaultValue, EnumDef, PropertyDef, TypeDef};
use launchpad_core::{ArgsReader, Input, InputError, PropertyMap, Value};

/// Neon's regions: the one list in the code.
pub static REGION: EnumDef = EnumDef {
    token: "launchpad:index:NeonRegion",
    description: "The region a Neon project runs in.",
    values: &[
        ("aws-us-east-1", "AWS US East (N. Virginia)."),
        ("aws-us-east-2", "AWS US East (Ohio)."),
        ("aws-us-west-2", "AWS US West (Oregon)."),
        ("aws-eu-central-1", "AWS Europe (Frankfurt)."),
        ("aws-eu-west-2", "AWS Europe (London)."),
        ("aws-ap-southeast-1", "AWS Asia Pacific (Singapore)."),
        ("aws-ap-southeast-2", "AWS Asia Pacific (Sydney)."),
        ("aws-sa-east-1", "AWS South America (São Paulo)."),
    ],
};

/// The region of a new project when `region` is not set.
pub const DEFAULT_REGION: &str = "aws-us-east-1";

/// Postgres versions launchpad knows Neon offers; a newer one is passed on.
pub const KNOWN_PG_VERSIONS: [u32; 5] = [14, 15, 16, 17, 18];
/// The smallest compute size.
const MIN_CU: f64 = 0.25;
/// The largest autoscaling maximum, and the widest autoscaling span.
const MAX_AUTOSCALING_CU: f64 = 16.0;
const MAX_SPAN_CU: f64 = 8.0;
/// The largest fixed compute size.
const MAX_FIXED_CU: f64 = 56.0;
/// `suspendTimeoutSeconds` bounds besides -1 (never) and 0 (the plan's default).
const SUSPEND_RANGE: (f64, f64) = (60.0, 604_800.0);

// Each property once; the component and the two native resources list them.
const NAME: PropertyDef = PropertyDef::new(
    "name",
    TypeDef::String,
    "The project's (or, with `projectId`, the branch's) name. Defaults to `<stack>-<name>-<hash>`: unique per stack, so a branch per stack or pull request never collides.",
);
const RESOURCE_NAME: PropertyDef = PropertyDef::new(
    "name",
    TypeDef::String,
    "The name in Neon. Make it unique: a create whose answer was lost on the network is found again by its name.",
)
.required();
const REGION_INPUT: PropertyDef = PropertyDef::new(
    "region",
    TypeDef::Enum(&REGION),
    "The region of a new project. Defaults to `aws-us-east-1`. Not allowed with `projectId` (a branch lives in its project's region).",
);
const RESOURCE_REGION: PropertyDef = PropertyDef::new(
    "region",
    TypeDef::Enum(&REGION),
    "The project's region. Defaults to `aws-us-east-1`. A new region replaces the project.",
);
const PG_VERSION: PropertyDef = PropertyDef::new(
    "pgVersion",
    TypeDef::Integer,
    "Postgres major version of a new project (14-18; a newer one is passed on to Neon). Defaults to 17.",
)
.default(DefaultValue::Number(17.0));
const PROJECT_ID: PropertyDef = PropertyDef::new(
    "projectId",
    TypeDef::String,
    "Branch mode: the existing project to branch from (a database per stack or pull request).",
);
const RESOURCE_PROJECT_ID: PropertyDef = PropertyDef::new(
    "projectId",
    TypeDef::String,
    "The existing project to branch from. Another project replaces the branch.",
)
.required();
const PARENT_BRANCH: PropertyDef = PropertyDef::new(
    "parentBranch",
    TypeDef::String,
    "Branch mode: the branch to copy, by name or ID. Defaults to the project's default branch.",
);
const EXPIRES_AT: PropertyDef = PropertyDef::new(
    "expiresAt",
    TypeDef::String,
    "Branch mode: when Neon deletes the branch, as an RFC 3339 time (`2026-12-31T00:00:00Z`).",
);
const MIN_CU_INPUT: PropertyDef = PropertyDef::new(
    "minCu",
    TypeDef::Number,
    "Smallest compute size in compute units (1 CU = 1 vCPU, 4 GB RAM): 0.25 or more. Defaults to 0.25.",
)
.default(DefaultValue::Number(0.25));
const MAX_CU_INPUT: PropertyDef = PropertyDef::new(
    "maxCu",
    TypeDef::Number,
    "Largest compute size: at least `minCu`; autoscaling goes up to 16 CU and spans at most 8 CU; a fixed size (equal to `minCu`) goes up to 56. Defaults to `minCu`.",
);
const SUSPEND_TIMEOUT: PropertyDef = PropertyDef::new(
    "suspendTimeoutSeconds",
    TypeDef::Integer,
    "Seconds of inactivity before the compute scales to zero: 60-604800, 0 for the plan's default, -1 never. Defaults to 0.",
)
.default(DefaultValue::Number(0.0));
const DATABASE_NAME: PropertyDef = PropertyDef::new(
    "databaseName",
    TypeDef::String,
    "The database (1-63 characters). Defaults to `app`. Renaming it keeps its data.",
)
.default(DefaultValue::String("app"));
const ROLE_NAME: PropertyDef = PropertyDef::new(
    "roleName",
    TypeDef::String,
    "The role that owns the database and that the connection URIs log in as (1-63 characters). Defaults to `app`.",
)
.default(DefaultValue::String("app"));
const HISTORY_RETENTION: PropertyDef = PropertyDef::new(
    "historyRetentionSeconds",
    TypeDef::Integer,
    "How far back a new project keeps history for branching and restores: whole seconds, 0 or more, for a new project only. Sent only when set: plans differ.",
);

/// The NeonDatabase inputs.
pub static INPUTS: &[PropertyDef] = &[
    NAME,
    REGION_INPUT,
    PG_VERSION,
    PROJECT_ID,
    PARENT_BRANCH,
    EXPIRES_AT,
    MIN_CU_INPUT,
    MAX_CU_INPUT,
    SUSPEND_TIMEOUT,
    DATABASE_NAME,
    ROLE_NAME,
    HISTORY_RETENTION,
];

/// The inputs of `launchpad:index:NeonProject`.
pub static PROJECT_INPUTS: &[PropertyDef] = &[
    RESOURCE_NAME,
    RESOURCE_REGION,
    PG_VERSION,
    MIN_CU_INPUT,
    MAX_CU_INPUT,
    SUSPEND_TIMEOUT,
    DATABASE_NAME,
    ROLE_NAME,
    HISTORY_RETENTION,
];

/// The inputs of `launchpad:index:NeonBranch`.
pub static BRANCH_INPUTS: &[PropertyDef] = &[
    RESOURCE_NAME,
    RESOURCE_PROJECT_ID,
    PARENT_BRANCH,
    EXPIRES_AT,
    MIN_CU_INPUT,
    MAX_CU_INPUT,
    SUSPEND_TIMEOUT,
    DATABASE_NAME,
    ROLE_NAME,
];

/// Where the database lives.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// A new project in `region` with Postgres `pg_version`.
    Project {
        /// Neon region ID.
        region: Input<String>,
        /// Postgres major version.
        pg_version: Input<f64>,
        /// History retention, when the user set it.
        history_retention_seconds: Option<Input<f64>>,
    },
    /// A branch of an existing project.
    Branch {
        /// The project (may be another resource's output).
        project_id: Value,
        /// The parent branch, when not the default.
        parent: Option<Value>,
        /// When the branch expires.
        expires_at: Option<Input<String>>,
    },
}

/// Validated NeonDatabase inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct NeonArgs {
    /// Project or branch name.
    pub name: Option<Input<String>>,
    /// Project or branch mode.
    pub mode: Mode,
    /// Smallest compute size.
    pub min_cu: Input<f64>,
    /// Largest compute size.
    pub max_cu: Input<f64>,
    /// Scale-to-zero delay.
    pub suspend_timeout_seconds: Input<f64>,
    /// Database name.
    pub database_name: Input<String>,
    /// Role name.
    pub role_name: Input<String>,
}

impl NeonArgs {
    /// Decode and validate raw inputs.
    pub fn decode(inputs: &PropertyMap) -> Result<NeonArgs, InputError> {
        let r = ArgsReader::new(INPUTS, inputs)?;
        let mode = match r.passthrough("projectId")? {
            Some(project_id) => {
                for project_only in ["region", "historyRetentionSeconds"] {
                    if r.raw(project_only)?.is_some() {
                        return Err(InputError::new(
                            project_only,
                            format!(
                                "{project_only} is for a new project; a branch (`projectId` is set) takes its project's: remove one of the two"
                            ),
                        ));
                    }
                }
                let expires_at = r.string("expiresAt")?;
                if let Some(t) = &expires_at {
                    rfc3339("expiresAt", t)?;
                }
                Mode::Branch {
                    project_id,
                    parent: r.passthrough("parentBranch")?,
                    expires_at,
                }
            }
            None => {
                for branch_only in ["parentBranch", "expiresAt"] {
                    if r.raw(branch_only)?.is_some() {
                        return Err(InputError::new(
                            branch_only,
                            format!(
                                "{branch_only} needs `projectId`: it is about a branch of an existing project"
                            ),
                        ));
                    }
                }
                let pg_version = r.integer("pgVersion", 1, u32::MAX)?;
                if *pg_version < f64::from(KNOWN_PG_VERSIONS[0]) {
                    return Err(InputError::new(
                        "pgVersion",
                        format!(
                            "pgVersion={} is not offered by Neon; valid: {} (a newer version is passed on to Neon)",
                            pg_version.shown_number(),
                            KNOWN_PG_VERSIONS.map(|v| v.to_string()).join(", ")
                        ),
                    ));
                }
                Mode::Project {
                    region: r
                        .string("region")?
                        .unwrap_or_else(|| Input::plain(DEFAULT_REGION.into())),
                    pg_version,
                    history_retention_seconds: match r.number("historyRetentionSeconds")? {
                        Some(h) if *h < 0.0 || h.fract() != 0.0 => {
                            return Err(InputError::new(
                                "historyRetentionSeconds",
                                format!(
                                    "historyRetentionSeconds={} must be a whole number of seconds, 0 or more",
                                    h.shown_number()
                                ),
                            ));
                        }
                        other => other,
                    },
                }
            }
        };
        let (min_cu, max_cu) = compute_limits(&r)?;
        let suspend = r
            .number("suspendTimeoutSeconds")?
            .ok_or_else(|| r.missing_error("suspendTimeoutSeconds"))?;
        let valid_suspend = *suspend == -1.0
            || *suspend == 0.0
            || (*suspend >= SUSPEND_RANGE.0
                && *suspend <= SUSPEND_RANGE.1
                && suspend.fract() == 0.0);
        if !valid_suspend {
            return Err(InputError::new(
                "suspendTimeoutSeconds",
                format!(
                    "suspendTimeoutSeconds={} is not valid; use 60 to 604800 seconds, 0 for the plan's default, or -1 to never scale to zero",
                    suspend.shown_number()
                ),
            ));
        }
        Ok(NeonArgs {
            name: r.string("name")?,
            mode,
            min_cu,
            max_cu,
            suspend_timeout_seconds: suspend,
            database_name: identifier(&r, "databaseName")?,
            role_name: identifier(&r, "roleName")?,
        })
    }
}

/// `minCu`/`maxCu`: ≥ 0.25, min ≤ max; autoscaling up to 16 CU spanning at
/// most 8; a fixed size up to 56.
fn compute_limits(r: &ArgsReader<'_>) -> Result<(Input<f64>, Input<f64>), InputError> {
    let min = r.number("minCu")?.ok_or_else(|| r.missing_error("minCu"))?;
    if *min < MIN_CU {
        return Err(InputError::new(
            "minCu",
            format!(
                "minCu={} is below Neon's smallest compute, 0.25 CU",
                min.shown_number()
            ),
        ));
    }
    let max = r.number("maxCu")?.unwrap_or_else(|| min.clone());
    let (lo, hi) = (*min, *max);
    let problem = if hi < lo {
        Some(format!(
            "maxCu={} is less than minCu={}",
            max.shown_number(),
            min.shown_number()
        ))
    } else if hi == lo && hi > MAX_FIXED_CU {
        Some(format!(
            "maxCu={} is above the largest fixed compute, 56 CU",
            max.shown_number()
        ))
    } else if hi > lo && hi > MAX_AUTOSCALING_CU {
        Some(format!(
            "maxCu={} is above 16 CU, the most an autoscaling compute reaches; set maxCu=16 or less, or minCu=maxCu for a fixed size up to 56",
            max.shown_number()
        ))
    } else if hi - lo > MAX_SPAN_CU {
        Some(format!(
            "maxCu={} is more than 8 CU above minCu={}: autoscaling spans at most 8 CU; set maxCu={} or less, or minCu={} or more",
            max.shown_number(),
            min.shown_number(),
            lo + MAX_SPAN_CU,
            hi - MAX_SPAN_CU
        ))
    } else {
        None
    };
    match problem {
        Some(message) => Err(InputError::new("maxCu", message)),
        None => Ok((min, max)),
    }
}

/// A Postgres identifier Neon accepts: 1-63 characters, no NUL.
fn identifier(r: &ArgsReader<'_>, name: &str) -> Result<Input<String>, InputError> {
    let id = r.required_string(name)?;
    if id.is_empty() || id.len() > 63 || id.contains('\0') {
        return Err(InputError::new(
            name,
            format!("{name}={} must be 1 to 63 characters", id.shown()),
        ));
    }
    Ok(id)
}

/// An RFC 3339 time (`2026-12-31T00:00:00Z`), checked for shape.
fn rfc3339(property: &str, t: &Input<String>) -> Result<(), InputError> {
    let s = t.as_str();
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let shaped = s.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b[10] == b'T' || b[10] == b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && (s.ends_with('Z') || s.ends_with('z') || s[19..].contains(['+', '-']));
    if shaped {
        Ok(())
    } else {
        Err(InputError::new(
            property,
            format!(
                "{property}={} is not an RFC 3339 time; write it like \"2026-12-31T00:00:00Z\"",
                t.shown()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs, the property a refusal names, and what its message says.
    type Refusal<'a> = (Vec<(&'a str, Value)>, &'a str, &'a str);

    fn decode(pairs: Vec<(&str, Value)>) -> Result<NeonArgs, InputError> {
        NeonArgs::decode(&pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    #[test]
    fn a_new_project_gets_the_defaults() {
        let a = decode(vec![]).expect("valid");
        let Mode::Project {
            region,
            pg_version,
            history_retention_seconds,
        } = &a.mode
        else {
            panic!("project mode");
        };
        assert_eq!(region.as_str(), "aws-us-east-1");
        assert_eq!(**pg_version, 17.0);
        assert!(history_retention_seconds.is_none(), "never sent unless set");
        assert_eq!((*a.min_cu, *a.max_cu), (0.25, 0.25));
        assert_eq!(a.database_name.as_str(), "app");
    }

    #[test]
    fn a_branch_of_an_existing_project_may_come_from_another_resource() {
        let a = decode(vec![
            ("projectId", Value::unknown()),
            ("parentBranch", Value::string("main")),
            ("expiresAt", Value::string("2026-12-31T00:00:00Z")),
            ("minCu", Value::Number(0.5)),
            ("maxCu", Value::Number(4.0)),
        ])
        .expect("valid");
        assert!(matches!(a.mode, Mode::Branch { .. }));
    }

    #[test]
    fn bad_inputs_name_the_property_and_the_valid_choices() {
        let n = Value::Number;
        let s = Value::string;
        let cases: Vec<Refusal> = vec![
            (
                vec![("minCu", n(0.25)), ("maxCu", n(10.0))],
                "maxCu",
                "maxCu=10 is more than 8 CU above minCu=0.25: autoscaling spans at most 8 CU; set maxCu=8.25 or less, or minCu=2 or more",
            ),
            (
                vec![("minCu", n(4.0)), ("maxCu", n(20.0))],
                "maxCu",
                "above 16 CU",
            ),
            (
                vec![("minCu", n(60.0)), ("maxCu", n(60.0))],
                "maxCu",
                "above the largest fixed compute, 56 CU",
            ),
            (
                vec![("minCu", n(2.0)), ("maxCu", n(1.0))],
                "maxCu",
                "maxCu=1 is less than minCu=2",
            ),
            (
                vec![("minCu", n(0.1))],
                "minCu",
                "minCu=0.1 is below Neon's smallest compute",
            ),
            (
                vec![("suspendTimeoutSeconds", n(30.0))],
                "suspendTimeoutSeconds",
                "use 60 to 604800 seconds",
            ),
            (
                vec![("pgVersion", n(12.0))],
                "pgVersion",
                "valid: 14, 15, 16, 17, 18",
            ),
            (
                vec![("region", s("us-east-1"))],
                "region",
                "valid: aws-us-east-1",
            ),
            (
                vec![("projectId", s("p-1")), ("region", s("aws-us-east-2"))],
                "region",
                "a branch",
            ),
            (
                vec![("parentBranch", s("main"))],
                "parentBranch",
                "needs `projectId`",
            ),
            (
                vec![("projectId", s("p-1")), ("expiresAt", s("tomorrow"))],
                "expiresAt",
                "is not an RFC 3339 time",
            ),
            (
                vec![("databaseName", s(&"d".repeat(64)))],
                "databaseName",
                "must be 1 to 63 characters",
            ),
        ];
        for (pairs, property, message) in cases {
            let e = decode(pairs).expect_err(property);
            assert_eq!(e.property, property, "{}", e.message);
            assert!(
                e.message.contains(message),
                "{property}: {:?} should contain {message:?}",
                e.message
            );
        }
        // A newer Postgres than launchpad knows is passed on to Neon.
        assert!(decode(vec![("pgVersion", n(19.0))]).is_ok());
    }
}
