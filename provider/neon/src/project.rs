//! `launchpad:index:NeonProject`: a new Neon project, its default branch,
//! endpoint, role and database. Its ID is the project's ID. What it shares
//! with `NeonBranch` (Check, the endpoint, role and database, the outputs)
//! is in [`crate::resource`]; what is a project's own is here: its region
//! and Postgres version, and its organization (Neon's transfer).

use std::sync::Arc;

use launchpad_core::custom::{
    ChangeKind, CheckResult, Created, CustomResource, DiffResult, PropertyChange, ResourceContext,
    ResourceError, State,
};
use launchpad_core::schema::ResourceDef;
use launchpad_core::{Inputs, PropertyMap, Value};
use time::OffsetDateTime;

use crate::api::{EndpointSettings, ProjectBranchSpec, ProjectSpec, ProjectUpdate};
use crate::args::{KNOWN_PG_VERSIONS, Mode, NeonArgs, NeonProjectInputs, is_neon_id};
use crate::client::{NeonClient, NeonError, org_id_from_config};
use crate::errors;
use crate::resource::{
    BRANCH_ID, CONNECTION_URI, Clients, ENDPOINT_ID, HOST, ORG_ID, POOLED_CONNECTION_URI,
    POOLED_HOST, PROJECT_ID, Place, Want, bounded, check, computed_outputs, connection_outputs,
    diff, failed, ids, import_command, partially_created, preview_outputs, preview_update,
    read_branch_state, read_write_endpoint, settle_database, settle_endpoint, text,
    update_branch_database, with_inputs,
};

/// `launchpad:index:NeonProject`.
pub static PROJECT: ResourceDef = ResourceDef {
    token: "launchpad:index:NeonProject",
    description: "A new Neon project with its default branch, read-write endpoint, role and database (what `NeonDatabase` creates without `projectId`). Its ID is the project's ID. With a personal API key, Neon needs its organization: `orgId` or the provider config `launchpad:neonOrgId`. Another `orgId` later moves the project by Neon's transfer (same project and connection URIs); `replaceOnChanges: [\"orgId\"]` makes a new one instead.",
    inputs: NeonProjectInputs::PROPERTIES,
    outputs: computed_outputs!(PROJECT_ID, ORG_ID),
};

/// `launchpad:index:NeonProject`.
pub struct NeonProject {
    /// The shared clients.
    pub clients: Arc<Clients>,
}

/// A 4xx refusal of a Postgres version launchpad does not know names `pgVersion`.
fn pg_version_refused(pg_version: u32, e: NeonError) -> ResourceError {
    match &e {
        NeonError::Api { status, .. }
            if (400..500).contains(status) && !KNOWN_PG_VERSIONS.contains(&pg_version) =>
        {
            failed(errors::pg_version_refused(
                pg_version,
                &e,
                KNOWN_PG_VERSIONS.map(|v| v.to_string()).join(", "),
            ))
        }
        _ => e.into(),
    }
}

/// The project's ID, refused unless shaped as Neon's IDs are: it goes into
/// every API path, where a `/` or `..` would name something else.
fn project_id(id: &str) -> Result<&str, ResourceError> {
    if is_neon_id(id) {
        return Ok(id);
    }
    Err(ResourceError::MalformedId {
        id: id.to_string(),
        resource: "NeonProject",
        form: "the project's ID: 1 to 60 lowercase letters, digits and hyphens, for example `floral-king-961888`",
    })
}

