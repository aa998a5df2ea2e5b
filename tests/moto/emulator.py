"""The S3 + CloudFront emulator for Python tests: moto's server plus a counting,
fault-injecting proxy in front of it, both on 127.0.0.1 in this process.

    with Moto() as moto:
        env = {"AWS_ENDPOINT_URL": moto.url, ...}     # clients under test use the proxy
        s3 = moto.client("s3")                        # boto3, fake credentials, us-east-1
        moto.reset_requests()
        ...                                           # run the code under test
        assert moto.count("PUT") == 1                 # what the proxy forwarded (and injected)
        moto.fail_next(2, status=503, match=lambda method, path: method == "PUT")
        moto.fail_next(1, status=200, code="InternalError", query="uploadId")   # S3's 200 with an error
        moto.invalidations_in_progress("E1...", files=2900)  # other deploys' invalidations
        moto.proxy.drop(1, how="reset")               # any fault of the proxy's own API

`url` is the proxy (requests are recorded; faults are injected there); `moto_url` is
moto itself (not recorded: for set-up traffic that a test should not count, such as
the stand-in provider's buckets). moto has no request log of its own, hence the proxy.
The proxy is tests/moto/s3_fault_proxy.py, the same one the versitygw fault suite puts
in front of a real S3 server; its docstring has each fault's source. This module adds
moto (started in this process), the `fail_next` API the moto tests use, and the rule below.

A recorded request is a `Request(method, path, query, status, injected, headers)`:
`path` is percent-decoded and without the query (`/bucket/assets/app.js`), `query` the
raw query string (`uploads=` / `list-type=2&prefix=a`), `status` what the client got
("closed" or "reset" when its connection went without an answer), `injected` whether
the proxy answered itself (an injected fault, or a rule below that moto does not
enforce), `headers` the request headers with lower-case names.

Besides the faults a test asks for, the proxy enforces rules of the real services that
moto does not (tests/moto/README.md lists them, each with its source):
- S3 checks a signed payload: a request whose x-amz-content-sha256 is a SHA-256 that is not
  the body's is refused with XAmzContentSHA256Mismatch (400), one whose value is neither a
  SHA-256 nor UNSIGNED-PAYLOAD or a STREAMING-... value with InvalidArgument (400). moto
  checks no signature at all.
- S3 checks the signature of a request signed in its Authorization header: one signed with the
  fake credentials whose signature is not what its canonical request computes to is refused
  with SignatureDoesNotMatch (403).
- CloudFront's invalidation limits count across every invalidation in progress on the
  distribution: a CreateInvalidation whose file paths plus those in progress pass 3,000,
  or whose wildcard paths plus those in progress pass 15, is refused with
  TooManyInvalidationsInProgress (400). moto completes an invalidation at once, so what
  is "in progress" is what a test declares with invalidations_in_progress().
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Callable

from s3_fault_proxy import Fault, Request, S3FaultProxy, has_param, is_cloudfront

FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"
REGION = "us-east-1"

# CloudFront's limits on invalidations in progress on one distribution, all requests together:
# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html
MAX_FILE_PATHS_IN_PROGRESS = 3000
MAX_WILDCARD_PATHS_IN_PROGRESS = 15
INVALIDATION_PATH = re.compile(r"^/20\d\d-\d\d-\d\d/distribution/([^/]+)/invalidation$")
# x-amz-content-sha256: the payload's SHA-256 (lowercase hex), or one of these values for an
# unsigned or a chunked payload: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
PAYLOAD_HASH = re.compile(r"^[0-9a-f]{64}$")
PAYLOAD_KINDS = {"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                 "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
                 "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"}


def payload_hash_mismatch(method: str, path: str, headers: dict[str, str], body: bytes, target: str) -> Fault | None:
    """S3's refusal of a request whose x-amz-content-sha256 is not its body's SHA-256 (nor one of
    PAYLOAD_KINDS), else None."""
    claimed = headers.get("x-amz-content-sha256")
    if is_cloudfront(path) or claimed is None or claimed in PAYLOAD_KINDS:
        return None
    if not PAYLOAD_HASH.match(claimed):
        return Fault.answer(400, "InvalidArgument")
    if hashlib.sha256(body).hexdigest() != claimed:
        return Fault.answer(400, "XAmzContentSHA256Mismatch")
    return None


# Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
# SignedHeaders=a;b;c, Signature=HEX
AUTHORIZATION = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,\s*"
                           r"SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$")


def _uri_encode(text: str) -> str:
    """SigV4's encoding of a query name or value: every byte but A-Z a-z 0-9 - _ . ~ as %XX."""
    return urllib.parse.quote(text, safe="-_.~")


