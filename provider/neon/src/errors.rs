//! Neon's catalogue (LP6xxx): every message NeonDatabase, NeonProject and
//! NeonBranch can end with. Input errors (LP6000–LP6499) are about a Neon
//! input's value; runtime errors (LP6500–LP6999) come while the resources
//! talk to Neon's API: the provider config (LP650x), Neon's answers and the
//! waits for them (LP652x), what the two resources share and a project's own
//! (LP66xx), a branch's own (LP67xx). The client ([`crate::client::NeonError`]
//! displays through these constructors) and the resources call them; nothing
//! here knows HTTP. See [`launchpad_core::catalogue`] for the rules.

use std::fmt::Display;

launchpad_core::catalogue! {
    area = "Neon";

    // ----- Inputs (LP6000–LP6499): args.rs -----

    /// Neon deletes a branch once its `expiresAt` has passed, and refuses a
    /// time in the past when the expiry is set. Set a time within the next
    /// 30 days, or `expiresIn` to count from the branch's creation.
    LP6001 input expires_at_in_the_past(property = "expiresAt", value: impl Display, now: impl Display)
        = "expiresAt={value} is in the past (it is {now} now): Neon refuses it, and deletes a branch once its time has passed; set a time within the next 30 days, or `expiresIn` (\"7d\") to count from the branch's creation";

    /// Neon lets a branch expire at most 30 days after the expiry is set
    /// (checked at preview and again when the branch is created or the time
    /// changed). Set an earlier time, or `expiresIn` up to `30d`.
    LP6002 input expires_at_too_far(property = "expiresAt", value: impl Display, latest: impl Display)
        = "expiresAt={value} is more than 30 days away; Neon allows at most 30 days: set a time before {latest}, or `expiresIn` up to \"30d\"";

    /// `region`, `orgId` and `historyRetentionSeconds` describe a new
    /// project; with `projectId` the database is a branch, which lives in its
    /// project's region and organization. Remove the input or `projectId`.
    LP6003 input project_only_input(property)
        = "{property} is for a new project; a branch (`projectId` is set) takes its project's: remove one of the two";

    /// `parentBranch`, `expiresAt` and `expiresIn` describe a branch of an
    /// existing project, which `projectId` names. Set `projectId`, or remove
    /// the input for a new project.
    LP6004 input branch_only_input(property)
        = "{property} needs `projectId`: it is about a branch of an existing project";

    /// Neon offers Postgres 14 and later; a version newer than launchpad
    /// knows is passed on to Neon, which decides. Use one of the versions listed.
    LP6005 input pg_version_not_offered(property = "pgVersion", value: impl Display, known: impl Display)
        = "pgVersion={value} is not offered by Neon; valid: {known} (a newer version is passed on to Neon)";

    /// Neon keeps at most 30 days of history (plans allow less), in whole
    /// seconds. Use a whole number from 0 to 2592000, or leave it out for
    /// the plan's default.
    LP6006 input history_retention_out_of_range(property = "historyRetentionSeconds", value: impl Display)
        = "historyRetentionSeconds={value} must be a whole number of seconds from 0 to 2592000 (30 days), the most Neon keeps";

    /// Neon scales a compute to zero after this many idle seconds: -1
    /// never, 0 the plan's default, otherwise 60 to 604800 (a week).
    LP6007 input suspend_timeout_invalid(property = "suspendTimeoutSeconds", value: impl Display)
        = "suspendTimeoutSeconds={value} is not valid; use 60 to 604800 seconds, 0 for the plan's default, or -1 to never scale to zero";

    /// Neon takes project and branch names of at most 256 characters.
    /// Shorten `name`, or leave it out for a generated one.
    LP6008 input name_too_long(property = "name", value: impl Display, chars: usize)
        = "name={value} is {chars} characters; Neon takes project and branch names of at most 256";

    /// Neon's smallest compute is 0.25 CU. Set `minCu` to 0.25 or more.
    LP6009 input compute_below_smallest(property = "minCu", value: impl Display)
        = "minCu={value} is below Neon's smallest compute, 0.25 CU";

    /// `maxCu` is the top of the autoscaling range, so it cannot be below
    /// `minCu`. Raise `maxCu`, or lower `minCu`; leave `maxCu` out for a
    /// fixed size.
    LP6010 input max_cu_below_min_cu(property = "maxCu", max: impl Display, min: impl Display)
        = "maxCu={max} is less than minCu={min}";

    /// A fixed-size compute (`maxCu` equal to `minCu`) goes up to 56 CU.
    /// Choose a smaller size.
    LP6011 input fixed_compute_too_large(property = "maxCu", value: impl Display)
        = "maxCu={value} is above the largest fixed compute, 56 CU";

    /// An autoscaling compute (`maxCu` above `minCu`) reaches at most 16 CU;
    /// larger sizes are fixed. Lower `maxCu`, or set `minCu` equal to it.
    LP6012 input autoscaling_too_large(property = "maxCu", value: impl Display)
        = "maxCu={value} is above 16 CU, the most an autoscaling compute reaches; set maxCu=16 or less, or minCu=maxCu for a fixed size up to 56";

    /// Neon's autoscaling spans at most 8 CU between `minCu` and `maxCu`.
    /// The message names the nearest sizes Neon offers within the span.
    LP6013 input autoscaling_span_too_wide(
        property = "maxCu", max: impl Display, min: impl Display,
        largest: impl Display, smallest: impl Display)
        = "maxCu={max} is more than 8 CU above minCu={min}: autoscaling spans at most 8 CU; set maxCu={largest} or less, or minCu={smallest} or more";

    /// Neon offers 0.25 and 0.5 CU, every whole number from 1 to 16, and the
    /// even numbers from 18 to 56. The message names the sizes just below
    /// and above the value.
    LP6014 input not_a_compute_size(property, value: impl Display, nearest: impl Display)
        = "{property}={value} is not a Neon compute size; nearest: {nearest}";

    /// Postgres names (databases, roles) are 1 to 63 bytes; a letter outside
    /// ASCII takes two or more. Shorten the name.
    LP6015 input postgres_name_length(property, value: impl Display, bytes: usize)
        = "{property}={value} is {bytes} bytes; a Postgres name is 1 to 63 bytes (a letter outside ASCII takes 2 or more)";

    /// Neon keeps some role names for itself (every `pg_*` name and a few
    /// more) and refuses to create them
    /// (<https://neon.com/docs/manage/roles#protected-role-names>). Choose another name.
    LP6016 input reserved_role_name(property = "roleName", value: impl Display, reserved: impl Display)
        = "roleName={value} is a name Neon keeps for itself; it refuses pg_*, {reserved}: choose another, such as \"app\"";

    /// An empty `orgId` names no organization. Set the organization's ID, or
    /// leave `orgId` out (the provider config `launchpad:neonOrgId` applies).
    LP6017 input org_id_empty(property = "orgId")
        = "orgId=\"\" is empty; set the organization's ID (`org-...`, in the Neon console under your organization's Settings, or from `neon orgs list`), or leave `orgId` out";

    /// Neon's organization IDs are 1 to 60 lowercase letters, digits and
    /// hyphens (`org-cool-breeze-12345678`), not the organization's display name.
    LP6018 input org_id_malformed(property = "orgId", value: impl Display)
        = "orgId={value} is not a Neon organization ID: 1 to 60 lowercase letters, digits and hyphens, like org-cool-breeze-12345678 (in the Neon console under your organization's Settings, or from `neon orgs list`)";

    /// `expiresAt` (a time) and `expiresIn` (a time to live) both set the
    /// branch's expiry. Keep one of the two.
    LP6019 input expiry_set_twice(property = "expiresIn")
        = "expiresAt and expiresIn both say when the branch expires: set one of the two";

    /// Neon takes an RFC 3339 time with a time zone; without one it cannot
    /// know which time is meant.
    LP6020 input expires_at_not_a_time(property = "expiresAt", value: impl Display)
        = "expiresAt={value} is not an RFC 3339 time with a time zone; write it like \"2026-12-31T00:00:00Z\" or \"2026-12-31T09:00:00+09:00\"";

    /// A time to live is a whole number above zero followed by `m`, `h` or
    /// `d` (minutes, hours, days).
    LP6021 input expires_in_not_a_duration(property = "expiresIn", value: impl Display)
        = "expiresIn={value} is not a time to live; write a whole number of minutes, hours or days above zero: \"30m\", \"12h\" or \"7d\" (at most \"30d\")";

    /// Neon lets a branch live at most 30 days before it expires. Use `30d`
    /// or less.
    LP6022 input expires_in_too_long(property = "expiresIn", value: impl Display)
        = "expiresIn={value} is more than 30 days, the longest Neon lets a branch live before it expires; use at most \"30d\"";

    // ---- runtime errors (LP6500–LP6999) ----

    /// `pulumi up` (never `pulumi preview`) needs a Neon API key, and neither
    /// the provider config nor the environment has one. Create a key in the
    /// Neon console (Account or Organization settings → API keys) and set it
    /// as a secret, or export `NEON_API_KEY`.
    LP6501 runtime missing_api_key()
        = "no Neon API key: set the provider config `launchpad:neonApiKey` (pulumi config set --secret launchpad:neonApiKey <key>) or the environment variable `NEON_API_KEY`";

    /// A Neon provider config value (`neonApiKey`, `neonApiUrl` or
    /// `neonOrgId`) is a number, a list or an object. Set it as text:
    /// `pulumi config set launchpad:{key} <value>` (`--secret` for the key).
    LP6502 runtime config_not_a_string(key: impl Display)
        = "launchpad:{key} must be a string";

    /// `launchpad:neonApiUrl` does not parse as a URL (`{reason}` says why).
    /// Leave it unset to use Neon's API; set it only to reach a stand-in.
    LP6503 runtime api_url_not_a_url(url: impl Display, reason: impl Display)
        = "launchpad:neonApiUrl={url} is not a URL ({reason}); the default is https://console.neon.tech/api/v2";

    /// Every request carries the API key, so it must not cross a network
    /// unencrypted: the URL must be https, or http to a loopback address (a
    /// local stand-in). Use the https URL, or leave the setting unset.
    LP6504 runtime api_url_not_https(url: impl Display)
        = "launchpad:neonApiUrl={url} must be an https URL (http only to a loopback address): the API key must not travel in clear text";

    /// The URL cannot have paths under it (a `mailto:` or `data:` URL) or has
    /// a query; calls are made to paths under it. Give the API's base URL.
    LP6505 runtime api_url_not_a_base(url: impl Display)
        = "launchpad:neonApiUrl={url} must be a base URL like https://console.neon.tech/api/v2";

    /// The HTTP client could not be built: usually the system's TLS set-up
    /// (root certificates) is broken. `{reason}` is the underlying error; fix
    /// the machine's TLS configuration and run again.
    LP6506 runtime http_client_setup(reason: impl Display)
        = "cannot set up the HTTP client for the Neon API: {reason}";

    /// A bug in launchpad: a request body could not be written as JSON.
    /// Nothing in your program can fix it; please report it with the message.
    LP6507 runtime request_not_encodable(endpoint: impl Display, reason: impl Display)
        = "cannot encode the request body of {endpoint}: {reason}";

    /// Neon answered 401: the API key is wrong, revoked or expired. Create a
    /// new key in the Neon console and set it as a secret (or in
    /// `NEON_API_KEY`).
    LP6520 runtime api_key_not_valid(status: impl Display, message: impl Display)
        = "the Neon API key is not valid ({status}): {message}; set a valid key in `launchpad:neonApiKey` (pulumi config set --secret launchpad:neonApiKey <key>) or `NEON_API_KEY`";

    /// Neon answered 403: the key is valid but may not do this, usually
    /// because the project belongs to another account or organization (or
    /// the key is a project-scoped key of another project). Use a key of the
    /// account or organization that owns the project.
    LP6521 runtime api_key_not_allowed(endpoint: impl Display, status: impl Display, message: impl Display)
        = "the Neon API key may not call {endpoint} ({status}): {message}; use a key of the account or organization that owns the project in `launchpad:neonApiKey` or `NEON_API_KEY`";

    /// A personal API key reaches every organization its user belongs to, so
    /// Neon needs to be told which one a new project goes to (it answers
    /// `org_id is required`). Set `orgId` on the resource, or
    /// `launchpad:neonOrgId` once for the stack, or use an organization key.
    LP6522 runtime org_id_required(endpoint: impl Display, message: impl Display)
        = "the Neon API answered {endpoint} with 400 Bad Request: {message}; a personal API key must name the organization: set `orgId` on the NeonDatabase or NeonProject, or the provider config `launchpad:neonOrgId` (pulumi config set launchpad:neonOrgId org-...), or use an organization API key; find the organization's ID in the Neon console under the organization's Settings, or with `neon orgs list`";

    /// Neon refused the call with an answer retrying cannot change (a 4xx
    /// other than 401, 403, 423 and 429, or a 404 where something must
    /// exist). `{message}` is Neon's own explanation (with its request ID):
    /// usually a plan limit, a name or setting Neon does not accept, or a
    /// project or branch deleted outside Pulumi (then run `pulumi refresh`).
    LP6523 runtime api_refused(endpoint: impl Display, status: impl Display, message: impl Display)
        = "the Neon API answered {endpoint} with {status}: {message}";

    /// Neon kept answering 423 (another operation holds the project), 429
    /// (rate limit) or 5xx, or the connection kept failing, until the retry
    /// window (ten minutes) closed, or five tries could not connect at all.
    /// Check Neon's status page and `launchpad:neonApiUrl`, then run
    /// `pulumi up` again: nothing is created twice.
    LP6524 runtime api_kept_failing(endpoint: impl Display, last: impl Display, attempts: u32)
        = "the Neon API kept failing {endpoint} ({last}); gave up after {attempts} attempts";

    /// Neon's answer is not what its API reference documents: `{problem}`
    /// says where the body broke (never its content, which may hold a
    /// password). Usually a proxy answering instead of Neon, or a changed
    /// API; check `launchpad:neonApiUrl`, and report it if it persists.
    LP6525 runtime unexpected_answer(endpoint: impl Display, expected: impl Display, problem: impl Display)
        = "unexpected answer from the Neon API to {endpoint}: expected {expected}, but {problem}";

    /// Neon cancelled an operation the resource was waiting for (another
    /// change to the project, made in the console or by another program,
    /// replaced it). Run `pulumi refresh`, then `pulumi up` again.
    LP6526 runtime operation_cancelled(action: impl Display, id: impl Display)
        = "the Neon operation {action} ({id}) was cancelled";

    /// Cancel (Ctrl-C) or the resource's deadline stopped a wait: for Neon's
    /// answer, before a retry, or for one of Neon's operations
    /// (`{waiting_for}` says which); `{interrupted}` is core's `cancelled`
    /// (LP1050) or `timed out after …` (LP1051). Run `pulumi up` again; raise
    /// the resource's `customTimeouts` if Neon needs longer.
    LP6527 runtime interrupted_while_waiting(waiting_for: impl Display, interrupted: impl Display)
        = "{waiting_for}: {interrupted}";

    /// As LP6527, while the awaited operation had failed at least once: Neon
    /// retries failed operations, and `{neon_error}` is its last error, the
    /// likely reason the wait ran out. Fix what it names (a plan limit, say)
    /// or ask Neon's support, then run `pulumi up` again.
    LP6528 runtime interrupted_after_operation_failed(
        waiting_for: impl Display, interrupted: impl Display, neon_error: impl Display)
        = "{waiting_for}: {interrupted}; Neon's last error for it: {neon_error}";

    /// The project or branch was created, but setting up its endpoint, role,
    /// database or connection URIs then failed or was stopped (`{reason}`
    /// says how). The engine records what exists; fix the reason and run
    /// `pulumi up` again, which finishes the job instead of creating another.
    LP6600 runtime unfinished(reason: impl Display)
        = "{reason}; the next `pulumi up` finishes setting it up";

    /// The branch has no read-write compute endpoint (it was deleted in the
    /// console), so there is nothing to connect to. Add a read-write compute
    /// to the branch in the Neon console, or delete the branch.
    LP6601 runtime no_read_write_endpoint(branch_id: impl Display, project_id: impl Display)
        = "branch {branch_id} of Neon project {project_id} has no read-write endpoint, so it has no compute; add one in the Neon console or delete the branch";

    /// A bug in launchpad: a NeonProject's inputs decoded as a branch. Check
    /// refuses `projectId` on a NeonProject, so this should never be seen;
    /// please report it. Use a NeonBranch for a branch of a project.
    LP6610 runtime project_takes_no_project_id()
        = "a NeonProject takes no `projectId`";

    /// Neon refused to create the project, and `pgVersion` is one launchpad
    /// does not know: most likely Neon does not offer it (yet, or any more).
    /// Use one of the listed versions.
    LP6611 runtime pg_version_refused(pg_version: u32, error: impl Display, known: impl Display)
        = "pgVersion={pg_version} was refused by Neon ({error}); versions launchpad knows: {known}";

    /// Neon allows two projects of one name, but launchpad never creates one
    /// twice: a project of this name already exists, most likely from a
    /// `pulumi up` stopped while its create was on the way. Import it with
    /// the command shown (so it becomes this resource), delete it in the
    /// console, or give this project another `name`.
    LP6612 runtime project_name_taken(name: impl Display, id: impl Display, import: impl Display)
        = "a Neon project named \"{name}\" already exists ({id}), perhaps from an interrupted `pulumi up`; import it with `{import}`, delete it, or set another `name`";

    /// Neon lists no branch of the project as its default, which every
    /// project has. Check the project in the Neon console (set a default
    /// branch), then refresh again.
    LP6613 runtime no_default_branch(id: impl Display)
        = "Neon project {id} has no default branch";

    /// The stack's state of this project lacks its branch's ID (a state
    /// edited by hand, or written by an old launchpad). `pulumi refresh`
    /// reads it back from Neon.
    LP6614 runtime state_has_no_branch_id(id: impl Display)
        = "the recorded state of Neon project {id} has no branchId; run `pulumi refresh`";

    /// The project was deleted outside Pulumi. Refresh to drop it from the
    /// state; the next `pulumi up` creates a new one (with new data).
    LP6615 runtime project_gone(project_id: impl Display)
        = "Neon project {project_id} no longer exists; run `pulumi refresh` to drop it from the state, and `pulumi up` creates a new one";

    /// A new `orgId` moves the project with Neon's transfer, which needs the
    /// organization it is in now, and Neon reports none (a project of a
    /// personal account). Move it in the Neon console, then refresh.
    LP6616 runtime project_has_no_organization(org_id: impl Display, project_id: impl Display)
        = "orgId=\"{org_id}\": Neon reports no organization for project {project_id}, so launchpad cannot move it there; move it in the Neon console (the project's Settings → Transfer), then run `pulumi refresh`";

    /// Neon refused to move the project to the organization `orgId` names.
    /// `{why}` is one of: the destination organization's plan cannot take it
    /// (406); it has a GitHub or Vercel integration, which Neon does not
    /// transfer (422); the API key may not move it (403); Neon refused the
    /// transfer (another 4xx). Do what the message says: move it by hand,
    /// set `orgId` back, or ask for a new project with `replaceOnChanges`.
    LP6617 runtime transfer_refused(
        to: impl Display, project_id: impl Display, from: impl Display, why: impl Display,
        status: u16, neon_says: impl Display)
        = "orgId=\"{to}\": cannot move Neon project {project_id} from organization {from} to {to}: {why} (Neon answered {status}: {neon_says}). A transfer needs the Admin role in {from} and at least the Member role in {to}, and no GitHub or Vercel integration on the project. Move it yourself in the Neon console (the project's Settings → Transfer), then run `pulumi refresh`; or set `orgId` back to {from}; for a new, empty project in {to} instead, set `replaceOnChanges: [\"orgId\"]`";

    /// A bug in launchpad: a NeonBranch's inputs decoded as a project. Check
    /// requires `projectId` on a NeonBranch, so this should never be seen;
    /// please report it.
    LP6701 runtime branch_needs_project_id()
        = "a NeonBranch needs `projectId`";

    /// `projectId` or `parentBranch` reached create as something other than
    /// text, which Check should have refused; please report it, and pass the
    /// ID as a string.
    LP6702 runtime branch_input_not_a_string(name: impl Display)
        = "`{name}` must be a string";

    /// `parentBranch` names neither the ID nor the name of a branch of the
    /// project. Use one of the listed names (or a branch ID, `br-…`).
    LP6703 runtime parent_branch_not_found(parent: impl Display, project_id: impl Display, branches: impl Display)
        = "parentBranch=\"{parent}\" is not a branch of Neon project {project_id}; its branches: {branches}";

    /// Neon creates no branch from a branch that expires. Branch from another
    /// one (the default branch never expires), or remove the parent's expiry.
    LP6704 runtime parent_branch_expires(name: impl Display, expires_at: impl Display)
        = "parentBranch=\"{name}\" expires at {expires_at}, and Neon makes no branch from an expiring branch; branch from another one, or remove its expiry";

    /// Neon refused the name as taken, and a branch of that name exists, most
    /// likely from a `pulumi up` stopped while its create was on the way.
    /// Import it with the command shown, delete it, or set another `name`.
    LP6705 runtime branch_name_taken(name: impl Display, project_id: impl Display, id: impl Display, import: impl Display)
        = "a branch named \"{name}\" already exists in Neon project {project_id} ({id}), perhaps from an interrupted `pulumi up`; import it with `{import}`, delete it, or set another `name`";

    /// Neon refused the name as taken but lists no branch of that name:
    /// usually a branch deleted moments ago, whose name Neon holds while it
    /// can still be restored. Run `pulumi up` again later, or set another `name`.
    LP6706 runtime branch_name_held(name: impl Display, refusal: impl Display, project_id: impl Display)
        = "Neon refused the branch name \"{name}\" as taken ({refusal}), but lists no branch of that name in project {project_id}: perhaps one deleted moments ago, whose name Neon may hold while it can be recovered; run `pulumi up` again later, or set another `name`";

    /// Neon refused the name as taken, and listing the project's branches to
    /// find that branch failed too (`{error}`). Find it in the Neon console
    /// and import it with the command shown, delete it, or set another `name`.
    LP6707 runtime branch_name_taken_unlisted(
        name: impl Display, refusal: impl Display, project_id: impl Display,
        error: impl Display, import: impl Display)
        = "Neon refused the branch name \"{name}\" as taken ({refusal}), and listing the branches of project {project_id} to find it failed ({error}); find it in the Neon console and import it with `{import}`, delete it, or set another `name`";

    /// The branch is gone: Neon deletes a branch when its expiry passes, or
    /// someone deleted it. Refresh to drop it from the state; the next
    /// `pulumi up` creates a new one.
    LP6708 runtime branch_gone(branch_id: impl Display, project_id: impl Display)
        = "branch {branch_id} of Neon project {project_id} no longer exists (Neon deletes a branch once it expires); run `pulumi refresh` (or `pulumi up --refresh`) to drop it from the state, and `pulumi up` creates a new one";

    /// Neon never lets a project's default or protected branch expire (`{kind}`
    /// says which this one is; `{property}` is `expiresAt` or `expiresIn`).
    /// Remove the expiry, or branch off it instead.
    LP6709 runtime expiry_on_kept_branch(property: impl Display, branch: impl Display, kind: impl Display)
        = "{property}: branch {branch} is the project's {kind} branch, and Neon lets no {kind} branch expire; remove `{property}`";

    /// Neon now keeps the branch longer than the state records (someone
    /// extended or removed its expiry, or reset it from its parent): whoever
    /// did wants it, so it is not deleted on a stale plan. Refresh, then run
    /// the update again.
    LP6710 runtime expiry_changed_since_refresh(
        name: impl Display, branch_id: impl Display, project_id: impl Display,
        now: impl Display, recorded: impl Display)
        = "branch {name} ({branch_id}) of Neon project {project_id} was not deleted: the branch's expiry changed since the last refresh (now {now}; the state has {recorded}); run `pulumi refresh`, then try again";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_well_formed() {
        assert_eq!(
            launchpad_core::catalogue::problems(&[CATALOGUE]),
            Vec::<String>::new()
        );
        for d in CATALOGUE {
            let n: u32 = d.code[2..].parse().unwrap_or(0);
            let runtime = d.kind == launchpad_core::catalogue::ErrorKind::Runtime;
            assert_eq!(
                runtime,
                n >= 6500,
                "{}: runtime entries are LP6500–LP6999",
                d.code
            );
        }
    }

    #[test]
    fn templates_name_the_default_api_url_the_client_uses() {
        for d in [api_url_not_a_url("x", "y"), api_url_not_a_base("x")] {
            assert!(d.message.contains(crate::client::DEFAULT_API_URL), "{d}");
        }
    }
}
