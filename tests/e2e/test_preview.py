"""`pulumi preview` of the examples through the real engine, our plugin and
the stand-in aws provider that validates every child against the real schema."""

from __future__ import annotations

import json

import harness

STATIC_SITE = "launchpad:index:StaticSite"
# The aws children of a single-page app, each checked by the stand-in against the real schema.
AWS_CHILDREN = {
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    "aws:cloudfront/distribution:Distribution",
}
# Our own resource that uploads the folder.
SITE_CONTENT = "launchpad:index:SiteContent"
CHILDREN = AWS_CHILDREN | {SITE_CONTENT}
# Sub-path routing, only for sites that are not single-page apps.
FUNCTION = "aws:cloudfront/function:Function"
# The 404 page of a site that is not a single-page app and names no error document.
NOT_FOUND_PAGE = "aws:s3/bucketObjectv2:BucketObjectv2"


def test_preview_plans_the_static_site_and_every_child_under_it(project, env, standins):
    harness.select_stack(project, "test", env)
    preview = harness.preview_children(project, env, STATIC_SITE)
    site = preview.component
    (stack,) = [s for s in preview.steps if s.type == "pulumi:pulumi:Stack"]
    assert site is not None and site.op == "create"
    assert site.parent == stack.urn
    for child_type in CHILDREN:
        child = preview.one(child_type)
        assert child.op == "create"
        assert child.custom is True
    assert FUNCTION not in {s.type for s in preview.steps}, "a single-page app routes through its error responses"
    # The distribution sends the security headers; the content goes in after the bucket policy.
    distribution = preview.one("aws:cloudfront/distribution:Distribution")
    assert "responseHeadersPolicyId" in distribution.inputs["defaultCacheBehavior"]
    content = preview.one(SITE_CONTENT)
    policy = preview.one("aws:s3/bucketPolicy:BucketPolicy")
    assert content.inputs["path"] == "./site"
    assert policy.urn in content.dependencies

    # The stand-in checked each aws child against the real aws schema and found nothing wrong.
    checks = [r for r in standins.records("aws") if r.get("method") == "Check" and STATIC_SITE in r["urn"]]
    checked = {r["token"] for r in checks if project.name in r["urn"]}
    assert AWS_CHILDREN <= checked
    failures = [r for r in checks if r.get("failures")]
    assert failures == [], failures


def test_a_plain_site_adds_a_cloudfront_function_for_sub_paths(project, env, standins):
    harness.select_stack(project, "plain", env, config={"spa": "false"})
    preview = harness.preview_children(project, env, STATIC_SITE)
    inputs = preview.one(FUNCTION).inputs
    assert inputs["runtime"] == "cloudfront-js-2.0" and inputs["publish"] is True
    assert '"index.html"' in inputs["code"] and "statusCode: 302" in inputs["code"]
    distribution = preview.one("aws:cloudfront/distribution:Distribution").inputs
    behavior = distribution["defaultCacheBehavior"]
    assert [a["eventType"] for a in behavior["functionAssociations"]] == ["viewer-request"]
    # No errorDocument: a missing page gets the site's own 404 page, with 404.
    page = preview.one(NOT_FOUND_PAGE).inputs
    assert page["key"] == ".launchpad/404.html"
    assert {(e["errorCode"], e["responseCode"], e["responsePagePath"]) for e in distribution["customErrorResponses"]} == {
        (403, 404, "/.launchpad/404.html"), (404, 404, "/.launchpad/404.html")}
    checks = [r for r in standins.records("aws") if r.get("method") == "Check" and project.name in r["urn"]]
    assert {FUNCTION, NOT_FOUND_PAGE} <= {r["token"] for r in checks}
    failed = [r for r in checks if r.get("failures")]
    assert failed == [], failed


def test_a_custom_domain_adds_a_validated_certificate_and_alias_records(project, env, standins):
    harness.select_stack(project, "domain", env, config={"domain": "www.example.com", "zoneId": "Z0123456789ABC"})
    children = harness.preview_children(project, env, STATIC_SITE).children
    assert len(children["aws:route53/record:Record"]) == 3  # validation, A, AAAA
    assert "aws:acm/certificate:Certificate" in children
    assert "aws:acm/certificateValidation:CertificateValidation" in children
    failed = [r for r in standins.records("aws") if r.get("method") == "Check" and r.get("failures")]
    assert failed == []


def test_bad_input_fails_preview_with_a_message_naming_the_property(project, env):
    harness.select_stack(project, "bad", env, config={"priceClass": "Cheap"})
    proc = harness.pulumi(["preview"], project, env, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert 'priceClass="Cheap" is not valid; valid: PriceClass_100, PriceClass_200, PriceClass_All' in output, output


def site_keys(project) -> set[str]:
    site = project / "site"
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_up_deploys_the_folder_and_a_changed_file_is_one_key_in_the_diff(project, env, moto):
    harness.select_stack(project, "up", env)
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    outputs = json.loads(harness.pulumi(["stack", "output", "--json"], project, env).stdout)
    assert outputs["url"].startswith("https://")
    assert outputs["bucketName"] and outputs["distributionId"]
    # The folder is in the bucket, with its headers.
    s3 = moto.client("s3", direct=True)
    listed = s3.list_objects_v2(Bucket=outputs["bucketName"]).get("Contents", [])
    assert {o["Key"] for o in listed} == site_keys(project)
    index = s3.head_object(Bucket=outputs["bucketName"], Key="index.html")
    assert index["ContentType"] == "text/html; charset=utf-8"
    assert index["CacheControl"]  # the example's own rule for HTML
    # Our plan must be stable: re-running the program changes nothing.
    harness.pulumi(["preview", "--expect-no-changes"], project, env)

    # One edited page: the preview names exactly that key, and up uploads only it.
    index_file = project / "site" / "index.html"
    index_file.write_text(index_file.read_text() + "<!-- edited -->")
    content = harness.preview_children(project, env, STATIC_SITE, "--diff").one(SITE_CONTENT)
    assert content.op == "update"
    assert sorted(content.raw.get("detailedDiff", {})) == ['files["index.html"]'], content.raw.get("detailedDiff")
    moto.reset_requests()
    harness.pulumi(["up", "--yes", "--skip-preview"], project, env)
    puts = [r.path for r in moto.requests() if r.method == "PUT"]
    assert puts == [f"/{outputs['bucketName']}/index.html"], puts
    harness.pulumi(["preview", "--expect-no-changes"], project, env)
    # A file put in the bucket by hand does not stop destroy: S3 deletes no bucket that
    # is not empty (nor does the stand-in), and the bucket is the site's own, so it goes
    # with whatever it holds (forceDestroy).
    s3.put_object(Bucket=outputs["bucketName"], Key="uploaded-by-hand.txt", Body=b"x")
    harness.pulumi(["destroy", "--yes", "--skip-preview"], project, env)
    assert outputs["bucketName"] not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
