"""SiteContent used on its own in a TypeScript program, through the real CLI:
its SDK class exists and compiles, `up` fills the program's own bucket in the
emulator, a re-run changes nothing, and destroy removes exactly its keys."""

from __future__ import annotations

import json

import harness

PROGRAM = harness.ROOT / "tests" / "e2e" / "programs" / "site-content-ts"
# The program needs exactly the TypeScript example's dependencies.
DEPENDENCIES = harness.ROOT / "examples" / "static-site-ts"


def _deployed(tmp_path, env, stack: str):
    """The program copied, STACK selected and `up`: the project and the outputs."""
    project = harness.copy_program(PROGRAM, tmp_path, DEPENDENCIES)
    harness.select_stack(project, stack, env)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    return project, json.loads(harness.pulumi(["stack", "output", "--json"], project, env).stdout)


def _keys(s3, bucket: str) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}


def test_site_content_on_its_own_deploys_into_the_programs_bucket(tmp_path, env, moto):
    project, outputs = _deployed(tmp_path, env, "docs")
    assert outputs["fileCount"] == 2 and outputs["manifestHash"]
    s3 = moto.client("s3", direct=True)
    bucket = outputs["bucketName"]
    assert _keys(s3, bucket) == {"index.html", "notes.txt"}
    assert s3.head_object(Bucket=bucket, Key="notes.txt")["CacheControl"] == "public, max-age=60"
    # A file put there by someone else is not this resource's to delete.
    s3.put_object(Bucket=bucket, Key="other.txt", Body=b"x")
    moto.reset_requests()
    harness.pulumi(["preview", "--expect-no-changes"], project, env)
    assert moto.requests() == []
    resources = json.loads(harness.pulumi(["stack", "export"], project, env).stdout)["deployment"]["resources"]
    (content,) = [r["urn"] for r in resources if r["type"] == "launchpad:index:SiteContent"]
    harness.pulumi(["destroy", "--yes", "--skip-preview", "--target", content], project, env)
    assert _keys(s3, bucket) == {"other.txt"}
    # The program's bucket (without forceDestroy) goes once it is empty, as S3 wants.
    s3.delete_object(Bucket=bucket, Key="other.txt")
    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, env)
    assert bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}


def _site_content_state(project, env) -> dict:
    state = json.loads(harness.pulumi(["stack", "export"], project, env).stdout)
    (resource,) = [r for r in state["deployment"]["resources"] if r["type"] == "launchpad:index:SiteContent"]
    return resource


def test_refresh_finds_files_changed_behind_pulumis_back_and_up_puts_them_back(tmp_path, env, moto):
    project, outputs = _deployed(tmp_path, env, "drift")
    bucket = outputs["bucketName"]
    s3 = moto.client("s3", direct=True)
    page = s3.get_object(Bucket=bucket, Key="index.html")["Body"].read()
    notes = s3.get_object(Bucket=bucket, Key="notes.txt")["Body"].read()

    # Deleted behind Pulumi's back: refresh lists the bucket once and sees it gone.
    s3.delete_object(Bucket=bucket, Key="index.html")
    moto.reset_requests()
    refresh = harness.pulumi(["refresh", "--yes", "--skip-preview"], project, env)
    assert "1 updated" in refresh.stdout, refresh.stdout
    resource = _site_content_state(project, env)
    assert sorted(resource["inputs"]["files"]) == ["notes.txt"]
    assert resource["outputs"]["fileCount"] == 1
    assert moto.count("GET", f"/{bucket}", query="list-type") == 1
    # The next up puts it back: one PUT, and nothing is left to do.
    moto.reset_requests()
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    assert [r.path for r in moto.requests() if r.method == "PUT"] == [f"/{bucket}/index.html"]
    assert s3.get_object(Bucket=bucket, Key="index.html")["Body"].read() == page
    harness.pulumi(["preview", "--expect-no-changes"], project, env)

    # Overwritten behind Pulumi's back with as many bytes: only the ETag tells.
    s3.put_object(Bucket=bucket, Key="notes.txt", Body=b"x" * len(notes), ContentType="text/plain")
    refresh = harness.pulumi(["refresh", "--yes", "--skip-preview"], project, env)
    assert "1 updated" in refresh.stdout, refresh.stdout
    assert _site_content_state(project, env)["inputs"]["files"]["notes.txt"]["hash"] == ""
    moto.reset_requests()
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    assert [r.path for r in moto.requests() if r.method == "PUT"] == [f"/{bucket}/notes.txt"]
    restored = s3.get_object(Bucket=bucket, Key="notes.txt")
    assert restored["Body"].read() == notes and restored["CacheControl"] == "public, max-age=60"
    harness.pulumi(["preview", "--expect-no-changes"], project, env)

    # Nothing changed: a refresh changes nothing either.
    refresh = harness.pulumi(["refresh", "--yes", "--skip-preview"], project, env)
    assert "updated" not in refresh.stdout, refresh.stdout
    harness.pulumi(["preview", "--expect-no-changes"], project, env)


def test_a_refresh_after_a_stopped_update_keeps_what_it_sent_and_the_next_up_removes_it(tmp_path, env, moto):
    # The engine keeps the old inputs of a stopped Update (pulumi/pulumi#2011): the stopped
    # deploy's record is an output, which a refresh folds into `files` from the bucket's listing.
    project, outputs = _deployed(tmp_path, env, "stopped")
    bucket = outputs["bucketName"]
    s3 = moto.client("s3", direct=True)
    (project / "www" / "late.txt").write_text("late")
    # S3 stores it and the answer is an error (a 403 after the write stands in for an answer lost
    # on every attempt): the up stops.
    moto.fail_next(1000, status=403, code="AccessDenied", forward=True,
                   match=lambda m, p: m == "PUT" and p.endswith("/late.txt"))
    failed = harness.pulumi(["up", "--yes", "--skip-preview"], project, env, check=False)
    assert failed.returncode != 0 and "cannot upload late.txt" in failed.stdout + failed.stderr
    moto.clear_faults()
    resource = _site_content_state(project, env)
    assert sorted(resource["inputs"]["files"]) == ["index.html", "notes.txt"]  # the old inputs
    assert resource["outputs"]["stoppedFiles"]["late.txt"]["hash"] == ""  # maybe there
    harness.pulumi(["refresh", "--yes", "--skip-preview"], project, env)
    resource = _site_content_state(project, env)
    assert "stoppedFiles" not in resource["outputs"]
    assert resource["inputs"]["files"]["late.txt"]["hash"] == ""
    # The next build has no late.txt: its key goes.
    (project / "www" / "late.txt").unlink()
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    assert _keys(s3, bucket) == {"index.html", "notes.txt"}
    harness.pulumi(["preview", "--expect-no-changes"], project, env)
