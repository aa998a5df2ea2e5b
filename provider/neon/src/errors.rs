//! Neon's catalogue (LP6xxx): every message about the inputs of
//! `NeonDatabase`, `NeonProject` and `NeonBranch` (LP6000–LP6499, first
//! block), then the failures of talking to Neon (LP6500–LP6999). One entry
//! per message, its doc comment saying why it happens and what to do; what
//! every resource checks the same way (types, required inputs) is core's
//! (LP10xx). See [`launchpad_core::catalogue`] for the rules.

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

    // ----- Runtime (LP6500–LP6999): client, transport, resources -----
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalogue_is_well_formed_and_in_its_range() {
        assert_eq!(
            launchpad_core::catalogue::problems(&[super::CATALOGUE]),
            Vec::<String>::new()
        );
        assert!(super::CATALOGUE.iter().all(|d| d.code.starts_with("LP6")));
    }
}
