"""Driften: request ids, JSON logs, Prometheus metrics, the readiness gate and rate limits.

Three pure ASGI middlewares, outermost first (``install(app)`` adds them):

* ``RequestContextMiddleware``: takes the request id from ``X-Request-ID`` (1–128 characters of
  ``A–Z a–z 0–9 . _ -``; anything else is replaced) or makes one, returns it in ``X-Request-ID``, puts it
  on every log line of the request, and counts the request in ``/metrics`` by route template and status.
* ``RateLimitMiddleware``: 429 with ``Retry-After`` before any key is looked up or audited, for
  (1) requests without a key, per client address; (2) keys refused, per client address (after the limit,
  every further keyed request from that address is refused until the window ends, unaudited: 5.000
  made-up keys add at most the limit's number of audit rows); (3) requests per presented key.
  Limits are per minute and per worker process (``FLEXCALC_RATE_LIMIT_*``; 0 turns one off).
* ``ReadinessGate``: a request that needs the database (a key, or a stored-case route) while the
  database is unreachable or not migrated gets 503 problem+json with the reason; nothing migrates here.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import math
import re
import threading
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problem import PROBLEM_JSON
from flexcalc.security.redact import redact
from flexcalc.settings import settings

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("flexcalc_request_id", default=None)
_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

#: Routes that never touch the database (calculations on the rates alone, the service's own pages).
STATELESS_PREFIXES = ("/health", "/ready", "/metrics", "/docs", "/redoc", "/openapi.json", "/static/",
                      "/v1/calculations", "/v1/explanations", "/v1/normal-wage/check", "/v1/parameters",
                      "/v1/reforms", "/v1/scenarios", "/v1/old-scheme/calculations", "/v1/checks",
                      "/v1/self-employed/calculations")
#: Probes and scrapes: never rate limited (monitoring must see an overloaded service).
UNLIMITED_PATHS = ("/health", "/ready", "/metrics")


# --- logs ------------------------------------------------------------------------------------------

class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (CPR-redacted by the record factory and
    again here), request_id, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exception"] = redact(record.exc_text)
        return json.dumps(out, ensure_ascii=False)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = REQUEST_ID.get() or "-"
        return True


def configure_logging() -> None:
    """JSON lines (or text with the request id) on the handlers uvicorn set up and on the root logger."""
    chosen = settings()
    formatter: logging.Formatter = (JsonFormatter() if chosen.log_format == "json" else
                                    logging.Formatter("%(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    if not root.handlers:  # under uvicorn the root logger has none; a host's own (pytest's) are left alone
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        stream.addFilter(RequestIdFilter())
        root.addHandler(stream)
        root.setLevel(chosen.log_level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        for handler in logging.getLogger(name).handlers:
            if chosen.log_format == "json" or name != "uvicorn.access":
                handler.setFormatter(formatter)
            if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
                handler.addFilter(RequestIdFilter())


# --- metrics ---------------------------------------------------------------------------------------

def _metrics() -> dict[str, Any]:
    from prometheus_client import Counter, Histogram

    return {
        "requests": Counter("flexcalc_http_requests_total", "HTTP requests by route template, method and status",
                            ["route", "method", "status"]),
        "latency": Histogram("flexcalc_http_request_duration_seconds", "HTTP request duration by route template",
                             ["route", "method"]),
        "payment_run": Histogram("flexcalc_payment_run_duration_seconds", "Duration of a payment run (POST "
                                 "/v1/payment-runs)", buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)),
        "reconciliation": Histogram("flexcalc_reconciliation_duration_seconds", "Duration of a reconciliation "
                                    "(POST /v1/reconciliations)", buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120)),
        "rate_limited": Counter("flexcalc_rate_limited_total", "Requests refused with 429, by limit", ["limit"]),
    }


_METRICS: dict[str, Any] = {}
_METRICS_LOCK = threading.Lock()


def metrics() -> dict[str, Any]:
    """The process's metric objects (made once: prometheus_client refuses a second registration)."""
    if not _METRICS:
        with _METRICS_LOCK:
            if not _METRICS:
                _METRICS.update(_metrics())
    return _METRICS


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    template = getattr(route, "path", None)
    if template:
        return str(template)
    return "unmatched"  # a 404 or a request refused before routing: never the raw path (it may hold a CPR)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = given if _REQUEST_ID_OK.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route, method = _route_template(scope), scope["method"]
            found = metrics()
            found["requests"].labels(route, method, str(status)).inc()
            found["latency"].labels(route, method).observe(elapsed)
            if method == "POST" and status < 300 and route == "/v1/payment-runs":
                found["payment_run"].observe(elapsed)
            if method == "POST" and status < 300 and route == "/v1/reconciliations":
                found["reconciliation"].observe(elapsed)
            REQUEST_ID.reset(token)


