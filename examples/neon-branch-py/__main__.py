"""A database per stack: a branch of an existing Neon project, with launchpad.

`pulumi stack init pr-123 && pulumi up` gives pull request 123 its own copy of
`main` (schema and data, copy-on-write, in about a second); `pulumi destroy`
removes it, and Neon removes it anyway once it expires: `expiresIn` (say
`pulumi config set expiresIn 7d`) starts the clock when the branch is created;
`expiresAt` names a time. After Neon has deleted it, `pulumi up --refresh`
makes a fresh one.
"""

import pulumi
import pulumi_launchpad as launchpad

config = pulumi.Config()

db = launchpad.NeonDatabase(
    "db",
    project_id=config.require("neonProjectId"),
    parent_branch=config.get("parentBranch") or "main",
    expires_at=config.get("expiresAt"),
    expires_in=config.get("expiresIn"),
    min_cu=0.25,
    max_cu=config.get_float("maxCu") or 1,
    suspend_timeout_seconds=300,
    database_name="app",
    role_name="app",
)

# Secret: encrypted in the state; hand it to the service that needs it.
pulumi.export("connectionUri", db.connection_uri)
pulumi.export("branchId", db.branch_id)
pulumi.export("host", db.host)
pulumi.export("expiresAt", db.expires_at)
