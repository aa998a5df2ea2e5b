//! `launchpad:index:NeonBranch`: a branch of an existing Neon project with
//! its own read-write endpoint, role and database. Its ID is
//! `<projectId>/<branchId>`. What it shares with `NeonProject` is in
//! [`crate::resource`]; what is a branch's own is here: its parent, and its
//! expiry (`expiresAt`, `expiresIn`) as Neon keeps and enforces it.

use std::sync::Arc;

use launchpad_core::custom::{
    ChangeKind, CheckResult, Created, CustomResource, DiffResult, PropertyChange, ResourceContext,
    ResourceError, State,
};
use launchpad_core::schema::{PropertyDef, ResourceDef, TypeDef};
use launchpad_core::{Inputs, PropertyMap, Value};
use time::OffsetDateTime;

use crate::api::{Branch, BranchSpec, BranchUpdate};
use crate::args::{Expiry, Mode, NeonArgs, NeonBranchInputs, is_neon_id, parse_rfc3339, rfc3339};
use crate::client::{NeonClient, NeonError};
use crate::errors;
use crate::resource::{
    BRANCH_ID, CONNECTION_URI, Clients, ENDPOINT_ID, EXPIRES_AT, HOST, POOLED_CONNECTION_URI,
    POOLED_HOST, Place, Want, bounded, check, computed_outputs, connection_outputs, diff, failed,
    ids, import_command, partially_created, preview_outputs, preview_update, read_branch_state,
    read_write_endpoint, settle_database, settle_endpoint, text, update_branch_database,
    with_inputs,
};

/// `launchpad:index:NeonBranch`.
pub static BRANCH: ResourceDef = ResourceDef {
    token: "launchpad:index:NeonBranch",
    description: "A branch of an existing Neon project with its own read-write endpoint, role and database (what `NeonDatabase` creates with `projectId`). Its ID is `<projectId>/<branchId>`. With `expiresAt` or `expiresIn` Neon deletes it when its time comes; `pulumi refresh` then drops it from the state, and the next `pulumi up` makes a new one.",
    inputs: NeonBranchInputs::PROPERTIES,
    outputs: computed_outputs!(
        EXPIRES_AT,
        PropertyDef::new(
            "parentBranchId",
            TypeDef::String,
            "The ID of the branch this one was copied from.",
        ),
        PropertyDef::new(
            "parentBranchName",
            TypeDef::String,
            "The name of the branch this one was copied from.",
        )
    ),
};

/// `launchpad:index:NeonBranch`.
pub struct NeonBranch {
    /// The shared clients.
    pub clients: Arc<Clients>,
}

/// `<projectId>/<branchId>`, split; each part shaped as Neon's IDs are, so
/// nothing the user typed reaches an API path as anything but an ID.
fn branch_id_parts(id: &str) -> Result<(&str, &str), ResourceError> {
    id.split_once('/')
        .filter(|(p, b)| is_neon_id(p) && is_neon_id(b))
        .ok_or_else(|| ResourceError::MalformedId {
            id: id.to_string(),
            resource: "NeonBranch",
            form: "`<projectId>/<branchId>` (each 1 to 60 lowercase letters, digits and hyphens), for example `floral-king-961888/br-wispy-meadow-12345`",
        })
}

