"""SiteContent used on its own in a TypeScript program, through the real CLI:
its SDK class exists and compiles, `up` fills the program's own bucket in the
emulator, a re-run changes nothing, and destroy removes exactly its keys."""

from __future__ import annotations

import json

import harness

PROGRAM = harness.ROOT / "tests" / "e2e" / "programs" / "site-content-ts"
# The program needs exactly the TypeScript example's dependencies.
DEPENDENCIES = harness.ROOT / "examples" / "static-site-ts"


def test_site_content_on_its_own_deploys_into_the_programs_bucket(tmp_path, env, moto):
    project = harness.copy_program(PROGRAM, tmp_path, DEPENDENCIES)
    harness.select_stack(project, "docs", env)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    outputs = json.loads(harness.pulumi(["stack", "output", "--json"], project, env).stdout)
    assert outputs["fileCount"] == 2 and outputs["manifestHash"]
    s3 = moto.client("s3", direct=True)
    bucket = outputs["bucketName"]
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert keys == {"index.html", "notes.txt"}
    assert s3.head_object(Bucket=bucket, Key="notes.txt")["CacheControl"] == "public, max-age=60"
    # A file put there by someone else is not this resource's to delete.
    s3.put_object(Bucket=bucket, Key="other.txt", Body=b"x")
    moto.reset_requests()
    harness.pulumi(["preview", "--expect-no-changes"], project, env)
    assert moto.requests() == []
    resources = json.loads(harness.pulumi(["stack", "export"], project, env).stdout)["deployment"]["resources"]
    (content,) = [r["urn"] for r in resources if r["type"] == "launchpad:index:SiteContent"]
    harness.pulumi(["destroy", "--yes", "--skip-preview", "--target", content], project, env)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert keys == {"other.txt"}
    # The program's bucket (without forceDestroy) goes once it is empty, as S3 wants.
    s3.delete_object(Bucket=bucket, Key="other.txt")
    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, env)
    assert bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
