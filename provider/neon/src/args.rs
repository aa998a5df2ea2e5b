//! The inputs of NeonDatabase, NeonProject and NeonBranch, each declared
//! once with `#[derive(Inputs)]` ([`NeonDatabaseInputs`],
//! [`NeonProjectInputs`], [`NeonBranchInputs`], which flatten in the groups
//! they share), and validated together into [`NeonArgs`]: a new project, or
//! a branch of an existing one. Every refusal is an entry of Neon's
//! catalogue ([`crate::errors`]) naming the property, the value and the
//! valid choices.

use launchpad_core::schema::{EnumDef, TypeDef};
use launchpad_core::{ArgsReader, Input, InputError, Inputs, PropertyMap, Value};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::errors;

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

// The inputs, each declared once. The three resources share whole groups:
// the compute, database and role (all three); a new project's settings
// (NeonDatabase and NeonProject); a branch's (NeonDatabase and NeonBranch).
// A shared declaration carries what each side needs: `feeds` for the
// component's `ignoreChanges`, `replace_on_changes` for the native
// resource's Diff (each side ignores the other's).

/// The compute, database and role of every Neon database: inputs of
/// NeonDatabase, NeonProject and NeonBranch alike, flattened into each.
/// `minCu` and `maxCu` are checked together (as `maxCu` is read).
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct ComputeInputs {
    /// Smallest compute size in compute units (1 CU = 1 vCPU, 4 GB RAM).
    #[input(
        default = 0.25,
        read_with = min_cu,
        rule = "A size Neon offers: 0.25, 0.5, a whole number from 1 to 16 or an even number from 18 to 56.",
        feeds("project.minCu", "branch.minCu")
    )]
    pub min_cu: Input<f64>,
    /// Largest compute size. Defaults to `minCu`.
    #[input(
        read_with = max_cu,
        rule = "A size Neon offers and at least `minCu`: autoscaling goes up to 16 CU and spans at most 8 CU; a fixed size (equal to `minCu`) goes up to 56.",
        feeds("project.maxCu", "branch.maxCu")
    )]
    pub max_cu: Option<Input<f64>>,
    /// Seconds of inactivity before the compute scales to zero.
    #[input(
        ty = TypeDef::Integer,
        default = 0,
        check = suspend_timeout,
        rule = "From 60 to 604800, 0 for the plan's default, or -1 to never scale to zero.",
        feeds("project.suspendTimeoutSeconds", "branch.suspendTimeoutSeconds")
    )]
    pub suspend_timeout_seconds: Input<f64>,
    /// The database. Renaming it keeps its data.
    #[input(
        default = "app",
        check = postgres_name,
        rule = "1 to 63 bytes.",
        feeds("project.databaseName", "branch.databaseName")
    )]
    pub database_name: Input<String>,
    /// The role that owns the database and that the connection URIs log in as.
    #[input(
        default = "app",
        check = role_name,
        rule = "1 to 63 bytes, and not a name Neon keeps for itself: `pg_*`, `neon_superuser`, `cloud_admin`, `zenith_admin`, `public`, `none`.",
        feeds("project.roleName", "branch.roleName")
    )]
    pub role_name: Input<String>,
}

/// A new project's settings: inputs of NeonDatabase (without `projectId`)
/// and NeonProject.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct NewProjectInputs {
    /// Postgres major version of a new project (14-18; a newer one is passed on to Neon).
    #[input(
        ty = TypeDef::Integer,
        default = 17,
        read_with = pg_version,
        replace_on_changes,
        feeds("project.pgVersion")
    )]
    pub pg_version: Input<f64>,
    /// How far back a new project keeps history for branching and restores, in whole seconds
    /// (plans allow less). Sent only when set: plans differ.
    #[input(
        ty = TypeDef::Integer,
        check = history_retention,
        rule = "From 0 to 2592000 (30 days).",
        feeds("project.historyRetentionSeconds")
    )]
    pub history_retention_seconds: Option<Input<f64>>,
}

