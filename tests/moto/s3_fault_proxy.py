"""A recording, fault-injecting HTTP proxy on 127.0.0.1 in front of an S3 (and CloudFront) server:
moto's (tests/moto/emulator.py, whose `Moto` starts one) or a real one, versitygw (the site-sync
fault suite, tests/e2e/test_site_sync_faults_versitygw.py). Python standard library, one thread
per connection.

    proxy = S3FaultProxy(server_url)              # clients under test talk to proxy.url
    proxy.fail(2, 503, match=is_put)              # the next 2 PUTs: 503 SlowDown, never forwarded
    proxy.fail(1, 500, forward=True)              # the server does the work, the client sees 500
    proxy.drop(5, how="reset", match=is_put)      # the next 5 PUTs: connection reset, no answer
    proxy.drop(None, every=7, match=is_put)       # every 7th PUT: connection closed, no answer
    proxy.drop(None, forward=True, match=...)     # the server does the work, its answer is lost
    proxy.slow_down(seconds=3, match=is_put)      # 503 SlowDown for 3 s from the first PUT
    proxy.hold(match=...)                         # keep matching requests until release()
    proxy.requests()                              # what came in, and what each got

A match is `match(method, path, query)`: `path` percent-decoded and without the query
(`/bucket/assets/app.js`), `query` the raw query string (`uploads=`, `list-type=2&prefix=a`).
Faults apply in the order they were added; the first whose match takes a request has it.

Each fault is one way the real service fails a client:

* An error answer (`fail`): S3's XML `<Error>` body with a Code, Message, Resource, RequestId and
  HostId, the code by status unless given (503 SlowDown, 500 InternalError, 403 AccessDenied, ...:
  https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList); CloudFront's
  paths (`/2020-05-31/distribution/...`) get CloudFront's `<ErrorResponse>` and its codes
  (https://docs.aws.amazon.com/cloudfront/latest/APIReference/CommonErrors.html). Status 200 is
  S3's 200 with an error in the body: CompleteMultipartUpload (and CopyObject) answer 200 before
  they finish, then white space to keep the connection open, then the outcome ("a 200 OK response
  can contain either a success or an error",
  https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).
* 503 SlowDown (`slow_down`, or `fail(n, 503)`): "Please reduce your request rate" (the error list
  above); S3 answers it "temporarily" while it scales to a new request rate, and "each AWS SDK
  implements automatic retry logic using exponential backoff" (Best practices design patterns:
  optimizing Amazon S3 performance, https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/timeouts-and-retries-for-latency-sensitive-applications.html).
  A window (`seconds`) is a few seconds of S3 scaling a prefix: every matching request gets it.
* A connection closed or reset with no answer (`drop`): the same page advises retrying slow or
  failed requests on a new connection; the SDK classes connection errors as transient and retries
  them (aws-smithy-runtime's TransientErrorClassifier: io errors and responses cut short).
* Any of these after the server did the work (`forward=True`): the answer is lost (or is an error)
  on the way back, so the operation happened though the client saw a failure. A PutObject is
  atomic (S3 "never adds partial objects":
  https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html), so whether it landed is all
  a client cannot know.
* A request held (`hold`) until the test says (`release`): to take the server away while the
  request is in flight; then it is forwarded, to a server that may be gone.

A rule of the real service that the server behind does not enforce can be given as `rule`
(emulator.py's: S3's signature and payload hash, CloudFront's invalidation limits): called with
(method, path, headers with lower-case names, body, the request-target as sent) for each request
no fault took, it returns the error to answer instead of the server (`Fault.answer`), or None.

Requests are recorded as `Request(method, path, query, status, injected, headers)`: `status` the
status the client got, or "closed", "reset" (dropped: by a fault, or because the server behind
is down, as a killed server's connections are); `injected` whether the proxy answered (or
dropped) itself rather than the server; `headers` the request's, with lower-case names.
"""

from __future__ import annotations

import http.client
import itertools
import socket
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, NamedTuple