def signature_mismatch(method: str, path: str, headers: dict[str, str], body: bytes, target: str) -> Fault | None:
    """S3's refusal (403 SignatureDoesNotMatch) of a request signed in its Authorization header
    with the fake credentials whose signature is not the one the request computes to, else None.
    The canonical request as S3 builds it: the path as sent (S3 encodes once and never
    normalises), the query's names and values decoded, encoded again and sorted, the signed
    headers' values trimmed with inner runs of spaces folded, and x-amz-content-sha256. The request
    line and headers reach here decoded as ISO-8859-1 (http.server): encoded back the same way,
    they are the bytes the client sent."""
    found = AUTHORIZATION.match(headers.get("authorization", ""))
    if is_cloudfront(path) or found is None:
        return None
    access_key, day, region, service, signed, signature = found.groups()
    if access_key != FAKE_ACCESS_KEY or service != "s3":
        return None
    raw_path, _, raw_query = target.partition("?")
    pairs = (pair.partition("=") for pair in raw_query.split("&") if pair)
    query = sorted((_uri_encode(urllib.parse.unquote(k)), _uri_encode(urllib.parse.unquote(v)))
                   for k, _, v in pairs)
    names = signed.split(";")
    canonical = "\n".join([
        method,
        raw_path,
        "&".join(f"{k}={v}" for k, v in query),
        "".join(f"{n}:{' '.join(headers.get(n, '').split())}\n" for n in names),
        signed,
        headers.get("x-amz-content-sha256", hashlib.sha256(body).hexdigest()),
    ])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", headers.get("x-amz-date", ""), scope,
                          hashlib.sha256(canonical.encode("latin-1")).hexdigest()])
    key = f"AWS4{FAKE_SECRET_KEY}".encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    if hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest() != signature:
        return Fault.answer(403, "SignatureDoesNotMatch")
    return None


@dataclass
class _InProgress:
    """Paths of other invalidations in progress on one distribution."""

    files: int = 0
    wildcards: int = 0