#[async_trait::async_trait]
impl CustomResource for NeonProject {
    fn definition(&self) -> &'static ResourceDef {
        &PROJECT
    }

    async fn check(&self, _: &ResourceContext, _: &PropertyMap, news: PropertyMap) -> CheckResult {
        check(
            &PROJECT,
            NeonArgs::of_project,
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
        project_id(id)?;
        let mut d = diff(&PROJECT, old, news);
        // Another organization is never a new project (that would delete
        // this one and its data): Update moves it with Neon's transfer.
        // Leaving `orgId` out, or naming the organization the project is
        // already in (as when it moves from `launchpad:neonOrgId` to the
        // input), changes nothing. With no organization recorded (a
        // project from before `orgId`), or one not known yet (preview), it
        // is an update, which reads the project's organization first.
        let recorded = recorded_organization(old);
        let unchanged = match news.get("orgId").map(Value::strip) {
            None | Some(Value::Null) => true,
            Some(Value::String(new)) => recorded.as_deref() == Some(new.as_str()),
            Some(_) => false,
        };
        if unchanged {
            d.changes.remove("orgId");
        } else {
            d.changes.insert(
                "orgId".into(),
                PropertyChange {
                    kind: ChangeKind::Update,
                    replace: false,
                },
            );
        }
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
                outputs: preview_outputs(&PROJECT, inputs),
            });
        }
        let args = NeonArgs::of_project(inputs)?;
        let want = Want::of(&args);
        let Mode::Project {
            region,
            org_id,
            project,
        } = &args.mode
        else {
            return Err(failed(errors::project_takes_no_project_id()));
        };
        // The input wins over the provider config.
        let org_id = match org_id.as_ref().map(Value::strip) {
            Some(Value::String(id)) => Some(id),
            _ => org_id_from_config(&ctx.config)?,
        };
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let pg_version = *project.pg_version as u32;
        let spec = ProjectSpec {
            name: want.name.clone(),
            region_id: Some(region.value.clone()),
            pg_version: Some(pg_version),
            default_endpoint_settings: want.settings(true),
            history_retention_seconds: project
                .history_retention_seconds
                .as_ref()
                .map(|h| **h as u32),
            branch: Some(ProjectBranchSpec {
                role_name: want.role.clone(),
                database_name: want.database.clone(),
            }),
            org_id: org_id.clone(),
        };
        // Neon allows two projects of one name; launchpad never makes one
        // twice. One already there is most likely from an `up` stopped
        // while its create was on the wire: hand it to the user, never
        // adopt it silently (it could be someone else's).
        if let Some(existing) = client
            .find_project_by_name(ctx, &want.name, org_id.as_deref())
            .await?
        {
            return Err(failed(errors::project_name_taken(
                &want.name,
                &existing.id,
                import_command(ctx, PROJECT.token, &existing.id),
            )));
        }
        ctx.log
            .progress(&format!("creating Neon project {}", want.name));
        let (created, operations) = client
            .start_project(ctx, &spec)
            .await
            .map_err(|e| pg_version_refused(pg_version, e))?;
        let place = Place {
            project_id: &created.project.id,
            branch_id: &created.branch.id,
        };
        let finish = async {
            client.wait_for_operations(ctx, &operations).await?;
            let endpoint =
                read_write_endpoint(&client, ctx, &place, created.endpoints.clone()).await?;
            let endpoint = settle_endpoint(&client, ctx, &place, endpoint, &want, false).await?;
            settle_database(&client, ctx, &place, &want, None).await?;
            connection_outputs(&client, ctx, &place, &endpoint, &want).await
        };
        let mut org = PropertyMap::new();
        if let Some(id) = created.project.org_id.clone().or(org_id) {
            org.insert("orgId".into(), Value::string(id));
        }
        match finish.await {
            Ok(computed) => Ok(Created {
                id: created.project.id.clone(),
                outputs: with_inputs(&with_inputs(inputs, org), computed),
            }),
            Err(e) => Err(partially_created(
                created.project.id.clone(),
                inputs,
                with_inputs(&org, ids(&place, None)),
                e,
            )),
        }
    }

    async fn read(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<Option<State>, ResourceError> {
        let id = project_id(id)?;
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let Some(project) = client.get_project(ctx, id).await? else {
            return Ok(None);
        };
        let recorded = match text(&old.outputs, "branchId") {
            Some(b) => client.get_branch(ctx, id, &b).await?,
            None => None,
        };
        let branch = match recorded {
            Some(b) => b,
            None => client
                .list_branches(ctx, id, None)
                .await?
                .into_iter()
                .find(|b| b.default)
                .ok_or_else(|| failed(errors::no_default_branch(id)))?,
        };
        let mut inputs = PropertyMap::from([
            ("name".into(), Value::string(&project.name)),
            ("region".into(), Value::string(&project.region_id)),
            (
                "pgVersion".into(),
                Value::Number(f64::from(project.pg_version)),
            ),
        ]);
        // The organization is the program's to name (or the config's):
        // reported as an input only when the program named it.
        if old.inputs.contains_key("orgId")
            && let Some(org) = &project.org_id
        {
            inputs.insert("orgId".into(), Value::string(org));
        }
        // Sent only when set, so reported only when it was.
        if old.inputs.contains_key("historyRetentionSeconds") {
            inputs.insert(
                "historyRetentionSeconds".into(),
                project
                    .history_retention_seconds
                    .map_or(Value::Null, |h| Value::Number(f64::from(h))),
            );
        }
        let place = Place {
            project_id: &project.id,
            branch_id: &branch.id,
        };
        let mut state = read_branch_state(&client, ctx, &place, old, inputs).await?;
        if let Some(org) = &project.org_id {
            state.outputs.insert("orgId".into(), Value::string(org));
        }
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
        let id = project_id(id)?;
        if preview {
            return Ok(preview_update(old, news));
        }
        let (old_args, args) = (
            NeonArgs::of_project(&old.inputs)?,
            NeonArgs::of_project(news)?,
        );
        let (old_want, want) = (Want::of(&old_args), Want::of(&args));
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let org = settle_organization(&client, ctx, id, old, news).await?;
        let history = |a: &NeonArgs| match &a.mode {
            Mode::Project { project, .. } => project
                .history_retention_seconds
                .as_ref()
                .map(|h| **h as u32),
            Mode::Branch { .. } => None,
        };
        let update = ProjectUpdate {
            name: (want.name != old_want.name).then(|| want.name.clone()),
            default_endpoint_settings: if want.compute_differs(&old_want) {
                want.settings(false)
            } else {
                EndpointSettings::default()
            },
            history_retention_seconds: history(&args).filter(|h| Some(*h) != history(&old_args)),
        };
        if update != ProjectUpdate::default() {
            client.update_project(ctx, id, &update).await?;
        }
        let branch_id = text(&old.outputs, "branchId")
            .ok_or_else(|| failed(errors::state_has_no_branch_id(id)))?;
        let place = Place {
            project_id: id,
            branch_id: &branch_id,
        };
        let outputs = update_branch_database(&client, ctx, &place, &old_want, &want, news).await?;
        let kept: PropertyMap = org
            .map(|o| ("orgId".to_string(), Value::string(o)))
            .into_iter()
            .collect();
        Ok(with_inputs(&outputs, kept))
    }

    async fn delete(
        &self,
        ctx: &ResourceContext,
        id: &str,
        _: &State,
    ) -> Result<(), ResourceError> {
        let id = project_id(id)?;
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        ctx.log.progress(&format!("deleting Neon project {id}"));
        Ok(client.delete_project(ctx, id).await?)
    }
}