#[async_trait::async_trait]
impl CustomResource for NeonBranch {
    fn definition(&self) -> &'static ResourceDef {
        &BRANCH
    }

    async fn check(&self, _: &ResourceContext, _: &PropertyMap, news: PropertyMap) -> CheckResult {
        check(
            &BRANCH,
            NeonArgs::of_branch,
            news,
            OffsetDateTime::now_utc(),
        )
    }

    async fn diff(
        &self,
        _: &ResourceContext,
        id: &str,
        old: &State,
        news: &PropertyMap,
    ) -> Result<DiffResult, ResourceError> {
        branch_id_parts(id)?;
        let mut d = diff(&BRANCH, old, news);
        // The parent named by ID where it was named by name (or the other
        // way round, as after an import) is the same parent.
        if let Some(new) = text(news, "parentBranch")
            && ["parentBranchId", "parentBranchName"]
                .iter()
                .any(|k| text(&old.outputs, k).as_deref() == Some(new.as_str()))
        {
            d.changes.remove("parentBranch");
        }
        expired_is_replaced(&mut d, old, news, OffsetDateTime::now_utc());
        Ok(d)
    }

    async fn create(
        &self,
        ctx: &ResourceContext,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<Created, ResourceError> {
        // Check has validated what is known; the rest is known at `up`.
        if preview {
            return Ok(Created {
                id: String::new(),
                outputs: preview_outputs(&BRANCH, inputs),
            });
        }
        let args = NeonArgs::of_branch(inputs)?;
        let want = Want::of(&args);
        let Mode::Branch {
            project_id,
            branch,
            expiry,
        } = &args.mode
        else {
            return Err(failed(errors::branch_needs_project_id()));
        };
        // Checked at preview; time has passed since.
        let now = OffsetDateTime::now_utc();
        args.check_expiry_window(now)?;
        let expires_at = expiry.as_ref().map(|e| rfc3339(e.deadline(now)));
        let known = |v: Option<&Value>, name: &str| match v.map(Value::strip) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(failed(errors::branch_input_not_a_string(name))),
        };
        let project_id = known(Some(project_id), "projectId")?.unwrap_or_default();
        let parent = known(branch.parent_branch.as_ref(), "parentBranch")?;
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let parent = match parent {
            None => None,
            Some(p) => {
                let branches = client.list_branches(ctx, &project_id, None).await?;
                match branches.iter().find(|b| b.id == p || b.name == p) {
                    Some(b) => Some(b.clone()),
                    None => {
                        let names: Vec<&str> = branches.iter().map(|b| b.name.as_str()).collect();
                        return Err(failed(errors::parent_branch_not_found(
                            p,
                            &project_id,
                            names.join(", "),
                        )));
                    }
                }
            }
        };
        // Neon makes no child of an expiring branch (its default branch never expires).
        if let Some(Branch {
            name,
            expires_at: Some(t),
            ..
        }) = &parent
        {
            return Err(failed(errors::parent_branch_expires(name, t)));
        }
        let spec = BranchSpec {
            name: want.name.clone(),
            parent_id: parent.as_ref().map(|b| b.id.clone()),
            expires_at: expires_at.clone(),
            read_write_endpoint: Some(want.settings(true)),
            ..BranchSpec::default()
        };
        ctx.log.progress(&format!(
            "creating branch {} of Neon project {project_id}",
            want.name
        ));
        let (created, operations) = match client.start_branch(ctx, &project_id, &spec).await {
            Err(e @ NeonError::Api { status: 409, .. }) => {
                return Err(branch_exists(&client, ctx, &project_id, &want.name, &e).await);
            }
            answer => answer?,
        };
        let id = format!("{project_id}/{}", created.branch.id);
        let place = Place {
            project_id: &project_id,
            branch_id: &created.branch.id,
        };
        let mut branch_outputs = PropertyMap::new();
        // The expiry as Neon keeps it: stable under diff, and what a later
        // Diff compares with the clock.
        if let Some(t) = created.branch.expires_at.clone().or(expires_at) {
            branch_outputs.insert("expiresAt".into(), Value::string(t));
        }
        if let Some(parent_id) = &created.branch.parent_id {
            branch_outputs.insert("parentBranchId".into(), Value::string(parent_id));
            let parent_name = match &parent {
                Some(p) => Some(p.name.clone()),
                None => client
                    .get_branch(ctx, &project_id, parent_id)
                    .await
                    .ok()
                    .flatten()
                    .map(|b| b.name),
            };
            if let Some(name) = parent_name {
                branch_outputs.insert("parentBranchName".into(), Value::string(name));
            }
        }
        let finish = async {
            client.wait_for_operations(ctx, &operations).await?;
            let endpoint =
                read_write_endpoint(&client, ctx, &place, created.endpoints.clone()).await?;
            let endpoint = settle_endpoint(&client, ctx, &place, endpoint, &want, false).await?;
            settle_database(&client, ctx, &place, &want, None).await?;
            connection_outputs(&client, ctx, &place, &endpoint, &want).await
        };
        match finish.await {
            Ok(computed) => Ok(Created {
                id,
                outputs: with_inputs(&with_inputs(inputs, branch_outputs), computed),
            }),
            Err(e) => {
                let so_far = with_inputs(&branch_outputs, ids(&place, None));
                Err(partially_created(id, inputs, so_far, e))
            }
        }
    }

    async fn read(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<Option<State>, ResourceError> {
        let (project_id, branch_id) = branch_id_parts(id)?;
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let Some(branch) = client.get_branch(ctx, project_id, branch_id).await? else {
            return Ok(None);
        };
        let mut inputs = PropertyMap::from([
            ("name".into(), Value::string(&branch.name)),
            ("projectId".into(), Value::string(project_id)),
        ]);
        let mut branch_outputs = PropertyMap::new();
        if let Some(parent_id) = &branch.parent_id {
            branch_outputs.insert("parentBranchId".into(), Value::string(parent_id));
            if let Some(parent) = client.get_branch(ctx, project_id, parent_id).await? {
                branch_outputs.insert("parentBranchName".into(), Value::string(&parent.name));
                // As the program wrote it; on import, by name unless it is
                // the default (which a program leaves out).
                match old.inputs.get("parentBranch") {
                    Some(p) => {
                        inputs.insert("parentBranch".into(), p.clone());
                    }
                    None if old.inputs.is_empty() && !parent.default => {
                        inputs.insert("parentBranch".into(), Value::string(&parent.name));
                    }
                    None => {}
                }
            }
        }
        match (&branch.expires_at, old.inputs.get("expiresIn")) {
            // A time to live stays the program's while the branch expires:
            // the time it was made into is an output (a change in the
            // console shows there).
            (Some(_), Some(ttl)) => {
                inputs.insert("expiresIn".into(), ttl.clone());
            }
            // Neon no longer expires it (removed in the console): the input
            // goes, so the drift shows and the next `up` sets a new window.
            (None, Some(_)) => {}
            (Some(t), None) => {
                // Neon may write the time its own way: keep the program's
                // spelling while it names the same second.
                let recorded = text(&old.inputs, "expiresAt")
                    .filter(|r| same_time(r, t))
                    .unwrap_or_else(|| t.clone());
                inputs.insert("expiresAt".into(), Value::string(recorded));
            }
            (None, None) => {}
        }
        if let Some(t) = &branch.expires_at {
            branch_outputs.insert("expiresAt".into(), Value::string(t));
        }
        let place = Place {
            project_id,
            branch_id,
        };
        let mut state = read_branch_state(&client, ctx, &place, old, inputs).await?;
        state.outputs.extend(branch_outputs);
        Ok(Some(state))
    }

    async fn update(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
        news: &PropertyMap,
        preview: bool,
    ) -> Result<PropertyMap, ResourceError> {
        let (project_id, branch_id) = branch_id_parts(id)?;
        if preview {
            // Inputs may not be known yet: compare them as they are.
            let mut outputs = preview_update(old, news);
            let same =
                |k: &str| old.inputs.get(k).map(Value::strip) == news.get(k).map(Value::strip);
            if !(same("expiresAt") && same("expiresIn")) {
                if news.contains_key("expiresAt") || news.contains_key("expiresIn") {
                    outputs.insert("expiresAt".into(), Value::unknown());
                } else {
                    outputs.remove("expiresAt");
                }
            }
            return Ok(outputs);
        }
        let (old_args, args) = (
            NeonArgs::of_branch(&old.inputs)?,
            NeonArgs::of_branch(news)?,
        );
        let (old_want, want) = (Want::of(&old_args), Want::of(&args));
        let kept = |o: &PropertyMap| {
            ["parentBranchId", "parentBranchName", "expiresAt"]
                .iter()
                .filter_map(|k| o.get(*k).map(|v| (k.to_string(), v.clone())))
                .collect::<PropertyMap>()
        };
        let mut kept = kept(&old.outputs);
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let Some(live) = client.get_branch(ctx, project_id, branch_id).await? else {
            return Err(failed(errors::branch_gone(branch_id, project_id)));
        };
        // A new expiry: `expiresIn` starts a new window from now.
        let now = OffsetDateTime::now_utc();
        let expires_at = match expiry_change(&old_args, &args) {
            None => None,
            Some(None) => {
                kept.remove("expiresAt");
                Some(None)
            }
            Some(Some(e)) => {
                e.check_window(now)?;
                if live.default || live.protected {
                    let kind = if live.default { "default" } else { "protected" };
                    return Err(failed(errors::expiry_on_kept_branch(
                        e.property(),
                        &live.name,
                        kind,
                    )));
                }
                let t = rfc3339(e.deadline(now));
                kept.insert("expiresAt".into(), Value::string(&t));
                Some(Some(t))
            }
        };
        let update = BranchUpdate {
            name: (want.name != old_want.name).then(|| want.name.clone()),
            expires_at,
        };
        if update != BranchUpdate::default() {
            let updated = client
                .update_branch(ctx, project_id, branch_id, &update)
                .await?;
            if let Some(t) = updated.expires_at {
                kept.insert("expiresAt".into(), Value::string(t));
            }
        }
        let place = Place {
            project_id,
            branch_id,
        };
        let outputs = update_branch_database(&client, ctx, &place, &old_want, &want, news).await?;
        Ok(with_inputs(&outputs, kept))
    }

    async fn delete(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<(), ResourceError> {
        let (project_id, branch_id) = branch_id_parts(id)?;
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let Some(live) = client.get_branch(ctx, project_id, branch_id).await? else {
            // Deleted already (by Neon on expiry, or by someone).
            return Ok(());
        };
        // Kept longer in Neon than the state knows (a reset from the
        // parent re-arms the expiry; the console or `neon branches
        // set-expiration` move it): whoever did wants it, and the plan
        // that deletes it was made from a stale time.
        if let Some(now) = expiry_extended(old, &live) {
            return Err(failed(errors::expiry_changed_since_refresh(
                &live.name,
                branch_id,
                project_id,
                now,
                text(&old.outputs, "expiresAt").unwrap_or_default(),
            )));
        }
        ctx.log.progress(&format!(
            "deleting branch {branch_id} of Neon project {project_id}"
        ));
        Ok(client.delete_branch(ctx, project_id, branch_id).await?)
    }
}

/// How the expiry changes from the recorded inputs to the new ones: `None`
/// when it does not (the same `expiresAt` or `expiresIn` as before: the
/// window stays), `Some(None)` when it is removed, `Some(Some(e))` when set.
fn expiry_change(before: &NeonArgs, after: &NeonArgs) -> Option<Option<Expiry>> {
    let same = match (before.expiry(), after.expiry()) {
        (None, None) => true,
        // The same time, however it is written.
        (Some(Expiry::At { time: b, .. }), Some(Expiry::At { time: a, .. })) => a == b,
        // A new `expiresIn` (even "168h" for "7d") starts a new window.
        (Some(Expiry::In { text: b, .. }), Some(Expiry::In { text: a, .. })) => a.value == b.value,
        _ => false,
    };
    (!same).then(|| after.expiry().cloned())
}

/// A branch whose recorded expiry has passed is gone, or about to be (Neon
/// deletes it in a background job): the next `up` replaces it, deleting
/// it first (gone is fine) so the new one can take its name. Only while the
/// program still gives it an expiry: one removed from the program is how a
/// user keeps the branch (the update removes the expiry in Neon), and the
/// recorded time may be stale anyway (a reset from the parent or the
/// console re-arms it) — Delete checks Neon's time before it deletes.
fn expired_is_replaced(d: &mut DiffResult, old: &State, news: &PropertyMap, now: OffsetDateTime) {
    let Some(t) = text(&old.outputs, "expiresAt").and_then(|t| parse_rfc3339(&t)) else {
        return;
    };
    let set = |k: &str| news.get(k).is_some_and(|v| !v.is_null());
    if t > now || !(set("expiresIn") || set("expiresAt")) {
        return;
    }
    let property = if set("expiresIn") {
        "expiresIn"
    } else {
        "expiresAt"
    };
    d.changes.insert(
        property.to_string(),
        PropertyChange {
            kind: ChangeKind::Update,
            replace: true,
        },
    );
    d.delete_before_replace = true;
}

/// Neon refused a branch name (409, as
/// <https://github.com/neondatabase/neon-pkgs/pull/307> shows): most likely
/// the branch of an `up` that was stopped while its create was on the wire.
/// Hand it to the user with the command that adopts it as this resource
/// (under its NeonDatabase when it has one), never adopt it silently.
async fn branch_exists(
    client: &NeonClient,
    ctx: &ResourceContext,
    project_id: &str,
    name: &str,
    refusal: &NeonError,
) -> ResourceError {
    match client.find_branch_by_name(ctx, project_id, name).await {
        Ok(Some(b)) => {
            let id = format!("{project_id}/{}", b.id);
            failed(errors::branch_name_taken(
                name,
                project_id,
                &id,
                import_command(ctx, BRANCH.token, &id),
            ))
        }
        Ok(None) => failed(errors::branch_name_held(name, refusal, project_id)),
        Err(e) => failed(errors::branch_name_taken_unlisted(
            name,
            refusal,
            project_id,
            e,
            import_command(
                ctx,
                BRANCH.token,
                &format!("{project_id}/<branch ID from the console>"),
            ),
        )),
    }
}

/// Neon's expiry of `live` when it is later than the one `old` records, or
/// `never` when Neon no longer expires a branch the state says expires.
fn expiry_extended(old: &State, live: &Branch) -> Option<String> {
    let recorded = text(&old.outputs, "expiresAt").and_then(|t| parse_rfc3339(&t))?;
    match &live.expires_at {
        None => Some("never".to_string()),
        Some(t) => parse_rfc3339(t)
            .filter(|l| *l > recorded)
            .map(|_| t.clone()),
    }
}

/// Whether two RFC 3339 times name the same second (Neon keeps seconds;
/// `Z` and `+00:00` and other offsets alike).
fn same_time(a: &str, b: &str) -> bool {
    let second = |t: &str| parse_rfc3339(t).map(|t| t.replace_nanosecond(0).unwrap_or(t));
    second(a).is_some() && second(a) == second(b)
}