# Headers of one connection, not of the request (RFC 9110 7.6.1), and Expect (the proxy answers
# 100-continue itself).
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
              "trailer", "transfer-encoding", "upgrade", "expect"}

# Error codes by status when a fault names none (ErrorResponses.html; CommonErrors.html).
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
# S3's own message where a client or a reader may look for it (ErrorResponses.html).
S3_MESSAGES = {"SlowDown": "Please reduce your request rate."}
INJECTED = "injected by tests/moto/s3_fault_proxy.py"

# Fault kinds.
ERROR, CLOSE, RESET, HOLD = "error", "close", "reset", "hold"


class Request(NamedTuple):
    method: str
    path: str
    query: str
    status: int | str  # what the client got: a status, or "closed" / "reset" (no answer)
    injected: bool  # a fault of the proxy's (or its rule), not the server's answer nor the server being down
    headers: dict


Match = Callable[[str, str, str], bool]  # (method, path, query) -> whether a fault applies


def any_request(method: str, path: str, query: str) -> bool:
    return True


def is_put(method: str, path: str, query: str) -> bool:
    """A PutObject or an UploadPart: the upload requests."""
    return method == "PUT"


def is_delete(method: str, path: str, query: str) -> bool:
    """DeleteObjects (POST ?delete) or DeleteObject."""
    return method == "DELETE" or (method == "POST" and has_param(query, "delete"))


def has_param(query: str, name: str) -> bool:
    """Whether the raw QUERY string carries the parameter NAME (with or without a value)."""
    return name in urllib.parse.parse_qs(query, keep_blank_values=True)


@dataclass
class Fault:
    kind: str  # ERROR, CLOSE, RESET or HOLD
    match: Match
    remaining: int | None  # faults left to inject; None: no limit
    status: int = 0  # ERROR: the status answered
    code: str | None = None  # ERROR: the error code (None: by status and service)
    every: int = 1  # inject on every Nth matching request
    window: float | None = None  # seconds, from the first injection on
    forward: bool = False  # the server gets the request first
    seen: int = 0
    until: float | None = None

    @classmethod
    def answer(cls, status: int, code: str) -> "Fault":
        """The error answer of a rule (a refusal), in place of the server's."""
        return cls(ERROR, any_request, 0, status=status, code=code)

    def fires(self, method: str, path: str, query: str) -> bool:
        if (self.remaining is not None and self.remaining <= 0) or not self.match(method, path, query):
            return False
        if self.until is not None and time.monotonic() > self.until:
            return False
        self.seen += 1
        if self.seen % self.every:
            return False
        if self.window is not None and self.until is None:
            self.until = time.monotonic() + self.window
        if self.remaining is not None:
            self.remaining -= 1
        return True


def is_cloudfront(path: str) -> bool:
    """CloudFront's REST paths: /2020-05-31/distribution/..."""
    return path.startswith("/20") and "/distribution" in path


def error_body(status: int, code: str | None, path: str, request_id: str) -> tuple[bytes, str]:
    """The XML body of an error answer, in the shape of the service PATH belongs to, and its code."""
    if is_cloudfront(path):
        code = code or CLOUDFRONT_CODES.get(status, "ServiceUnavailable")
        body = (
            '<?xml version="1.0"?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
            f"<Error><Type>{'Receiver' if status >= 500 else 'Sender'}</Type><Code>{code}</Code>"
            f"<Message>{INJECTED}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
    else:
        code = code or S3_CODES.get(status, "InternalError")
        # With 200, S3 has answered before it finished (CompleteMultipartUpload, CopyObject): the
        # XML declaration, white space sent to keep the connection open, then the outcome: here,
        # an error.
        keep_alive = "\n" + " \n" * 3 if status == 200 else ""
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n{keep_alive}'
            f"<Error><Code>{code}</Code><Message>{S3_MESSAGES.get(code, INJECTED)}</Message>"
            f"<Resource>{path}</Resource><RequestId>{request_id}</RequestId>"
            "<HostId>s3-fault-proxy</HostId></Error>"
        )
    return body.encode(), code


