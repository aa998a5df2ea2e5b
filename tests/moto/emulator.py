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

`url` is the proxy (requests are recorded; faults are injected there); `moto_url` is
moto itself (not recorded: for set-up traffic that a test should not count, such as
the stand-in provider's buckets). moto has no request log of its own, hence the proxy.

A recorded request is a `Request(method, path, query, status, injected, headers)`:
`path` is percent-decoded and without the query (`/bucket/assets/app.js`), `query` the
raw query string (`uploads=` / `list-type=2&prefix=a`), `status` what the client got,
`injected` whether the proxy answered itself (an injected fault, or a rule below that
moto does not enforce), `headers` the request headers with lower-case names.

Besides the faults a test asks for, the proxy enforces rules of the real services that
moto does not (tests/moto/README.md lists them, each with its source):
- CloudFront's invalidation limits count across every invalidation in progress on the
  distribution: a CreateInvalidation whose file paths plus those in progress pass 3,000,
  or whose wildcard paths plus those in progress pass 15, is refused with
  TooManyInvalidationsInProgress (400). moto completes an invalidation at once, so what
  is "in progress" is what a test declares with invalidations_in_progress().
"""

from __future__ import annotations

import http.client
import itertools
import re
import threading
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, NamedTuple

FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"
REGION = "us-east-1"

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "expect",
}

# S3 error codes for injected statuses (CloudFront requests get CloudFront's).
S3_CODES = {
    400: "InvalidRequest",
    403: "AccessDenied",
    404: "NoSuchKey",
    409: "OperationAborted",
    429: "TooManyRequests",
    500: "InternalError",
    503: "SlowDown",
}
CLOUDFRONT_CODES = {400: "InvalidArgument", 403: "AccessDenied", 429: "Throttling", 500: "ServiceUnavailable",
                    503: "Throttling"}

# CloudFront's limits on invalidations in progress on one distribution, all requests together:
# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html
MAX_FILE_PATHS_IN_PROGRESS = 3000
MAX_WILDCARD_PATHS_IN_PROGRESS = 15
INVALIDATION_PATH = re.compile(r"^/20\d\d-\d\d-\d\d/distribution/([^/]+)/invalidation$")


class Request(NamedTuple):
    method: str
    path: str
    query: str
    status: int
    injected: bool
    headers: dict


@dataclass
class _Fault:
    remaining: int
    status: int
    code: str | None
    match: Callable[[str, str], bool] | None
    forward: bool
    query: str | None = None

    def applies(self, method: str, path: str, query: str) -> bool:
        if self.remaining <= 0:
            return False
        if self.query is not None and self.query not in urllib.parse.parse_qs(query, keep_blank_values=True):
            return False
        return self.match is None or self.match(method, path)


@dataclass
class _InProgress:
    """Paths of other invalidations in progress on one distribution."""

    files: int = 0
    wildcards: int = 0


@dataclass
class _State:
    upstream: tuple[str, int]
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[Request] = field(default_factory=list)
    faults: list[_Fault] = field(default_factory=list)
    in_progress: dict[str, _InProgress] = field(default_factory=dict)
    ids: itertools.count = field(default_factory=itertools.count)

    def take_fault(self, method: str, path: str, query: str) -> _Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.applies(method, path, query):
                    fault.remaining -= 1
                    return fault
        return None

    def refuse_invalidation(self, method: str, path: str, body: bytes) -> _Fault | None:
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
        with self.lock:
            busy = self.in_progress.get(found.group(1), _InProgress())
        if (len(paths) - wildcards + busy.files > MAX_FILE_PATHS_IN_PROGRESS
                or wildcards + busy.wildcards > MAX_WILDCARD_PATHS_IN_PROGRESS):
            return _Fault(0, 400, "TooManyInvalidationsInProgress", None, False)
        return None


def _error_body(fault: _Fault, path: str, request_id: str) -> tuple[bytes, str]:
    if path.startswith("/20") and "/distribution" in path:  # CloudFront: /2020-05-31/distribution/...
        code = fault.code or CLOUDFRONT_CODES.get(fault.status, "ServiceUnavailable")
        body = (
            '<?xml version="1.0"?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
            f"<Error><Type>{'Receiver' if fault.status >= 500 else 'Sender'}</Type><Code>{code}</Code>"
            f"<Message>injected by tests/moto/emulator.py</Message></Error><RequestId>{request_id}</RequestId>"
            "</ErrorResponse>"
        )
    else:
        code = fault.code or S3_CODES.get(fault.status, "InternalError")
        # With 200, S3 has answered before it finished (CompleteMultipartUpload, CopyObject):
        # the XML declaration, white space sent to keep the connection open, then the
        # outcome: here, an error.
        keep_alive = "\n" + " \n" * 3 if fault.status == 200 else ""
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n{keep_alive}'
            f"<Error><Code>{code}</Code><Message>injected by tests/moto/emulator.py</Message>"
            f"<Resource>{path}</Resource><RequestId>{request_id}</RequestId></Error>"
        )
    return body.encode(), code


def _make_handler(state: _State) -> type[BaseHTTPRequestHandler]:
    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        upstream_conn: http.client.HTTPConnection | None = None

        def log_message(self, format, *args):  # noqa: A002 - quiet
            pass

        def _read_body(self) -> bytes:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass  # trailers
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _forward(self, body: bytes) -> tuple[int, str, list[tuple[str, str]], bytes]:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            if body or self.command in ("PUT", "POST", "PATCH"):
                headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
                headers["Content-Length"] = str(len(body))
            for attempt in (1, 2):
                if self.upstream_conn is None:
                    self.upstream_conn = http.client.HTTPConnection(*state.upstream, timeout=300)
                try:
                    self.upstream_conn.request(self.command, self.path, body=body, headers=headers)
                    resp = self.upstream_conn.getresponse()
                    data = resp.read()
                    if resp.will_close:
                        self.upstream_conn.close()
                        self.upstream_conn = None
                    return resp.status, resp.reason, resp.getheaders(), data
                except (http.client.HTTPException, ConnectionError, OSError):
                    if self.upstream_conn is not None:
                        self.upstream_conn.close()
                    self.upstream_conn = None
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

        def _reply(self, status: int, reason: str, headers: list[tuple[str, str]], data: bytes) -> None:
            self.send_response_only(status, reason)
            length_sent = False
            for name, value in headers:
                lname = name.lower()
                if lname in HOP_BY_HOP:
                    continue
                if lname == "content-length":
                    if self.command == "HEAD":
                        self.send_header(name, value)
                        length_sent = True
                    continue
                self.send_header(name, value)
            if self.command != "HEAD" and not (status < 200 or status in (204, 304)):
                self.send_header("Content-Length", str(len(data)))
            elif self.command == "HEAD" and not length_sent and status not in (204, 304):
                self.send_header("Content-Length", "0")
            self.end_headers()
            if self.command != "HEAD" and data and not (status < 200 or status in (204, 304)):
                self.wfile.write(data)

        def _handle(self) -> None:
            body = self._read_body()
            split = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(split.path)
            fault = state.take_fault(self.command, path, split.query) or state.refuse_invalidation(
                self.command, path, body)
            injected = fault is not None
            try:
                if fault is None or fault.forward:
                    status, reason, headers, data = self._forward(body)
                if fault is not None:
                    request_id = f"injected-{next(state.ids)}"
                    data, _ = _error_body(fault, path, request_id)
                    status, reason = fault.status, http.client.responses.get(fault.status, "Error")
                    headers = [("Content-Type", "application/xml"), ("x-amz-request-id", request_id)]
                    if fault.status in (429, 503):
                        headers.append(("Retry-After", "0"))
            except Exception as exc:  # moto unreachable: tell the client plainly
                status, reason = 502, "Bad Gateway"
                data = f"tests/moto/emulator.py proxy: upstream moto failed: {exc!r}\n".encode()
                headers = [("Content-Type", "text/plain")]
            with state.lock:
                state.requests.append(
                    Request(self.command, path, split.query, status, injected,
                            {k.lower(): v for k, v in self.headers.items()})
                )
            self._reply(status, reason, headers, data)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _handle

    return Proxy


class Moto:
    """moto's server and the counting proxy, on 127.0.0.1 free ports, until stopped."""

    def __init__(self) -> None:
        self._moto = None
        self._proxy: ThreadingHTTPServer | None = None
        self._state: _State | None = None
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
        self._state = _State(upstream=(host, port))
        self._proxy = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self._state))
        self._proxy.daemon_threads = True
        threading.Thread(target=self._proxy.serve_forever, name="moto-proxy", daemon=True).start()
        self.url = f"http://127.0.0.1:{self._proxy.server_address[1]}"
        return self

    def stop(self) -> None:
        if self._proxy is not None:
            self._proxy.shutdown()
            self._proxy.server_close()
            self._proxy = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None

    def __enter__(self) -> "Moto":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

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
        assert self._state is not None, "Moto is not started"
        with self._state.lock:
            return list(self._state.requests)

    def reset_requests(self) -> None:
        assert self._state is not None, "Moto is not started"
        with self._state.lock:
            self._state.requests.clear()

    def count(self, method: str | None = None, path_prefix: str = "", query: str | None = None) -> int:
        """How many recorded requests have METHOD (any when None), a path starting
        with PATH_PREFIX, and (when given) QUERY among their query parameters names
        (e.g. "uploads", "list-type")."""
        n = 0
        for r in self.requests():
            if method is not None and r.method != method.upper():
                continue
            if not r.path.startswith(path_prefix):
                continue
            if query is not None and query not in urllib.parse.parse_qs(r.query, keep_blank_values=True):
                continue
            n += 1
        return n

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
        assert self._state is not None, "Moto is not started"
        with self._state.lock:
            self._state.faults.append(_Fault(n, status, code, match, forward, query))

    def invalidations_in_progress(self, distribution_id: str, files: int = 0, wildcards: int = 0) -> None:
        """Declare FILES file paths and WILDCARDS wildcard paths of other invalidations in
        progress on DISTRIBUTION_ID (until reset or declared again): a CreateInvalidation
        that would pass CloudFront's limits with them is refused with
        TooManyInvalidationsInProgress."""
        assert self._state is not None, "Moto is not started"
        with self._state.lock:
            self._state.in_progress[distribution_id] = _InProgress(files, wildcards)

    def faults_left(self) -> int:
        assert self._state is not None, "Moto is not started"
        with self._state.lock:
            return sum(f.remaining for f in self._state.faults)

    def clear_faults(self) -> None:
        """Forget the faults and the declared invalidations in progress."""
        assert self._state is not None, "Moto is not started"
        with self._state.lock:
            self._state.faults.clear()
            self._state.in_progress.clear()
