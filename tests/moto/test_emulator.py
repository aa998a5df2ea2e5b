"""Tests of the emulator harness itself: the counting, fault-injecting proxy in front
of moto, and the serve.py launch contract. Run by `make test-e2e`."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import BotoCoreError, ClientError

sys.path.insert(0, str(Path(__file__).parent))

from emulator import Moto  # noqa: E402
from s3_fault_proxy import is_put  # noqa: E402

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def moto():
    with Moto() as m:
        yield m


@pytest.fixture(autouse=True)
def fresh(moto):
    moto.reset()
    yield
    moto.clear_faults()


def test_s3_round_trip_is_recorded(moto):
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="site")
    s3.put_object(Bucket="site", Key="assets/app 1.js", Body=b"x" * 10, ContentType="text/javascript")
    head = s3.head_object(Bucket="site", Key="assets/app 1.js")
    assert head["ContentLength"] == 10 and head["ContentType"] == "text/javascript"
    assert s3.get_object(Bucket="site", Key="assets/app 1.js")["Body"].read() == b"x" * 10
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="site")["Contents"]]
    assert keys == ["assets/app 1.js"]

    reqs = moto.requests()
    assert [(r.method, r.path) for r in reqs] == [
        ("PUT", "/site"),
        ("PUT", "/site/assets/app 1.js"),
        ("HEAD", "/site/assets/app 1.js"),
        ("GET", "/site/assets/app 1.js"),
        ("GET", "/site"),
    ]
    assert all(r.status == 200 and not r.injected for r in reqs)
    assert "list-type=2" in reqs[-1].query
    assert reqs[1].headers["content-type"] == "text/javascript"
    assert moto.count("PUT") == 2 and moto.count("put", "/site/assets/") == 1
    assert moto.count("GET", query="list-type") == 1
    moto.reset_requests()
    assert moto.requests() == [] and moto.count() == 0


def test_set_up_straight_to_moto_is_not_recorded(moto):
    moto.client("s3", direct=True).create_bucket(Bucket="quiet")
    assert moto.count() == 0
    assert [b["Name"] for b in moto.client("s3").list_buckets()["Buckets"]] == ["quiet"]
    assert moto.count("GET", "/") == 1


def test_injected_faults(moto):
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="bkt")
    moto.fail_next(2, status=503, match=lambda method, path: method == "PUT" and path.endswith(".html"))
    for _ in range(2):
        with pytest.raises(ClientError) as err:
            s3.put_object(Bucket="bkt", Key="index.html", Body=b"<p>")
        assert err.value.response["Error"]["Code"] == "SlowDown"
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    s3.put_object(Bucket="bkt", Key="app.js", Body=b"1")  # does not match: untouched
    assert moto.faults_left() == 0
    s3.put_object(Bucket="bkt", Key="index.html", Body=b"<p>")  # the rule is used up
    injected = [(r.method, r.path, r.status) for r in moto.requests() if r.injected]
    assert injected == [("PUT", "/bkt/index.html", 503)] * 2
    # nothing injected reached moto: only the later PUT stored the key
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="bkt")["Contents"]] == ["app.js", "index.html"]

    moto.fail_next(1, status=500, forward=True)
    with pytest.raises(ClientError) as err:
        s3.put_object(Bucket="bkt", Key="late.css", Body=b"a")
    assert err.value.response["Error"]["Code"] == "InternalError"
    assert s3.head_object(Bucket="bkt", Key="late.css")["ContentLength"] == 1  # it happened

    moto.fail_next(1, status=404)
    with pytest.raises(ClientError) as err:
        s3.head_object(Bucket="bkt", Key="app.js")  # HEAD: an error without a body
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_dropped_connections(moto):
    """The proxy's faults without an answer: a reset before moto has the request (nothing
    stored), a close after it (stored, the answer lost)."""
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="drops")
    moto.proxy.drop(1, how="reset", match=is_put)
    with pytest.raises(BotoCoreError):
        s3.put_object(Bucket="drops", Key="never.txt", Body=b"a")
    moto.proxy.drop(1, how="close", forward=True, match=is_put)
    with pytest.raises(BotoCoreError):
        s3.put_object(Bucket="drops", Key="landed.txt", Body=b"b")
    s3.put_object(Bucket="drops", Key="after.txt", Body=b"c")  # both used up
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="drops")["Contents"]] == ["after.txt", "landed.txt"]
    assert [(r.path, r.status, r.injected) for r in moto.requests() if r.method == "PUT"] == [
        ("/drops", 200, False), ("/drops/never.txt", "reset", True), ("/drops/landed.txt", "closed", True),
        ("/drops/after.txt", 200, False)]


def test_a_slowdown_window_and_a_held_request(moto):
    """SlowDown to every match for a window from the first on, then nothing; a held request
    reaches moto only once released."""
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="slow")
    moto.proxy.slow_down(seconds=0.5, match=is_put)
    for key in ("a", "b"):
        with pytest.raises(ClientError) as err:
            s3.put_object(Bucket="slow", Key=key, Body=b"x")
        assert err.value.response["Error"]["Code"] == "SlowDown"
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    time.sleep(0.6)
    s3.put_object(Bucket="slow", Key="c", Body=b"x")
    assert moto.proxy.injected() == 2

    moto.proxy.hold(is_put, n=1)
    put = threading.Thread(target=s3.put_object, kwargs={"Bucket": "slow", "Key": "held", "Body": b"x"})
    put.start()
    assert moto.proxy.wait_held(timeout=10)
    assert [o["Key"] for o in moto.client("s3", direct=True).list_objects_v2(Bucket="slow")["Contents"]] == ["c"]
    moto.proxy.release()
    put.join(timeout=10)
    assert s3.head_object(Bucket="slow", Key="held")["ContentLength"] == 1


def test_cloudfront_through_the_proxy(moto):
    cf = moto.client("cloudfront")
    dist = _distribution(cf, "ref-1")
    moto.fail_next(1, status=503, match=lambda method, path: "/invalidation" in path)
    with pytest.raises(ClientError) as err:
        _invalidate(cf, dist, ["/index.html"], "inv-1")
    assert err.value.response["Error"]["Code"] == "Throttling"
    inv = _invalidate(cf, dist, ["/index.html"], "inv-1")["Invalidation"]
    assert inv["InvalidationBatch"]["Paths"]["Items"] == ["/index.html"]
    assert moto.count("POST", f"/2020-05-31/distribution/{dist}/invalidation") == 2


def test_large_and_multipart_uploads(moto):
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="big")
    part = os.urandom(5 * 1024 * 1024)
    up = s3.create_multipart_upload(Bucket="big", Key="blob")["UploadId"]
    etags = [s3.upload_part(Bucket="big", Key="blob", UploadId=up, PartNumber=i, Body=part)["ETag"] for i in (1, 2)]
    s3.complete_multipart_upload(Bucket="big", Key="blob", UploadId=up, MultipartUpload={
        "Parts": [{"ETag": e, "PartNumber": i} for i, e in zip((1, 2), etags)]})
    assert s3.head_object(Bucket="big", Key="blob")["ContentLength"] == 10 * 1024 * 1024
    assert moto.count("POST", "/big/blob", query="uploads") == 1
    assert moto.count("PUT", "/big/blob", query="partNumber") == 2


def test_serve_py_contract():
    """python3 tests/moto/serve.py (any python: it finds the venv) prints the port
    first, answers ListBuckets, and exits 0 when its stdin closes."""
    proc = subprocess.Popen(
        ["python3", str(HERE / "serve.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(proc.stdout.readline())
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as resp:
            assert b"<ListAllMyBucketsResult" in resp.read()
        proc.stdin.close()
        assert proc.wait(timeout=15) == 0
        assert proc.stdout.read() == ""
    finally:
        if proc.poll() is None:
            proc.kill()


def test_chunked_request_body(moto):
    """A body sent with Transfer-Encoding: chunked reaches moto whole."""
    import http.client

    moto.client("s3").create_bucket(Bucket="chunky")
    host, port = moto.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("PUT", "/chunky/k.txt", body=iter([b"hello ", b"world"]), encode_chunked=True,
                 headers={"Transfer-Encoding": "chunked", "Content-Type": "text/plain"})
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 200
    conn.request("GET", "/")  # the same keep-alive connection
    resp = conn.getresponse()
    assert resp.status == 200 and b"<Name>chunky</Name>" in resp.read()
    conn.close()
    # (moto answers unsigned reads of an existing private key with 403, as S3 does)
    assert moto.client("s3").get_object(Bucket="chunky", Key="k.txt")["Body"].read() == b"hello world"


def test_s3_200_with_an_error_in_the_body(moto):
    """CompleteMultipartUpload may answer 200 and then an error: boto3, like every AWS
    SDK, reads the body and raises. Only the call with the query parameter is hit."""
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="late-error")
    up = s3.create_multipart_upload(Bucket="late-error", Key="blob")["UploadId"]  # ?uploads: untouched
    etag = s3.upload_part(Bucket="late-error", Key="blob", UploadId=up, PartNumber=1, Body=b"x")["ETag"]
    moto.fail_next(1, status=200, code="InternalError", query="uploadId",
                   match=lambda method, path: method == "POST")
    parts = {"Parts": [{"ETag": etag, "PartNumber": 1}]}
    with pytest.raises(ClientError) as err:
        s3.complete_multipart_upload(Bucket="late-error", Key="blob", UploadId=up, MultipartUpload=parts)
    assert err.value.response["Error"]["Code"] == "InternalError"
    # (botocore turns the 200 into a 500 for its retry logic; the wire said 200, see below)
    assert "Contents" not in s3.list_objects_v2(Bucket="late-error")  # it never reached moto
    s3.complete_multipart_upload(Bucket="late-error", Key="blob", UploadId=up, MultipartUpload=parts)
    assert s3.head_object(Bucket="late-error", Key="blob")["ContentLength"] == 1
    assert [(r.method, r.status, r.injected) for r in moto.requests() if "uploadId=" in r.query
            and r.method == "POST"] == [("POST", 200, True), ("POST", 200, False)]


def _distribution(cf, reference: str) -> str:
    return cf.create_distribution(DistributionConfig={
        "CallerReference": reference,
        "Comment": "t",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "s3", "DomainName": "b.s3.us-east-1.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""},
        }]},
        "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https"},
    })["Distribution"]["Id"]


def _invalidate(cf, dist: str, paths: list[str], ref: str):
    return cf.create_invalidation(DistributionId=dist, InvalidationBatch={
        "Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": ref})


def test_cloudfront_invalidation_limits_count_what_is_in_progress_on_the_distribution(moto):
    cf = moto.client("cloudfront")
    dist = _distribution(cf, "limits")
    # Alone, a request is held to the limits: 3,000 file paths, 15 wildcard paths.
    _invalidate(cf, dist, [f"/p{i}" for i in range(3000)], "files-ok")
    _invalidate(cf, dist, [f"/d{i}/*" for i in range(15)], "wildcards-ok")
    for paths in ([f"/p{i}" for i in range(3001)], [f"/d{i}/*" for i in range(16)]):
        with pytest.raises(ClientError) as err:
            _invalidate(cf, dist, paths, f"too-many-{len(paths)}")
        assert err.value.response["Error"]["Code"] == "TooManyInvalidationsInProgress"
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # With others in progress, what is left is shared; the two budgets are independent.
    moto.invalidations_in_progress(dist, files=2990, wildcards=14)
    with pytest.raises(ClientError) as err:
        _invalidate(cf, dist, [f"/q{i}" for i in range(11)], "over-files")
    assert err.value.response["Error"]["Code"] == "TooManyInvalidationsInProgress"
    with pytest.raises(ClientError):
        _invalidate(cf, dist, ["/a/*", "/b/*"], "over-wildcards")
    _invalidate(cf, dist, [f"/q{i}" for i in range(10)] + ["/*"], "fits")
    # Another distribution is not affected.
    other = _distribution(cf, "other")
    _invalidate(cf, other, [f"/d{i}/*" for i in range(15)], "other-ok")
    refused = [r for r in moto.requests() if r.injected]
    assert len(refused) == 4 and all(r.status == 400 for r in refused)
    moto.clear_faults()  # forgets what was declared in progress
    _invalidate(cf, dist, [f"/d{i}/*" for i in range(15)], "after-clear")


def _answer(request: urllib.request.Request) -> tuple[int, bytes]:
    """The status and body the proxy answers REQUEST with, an error status included."""
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def test_s3_refuses_a_payload_hash_that_is_not_the_bodys(moto):
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="signed")
    s3.put_object(Bucket="signed", Key="boto3.txt", Body=b"signed by boto3")  # its payload hash is right

    def put(key: str, claimed: str) -> tuple[int, bytes]:
        return _answer(urllib.request.Request(f"{moto.url}/signed/{key}", data=b"the body", method="PUT",
                                              headers={"x-amz-content-sha256": claimed}))

    status, body = put("wrong.txt", hashlib.sha256(b"another body").hexdigest())
    assert status == 400 and b"<Code>XAmzContentSHA256Mismatch</Code>" in body
    status, body = put("truncated.txt", hashlib.sha256(b"the body").hexdigest()[:32])
    assert status == 400 and b"<Code>InvalidArgument</Code>" in body
    assert put("right.txt", hashlib.sha256(b"the body").hexdigest())[0] == 200
    assert put("unsigned.txt", "UNSIGNED-PAYLOAD")[0] == 200
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="signed")["Contents"]}
    assert keys == {"boto3.txt", "right.txt", "unsigned.txt"}


def test_s3_refuses_a_request_whose_signature_is_not_the_one_it_computes_to(moto):
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    s3 = moto.client("s3")
    s3.create_bucket(Bucket="sigv4")
    # boto3's own calls pass: a key to encode, a listing with a query to sort.
    s3.put_object(Bucket="sigv4", Key="a dir/ü+b&c=d.txt", Body=b"odd key")
    listed = s3.list_objects_v2(Bucket="sigv4", Prefix="a dir/ü+", MaxKeys=5)
    assert [o["Key"] for o in listed["Contents"]] == ["a dir/ü+b&c=d.txt"]

    def put(secret: str, signed_key: str, sent_key: str) -> tuple[int, bytes]:
        body = b"the body"
        request = AWSRequest(method="PUT", url=f"{moto.url}/sigv4/{signed_key}?x-id=PutObject", data=body,
                             headers={"x-amz-content-sha256": hashlib.sha256(body).hexdigest()})
        S3SigV4Auth(Credentials("testing", secret), "s3", "us-east-1").add_auth(request)
        return _answer(urllib.request.Request(f"{moto.url}/sigv4/{sent_key}?x-id=PutObject", data=body,
                                              method="PUT", headers=dict(request.headers)))

    assert put("testing", "right.txt", "right.txt")[0] == 200
    status, body = put("not-the-secret", "wrong-secret.txt", "wrong-secret.txt")
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in body
    status, body = put("testing", "signed.txt", "other.txt")
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in body
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="sigv4")["Contents"]}
    assert keys == {"a dir/ü+b&c=d.txt", "right.txt"}