# --- problem answers -------------------------------------------------------------------------------

async def send_problem(send: Send, status: int, title: str, detail: str, detail_da: str,
                       headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail,
                       "detail_da": detail_da}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


# --- readiness -------------------------------------------------------------------------------------

def needs_database(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    if any(k == b"authorization" for k, _ in scope["headers"]):
        return True
    return path.startswith("/v1/") and not path.startswith(STATELESS_PREFIXES)


class SchemaCheck:
    """``schema_problem`` of the configured database, remembered: once ready for a URL it stays ready
    (a running service is not migrated under it); while not ready it is asked again every 2 seconds."""

    RETRY_SECONDS = 2.0

    def __init__(self) -> None:
        self._ready: set[str] = set()
        self._last: dict[str, tuple[float, str | None]] = {}

    def problem(self) -> str | None:
        from flexcalc.ledger.db import database_url, schema_problem

        url = database_url()
        if url in self._ready:
            return None
        last = self._last.get(url)
        if last is not None and time.monotonic() - last[0] < self.RETRY_SECONDS:
            return last[1]
        found = schema_problem(url)
        if found is None:
            self._ready.add(url)
        self._last[url] = (time.monotonic(), found)
        return found

    def clear(self) -> None:
        self._ready.clear()
        self._last.clear()


SCHEMA = SchemaCheck()


class ReadinessGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and needs_database(scope):
            from starlette.concurrency import run_in_threadpool

            problem = await run_in_threadpool(SCHEMA.problem)
            if problem is not None:
                await send_problem(send, 503, "Service unavailable", problem,
                                   "databasen er ikke klar (kør `flexcalc db upgrade`): " + problem,
                                   [(b"retry-after", b"30")])
                return
        await self.app(scope, receive, send)


# --- rate limits -----------------------------------------------------------------------------------

class WindowCounter:
    """Counts per key in fixed one-minute windows (per process)."""

    WINDOW = 60.0

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def _window(self) -> int:
        return int(time.time() // self.WINDOW)

    def count(self, key: str) -> int:
        window = self._window()
        found = self._counts.get(key)
        return found[1] if found and found[0] == window else 0

    def add(self, key: str) -> int:
        window = self._window()
        with self._lock:
            found = self._counts.get(key)
            count = (found[1] if found and found[0] == window else 0) + 1
            if len(self._counts) > 100_000:  # bounded memory: forget old windows
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            self._counts[key] = (window, count)
        return count

    def retry_after(self) -> int:
        return max(1, math.ceil((self._window() + 1) * self.WINDOW - time.time()))

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


ANONYMOUS = WindowCounter()
AUTH_FAILURES = WindowCounter()
PER_KEY = WindowCounter()


def clear_limits() -> None:
    for counter in (ANONYMOUS, AUTH_FAILURES, PER_KEY):
        counter.clear()


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "") in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        import hashlib

        chosen = settings()
        client = (scope.get("client") or ("unknown", 0))[0]
        authorization = next((v for k, v in scope["headers"] if k == b"authorization"), None)
        if authorization is None:
            if chosen.rate_limit_anonymous and ANONYMOUS.add(client) > chosen.rate_limit_anonymous:
                await self._refuse(send, "anonymous", ANONYMOUS, "requests without a key",
                                   "forespørgsler uden nøgle")
                return
            await self.app(scope, receive, send)
            return
        if chosen.rate_limit_auth_failures and AUTH_FAILURES.count(client) >= chosen.rate_limit_auth_failures:
            await self._refuse(send, "auth_failures", AUTH_FAILURES, "refused keys from this address",
                               "afviste nøgler fra denne adresse")
            return
        key = hashlib.sha256(authorization).hexdigest()
        if chosen.rate_limit_key and PER_KEY.add(key) > chosen.rate_limit_key:
            await self._refuse(send, "key", PER_KEY, "requests with this key", "forespørgsler med denne nøgle")
            return

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                AUTH_FAILURES.add(client)
            await send(message)

        await self.app(scope, receive, counting_send)

    @staticmethod
    async def _refuse(send: Send, limit: str, counter: WindowCounter, what: str, what_da: str) -> None:
        metrics()["rate_limited"].labels(limit).inc()
        wait = counter.retry_after()
        await send_problem(send, 429, "Too many requests", f"too many {what}; try again in {wait} s",
                           f"for mange {what_da}; prøv igen om {wait} s", [(b"retry-after", str(wait).encode())])


def install(app: Any) -> None:
    """Add the middlewares around the app's own (last added runs first)."""
    app.add_middleware(ReadinessGate)
    app.add_middleware(RateLimitMiddleware)
    app.add_middleware(RequestContextMiddleware)
    configure_logging()
