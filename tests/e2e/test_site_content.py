"""SiteContent against a real S3 + CloudFront emulator (moto, behind the
counting, fault-injecting proxy of tests/moto/emulator.py).

Each deploy runs the resource exactly as the provider does (Check, Diff,
Create or Update) through the `site_sync` driver
(provider/site-sync/examples/site_sync.rs), which keeps the state in a file
between runs as the engine would. The proxy counts what reaches the
emulator: a no-change run sends nothing at all.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import subprocess
import zlib
from pathlib import Path

import pytest

import harness

DRIVER = harness.ROOT / "target" / "debug" / "examples" / "site_sync"
IMMUTABLE = "public, max-age=31536000, immutable"
# Past SiteContent's multipart threshold (16 MiB): three parts of 8 MiB at most.
MULTIPART_BYTES = 17 * 1024 * 1024
_buckets = itertools.count(1)


class Site:
    """A site folder, its bucket in the emulator, and its recorded state."""

    def __init__(self, tmp_path: Path, moto, distribution: str | None = None):
        self.moto, self.dir = moto, tmp_path / "dist"
        self.state = tmp_path / "state.json"
        self.bucket = f"site-content-{os.getpid()}-{next(_buckets)}"
        self.distribution = distribution
        self.dir.mkdir()
        moto.client("s3", direct=True).create_bucket(Bucket=self.bucket)

    def write(self, files: dict[str, str | bytes]) -> None:
        for key, content in files.items():
            path = self.dir / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode() if isinstance(content, str) else content)

    def remove(self, key: str) -> None:
        (self.dir / key).unlink()

    def deploy(self, check: bool = True, timeout_ms: int | None = None, **inputs) -> subprocess.CompletedProcess:
        """One `pulumi up` of the resource; the proxy's record starts afresh."""
        if self.distribution:
            inputs.setdefault("distributionId", self.distribution)
        env = harness.with_aws_env(dict(os.environ), self.moto.url)
        env["SITE_SYNC_INPUTS"] = json.dumps(inputs)
        if timeout_ms is not None:
            env["SITE_SYNC_TIMEOUT_MS"] = str(timeout_ms)
        self.moto.reset_requests()
        proc = subprocess.run(
            [str(DRIVER), str(self.dir), self.bucket, str(self.state)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"site_sync failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    def keys(self) -> set[str]:
        s3 = self.moto.client("s3", direct=True)
        return {o["Key"] for o in s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])}

    def head(self, key: str) -> dict:
        return self.moto.client("s3", direct=True).head_object(Bucket=self.bucket, Key=key)

    def puts(self) -> list[str]:
        """Keys PUT in this deploy, in the order the emulator finished them."""
        prefix = f"/{self.bucket}/"
        return [r.path[len(prefix):] for r in self.moto.requests()
                if r.method == "PUT" and r.path.startswith(prefix) and not r.injected]

    def invalidations(self) -> list[list[str]]:
        cf = self.moto.client("cloudfront", direct=True)
        items = cf.list_invalidations(DistributionId=self.distribution)["InvalidationList"].get("Items", [])
        return [
            cf.get_invalidation(DistributionId=self.distribution, Id=i["Id"])["Invalidation"]
            ["InvalidationBatch"]["Paths"].get("Items", [])
            for i in items
        ]


@pytest.fixture
def distribution(moto) -> str:
    cf = moto.client("cloudfront", direct=True)
    out = cf.create_distribution(DistributionConfig={
        "CallerReference": f"site-content-{os.getpid()}-{next(_buckets)}",
        "Comment": "site content test",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "s3", "DomainName": "bucket.s3.us-east-1.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""},
        }]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
    })
    return out["Distribution"]["Id"]