/// A branch's settings: inputs of NeonDatabase (with `projectId`) and
/// NeonBranch. `expiresAt` and `expiresIn` are checked together
/// ([`BranchInputs::expiry`]).
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct BranchInputs {
    /// Branch mode: the branch to copy, by name or ID. Defaults to the project's default branch.
    #[input(replace_on_changes, feeds("branch.parentBranch"))]
    pub parent_branch: Option<Value>,
    /// Branch mode: when Neon deletes the branch, as an RFC 3339 time with a time zone
    /// (`2026-12-31T00:00:00Z`): in the future and at most 30 days away when the branch is
    /// created or the time is changed. Once it has passed, Neon deletes the branch; `pulumi
    /// refresh` then drops it from the state and the next `pulumi up` (with a new time) creates a
    /// new one. Not with `expiresIn`.
    #[input(feeds("branch.expiresAt"))]
    pub expires_at: Option<Input<String>>,
    /// Branch mode: how long the branch lives, from its creation: a whole number of minutes,
    /// hours or days (`30m`, `12h`, `7d`), at most 30 days ("30d" ends 5 minutes short of 30
    /// days, so a Neon clock behind ours still takes it). Made a time once, when the branch is
    /// created (the `expiresAt` output), so later previews show no change; changing `expiresIn`
    /// starts a new window from that `pulumi up`. After Neon has deleted the expired branch,
    /// `pulumi refresh` drops it from the state and the next `pulumi up` creates a new one with
    /// a new window. Not with `expiresAt`.
    #[input(feeds("branch.expiresIn"))]
    pub expires_in: Option<Input<String>>,
}

/// The inputs of the `NeonDatabase` component: a new project, or with
/// `projectId` a branch of an existing one. Each becomes the child
/// resource's input of the same name (`feeds`), which is how the component
/// passes it on.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct NeonDatabaseInputs {
    /// The project's (or, with `projectId`, the branch's) name, at most 256 characters. Defaults
    /// to `<stack>-<name>-<hash>`: unique per stack, so a branch per stack or pull request never
    /// collides.
    #[input(check = name_length, feeds("project.name", "branch.name"))]
    pub name: Option<Input<String>>,
    /// The region of a new project. Defaults to `aws-us-east-1`. Not allowed with `projectId` (a
    /// branch lives in its project's region).
    #[input(choices = REGION, feeds("project.region"))]
    pub region: Option<Input<String>>,
    /// The Neon organization a new project belongs to (`org-...`: lowercase letters, digits and
    /// hyphens), which a personal API key must name: Neon refuses `org_id is required`
    /// otherwise; an organization API key needs none. Defaults to the provider config
    /// `launchpad:neonOrgId`. Find it in the Neon console under your organization's Settings, or
    /// with `neon orgs list`. Another organization later moves the project there by Neon's
    /// transfer (same project, same connection URIs; Admin in its organization and Member in the
    /// new one needed); `replaceOnChanges: ["orgId"]` makes a new, empty project instead. Not
    /// allowed with `projectId` (a branch belongs to its project's organization).
    #[input(check = org_id, feeds("project.orgId"))]
    pub org_id: Option<Value>,
    /// `pgVersion`, `historyRetentionSeconds`.
    #[input(flatten)]
    pub project: NewProjectInputs,
    /// Branch mode: the existing project to branch from (a database per stack or pull request).
    #[input(feeds("branch.projectId"))]
    pub project_id: Option<Value>,
    /// `parentBranch`, `expiresAt`, `expiresIn`.
    #[input(flatten)]
    pub branch: BranchInputs,
    /// `minCu`, `maxCu`, `suspendTimeoutSeconds`, `databaseName`, `roleName`.
    #[input(flatten)]
    pub compute: ComputeInputs,
}

/// The inputs of `launchpad:index:NeonProject`.
#[derive(Inputs, Clone, Debug, PartialEq)]
pub struct NeonProjectInputs {
    /// The name in Neon, at most 256 characters. Make it unique: a create whose answer was lost
    /// on the network is found again by its name.
    #[input(check = name_length)]
    pub name: Input<String>,
    /// The project's region. Defaults to `aws-us-east-1`. A new region replaces the project.
    #[input(choices = REGION, replace_on_changes)]
    pub region: Option<Input<String>>,
    /// The Neon organization the project belongs to (`org-...`: lowercase letters, digits and
    /// hyphens): needed with a personal API key (Neon refuses `org_id is required` otherwise),
    /// not with an organization key. Defaults to the provider config `launchpad:neonOrgId`.
    /// Another organization is an update that moves the project by Neon's transfer: the same
    /// project, data and connection URIs; it needs the Admin role in the project's organization
    /// and at least Member in the new one. Naming the organization the project is already in
    /// changes nothing (the first time on a project created before `orgId` existed, an update
    /// records it). For a new, empty project in the other organization instead, set
    /// `replaceOnChanges: ["orgId"]` (and run `pulumi refresh` first on such an older project).
    #[input(check = org_id)]
    pub org_id: Option<Value>,
    /// `pgVersion`, `historyRetentionSeconds`.
    #[input(flatten)]
    pub project: NewProjectInputs,
    /// `minCu`, `maxCu`, `suspendTimeoutSeconds`, `databaseName`, `roleName`.
    #[input(flatten)]
    pub compute: ComputeInputs,
}

