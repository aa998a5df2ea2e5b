//! NeonDatabase inputs, decoded and validated into [`NeonArgs`]: a new
//! project, or a branch of an existing one. Every refusal names the
//! property, the value and the valid choices. (The component that serves
//! them is the next step of issue 8; these definitions are its inputs.)

use launchpad_core::schema::{DefaultValue, EnumDef, PropertyDef, TypeDef};
use launchpad_core::{ArgsReader, Input, InputError, PropertyMap, Value};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

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
/// How far ahead a branch may expire (Neon's branch expiration guide:
/// <https://neon.com/docs/guides/branch-expiration#timestamp-format-requirements>).
pub const MAX_EXPIRY: Duration = Duration::days(30);
/// How much sooner than 30 days an `expiresIn` of 30 days ends: Neon checks
/// the time against its own clock, which may be behind ours.
pub const CLOCK_MARGIN: Duration = Duration::minutes(5);
/// The longest history retention Neon takes (30 days), in seconds
/// (<https://api-docs.neon.tech/reference/createproject>).
const MAX_HISTORY_RETENTION: f64 = 2_592_000.0;
/// The longest project or branch name Neon takes, in characters.
const MAX_NAME: usize = 256;
/// The longest Postgres identifier (role, database), in bytes.
const MAX_IDENTIFIER_BYTES: usize = 63;
/// Role names Neon keeps for itself, besides every name starting `pg_`
/// (<https://neon.com/docs/manage/roles#protected-role-names>).
const PROTECTED_ROLES: [&str; 5] = [
    "neon_superuser",
    "cloud_admin",
    "zenith_admin",
    "public",
    "none",
];

/// Every compute size Neon offers, smallest first: 0.25, 0.5, the whole
/// numbers 1 to 16, then the even numbers 18 to 56
/// (<https://neon.com/docs/manage/computes#compute-size-and-autoscaling-configuration>).
pub fn compute_sizes() -> impl Iterator<Item = f64> {
    [0.25, 0.5]
        .into_iter()
        .chain((1..=16).map(f64::from))
        .chain((18..=56).step_by(2).map(f64::from))
}

/// Whether Neon offers a compute of `cu` compute units.
pub fn is_compute_size(cu: f64) -> bool {
    compute_sizes().any(|s| s == cu)
}

