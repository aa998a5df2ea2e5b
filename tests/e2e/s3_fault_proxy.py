"""A fault-injecting HTTP proxy on 127.0.0.1 in front of a real S3 server (versitygw), for the
site-sync fault suite (tests/e2e/test_site_sync_faults_versitygw.py). Python standard library,
one thread per connection.

    proxy = S3FaultProxy(gw.url)                  # the plugin talks to proxy.url
    proxy.drop(5, how="reset", match=is_put)      # the next 5 PUTs: connection reset, no answer
    proxy.drop(None, every=7, match=is_put)       # every 7th PUT: connection closed, no answer
    proxy.drop(None, forward=True, match=...)     # the server does the work, its answer is lost
    proxy.slow_down(seconds=3, match=is_put)      # 503 SlowDown for 3 s from the first PUT
    proxy.hold(match=...)                         # keep matching requests until release()
    proxy.requests()                              # what came in, and what each got

Each fault is one way real S3 fails a client (the suite's README lines, with their sources):

* 503 SlowDown: "Please reduce your request rate", HTTP 503, XML `<Error>` body with a Code,
  Message, RequestId and HostId
  (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList); S3 answers
  it "temporarily" while it scales to a new request rate, and "each AWS SDK implements automatic
  retry logic using exponential backoff" (Best practices design patterns: optimizing Amazon S3
  performance, https://docs.aws.amazon.com/whitepapers/latest/s3-optimizing-performance-best-practices/timeouts-and-retries-for-latency-sensitive-applications.html).
* A connection closed or reset with no answer: the same page advises retrying slow or failed
  requests on a new connection; the SDK classes connection errors as transient and retries them
  (aws-smithy-runtime's TransientErrorClassifier: io errors and responses cut short).
* The same after the server did the work (`forward=True`): the answer is lost on the way back, so
  the object exists though the client saw a failure. A PutObject is atomic (S3 "never adds
  partial objects": https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html), so
  whether it landed is all a client cannot know.

Requests are recorded as `Request(method, path, query, outcome)`: `path` percent-decoded, without
the query; `outcome` the status the client got, or "closed", "reset" (dropped: by a fault, or
because the server behind is down, as a killed server's connections are).
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


class Request(NamedTuple):
    method: str
    path: str
    query: str
    outcome: int | str
    injected: bool  # a fault of the proxy's, not the server's answer (nor the server being down)


Match = Callable[[str, str, str], bool]  # (method, path, query) -> whether a fault applies


def is_put(method: str, path: str, query: str) -> bool:
    """A PutObject or an UploadPart: the upload requests."""
    return method == "PUT"


def is_delete(method: str, path: str, query: str) -> bool:
    """DeleteObjects (POST ?delete) or DeleteObject."""
    return method == "DELETE" or (method == "POST" and "delete" in urllib.parse.parse_qs(query, keep_blank_values=True))


@dataclass
class _Fault:
    kind: str  # "close", "reset", "slowdown", "hold"
    match: Match
    remaining: int | None  # faults left to inject; None: no limit
    every: int = 1  # inject on every Nth matching request
    window: float | None = None  # seconds, from the first injection on
    forward: bool = False  # the server gets the request first
    seen: int = 0
    until: float | None = None

    def fires(self, method: str, path: str, query: str) -> bool:
        if self.remaining == 0 or not self.match(method, path, query):
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


class S3FaultProxy:
    """The proxy, on a free port of 127.0.0.1 (`url`), forwarding to UPSTREAM (`http://host:port`)
    until `stop()`."""

    def __init__(self, upstream: str) -> None:
        split = urllib.parse.urlsplit(upstream)
        self.upstream = (split.hostname or "127.0.0.1", split.port or 80)
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
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
    def drop(self, n: int | None, how: str = "close", every: int = 1, forward: bool = False,
             match: Match = lambda *_: True) -> None:
        """Drop the next N requests that MATCH (every one from now on when None; with EVERY, each
        EVERYth of them): the connection is closed (`how="close"`: FIN) or reset (`"reset"`: RST)
        without an answer. FORWARD: the server gets the request first, so only its answer is lost."""
        assert how in ("close", "reset"), how
        self._add(_Fault(how, match, n, every=every, forward=forward))

    def slow_down(self, n: int | None = None, seconds: float | None = None, match: Match = lambda *_: True) -> None:
        """Answer S3's 503 SlowDown to the next N requests that MATCH, or to every one for SECONDS
        from the first of them on."""
        assert n is not None or seconds is not None, "a count or a window"
        self._add(_Fault("slowdown", match, n, window=seconds))

    def hold(self, match: Match, n: int | None = None) -> None:
        """Keep the next N requests that MATCH (all when None) until `release()`; then forward them
        (to a server that may be gone by then)."""
        self._released.clear()
        self._add(_Fault("hold", match, n))

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

    def _add(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take(self, method: str, path: str, query: str) -> _Fault | None:
        with self._lock:
            return next((f for f in self._faults if f.fires(method, path, query)), None)

    # ------------------------------------------------------------ the record
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def injected(self) -> int:
        """Requests that got a fault of the proxy's."""
        return sum(1 for r in self.requests() if r.injected)

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
                if body or self.command in ("PUT", "POST"):
                    headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
                    headers["Content-Length"] = str(len(body))
                # A kept-alive connection to the server may be stale (the server restarted since):
                # then once more on a new one, as a client's connection pool would.
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
                if how == "reset":
                    # Linger 0: close sends RST, not FIN.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()

            def _reply(self, status: int, reason: str, headers: list[tuple[str, str]], data: bytes) -> None:
                self.send_response_only(status, reason)
                bodyless = self.command == "HEAD" or status < 200 or status in (204, 304)
                for name, value in headers:
                    if name.lower() in HOP_BY_HOP or (name.lower() == "content-length" and not bodyless):
                        continue
                    self.send_header(name, value)
                if not bodyless:
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if not bodyless and data:
                    self.wfile.write(data)

            def _slow_down(self, path: str) -> None:
                # S3's error body (ErrorResponses.html): Code, Message, RequestId, HostId.
                request_id = f"FAULTPROXY{next(proxy._ids):06d}"
                data = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
                        "<Message>Please reduce your request rate.</Message>"
                        f"<Resource>{path}</Resource><RequestId>{request_id}</RequestId>"
                        "<HostId>s3-fault-proxy</HostId></Error>").encode()
                self._reply(503, "Slow Down", [("Content-Type", "application/xml"),
                                               ("x-amz-request-id", request_id)], data)

            def _handle(self) -> None:
                body = self._body()
                split = urllib.parse.urlsplit(self.path)
                path, query = urllib.parse.unquote(split.path), split.query
                fault = proxy._take(self.command, path, query)
                if fault is not None and fault.kind == "hold":
                    proxy._held.release()
                    proxy._released.wait()
                    fault = None
                if fault is not None and fault.kind == "slowdown":
                    proxy._record(Request(self.command, path, query, 503, True))
                    self._slow_down(path)
                    return
                if fault is None or fault.forward:
                    try:
                        answer = self._forward(body)
                    except (http.client.HTTPException, OSError):
                        # The server is down (killed): its client sees the connection go.
                        proxy._record(Request(self.command, path, query, "reset", False))
                        self._drop("reset")
                        return
                    if fault is None:
                        proxy._record(Request(self.command, path, query, answer[0], False))
                        self._reply(*answer)
                        return
                proxy._record(Request(self.command, path, query, "closed" if fault.kind == "close" else "reset", True))
                self._drop(fault.kind)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        return Handler