/// The inputs of `launchpad:index:NeonBranch`.
#[derive(Inputs, Clone, Debug, PartialEq)]
pub struct NeonBranchInputs {
    /// The name in Neon, at most 256 characters. Make it unique: a create whose answer was lost
    /// on the network is found again by its name.
    #[input(check = name_length)]
    pub name: Input<String>,
    /// The existing project to branch from. Another project replaces the branch.
    #[input(replace_on_changes)]
    pub project_id: Value,
    /// `parentBranch`, `expiresAt`, `expiresIn`.
    #[input(flatten)]
    pub branch: BranchInputs,
    /// `minCu`, `maxCu`, `suspendTimeoutSeconds`, `databaseName`, `roleName`.
    #[input(flatten)]
    pub compute: ComputeInputs,
}

/// Where the database lives: the inputs of one mode, and what is resolved
/// from them.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// A new project.
    Project {
        /// Neon region ID: `region`, or [`DEFAULT_REGION`] when not set.
        region: Input<String>,
        /// The organization, when the user set it (may be another
        /// resource's output; the provider config is the fallback).
        org_id: Option<Value>,
        /// Its Postgres version and history retention, as declared.
        project: NewProjectInputs,
    },
    /// A branch of an existing project.
    Branch {
        /// The project (may be another resource's output).
        project_id: Value,
        /// Its parent and expiry, as declared.
        branch: BranchInputs,
        /// When the branch expires: `expiresAt` or `expiresIn`, checked
        /// together and resolved.
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
        if *time <= now {
            Err(errors::expires_at_in_the_past(text.shown(), rfc3339(now)))
        } else if *time > latest {
            Err(errors::expires_at_too_far(text.shown(), rfc3339(latest)))
        } else {
            Ok(())
        }
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

/// Validated Neon inputs, whichever resource they came to: the mode (with
/// its inputs), the name, and the compute, database and role. Built from the
/// decoded input structs ([`NeonDatabaseInputs`], [`NeonProjectInputs`],
/// [`NeonBranchInputs`]) once the rules across inputs have passed; the
/// inputs are moved in as declared, never copied out field by field.
#[derive(Clone, Debug, PartialEq)]
pub struct NeonArgs {
    /// Project or branch name.
    pub name: Option<Input<String>>,
    /// Project or branch mode.
    pub mode: Mode,
    /// The compute, database and role, as declared.
    pub compute: ComputeInputs,
}

impl NeonArgs {
    /// Decode and validate the `NeonDatabase` component's raw inputs.
    pub fn decode(inputs: &PropertyMap) -> Result<NeonArgs, InputError> {
        let r = ArgsReader::new(NeonDatabaseInputs::PROPERTIES, inputs)?;
        // The other mode's inputs first: whatever their values, they do not belong.
        let (others, refusal): (_, fn(&str) -> InputError) = if r.raw("projectId")?.is_some() {
            (
                ["region", "historyRetentionSeconds", "orgId"],
                errors::project_only_input,
            )
        } else {
            (
                ["parentBranch", "expiresAt", "expiresIn"],
                errors::branch_only_input,
            )
        };
        for other in others {
            if r.raw(other)?.is_some() {
                return Err(refusal(other));
            }
        }
        let i = NeonDatabaseInputs::read(&r)?;
        let mode = match i.project_id {
            Some(project_id) => Mode::branch(project_id, i.branch)?,
            None => Mode::project(i.region, i.org_id, i.project),
        };
        Ok(NeonArgs::new(i.name, mode, i.compute))
    }

    /// Decode and validate a `NeonProject`'s raw inputs.
    pub fn of_project(inputs: &PropertyMap) -> Result<NeonArgs, InputError> {
        let i = NeonProjectInputs::decode(inputs)?;
        let mode = Mode::project(i.region, i.org_id, i.project);
        Ok(NeonArgs::new(Some(i.name), mode, i.compute))
    }

    /// Decode and validate a `NeonBranch`'s raw inputs.
    pub fn of_branch(inputs: &PropertyMap) -> Result<NeonArgs, InputError> {
        let i = NeonBranchInputs::decode(inputs)?;
        let mode = Mode::branch(i.project_id, i.branch)?;
        Ok(NeonArgs::new(Some(i.name), mode, i.compute))
    }

    fn new(name: Option<Input<String>>, mode: Mode, compute: ComputeInputs) -> NeonArgs {
        NeonArgs {
            name,
            mode,
            compute,
        }
    }
}

impl Mode {
    /// A new project: the region defaults to [`DEFAULT_REGION`].
    fn project(
        region: Option<Input<String>>,
        org_id: Option<Value>,
        project: NewProjectInputs,
    ) -> Mode {
        Mode::Project {
            region: region.unwrap_or_else(|| Input::plain(DEFAULT_REGION.into())),
            org_id,
            project,
        }
    }

    /// A branch of `project_id`, its expiry checked.
    fn branch(project_id: Value, branch: BranchInputs) -> Result<Mode, InputError> {
        let expiry = branch.expiry()?;
        Ok(Mode::Branch {
            project_id,
            branch,
            expiry,
        })
    }
}

/// `minCu`: a number of at least 0.25 (whether Neon offers it is checked
/// with `maxCu`, which says first what is wrong with the two together).
fn min_cu(r: &ArgsReader<'_>, name: &str) -> Result<Input<f64>, InputError> {
    let min = r.number(name)?.ok_or_else(|| r.missing_error(name))?;
    if *min < MIN_CU {
        return Err(errors::compute_below_smallest(min.shown_number()));
    }
    Ok(min)
}

/// `maxCu` with `minCu`: min ≤ max; autoscaling up to 16 CU spanning at most
/// 8; a fixed size up to 56; then each a size Neon offers.
fn max_cu(r: &ArgsReader<'_>, name: &str) -> Result<Option<Input<f64>>, InputError> {
    let min = min_cu(r, "minCu")?;
    let set = r.number(name)?;
    let max = set.clone().unwrap_or_else(|| min.clone());
    let (lo, hi) = (*min, *max);
    let (max_shown, min_shown) = (max.shown_number(), min.shown_number());
    if hi < lo {
        return Err(errors::max_cu_below_min_cu(max_shown, min_shown));
    } else if hi == lo && hi > MAX_FIXED_CU {
        return Err(errors::fixed_compute_too_large(max_shown));
    } else if hi > lo && hi > MAX_AUTOSCALING_CU {
        return Err(errors::autoscaling_too_large(max_shown));
    } else if hi - lo > MAX_SPAN_CU {
        // The nearest sizes Neon offers within the span, not just `±8`.
        let largest = compute_sizes()
            .filter(|s| *s <= lo + MAX_SPAN_CU)
            .last()
            .unwrap_or(lo);
        let smallest = compute_sizes()
            .find(|s| *s >= hi - MAX_SPAN_CU)
            .unwrap_or(hi);
        return Err(errors::autoscaling_span_too_wide(
            max_shown, min_shown, largest, smallest,
        ));
    }
    // The range is right; each end must also be a size Neon offers.
    offered_size("minCu", &min)?;
    offered_size(name, &max)?;
    Ok(set)
}

/// `cu` (input `name`) is a compute size Neon offers.
fn offered_size(name: &str, cu: &Input<f64>) -> Result<(), InputError> {
    if is_compute_size(**cu) {
        return Ok(());
    }
    Err(errors::not_a_compute_size(
        name,
        cu.shown_number(),
        nearest_compute_sizes(**cu),
    ))
}

/// `suspendTimeoutSeconds`: -1 (never), 0 (the plan's default), or a whole
/// number of seconds from 60 to 604800.
fn suspend_timeout(_: &str, suspend: Input<f64>) -> Result<Input<f64>, InputError> {
    let valid = *suspend == -1.0
        || *suspend == 0.0
        || (*suspend >= SUSPEND_RANGE.0 && *suspend <= SUSPEND_RANGE.1 && suspend.fract() == 0.0);
    if !valid {
        return Err(errors::suspend_timeout_invalid(suspend.shown_number()));
    }
    Ok(suspend)
}

/// `pgVersion`: a whole number, at least the oldest version Neon offers.
fn pg_version(r: &ArgsReader<'_>, name: &str) -> Result<Input<f64>, InputError> {
    let pg_version = r.integer(name, 1, u32::MAX)?;
    if *pg_version < f64::from(KNOWN_PG_VERSIONS[0]) {
        return Err(errors::pg_version_not_offered(
            pg_version.shown_number(),
            KNOWN_PG_VERSIONS.map(|v| v.to_string()).join(", "),
        ));
    }
    Ok(pg_version)
}

/// `historyRetentionSeconds`: whole seconds, at most what Neon keeps.
fn history_retention(_: &str, h: Input<f64>) -> Result<Input<f64>, InputError> {
    if *h < 0.0 || *h > MAX_HISTORY_RETENTION || h.fract() != 0.0 {
        return Err(errors::history_retention_out_of_range(h.shown_number()));
    }
    Ok(h)
}

/// A project or branch name Neon takes: at most 256 characters.
fn name_length(_: &str, n: Input<String>) -> Result<Input<String>, InputError> {
    let chars = n.chars().count();
    if chars > MAX_NAME {
        return Err(errors::name_too_long(n.shown(), chars));
    }
    Ok(n)
}

/// A Postgres identifier Neon accepts: 1-63 bytes (not characters: `é` is
/// two), no NUL.
fn postgres_name(path: &str, id: Input<String>) -> Result<Input<String>, InputError> {
    if id.is_empty() || id.len() > MAX_IDENTIFIER_BYTES || id.contains('\0') {
        return Err(errors::postgres_name_length(path, id.shown(), id.len()));
    }
    Ok(id)
}

/// A role name Neon lets a user make: a Postgres name, none of the names
/// Neon keeps for itself.
fn role_name(path: &str, role: Input<String>) -> Result<Input<String>, InputError> {
    let role = postgres_name(path, role)?;
    if role.starts_with("pg_") || PROTECTED_ROLES.contains(&role.as_str()) {
        return Err(errors::reserved_role_name(
            role.shown(),
            PROTECTED_ROLES.join(", "),
        ));
    }
    Ok(role)
}

/// Whether `id` has the shape of Neon's organization, project and branch
/// IDs: 1-60 lowercase letters, digits and hyphens (`^[a-z0-9-]{1,60}$`).
/// Anything else would change the meaning of the API path it goes into.
pub(crate) fn is_neon_id(id: &str) -> bool {
    (1..=60).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An organization ID of the shape Neon's API takes ([`is_neon_id`]).
fn org_id(_: &str, id: Input<String>) -> Result<Input<String>, InputError> {
    if id.trim().is_empty() {
        return Err(errors::org_id_empty());
    }
    if !is_neon_id(&id) {
        return Err(errors::org_id_malformed(id.shown()));
    }
    Ok(id)
}

impl ComputeInputs {
    /// The largest compute size: `maxCu`, or `minCu` (a fixed size) when
    /// `maxCu` is not set.
    pub fn max_cu_or_min(&self) -> &Input<f64> {
        self.max_cu.as_ref().unwrap_or(&self.min_cu)
    }
}

impl BranchInputs {
    /// `expiresAt` or `expiresIn`: one of the two, each of a shape Neon takes.
    pub fn expiry(&self) -> Result<Option<Expiry>, InputError> {
        match (self.expires_at.clone(), self.expires_in.clone()) {
            (Some(_), Some(_)) => Err(errors::expiry_set_twice()),
            (Some(text), None) => match parse_rfc3339(text.as_str()) {
                Some(time) => Ok(Some(Expiry::At { text, time })),
                None => Err(errors::expires_at_not_a_time(text.shown())),
            },
            (None, Some(text)) => {
                let ttl = time_to_live(&text)?;
                Ok(Some(Expiry::In { text, ttl }))
            }
            (None, None) => Ok(None),
        }
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
        return Err(errors::expires_in_not_a_duration(text.shown()));
    };
    let ttl = per_unit.saturating_mul(i32::try_from(count).unwrap_or(i32::MAX));
    if ttl > MAX_EXPIRY {
        return Err(errors::expires_in_too_long(text.shown()));
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
            project,
            org_id,
        } = &a.mode
        else {
            panic!("project mode");
        };
        assert_eq!(region.as_str(), "aws-us-east-1");
        assert_eq!(*project.pg_version, 17.0);
        assert!(
            project.history_retention_seconds.is_none(),
            "never sent unless set"
        );
        assert!(org_id.is_none(), "the provider config's, or none");
        assert_eq!(
            (*a.compute.min_cu, **a.compute.max_cu_or_min()),
            (0.25, 0.25)
        );
        assert_eq!(a.compute.database_name.as_str(), "app");
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