/// The sizes Neon offers just below and just above `cu`, for a message.
fn nearest_compute_sizes(cu: f64) -> String {
    let below = compute_sizes().filter(|s| *s < cu).last();
    let above = compute_sizes().find(|s| *s > cu);
    below
        .into_iter()
        .chain(above)
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

// Each property once; the component and the two native resources list them.
const NAME: PropertyDef = PropertyDef::new(
    "name",
    TypeDef::String,
    "The project's (or, with `projectId`, the branch's) name, at most 256 characters. Defaults to `<stack>-<name>-<hash>`: unique per stack, so a branch per stack or pull request never collides.",
);
const RESOURCE_NAME: PropertyDef = PropertyDef::new(
    "name",
    TypeDef::String,
    "The name in Neon, at most 256 characters. Make it unique: a create whose answer was lost on the network is found again by its name.",
)
.required();
const REGION_INPUT: PropertyDef = PropertyDef::new(
    "region",
    TypeDef::Enum(&REGION),
    "The region of a new project. Defaults to `aws-us-east-1`. Not allowed with `projectId` (a branch lives in its project's region).",
);
const ORG_ID_INPUT: PropertyDef = PropertyDef::new(
    "orgId",
    TypeDef::String,
    "The Neon organization a new project belongs to (`org-...`: lowercase letters, digits and hyphens), which a personal API key must name: Neon refuses `org_id is required` otherwise; an organization API key needs none. Defaults to the provider config `launchpad:neonOrgId`. Find it in the Neon console under your organization's Settings, or with `neon orgs list`. Another organization later moves the project there by Neon's transfer (same project, same connection URIs; Admin in its organization and Member in the new one needed); `replaceOnChanges: [\"orgId\"]` makes a new, empty project instead. Not allowed with `projectId` (a branch belongs to its project's organization).",
);
const RESOURCE_ORG_ID: PropertyDef = PropertyDef::new(
    "orgId",
    TypeDef::String,
    "The Neon organization the project belongs to (`org-...`: lowercase letters, digits and hyphens): needed with a personal API key (Neon refuses `org_id is required` otherwise), not with an organization key. Defaults to the provider config `launchpad:neonOrgId`. Another organization is an update that moves the project by Neon's transfer: the same project, data and connection URIs; it needs the Admin role in the project's organization and at least Member in the new one. Naming the organization the project is already in changes nothing (the first time on a project created before `orgId` existed, an update records it). For a new, empty project in the other organization instead, set `replaceOnChanges: [\"orgId\"]` (and run `pulumi refresh` first on such an older project).",
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
    "Branch mode: when Neon deletes the branch, as an RFC 3339 time with a time zone (`2026-12-31T00:00:00Z`): in the future and at most 30 days away when the branch is created or the time is changed. Once it has passed, Neon deletes the branch; `pulumi refresh` then drops it from the state and the next `pulumi up` (with a new time) creates a new one. Not with `expiresIn`.",
);
const EXPIRES_IN: PropertyDef = PropertyDef::new(
    "expiresIn",
    TypeDef::String,
    "Branch mode: how long the branch lives, from its creation: a whole number of minutes, hours or days (`30m`, `12h`, `7d`), at most 30 days (\"30d\" ends 5 minutes short of 30 days, so a Neon clock behind ours still takes it). Made a time once, when the branch is created (the `expiresAt` output), so later previews show no change; changing `expiresIn` starts a new window from that `pulumi up`. After Neon has deleted the expired branch, `pulumi refresh` drops it from the state and the next `pulumi up` creates a new one with a new window. Not with `expiresAt`.",
);
const MIN_CU_INPUT: PropertyDef = PropertyDef::new(
    "minCu",
    TypeDef::Number,
    "Smallest compute size in compute units (1 CU = 1 vCPU, 4 GB RAM): a size Neon offers, 0.25, 0.5, a whole number 1-16 or an even number 18-56. Defaults to 0.25.",
)
.default(DefaultValue::Number(0.25));
const MAX_CU_INPUT: PropertyDef = PropertyDef::new(
    "maxCu",
    TypeDef::Number,
    "Largest compute size, a size Neon offers (0.25, 0.5, 1-16, even 18-56) and at least `minCu`: autoscaling goes up to 16 CU and spans at most 8 CU; a fixed size (equal to `minCu`) goes up to 56. Defaults to `minCu`.",
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
    "The database (1-63 bytes). Defaults to `app`. Renaming it keeps its data.",
)
.default(DefaultValue::String("app"));
const ROLE_NAME: PropertyDef = PropertyDef::new(
    "roleName",
    TypeDef::String,
    "The role that owns the database and that the connection URIs log in as (1-63 bytes; not a name Neon keeps for itself: `pg_*`, `neon_superuser`, `cloud_admin`, `zenith_admin`, `public`, `none`). Defaults to `app`.",
)
.default(DefaultValue::String("app"));
const HISTORY_RETENTION: PropertyDef = PropertyDef::new(
    "historyRetentionSeconds",
    TypeDef::Integer,
    "How far back a new project keeps history for branching and restores: whole seconds, 0 to 2592000 (30 days; plans allow less). Sent only when set: plans differ.",
);

/// The NeonDatabase inputs.
pub static INPUTS: &[PropertyDef] = &[
    NAME,
    REGION_INPUT,
    ORG_ID_INPUT,
    PG_VERSION,
    PROJECT_ID,
    PARENT_BRANCH,
    EXPIRES_AT,
    EXPIRES_IN,
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
    RESOURCE_ORG_ID,
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
    EXPIRES_IN,
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
        /// The organization, when the user set it (may be another
        /// resource's output; the provider config is the fallback).
        org_id: Option<Value>,
    },
    /// A branch of an existing project.
    Branch {
        /// The project (may be another resource's output).
        project_id: Value,
        /// The parent branch, when not the default.
        parent: Option<Value>,
        /// When the branch expires.
        expiry: Option<Expiry>,
    },
}