class _InvalidationLimits:
    """The proxy's rule for CloudFront's invalidation limits, over what a test declared in progress."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_progress: dict[str, _InProgress] = {}

    def declare(self, distribution_id: str, files: int, wildcards: int) -> None:
        with self._lock:
            self._in_progress[distribution_id] = _InProgress(files, wildcards)

    def clear(self) -> None:
        with self._lock:
            self._in_progress.clear()

    def __call__(self, method: str, path: str, headers: dict[str, str], body: bytes, target: str) -> Fault | None:
        """CloudFront's refusal of a CreateInvalidation that would pass the limits on
        invalidations in progress, else None."""
        found = INVALIDATION_PATH.match(path)
        if method != "POST" or found is None:
            return None
        try:
            paths = [e.text or "" for e in ET.fromstring(body).iter() if e.tag.rsplit("}", 1)[-1] == "Path"]
        except ET.ParseError:
            return None  # moto answers a malformed body itself
        wildcards = sum(1 for p in paths if p.endswith("*"))
        with self._lock:
            busy = self._in_progress.get(found.group(1), _InProgress())
        if (len(paths) - wildcards + busy.files > MAX_FILE_PATHS_IN_PROGRESS
                or wildcards + busy.wildcards > MAX_WILDCARD_PATHS_IN_PROGRESS):
            return Fault.answer(400, "TooManyInvalidationsInProgress")
        return None


class Moto:
    """moto's server and the counting proxy, on 127.0.0.1 free ports, until stopped."""

    def __init__(self) -> None:
        self._moto = None
        self._proxy: S3FaultProxy | None = None
        self._limits = _InvalidationLimits()
        self.moto_url = ""
        self.url = ""

    # ------------------------------------------------------------ life cycle
    def start(self) -> "Moto":
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._moto.start()
        host, port = self._moto.get_host_and_port()
        self.moto_url = f"http://{host}:{port}"
        self._proxy = S3FaultProxy(self.moto_url, rule=self._rules)
        self.url = self._proxy.url
        return self

    def _rules(self, method: str, path: str, headers: dict[str, str], body: bytes, target: str) -> Fault | None:
        """The real services' rules moto does not enforce, for the proxy (module docstring)."""
        return (signature_mismatch(method, path, headers, body, target)
                or payload_hash_mismatch(method, path, headers, body, target)
                or self._limits(method, path, headers, body, target))

    def stop(self) -> None:
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None

    def __enter__(self) -> "Moto":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def proxy(self) -> S3FaultProxy:
        """The proxy itself (tests/moto/s3_fault_proxy.py), for the faults beyond fail_next:
        connections dropped (`drop`), SlowDown windows (`slow_down`), requests held (`hold`)."""
        assert self._proxy is not None, "Moto is not started"
        return self._proxy

    # ------------------------------------------------------------ clients
    def client(self, service: str, direct: bool = False, **kwargs):
        """A boto3 client for SERVICE through the proxy (or straight to moto with
        direct=True, unrecorded), fake credentials, us-east-1, path-style S3."""
        import boto3
        from botocore.config import Config

        kwargs.setdefault("config", Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}))
        return boto3.client(
            service,
            endpoint_url=self.moto_url if direct else self.url,
            aws_access_key_id=FAKE_ACCESS_KEY,
            aws_secret_access_key=FAKE_SECRET_KEY,
            region_name=REGION,
            **kwargs,
        )

    def reset(self) -> None:
        """Empty every moto service (buckets, distributions, ...), the record and the
        faults. Not in the end-to-end tests' shared emulator: the stand-in's buckets
        and distributions of other tests live there too (use reset_requests())."""
        req = urllib.request.Request(f"{self.moto_url}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=30) as resp:
            resp.read()
        self.reset_requests()
        self.clear_faults()

    # ------------------------------------------------------------ the record
    def requests(self) -> list[Request]:
        """Every request the proxy received since the last reset, in order of completion."""
        return self.proxy.requests()

    def reset_requests(self) -> None:
        self.proxy.reset_requests()

    def count(self, method: str | None = None, path_prefix: str = "", query: str | None = None) -> int:
        """How many recorded requests have METHOD (any when None), a path starting
        with PATH_PREFIX, and (when given) QUERY among their query parameters names
        (e.g. "uploads", "list-type")."""
        return self.proxy.count(method, path_prefix, query)

    # ------------------------------------------------------------ faults
    def fail_next(
        self,
        n: int,
        status: int = 503,
        match: Callable[[str, str], bool] | None = None,
        code: str | None = None,
        forward: bool = False,
        query: str | None = None,
    ) -> None:
        """Answer the next N requests that MATCH(method, path) (all when None) and carry
        the QUERY parameter (e.g. "uploadId": CompleteMultipartUpload; any when None)
        with STATUS and an S3-style XML error (`<Error><Code>SlowDown</Code>...` for 503;
        CODE overrides; CloudFront paths get CloudFront's `<ErrorResponse>`). STATUS 200
        is S3's 200 with an error in the body (white space, then `<Error>`), as
        CompleteMultipartUpload may answer. With forward=True the request still reaches
        moto first (the client sees an error for an operation that happened). Rules
        apply in the order they were added."""

        def matches(method: str, path: str, raw_query: str) -> bool:
            return ((query is None or has_param(raw_query, query))
                    and (match is None or match(method, path)))

        self.proxy.fail(n, status, code=code, forward=forward, match=matches)

    def invalidations_in_progress(self, distribution_id: str, files: int = 0, wildcards: int = 0) -> None:
        """Declare FILES file paths and WILDCARDS wildcard paths of other invalidations in
        progress on DISTRIBUTION_ID (until reset or declared again): a CreateInvalidation
        that would pass CloudFront's limits with them is refused with
        TooManyInvalidationsInProgress."""
        self._limits.declare(distribution_id, files, wildcards)

    def faults_left(self) -> int:
        return self.proxy.faults_left()

    def clear_faults(self) -> None:
        """Forget the faults and the declared invalidations in progress."""
        self.proxy.clear()
        self._limits.clear()