# (method, path, headers with lower-case names, body, the request-target as sent: path and query
# still encoded) -> a refusal, or None
Rule = Callable[[str, str, dict[str, str], bytes, str], "Fault | None"]


class S3FaultProxy:
    """The proxy, on a free port of 127.0.0.1 (`url`), forwarding to UPSTREAM (`http://host:port`)
    until `stop()`; RULE, when given, refuses what the server behind would wrongly accept."""

    def __init__(self, upstream: str, rule: Rule | None = None) -> None:
        split = urllib.parse.urlsplit(upstream)
        self.upstream = (split.hostname or "127.0.0.1", split.port or 80)
        self._rule = rule
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._requests: list[Request] = []
        self._released = threading.Event()
        self._held = threading.Semaphore(0)
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="s3-fault-proxy", daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------ faults
    def fail(self, n: int | None, status: int = 503, code: str | None = None, forward: bool = False,
             match: Match = any_request) -> None:
        """Answer the next N requests that MATCH (every one from now on when None) with STATUS and
        the service's XML error: CODE, or the code of STATUS (S3_CODES, CLOUDFRONT_CODES). STATUS
        200 is S3's 200 with an error in the body. FORWARD: the server gets the request first (the
        client sees an error for an operation that happened)."""
        self._add(Fault(ERROR, match, n, status=status, code=code, forward=forward))

    def drop(self, n: int | None, how: str = "close", every: int = 1, forward: bool = False,
             match: Match = any_request) -> None:
        """Drop the next N requests that MATCH (every one from now on when None; with EVERY, each
        EVERYth of them): the connection is closed (`how="close"`: FIN) or reset (`"reset"`: RST)
        without an answer. FORWARD: the server gets the request first, so only its answer is lost."""
        assert how in (CLOSE, RESET), how
        self._add(Fault(how, match, n, every=every, forward=forward))

    def slow_down(self, n: int | None = None, seconds: float | None = None, match: Match = any_request) -> None:
        """Answer S3's 503 SlowDown to the next N requests that MATCH, or to every one for SECONDS
        from the first of them on."""
        assert n is not None or seconds is not None, "a count or a window"
        self._add(Fault(ERROR, match, n, status=503, code="SlowDown", window=seconds))

    def hold(self, match: Match, n: int | None = None) -> None:
        """Keep the next N requests that MATCH (all when None) until `release()`; then forward them
        (to a server that may be gone by then)."""
        self._released.clear()
        self._add(Fault(HOLD, match, n))

    def wait_held(self, timeout: float) -> bool:
        """Whether a request was held within TIMEOUT seconds."""
        return self._held.acquire(timeout=timeout)

    def release(self) -> None:
        self._released.set()

    def clear(self) -> None:
        """No more faults; held requests go on."""
        with self._lock:
            self._faults.clear()
        self._released.set()

    def faults_left(self) -> int:
        """How many faults with a count are still to be injected."""
        with self._lock:
            return sum(f.remaining for f in self._faults if f.remaining is not None)

    def _add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take(self, method: str, path: str, query: str) -> Fault | None:
        with self._lock:
            return next((f for f in self._faults if f.fires(method, path, query)), None)

    # ------------------------------------------------------------ the record
    def requests(self) -> list[Request]:
        """Every request since the last reset, in order of completion."""
        with self._lock:
            return list(self._requests)

    def reset_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def injected(self) -> int:
        """Requests that got a fault of the proxy's."""
        return sum(1 for r in self.requests() if r.injected)

    def count(self, method: str | None = None, path_prefix: str = "", query: str | None = None) -> int:
        """How many recorded requests have METHOD (any when None), a path starting with
        PATH_PREFIX, and (when given) QUERY among their query parameters' names (e.g. "uploads",
        "list-type")."""
        return sum(1 for r in self.requests()
                   if (method is None or r.method == method.upper()) and r.path.startswith(path_prefix)
                   and (query is None or has_param(r.query, query)))

    def _record(self, request: Request) -> None:
        with self._lock:
            self._requests.append(request)

    # ------------------------------------------------------------ the handler
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            upstream: http.client.HTTPConnection | None = None

            def log_message(self, format, *args):  # noqa: A002 - quiet
                pass

            def _body(self) -> bytes:
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    chunks = []
                    while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _forward(self, body: bytes) -> tuple[int, str, list[tuple[str, str]], bytes]:
                # The Host header goes as it came: the client's signature covers it.
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                if body or self.command in ("PUT", "POST", "PATCH"):
                    headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
                    headers["Content-Length"] = str(len(body))
                # A kept-alive connection to the server may be stale (the server restarted since, or
                # closed an idle one): then once more on a new one, as a client's connection pool would.
                reused = self.upstream is not None
                while True:
                    if self.upstream is None:
                        self.upstream = http.client.HTTPConnection(*proxy.upstream, timeout=300)
                    try:
                        self.upstream.request(self.command, self.path, body=body, headers=headers)
                        resp = self.upstream.getresponse()
                        data = resp.read()
                        break
                    except (http.client.HTTPException, OSError):
                        self.upstream.close()
                        self.upstream = None
                        if not reused:
                            raise
                        reused = False
                if resp.will_close:
                    self.upstream.close()
                    self.upstream = None
                return resp.status, resp.reason, resp.getheaders(), data

            def _drop(self, how: str) -> None:
                self.close_connection = True
                if how == RESET:
                    # Linger 0: close sends RST, not FIN.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()

            def _reply(self, status: int, reason: str, headers: list[tuple[str, str]], data: bytes) -> None:
                self.send_response_only(status, reason)
                no_body = status < 200 or status in (204, 304)
                # A HEAD answer tells the length of what a GET would get: the server's, else 0.
                length = None if no_body else "0" if self.command == "HEAD" else str(len(data))
                for name, value in headers:
                    if name.lower() == "content-length":
                        if self.command == "HEAD":
                            length = value
                    elif name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                if length is not None:
                    self.send_header("Content-Length", length)
                self.end_headers()
                if self.command != "HEAD" and not no_body and data:
                    self.wfile.write(data)

            def _error(self, fault: Fault, path: str) -> None:
                request_id = f"FAULTPROXY{next(proxy._ids):06d}"
                data, code = error_body(fault.status, fault.code, path, request_id)
                reason = "Slow Down" if code == "SlowDown" else http.client.responses.get(fault.status, "Error")
                self._reply(fault.status, reason, [("Content-Type", "application/xml"),
                                                   ("x-amz-request-id", request_id)], data)

            def _handle(self) -> None:
                body = self._body()
                split = urllib.parse.urlsplit(self.path)
                path, query = urllib.parse.unquote(split.path), split.query
                headers = {k.lower(): v for k, v in self.headers.items()}

                def record(status: int | str, injected: bool) -> None:
                    proxy._record(Request(self.command, path, query, status, injected, headers))

                fault = proxy._take(self.command, path, query)
                if fault is not None and fault.kind == HOLD:
                    proxy._held.release()
                    proxy._released.wait()
                    fault = None
                if fault is None and proxy._rule is not None:
                    fault = proxy._rule(self.command, path, headers, body, self.path)
                if fault is None or fault.forward:
                    try:
                        answer = self._forward(body)
                    except (http.client.HTTPException, OSError):
                        # The server is down (killed): its client sees the connection go.
                        record(RESET, False)
                        self._drop(RESET)
                        return
                    if fault is None:
                        record(answer[0], False)
                        self._reply(*answer)
                        return
                if fault.kind == ERROR:
                    record(fault.status, True)
                    self._error(fault, path)
                else:
                    record("closed" if fault.kind == CLOSE else RESET, True)
                    self._drop(fault.kind)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _handle

        return Handler