/// When Neon deletes a branch by itself.
#[derive(Clone, Debug, PartialEq)]
pub enum Expiry {
    /// `expiresAt`: a time the program names.
    At {
        /// As the program wrote it.
        text: Input<String>,
        /// The time it names.
        time: OffsetDateTime,
    },
    /// `expiresIn`: a time to live, made a time once, when the branch is
    /// created (or when `expiresIn` changes).
    In {
        /// As the program wrote it (`7d`).
        text: Input<String>,
        /// The duration it names.
        ttl: Duration,
    },
}

impl Expiry {
    /// The input that sets it.
    pub fn property(&self) -> &'static str {
        match self {
            Expiry::At { .. } => "expiresAt",
            Expiry::In { .. } => "expiresIn",
        }
    }

    /// The time the branch expires if it is created (or its expiry set) at
    /// `now`. A time to live ends at most 30 days less [`CLOCK_MARGIN`]
    /// from `now`: Neon checks "at most 30 days" against its own clock.
    pub fn deadline(&self, now: OffsetDateTime) -> OffsetDateTime {
        match self {
            Expiry::At { time, .. } => *time,
            Expiry::In { ttl, .. } => {
                let end = now + (*ttl).min(MAX_EXPIRY - CLOCK_MARGIN);
                // Neon keeps seconds.
                end.replace_nanosecond(0).unwrap_or(end)
            }
        }
    }

    /// What Neon checks when the expiry is set at `now`: a time in the
    /// future, at most 30 days away. A time to live was checked when it
    /// was decoded (it cannot pass).
    pub fn check_window(&self, now: OffsetDateTime) -> Result<(), InputError> {
        let Expiry::At { text, time } = self else {
            return Ok(());
        };
        let latest = now + MAX_EXPIRY;
        let problem = if *time <= now {
            format!(
                "expiresAt={} is in the past (it is {} now): Neon refuses it, and deletes a branch once its time has passed; set a time within the next 30 days, or `expiresIn` (\"7d\") to count from the branch's creation",
                text.shown(),
                rfc3339(now)
            )
        } else if *time > latest {
            format!(
                "expiresAt={} is more than 30 days away; Neon allows at most 30 days: set a time before {}, or `expiresIn` up to \"30d\"",
                text.shown(),
                rfc3339(latest)
            )
        } else {
            return Ok(());
        };
        Err(InputError::new("expiresAt", problem))
    }
}

