"""The S3 + CloudFront emulator for Python tests: moto's server plus a counting,
fault-injecting proxy in front of it, both on 127.0.0.1 in this process.

    with Moto() as moto:
        env = {"AWS_ENDPOINT_URL": moto.url, ...}     # clients under test use the proxy
        s3 = moto.client("s3")                        # boto3, fake credentials, us-east-1
        moto.reset_requests()
        ...                                           # run the code under test
        assert moto.count("PUT") == 1                 # what the proxy forwarded (and injected)
        moto.fail_next(2, status=503, match=lambda method, path: method == "PUT")

`url` is the proxy (requests are recorded; faults are injected there); `moto_url` is
moto itself (not recorded: for set-up traffic that a test should not count, such as
the stand-in provider's buckets). moto has no request log of its own, hence the proxy.

A recorded request is a `Request(method, path, query, status, injected, headers)`:
`path` is percent-decoded and without the query (`/bucket/assets/app.js`), `query` the
raw query string (`uploads=` / `list-type=2&prefix=a`), `status` what the client got,
`injected` whether the proxy answered with an injected fault, `headers` the request
headers with lower-case names.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import urllib.parse
import urllib.request
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


@dataclass
class _State:
    upstream: tuple[str, int]
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[Request] = field(default_factory=list)
    faults: list[_Fault] = field(default_factory=list)
    ids: itertools.count = field(default_factory=itertools.count)

    def take_fault(self, method: str, path: str) -> _Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and (fault.match is None or fault.match(method, path)):
                    fault.remaining -= 1
                    return fault
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
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
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
            fault = state.take_fault(self.command, path)
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
    ) -> None:
        """Answer the next N requests that MATCH(method, path) (all when None) with
        STATUS and an S3-style XML error (`<Error><Code>SlowDown</Code>...` for 503;
        CODE overrides; CloudFront paths get CloudFront's `<ErrorResponse>`). With
        forward=True the request still reaches moto first (the client sees an error
        for an operation that happened). Rules apply in the order they were added."""
        assert self._state is not None, "Moto is not started"
        with self._state.lock:
            self._state.faults.append(_Fault(n, status, code, match, forward))

    def faults_left(self) -> int:
        assert self._state is not None, "Moto is not started"
        with self._state.lock:
            return sum(f.remaining for f in self._state.faults)

    def clear_faults(self) -> None:
        assert self._state is not None, "Moto is not started"
        with self._state.lock:
            self._state.faults.clear()