@pytest.fixture
def site(tmp_path, moto, distribution) -> Site:
    if not DRIVER.exists():
        pytest.fail(f"{DRIVER} is missing: run `make build`")
    s = Site(tmp_path, moto, distribution)
    s.write({
        "index.html": "<h1>home</h1>",
        "about/index.html": "<h1>about</h1>",
        "assets/app.3f9a1c.js": "console.log(1)",
        "assets/style.8b2e4d.css": "body{}",
        "robots.txt": "User-agent: *",
        "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    })
    return s


def test_first_deploy_uploads_every_file_assets_before_html_with_their_headers(site):
    site.deploy()
    assert site.keys() == {
        "index.html", "about/index.html", "assets/app.3f9a1c.js",
        "assets/style.8b2e4d.css", "robots.txt", "logo.png",
    }
    puts = site.puts()
    assert sorted(puts) == sorted(site.keys())
    last_asset = max(i for i, k in enumerate(puts) if not k.endswith(".html"))
    first_page = min(i for i, k in enumerate(puts) if k.endswith(".html"))
    assert last_asset < first_page, puts
    expected = {
        "index.html": ("text/html; charset=utf-8", "no-cache"),
        "assets/app.3f9a1c.js": ("text/javascript; charset=utf-8", IMMUTABLE),
        "assets/style.8b2e4d.css": ("text/css; charset=utf-8", IMMUTABLE),
        "robots.txt": ("text/plain; charset=utf-8", "no-cache"),
        "logo.png": ("image/png", "no-cache"),
    }
    for key, (content_type, cache_control) in expected.items():
        head = site.head(key)
        assert (head["ContentType"], head["CacheControl"]) == (content_type, cache_control), key
    # Nothing was served before: nothing to invalidate.
    assert site.invalidations() == []


def test_a_rerun_without_changes_sends_nothing(site):
    site.deploy()
    site.deploy()
    assert site.moto.requests() == []


def test_one_changed_file_is_one_put_and_one_invalidation_of_its_paths(site):
    site.deploy()
    site.write({"about/index.html": "<h1>about us</h1>"})
    site.deploy()
    assert site.puts() == ["about/index.html"]
    (paths,) = site.invalidations()
    assert sorted(paths) == ["/about/", "/about/index.html"]


def test_a_deleted_file_is_deleted_after_the_new_files_are_in_and_invalidated(site):
    site.deploy()
    site.remove("robots.txt")
    site.write({"index.html": "<h1>home v2</h1>"})
    site.deploy()
    methods = [(r.method, r.query) for r in site.moto.requests() if r.path.startswith(f"/{site.bucket}")]
    assert [m for m, _ in methods] == ["PUT", "POST"], methods  # the page, then one DeleteObjects
    assert "robots.txt" not in site.keys()
    (paths,) = site.invalidations()
    assert sorted(paths) == ["/", "/index.html", "/robots.txt"]


def test_the_previous_deploys_fingerprinted_assets_stay_for_one_more_deploy(site):
    site.deploy()
    site.remove("assets/app.3f9a1c.js")
    site.write({"assets/app.77aa01.js": "console.log(2)"})
    site.deploy()
    assert {"assets/app.3f9a1c.js", "assets/app.77aa01.js"} <= site.keys()
    site.remove("assets/app.77aa01.js")
    site.write({"assets/app.88bb02.js": "console.log(3)"})
    site.deploy()
    keys = site.keys()
    assert "assets/app.3f9a1c.js" not in keys
    assert {"assets/app.77aa01.js", "assets/app.88bb02.js"} <= keys
    # keepPreviousDeploys 0: replaced assets go at once.
    site.remove("assets/app.88bb02.js")
    site.write({"assets/app.99cc03.js": "console.log(4)"})
    site.deploy(keepPreviousDeploys=0)
    keys = site.keys()
    assert "assets/app.88bb02.js" not in keys and "assets/app.77aa01.js" not in keys


def test_cache_control_rules_override_the_defaults(site):
    site.deploy(cacheControl=[{"pattern": "*.png", "value": "public, max-age=600"}])
    assert site.head("logo.png")["CacheControl"] == "public, max-age=600"
    assert site.head("index.html")["CacheControl"] == "no-cache"


def test_throttling_is_retried_and_the_deploy_completes(site):
    site.moto.fail_next(3, status=503, code="SlowDown", match=lambda m, p: m == "PUT")
    site.deploy()
    assert len(site.keys()) == 6
    assert site.moto.faults_left() == 0


def test_a_long_spell_of_slowdown_is_ridden_out_by_every_upload_in_flight(site):
    """S3 asks a client that gets 503 Slow Down to back off and retry. 40 uploads that each
    meet it three times make 120 retries at once: more than the SDK's default retry quota (500
    tokens, 5 a throttled retry, kept while the request keeps failing) allows, which failed the
    deploy well before any upload ran out of attempts. Every upload gets its retries."""
    site.write({f"docs/page{i}.txt": f"page {i}" for i in range(40)})
    site.moto.fail_next(120, status=503, code="SlowDown", match=lambda m, p: m == "PUT")
    site.deploy()
    assert site.moto.faults_left() == 0
    assert {f"docs/page{i}.txt" for i in range(40)} <= set(site.keys())


def _senders(site) -> list[tuple[str, str, bool]]:
    """(key, who sent it: "sdk" or "direct", whether the proxy refused it) for each PUT of the
    last deploy, in the order the emulator finished them."""
    prefix = f"/{site.bucket}/"
    agents = {"aws-sdk-rust/": "sdk", "launchpad-site-sync/": "direct"}
    return [(r.path[len(prefix):],
             next(who for agent, who in agents.items() if r.headers.get("user-agent", "").startswith(agent)),
             r.injected)
            for r in site.moto.requests() if r.method == "PUT" and r.path.startswith(prefix)]


def test_once_the_sdk_has_uploaded_a_file_the_others_go_up_as_signed_puts_of_their_own(site):
    """provider/site-sync/src/direct.rs: the SDK's first upload shows the endpoint and signing;
    the rest go direct, the same request (the proxy checks the payload hash and the signature),
    and the objects get the same headers and ETags."""
    site.write({f"docs/page{i}.txt": f"page {i}" for i in range(20)})
    site.deploy(uploadConcurrency=1)
    senders = [who for _, who, _ in _senders(site)]
    assert len(senders) == 26 and senders[0] == "sdk" and set(senders[1:]) == {"direct"}, senders
    # The same integrity headers as the SDK's (S3 stores the CRC32; Object Lock requires one).
    puts = [r for r in site.moto.requests() if r.method == "PUT"]
    page = next(r for r in puts if r.path.endswith("/docs/page7.txt"))
    crc = base64.b64encode(zlib.crc32(b"page 7").to_bytes(4, "big")).decode()
    assert page.headers["x-amz-checksum-crc32"] == crc and page.headers["x-amz-sdk-checksum-algorithm"] == "CRC32"
    assert {"x-amz-checksum-crc32", "x-amz-sdk-checksum-algorithm"} <= puts[0].headers.keys()
    assert site.head("docs/page7.txt")["ContentType"] == "text/plain; charset=utf-8"
    assert site.head("assets/app.3f9a1c.js")["CacheControl"] == IMMUTABLE
    # The ETags recorded are S3's: nothing differs, nothing is sent again.
    site.deploy(uploadConcurrency=1)
    assert site.moto.requests() == []


def test_a_direct_put_that_fails_hands_it_and_every_later_file_to_the_sdk(site):
    """Anything but a 2xx (here one 503 Slow Down) turns the direct path off for the rest of the
    deploy: the SDK sends that file again, with its retries, and all that follow."""
    site.write({f"docs/page{i}.txt": f"page {i}" for i in range(20)})
    puts = itertools.count(1)
    site.moto.fail_next(1, status=503, code="SlowDown", match=lambda m, p: m == "PUT" and next(puts) == 5)
    site.deploy(uploadConcurrency=1)
    sent = _senders(site)
    assert sent[4][1:] == ("direct", True), sent
    assert sent[5] == (sent[4][0], "sdk", False), sent
    assert {who for _, who, _ in sent[5:]} == {"sdk"}, sent
    assert len(site.keys()) == 26


def test_a_deploy_that_fails_part_way_records_what_went_up_and_the_next_one_finishes(site):
    site.write({f"docs/page{i}.txt": f"page {i}" for i in range(20)})
    # Two of the files are refused for good (not retried): the deploy stops.
    broken = lambda m, p: m == "PUT" and (p.endswith("/docs/page3.txt") or p.endswith("/robots.txt"))
    site.moto.fail_next(1000, status=403, code="AccessDenied", match=broken)
    proc = site.deploy(check=False)
    assert proc.returncode != 0
    assert "the next `pulumi up` finishes the deploy" in proc.stderr, proc.stderr
    went_up = site.keys()
    assert "robots.txt" not in went_up and "docs/page3.txt" not in went_up
    site.moto.clear_faults()
    site.deploy()
    # Only what was missing goes up now.
    assert sorted(site.puts()) == sorted({"robots.txt", "docs/page3.txt"} | ({"index.html", "about/index.html"} - went_up))
    assert len(site.keys()) == 26


def test_an_update_that_stops_records_the_new_files_it_sent_so_their_keys_go_with_them(site):
    site.deploy()
    before = site.keys()
    site.write({"late.txt": "late", "more.txt": "more"})
    # Both go up; the answer to one is an error after S3 stored it. (A 403 after the write stands
    # in for an answer lost on every attempt, which takes a minute of retries; the versitygw fault
    # suite loses them for real.) The engine keeps the old inputs of a stopped Update
    # (pulumi/pulumi#2011): the outputs must say both keys may be in the bucket.
    site.moto.fail_next(1000, status=403, code="AccessDenied", forward=True,
                        match=lambda m, p: m == "PUT" and p.endswith("/more.txt"))
    proc = site.deploy(check=False)
    assert proc.returncode != 0 and "cannot upload more.txt" in proc.stderr, proc.stderr
    assert {"late.txt", "more.txt"} <= site.keys(), "the fault did not reach S3"
    site.moto.clear_faults()
    # The next build has neither: their keys go.
    site.remove("late.txt")
    site.remove("more.txt")
    site.deploy()
    assert site.keys() == before
    site.deploy()
    assert site.moto.requests() == []


def test_an_invalidation_that_fails_is_owed_and_made_by_the_next_deploy(site):
    site.deploy()
    site.remove("assets/app.3f9a1c.js")
    site.write({"assets/app.77aa01.js": "console.log(2)", "index.html": "<h1>v2</h1>"})
    site.moto.fail_next(5, status=403, code="AccessDenied", match=lambda m, p: "/invalidation" in p)
    proc = site.deploy(check=False)
    assert proc.returncode != 0 and "cannot invalidate" in proc.stderr, proc.stderr
    outputs = json.loads(site.state.read_text())["outputs"]
    # The replaced asset stays known (kept for open tabs, deleted in time) ...
    assert "assets/app.3f9a1c.js" in outputs["retained"]
    # ... and the changed page is still owed an invalidation.
    assert "/index.html" in outputs["pendingInvalidations"]
    site.moto.clear_faults()
    site.deploy()
    assert site.puts() == []
    assert sorted(site.invalidations()[0]) == ["/", "/index.html"]


TOO_MANY = dict(status=400, code="TooManyInvalidationsInProgress",
                match=lambda m, p: m == "POST" and p.endswith("/invalidation"))


def _owed(site) -> list[str]:
    return sorted(json.loads(site.state.read_text())["outputs"]["pendingInvalidations"])


def test_an_invalidation_waits_while_cloudfront_has_too_many_in_progress(site):
    site.deploy()
    site.write({"index.html": "<h1>v2</h1>"})
    site.moto.fail_next(2, **TOO_MANY)
    site.deploy()
    assert site.moto.faults_left() == 0
    asked = site.moto.count("POST", f"/2020-05-31/distribution/{site.distribution}/invalidation")
    assert asked == 3, "refused twice, then made"
    (paths,) = site.invalidations()
    assert sorted(paths) == ["/", "/index.html"]
    assert _owed(site) == []


def test_a_deploy_keeps_its_invalidation_small_enough_to_share_the_distribution(site):
    """CloudFront's 15 wildcard paths count every invalidation in progress: with ten
    of other deploys in progress, six folder wildcards are refused for as long as
    those last, while `/*` (one wildcard path) goes through."""
    files = {f"d{i % 6}/page{i}.txt": "v1" for i in range(1002)}
    site.write(files)
    site.deploy()
    site.write({key: "v2" for key in files})
    site.moto.invalidations_in_progress(site.distribution, files=2000, wildcards=10)
    site.deploy(timeout_ms=60_000)
    assert site.invalidations() == [["/*"]]


def test_when_cloudfront_stays_full_the_deadline_ends_the_wait_and_the_paths_stay_owed(site):
    site.deploy()
    site.write({"index.html": "<h1>v2</h1>"})
    # Other invalidations in progress that do not finish before the deadline.
    site.moto.invalidations_in_progress(site.distribution, files=2999)
    proc = site.deploy(check=False, timeout_ms=5000)
    assert proc.returncode != 0
    assert "TooManyInvalidationsInProgress" in proc.stderr, proc.stderr
    assert "timed out after 5s" in proc.stderr, proc.stderr
    assert "the next `pulumi up` finishes the deploy" in proc.stderr, proc.stderr
    assert site.invalidations() == []
    assert _owed(site) == ["/", "/index.html"]
    site.moto.clear_faults()  # they finished
    site.deploy()
    assert site.puts() == []
    assert [sorted(p) for p in site.invalidations()] == [["/", "/index.html"]]
    assert _owed(site) == []


def test_a_deadline_stops_the_deploy_at_once_and_the_next_one_completes_it(site):
    # Big enough that the uploads are still going when the deadline passes.
    site.write({f"media/clip{i}.bin": os.urandom(2_000_000) for i in range(12)})
    proc = site.deploy(check=False, timeout_ms=300, uploadConcurrency=2)
    assert proc.returncode != 0
    assert "timed out after 300ms" in proc.stderr, proc.stderr
    # The engine keeps the goal's inputs of a stopped Create: the record is an output.
    recorded = json.loads(site.state.read_text())["outputs"]["stoppedFiles"]
    assert len(recorded) < 18, "stopped before the end"
    site.deploy()
    assert len(site.keys()) == 18
    # Whatever the stopped deploy recorded went up again or was already right.
    site.deploy()
    assert site.moto.requests() == []


def _complete(key: str):
    """CompleteMultipartUpload of KEY: POST .../KEY?uploadId=..."""
    return dict(query="uploadId", match=lambda m, p: m == "POST" and p.endswith("/" + key))


def test_a_large_file_goes_up_in_parts(site):
    big = os.urandom(MULTIPART_BYTES)
    site.write({"media/film.bin": big})
    site.deploy()
    assert site.moto.count("POST", f"/{site.bucket}/media/film.bin", query="uploads") == 1
    assert site.moto.count("PUT", f"/{site.bucket}/media/film.bin", query="partNumber") == 3
    body = site.moto.client("s3", direct=True).get_object(Bucket=site.bucket, Key="media/film.bin")["Body"]
    assert body.read() == big


def test_an_upload_an_earlier_deploy_left_open_is_aborted_when_its_file_goes_up_again(site):
    """A deploy cut off in the middle of a multipart upload (a cancel, a deadline, or a server
    that died before the abort could reach it) leaves the upload open, and S3 keeps and bills its
    parts until it is aborted: the next upload of that key aborts it first. An open upload of a
    longer key that shares the prefix is another file's, and stays."""
    s3 = site.moto.client("s3", direct=True)
    left = s3.create_multipart_upload(Bucket=site.bucket, Key="media/film.bin")["UploadId"]
    s3.upload_part(Bucket=site.bucket, Key="media/film.bin", UploadId=left, PartNumber=1, Body=b"x" * 1024)
    other = s3.create_multipart_upload(Bucket=site.bucket, Key="media/film.bin.tmp")["UploadId"]
    site.write({"media/film.bin": os.urandom(MULTIPART_BYTES)})
    site.deploy()
    still_open = {(u["Key"], u["UploadId"]) for u in s3.list_multipart_uploads(Bucket=site.bucket).get("Uploads", [])}
    assert still_open == {("media/film.bin.tmp", other)}
    assert site.head("media/film.bin")["ContentLength"] == MULTIPART_BYTES


def test_an_error_s3_sends_in_a_200_to_complete_a_multipart_upload_is_retried(site):
    """S3 may answer CompleteMultipartUpload 200 and put an error in the body; the SDK
    reads it and retries InternalError: the file is in the bucket after this deploy."""
    site.write({"media/film.bin": os.urandom(MULTIPART_BYTES)})
    site.moto.fail_next(1, status=200, code="InternalError", **_complete("media/film.bin"))
    site.deploy()
    assert site.moto.faults_left() == 0
    assert site.head("media/film.bin")["ContentLength"] == MULTIPART_BYTES


def test_a_multipart_upload_refused_in_a_200_is_not_taken_as_uploaded_and_goes_up_next_deploy(site):
    site.write({"media/film.bin": os.urandom(MULTIPART_BYTES)})
    site.moto.fail_next(1000, status=200, code="NoSuchUpload", **_complete("media/film.bin"))
    proc = site.deploy(check=False)
    assert proc.returncode != 0, proc.stdout
    assert "cannot upload media/film.bin: NoSuchUpload" in proc.stderr, proc.stderr
    assert "media/film.bin" not in site.keys()
    # Recorded as maybe there, its content unknown, with no ETag: a retried Complete whose first
    # answer was lost gets NoSuchUpload too, the object stored (S3: the upload "might have been
    # aborted or completed").
    outputs = json.loads(site.state.read_text())["outputs"]
    assert outputs["stoppedFiles"]["media/film.bin"]["hash"] == ""
    assert "media/film.bin" not in outputs["etags"]
    # The abandoned upload is aborted: its parts would cost storage.
    s3 = site.moto.client("s3", direct=True)
    assert s3.list_multipart_uploads(Bucket=site.bucket).get("Uploads", []) == []
    site.moto.clear_faults()
    site.deploy()
    assert site.moto.count("POST", f"/{site.bucket}/media/film.bin", query="uploads") == 1
    assert site.head("media/film.bin")["ContentLength"] == MULTIPART_BYTES


@pytest.mark.parametrize("problem", ["missing", "empty", "escaping-link"])
def test_a_bad_folder_fails_check_naming_path(tmp_path, moto, problem):
    s = Site(tmp_path, moto)
    if problem == "missing":
        s.dir.rmdir()
    elif problem == "escaping-link":
        s.write({"index.html": "x"})
        (s.dir / "secrets").symlink_to("/etc")
    proc = s.deploy(check=False)
    assert proc.returncode != 0
    assert "path:" in proc.stderr, proc.stderr
    assert {"missing": "cannot be read", "empty": "has no files", "escaping-link": "outside the folder"}[problem] \
        in proc.stderr
    assert moto.requests() == []