/// `t` as Neon writes times: UTC, to the second (`2026-12-31T00:00:00Z`).
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// An RFC 3339 time with a time zone, as Neon takes it.
pub fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok()
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
                for project_only in ["region", "historyRetentionSeconds", "orgId"] {
                    if r.raw(project_only)?.is_some() {
                        return Err(InputError::new(
                            project_only,
                            format!(
                                "{project_only} is for a new project; a branch (`projectId` is set) takes its project's: remove one of the two"
                            ),
                        ));
                    }
                }
                Mode::Branch {
                    project_id,
                    parent: r.passthrough("parentBranch")?,
                    expiry: expiry(&r)?,
                }
            }
            None => {
                for branch_only in ["parentBranch", "expiresAt", "expiresIn"] {
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
                        Some(h) if *h < 0.0 || *h > MAX_HISTORY_RETENTION || h.fract() != 0.0 => {
                            return Err(InputError::new(
                                "historyRetentionSeconds",
                                format!(
                                    "historyRetentionSeconds={} must be a whole number of seconds from 0 to 2592000 (30 days), the most Neon keeps",
                                    h.shown_number()
                                ),
                            ));
                        }
                        other => other,
                    },
                    org_id: r.string_or_unknown("orgId", org_id)?,
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
        let name = r.string("name")?;
        if let Some(n) = &name {
            let chars = n.chars().count();
            if chars > MAX_NAME {
                return Err(InputError::new(
                    "name",
                    format!(
                        "name={} is {chars} characters; Neon takes project and branch names of at most 256",
                        n.shown()
                    ),
                ));
            }
        }
        Ok(NeonArgs {
            name,
            mode,
            min_cu,
            max_cu,
            suspend_timeout_seconds: suspend,
            database_name: identifier(&r, "databaseName")?,
            role_name: role_name(identifier(&r, "roleName")?)?,
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
        // The nearest sizes Neon offers within the span, not just `±8`.
        let largest = compute_sizes()
            .filter(|s| *s <= lo + MAX_SPAN_CU)
            .last()
            .unwrap_or(lo);
        let smallest = compute_sizes()
            .find(|s| *s >= hi - MAX_SPAN_CU)
            .unwrap_or(hi);
        Some(format!(
            "maxCu={} is more than 8 CU above minCu={}: autoscaling spans at most 8 CU; set maxCu={largest} or less, or minCu={smallest} or more",
            max.shown_number(),
            min.shown_number(),
        ))
    } else {
        None
    };
    if let Some(message) = problem {
        return Err(InputError::new("maxCu", message));
    }
    // The range is right; each end must also be a size Neon offers.
    offered_size("minCu", &min)?;
    offered_size("maxCu", &max)?;
    Ok((min, max))
}

/// `cu` (input `name`) is a compute size Neon offers.
fn offered_size(name: &str, cu: &Input<f64>) -> Result<(), InputError> {
    if is_compute_size(**cu) {
        return Ok(());
    }
    let nearest = nearest_compute_sizes(**cu);
    Err(InputError::new(
        name,
        format!(
            "{name}={} is not a Neon compute size; nearest: {nearest}",
            cu.shown_number()
        ),
    ))
}

/// A Postgres identifier Neon accepts: 1-63 bytes (not characters: `é` is
/// two), no NUL.
fn identifier(r: &ArgsReader<'_>, name: &str) -> Result<Input<String>, InputError> {
    let id = r.required_string(name)?;
    if id.is_empty() || id.len() > MAX_IDENTIFIER_BYTES || id.contains('\0') {
        return Err(InputError::new(
            name,
            format!(
                "{name}={} is {} bytes; a Postgres name is 1 to 63 bytes (a letter outside ASCII takes 2 or more)",
                id.shown(),
                id.len()
            ),
        ));
    }
    Ok(id)
}

/// A role name Neon lets a user make: none of the names it keeps for itself.
fn role_name(role: Input<String>) -> Result<Input<String>, InputError> {
    if role.starts_with("pg_") || PROTECTED_ROLES.contains(&role.as_str()) {
        return Err(InputError::new(
            "roleName",
            format!(
                "roleName={} is a name Neon keeps for itself; it refuses pg_*, {}: choose another, such as \"app\"",
                role.shown(),
                PROTECTED_ROLES.join(", ")
            ),
        ));
    }
    Ok(role)
}

/// An organization ID of the shape Neon's API takes: 1-60 lowercase
/// letters, digits and hyphens (`^[a-z0-9-]{1,60}$`).
fn org_id(id: Input<String>) -> Result<Input<String>, InputError> {
    let where_to_find =
        "in the Neon console under your organization's Settings, or from `neon orgs list`";
    if id.trim().is_empty() {
        return Err(InputError::new(
            "orgId",
            format!(
                "orgId=\"\" is empty; set the organization's ID (`org-...`, {where_to_find}), or leave `orgId` out"
            ),
        ));
    }
    let shaped = id.len() <= 60
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !shaped {
        return Err(InputError::new(
            "orgId",
            format!(
                "orgId={} is not a Neon organization ID: 1 to 60 lowercase letters, digits and hyphens, like org-cool-breeze-12345678 ({where_to_find})",
                id.shown()
            ),
        ));
    }
    Ok(id)
}

/// `expiresAt` or `expiresIn`: one of the two, each of a shape Neon takes.
fn expiry(r: &ArgsReader<'_>) -> Result<Option<Expiry>, InputError> {
    match (r.string("expiresAt")?, r.string("expiresIn")?) {
        (Some(_), Some(_)) => Err(InputError::new(
            "expiresIn",
            "expiresAt and expiresIn both say when the branch expires: set one of the two",
        )),
        (Some(text), None) => match parse_rfc3339(text.as_str()) {
            Some(time) => Ok(Some(Expiry::At { text, time })),
            None => Err(InputError::new(
                "expiresAt",
                format!(
                    "expiresAt={} is not an RFC 3339 time with a time zone; write it like \"2026-12-31T00:00:00Z\" or \"2026-12-31T09:00:00+09:00\"",
                    text.shown()
                ),
            )),
        },
        (None, Some(text)) => {
            let ttl = time_to_live(&text)?;
            Ok(Some(Expiry::In { text, ttl }))
        }
        (None, None) => Ok(None),
    }
}

/// `30m`, `12h`, `7d`: more than nothing, at most 30 days.
fn time_to_live(text: &Input<String>) -> Result<Duration, InputError> {
    let s = text.as_str().trim();
    let split = s.len().saturating_sub(1);
    let (count, unit) = (s.get(..split).unwrap_or_default(), s.get(split..));
    let per_unit = match unit {
        Some("m") => Duration::MINUTE,
        Some("h") => Duration::HOUR,
        Some("d") => Duration::DAY,
        _ => Duration::ZERO,
    };
    let count = count
        .parse::<u32>()
        .ok()
        .filter(|c| !count.starts_with('+') && !per_unit.is_zero() && *c > 0);
    let Some(count) = count else {
        return Err(InputError::new(
            "expiresIn",
            format!(
                "expiresIn={} is not a time to live; write a whole number of minutes, hours or days above zero: \"30m\", \"12h\" or \"7d\" (at most \"30d\")",
                text.shown()
            ),
        ));
    };
    let ttl = per_unit.saturating_mul(i32::try_from(count).unwrap_or(i32::MAX));
    if ttl > MAX_EXPIRY {
        return Err(InputError::new(
            "expiresIn",
            format!(
                "expiresIn={} is more than 30 days, the longest Neon lets a branch live before it expires; use at most \"30d\"",
                text.shown()
            ),
        ));
    }
    Ok(ttl)
}

impl NeonArgs {
    /// When the branch expires, if it does.
    pub fn expiry(&self) -> Option<&Expiry> {
        match &self.mode {
            Mode::Branch { expiry, .. } => expiry.as_ref(),
            Mode::Project { .. } => None,
        }
    }

    /// What Neon checks of the expiry when it is set at `now` (see
    /// [`Expiry::check_window`]); nothing without one.
    pub fn check_expiry_window(&self, now: OffsetDateTime) -> Result<(), InputError> {
        self.expiry().map_or(Ok(()), |e| e.check_window(now))
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
            org_id,
        } = &a.mode
        else {
            panic!("project mode");
        };
        assert_eq!(region.as_str(), "aws-us-east-1");
        assert_eq!(**pg_version, 17.0);
        assert!(history_retention_seconds.is_none(), "never sent unless set");
        assert!(org_id.is_none(), "the provider config's, or none");
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
                "maxCu=10 is more than 8 CU above minCu=0.25: autoscaling spans at most 8 CU; set maxCu=8 or less, or minCu=2 or more",
            ),
            (
                vec![("minCu", n(0.5)), ("maxCu", n(9.0))],
                "maxCu",
                "set maxCu=8 or less, or minCu=1 or more",
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
                "is 64 bytes; a Postgres name is 1 to 63 bytes",
            ),
            // Bytes, not characters: 32 two-byte letters are 64 bytes.
            (
                vec![("roleName", s(&"é".repeat(32)))],
                "roleName",
                "is 64 bytes; a Postgres name is 1 to 63 bytes",
            ),
            (
                vec![("roleName", s("neon_superuser"))],
                "roleName",
                "roleName=\"neon_superuser\" is a name Neon keeps for itself; it refuses pg_*, neon_superuser, cloud_admin, zenith_admin, public, none",
            ),
            (
                vec![("roleName", s("pg_monitor"))],
                "roleName",
                "is a name Neon keeps for itself",
            ),
            (
                vec![("roleName", s("public"))],
                "roleName",
                "is a name Neon keeps for itself",
            ),
            (
                vec![("historyRetentionSeconds", n(2_592_001.0))],
                "historyRetentionSeconds",
                "historyRetentionSeconds=2592001 must be a whole number of seconds from 0 to 2592000 (30 days)",
            ),
            (
                vec![("orgId", s("Org_Cool-1"))],
                "orgId",
                "orgId=\"Org_Cool-1\" is not a Neon organization ID: 1 to 60 lowercase letters, digits and hyphens, like org-cool-breeze-12345678",
            ),
            (
                vec![("orgId", s(&format!("org-{}", "a".repeat(57))))],
                "orgId",
                "is not a Neon organization ID",
            ),
            (
                vec![("name", s(&"n".repeat(257)))],
                "name",
                "is 257 characters; Neon takes project and branch names of at most 256",
            ),
            (
                vec![("minCu", n(0.3))],
                "minCu",
                "minCu=0.3 is not a Neon compute size; nearest: 0.25, 0.5",
            ),
            (
                vec![("minCu", n(17.0))],
                "minCu",
                "minCu=17 is not a Neon compute size; nearest: 16, 18",
            ),
            (
                vec![("minCu", n(17.0)), ("maxCu", n(17.0))],
                "minCu",
                "minCu=17 is not a Neon compute size; nearest: 16, 18",
            ),
            (
                vec![("minCu", n(1.0)), ("maxCu", n(2.5))],
                "maxCu",
                "maxCu=2.5 is not a Neon compute size; nearest: 2, 3",
            ),
            (
                vec![("minCu", n(0.75)), ("maxCu", n(4.0))],
                "minCu",
                "minCu=0.75 is not a Neon compute size; nearest: 0.5, 1",
            ),
            (
                vec![("minCu", n(19.0)), ("maxCu", n(19.0))],
                "minCu",
                "minCu=19 is not a Neon compute size; nearest: 18, 20",
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
        // At the limits, and names only close to Neon's own.
        for ok in [
            vec![("name", Value::string("n".repeat(256)))],
            vec![("name", Value::string("é".repeat(256)))],
            vec![("roleName", Value::string("é".repeat(31)))],
            vec![("roleName", Value::string("pgadmin"))],
            vec![("roleName", Value::string("neon"))],
            vec![("historyRetentionSeconds", n(2_592_000.0))],
            vec![("orgId", Value::string(format!("org-{}", "a".repeat(56))))],
        ] {
            decode(ok.clone()).unwrap_or_else(|e| panic!("{ok:?}: {}", e.message));
        }
    }

    #[test]
    fn every_size_neon_offers_passes() {
        let n = Value::Number;
        // Every size in Neon's table, fixed; and the autoscaling rules stay.
        let sizes: Vec<f64> = compute_sizes().collect();
        assert_eq!(sizes.len(), 2 + 16 + 20, "{sizes:?}");
        for cu in sizes {
            decode(vec![("minCu", n(cu)), ("maxCu", n(cu))]).expect("a size Neon offers");
        }
        decode(vec![("minCu", n(8.0)), ("maxCu", n(16.0))]).expect("autoscaling");
        let wide = decode(vec![("minCu", n(0.5)), ("maxCu", n(16.0))]).expect_err("span");
        assert!(
            wide.message.contains("spans at most 8 CU"),
            "{}",
            wide.message
        );
    }

    #[test]
    fn org_id_is_for_a_new_project() {
        let s = Value::string;
        let a = decode(vec![("orgId", s("org-cool-breeze-12345678"))]).expect("valid");
        let Mode::Project { org_id, .. } = &a.mode else {
            panic!("project mode");
        };
        assert_eq!(org_id, &Some(s("org-cool-breeze-12345678")));
        // Another resource's output is passed on.
        assert!(decode(vec![("orgId", Value::unknown())]).is_ok());
        let e = decode(vec![("projectId", s("p-1")), ("orgId", s("org-a-1"))]).expect_err("branch");
        assert_eq!(e.property, "orgId");
        assert!(
            e.message.contains("a branch (`projectId` is set)"),
            "{}",
            e.message
        );
        let e = decode(vec![("orgId", s(" "))]).expect_err("empty");
        assert!(e.message.contains("neon orgs list"), "{}", e.message);
    }

    fn expiry_of(pairs: Vec<(&str, Value)>) -> Result<Option<Expiry>, InputError> {
        let mut all = vec![("projectId", Value::string("p-1"))];
        all.extend(pairs);
        decode(all).map(|a| match a.mode {
            Mode::Branch { expiry, .. } => expiry,
            Mode::Project { .. } => panic!("branch mode"),
        })
    }

    #[test]
    fn expires_in_is_minutes_hours_or_days_up_to_30_days_and_not_with_expires_at() {
        let s = Value::string;
        for (text, seconds) in [
            ("30m", 1800),
            ("12h", 43_200),
            ("7d", 604_800),
            ("30d", 2_592_000),
        ] {
            let Some(Expiry::In { ttl, .. }) = expiry_of(vec![("expiresIn", s(text))]).expect(text)
            else {
                panic!("{text}: a time to live");
            };
            assert_eq!(ttl.whole_seconds(), seconds, "{text}");
        }
        for (text, message) in [
            ("31d", "expiresIn=\"31d\" is more than 30 days"),
            ("721h", "expiresIn=\"721h\" is more than 30 days"),
            ("0h", "is not a time to live"),
            ("7", "is not a time to live"),
            ("7 days", "is not a time to live"),
            ("1w", "is not a time to live"),
            ("-1d", "is not a time to live"),
            ("+1d", "is not a time to live"),
        ] {
            let e = expiry_of(vec![("expiresIn", s(text))]).expect_err(text);
            assert_eq!(e.property, "expiresIn", "{text}");
            assert!(e.message.contains(message), "{text}: {}", e.message);
        }
        let both = expiry_of(vec![
            ("expiresIn", s("7d")),
            ("expiresAt", s("2026-12-31T00:00:00Z")),
        ]);
        let e = both.expect_err("both");
        assert!(e.message.contains("set one of the two"), "{}", e.message);
        let e = decode(vec![("expiresIn", s("7d"))]).expect_err("project mode");
        assert_eq!(e.property, "expiresIn");
    }

    #[test]
    fn an_expiry_must_be_ahead_and_at_most_30_days_away_when_it_is_set() {
        let s = Value::string;
        let now = parse_rfc3339("2026-06-01T12:00:00Z").expect("time");
        let window = |text: &str| {
            let e = expiry_of(vec![("expiresAt", Value::string(text))])
                .expect(text)
                .expect("an expiry");
            e.check_window(now)
        };
        window("2026-06-02T12:00:00Z").expect("a day ahead");
        window("2026-07-01T12:00:00Z").expect("exactly 30 days");
        window("2026-06-02T21:00:00+09:00").expect("an offset");
        let past = window("2026-06-01T11:59:59Z").expect_err("past");
        assert_eq!(past.property, "expiresAt");
        assert!(
            past.message.starts_with(
                "expiresAt=\"2026-06-01T11:59:59Z\" is in the past (it is 2026-06-01T12:00:00Z now)"
            ),
            "{}",
            past.message
        );
        let far = window("2026-07-01T12:00:01Z").expect_err("too far");
        assert!(
            far.message.contains("more than 30 days away")
                && far.message.contains("before 2026-07-01T12:00:00Z"),
            "{}",
            far.message
        );
        // A time to live always fits: it starts when it is set, and a whole
        // 30 days ends 5 minutes short, for a Neon whose clock is behind ours.
        let ttl = expiry_of(vec![("expiresIn", s("30d"))])
            .expect("ttl")
            .expect("an expiry");
        ttl.check_window(now).expect("fits");
        assert_eq!(rfc3339(ttl.deadline(now)), "2026-07-01T11:55:00Z");
        let week = expiry_of(vec![("expiresIn", s("7d"))])
            .expect("ttl")
            .expect("an expiry");
        assert_eq!(rfc3339(week.deadline(now)), "2026-06-08T12:00:00Z");
        // Without a time zone, Neon cannot know which time is meant.
        let e = expiry_of(vec![("expiresAt", s("2026-06-02T12:00:00"))]).expect_err("no zone");
        assert!(e.message.contains("with a time zone"), "{}", e.message);
    }
}