/// The organization the state records for a project: Neon's answer (an
/// output) or, before one was recorded, the program's input. Diff and Update
/// must agree on it, or a diff would promise a transfer Update never makes.
fn recorded_organization(old: &State) -> Option<String> {
    text(&old.outputs, "orgId").or_else(|| text(&old.inputs, "orgId"))
}

/// The organization the project is in once the update is done. A new
/// `orgId` moves the project there with Neon's transfer (the same project,
/// data and connection URIs); with none recorded (a project made before
/// `orgId` existed) the project is read first, and naming the organization
/// it is already in only records it.
async fn settle_organization(
    client: &NeonClient,
    ctx: &ResourceContext,
    project_id: &str,
    old: &State,
    news: &PropertyMap,
) -> Result<Option<String>, ResourceError> {
    let recorded = recorded_organization(old);
    let Some(wanted) = text(news, "orgId") else {
        return Ok(recorded);
    };
    if recorded.as_deref() == Some(wanted.as_str()) {
        return Ok(recorded);
    }
    let live = client
        .get_project(ctx, project_id)
        .await?
        .ok_or_else(|| failed(errors::project_gone(project_id)))?;
    let Some(current) = live.org_id else {
        return Err(failed(errors::project_has_no_organization(
            &wanted, project_id,
        )));
    };
    if current == wanted {
        return Ok(Some(current));
    }
    ctx.log.progress(&format!(
        "moving Neon project {project_id} from organization {current} to {wanted}"
    ));
    if let Err(e) = client
        .transfer_project(ctx, project_id, &current, &wanted)
        .await
    {
        // An answer lost after Neon moved it: the project says where it is.
        let moved = client.get_project(ctx, project_id).await.ok().flatten();
        if moved.and_then(|p| p.org_id).as_deref() == Some(wanted.as_str()) {
            return Ok(Some(wanted));
        }
        return Err(transfer_refused(project_id, &current, &wanted, e));
    }
    Ok(Some(wanted))
}

/// Neon refused to move a project (a general 403 for the roles, 406 for the
/// destination's plan, 422 for an integration): say what the transfer
/// needs and how to do it by hand. Other failures (network, Cancel) stay
/// what they are.
fn transfer_refused(project_id: &str, from: &str, to: &str, e: NeonError) -> ResourceError {
    let (status, neon_says) = match &e {
        NeonError::Unauthorized {
            status: 403,
            message,
            ..
        } => (403, message),
        NeonError::Api {
            status, message, ..
        } if (400..500).contains(status) => (*status, message),
        _ => return e.into(),
    };
    let why = match status {
        406 => "the destination organization's plan cannot take it",
        422 => "it has a GitHub or Vercel integration, which Neon does not transfer",
        403 => "the API key may not move it",
        _ => "Neon refused the transfer",
    };
    failed(errors::transfer_refused(
        to, project_id, from, why, status, neon_says,
    ))
}
