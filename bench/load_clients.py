"""The clients of ``bench.load``: signing in through the form, wrk, and an asyncio HTTP client.

Askwell in production sets its cookies ``Secure``; over plain http on loopback no cookie jar
would send them back, so every client here carries its cookies and CSRF token by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx2 as httpx

SESSION_COOKIE = "askwell_session"
PRE_SESSION_COOKIE = "askwell_presession"
REQUEST_TIMEOUT_SECONDS = 30.0
WRK_MARKER = "BENCH-JSON "


@dataclass(frozen=True)
class Account:
    """A signed-in person as a client sees them: their cookie and their session's CSRF token."""

    email: str
    cookie: str
    csrf_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Cookie": self.cookie}


@dataclass
class LoadResult:
    """What one driven figure came to; latencies in milliseconds."""

    tool: str
    seconds: float
    requests: int
    ok: int
    errors: dict[str, int]
    p50_ms: float | None
    p99_ms: float | None
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def requests_per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "seconds": round(self.seconds, 3),
            "requests": self.requests,
            "ok": self.ok,
            "requests_per_second": round(self.requests_per_second, 1),
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "errors": self.errors,
            "statuses": self.statuses,
        }


def _cookies_set(response: httpx.Response) -> dict[str, str]:
    """The cookies a response sets (read from the headers: a jar would drop Secure ones)."""
    cookies = {}
    for header in response.headers.get_list("set-cookie"):
        name, _, value = header.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip().strip('"')
    return cookies


def csrf_token_in(page: str) -> str | None:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def get_page(base_url: str, path: str, account: Account | None = None) -> httpx.Response:
    """One GET on a fresh connection, never following a redirect."""
    headers = account.headers if account else {}
    return httpx.get(base_url + path, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS)


def sign_in(base_url: str, email: str, password: str) -> Account:
    """Sign in as a browser would: fetch the form, post it with its token, keep the cookie."""
    form = httpx.get(f"{base_url}/sign-in", timeout=REQUEST_TIMEOUT_SECONDS)
    form.raise_for_status()
    pre_session = _cookies_set(form).get(PRE_SESSION_COOKIE)
    token = csrf_token_in(form.text)
    if not pre_session or not token:
        raise RuntimeError("the sign-in page gave no pre-session cookie or CSRF token")
    answer = httpx.post(
        f"{base_url}/sign-in",
        headers={"Cookie": f"{PRE_SESSION_COOKIE}={pre_session}"},
        data={"csrf_token": token, "email": email, "password": password, "next": "/"},
        timeout=REQUEST_TIMEOUT_SECONDS,
    )
    session = _cookies_set(answer).get(SESSION_COOKIE)
    if answer.status_code != 303 or not session:
        raise RuntimeError(f"signing in as {email} answered {answer.status_code}")
    cookie = f"{SESSION_COOKIE}={session}"
    home = httpx.get(f"{base_url}/", headers={"Cookie": cookie}, timeout=REQUEST_TIMEOUT_SECONDS)
    home.raise_for_status()
    session_token = csrf_token_in(home.text)
    if not session_token:
        raise RuntimeError("the signed-in home page carries no CSRF token")
    return Account(email=email, cookie=cookie, csrf_token=session_token)


def links_in(page: str, pattern: str) -> list[str]:
    """Every distinct href matching ``pattern`` (a regular expression), in page order."""
    found = re.findall(r'href="(' + pattern + r')"', page)
    return list(dict.fromkeys(html.unescape(link) for link in found))


def quiz_answers(page: str) -> list[tuple[str, str]]:
    """One answer per question of a quiz form: the first option of each (right or wrong,
    it is a write all the same)."""
    answers: dict[str, str] = {}
    for tag in re.findall(r"<input [^>]*>", page):
        kind = re.search(r'type="(radio|checkbox)"', tag)
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]+)"', tag)
        if kind and name and value:
            answers.setdefault(html.unescape(name.group(1)), html.unescape(value.group(1)))
    return list(answers.items())


def warm_up(base_url: str, path: str, headers: dict[str, str], requests: int = 20) -> None:
    """A few requests on fresh connections, so both workers have compiled their templates."""
    for _ in range(requests):
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(base_url + path, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS)


# --- wrk -------------------------------------------------------------------------------------

WRK_SCRIPT = """
{setup}
local threads = {{}}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  statuses = {{}}
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local counts = {{}}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {{}}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    '{marker}{{"duration_us": %d, "requests": %d, "p50_us": %d, "p99_us": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, "statuses": {{%s}}}}\\n',
    summary.duration, summary.requests, latency:percentile(50), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.timeout, table.concat(parts, ", ")))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(value: str) -> str:
    """A double-quoted Lua string literal: anything not plainly printable as a decimal escape."""
    escaped = "".join(
        character
        if character.isascii() and character.isprintable() and character not in '"\\'
        else "".join(f"\\{byte:03d}" for byte in character.encode())
        for character in value
    )
    return f'"{escaped}"'


def run_wrk(
    url: str,
    *,
    duration: float,
    connections: int,
    threads: int,
    headers: dict[str, str] | None = None,
    form: list[tuple[str, str]] | None = None,
) -> LoadResult:
    """``wrk -t{threads} -c{connections}``: a GET, or a POST of ``form`` when one is given."""
    lines = [
        f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in (headers or {}).items()
    ]
    if form is not None:
        lines += [
            'wrk.method = "POST"',
            f"wrk.body = {_lua_string(urlencode(form))}",
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
        ]
    script = WRK_SCRIPT.format(setup="\n".join(lines), marker=WRK_MARKER)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:
        completed = subprocess.run(  # noqa: S603 - wrk with our own arguments
            [
                shutil.which("wrk") or "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                f"--timeout={REQUEST_TIMEOUT_SECONDS:.0f}s",
                "-s",
                file.name,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=duration + REQUEST_TIMEOUT_SECONDS + 30,
            check=False,
        )
    finally:
        Path(file.name).unlink(missing_ok=True)
    line = next(
        (x for x in completed.stdout.splitlines() if x.startswith(WRK_MARKER)),
        None,
    )
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {completed.stdout}{completed.stderr}")
    figures = json.loads(line[len(WRK_MARKER) :])
    statuses = {str(k): int(v) for k, v in figures["statuses"].items()}
    ok = sum(count for status, count in statuses.items() if int(status) < 400)
    errors = {status: count for status, count in statuses.items() if int(status) >= 400}
    for kind in ("connect", "read", "write", "timeout"):
        if figures[kind]:
            errors[kind] = figures[kind]
    return LoadResult(
        tool=f"wrk -t{threads} -c{connections}",
        seconds=figures["duration_us"] / 1e6,
        requests=figures["requests"],
        ok=ok,
        errors=errors,
        p50_ms=figures["p50_us"] / 1000 if figures["requests"] else None,
        p99_ms=figures["p99_us"] / 1000 if figures["requests"] else None,
        statuses=statuses,
    )


# --- a small asyncio HTTP/1.1 client ------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Connection:
    """One keep-alive connection, reopened after the server closes it. Far cheaper per request
    than a full client library, which matters when client and server share two cores."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def send(self, request: Request) -> Response:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in request.headers.items()]
        if request.body or request.method == "POST":
            head.append(f"Content-Length: {len(request.body)}")
        self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + request.body)
        await self._writer.drain()
        status_line = await self._reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before answering")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self._reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self._reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._read_chunks()
        else:
            body = await self._reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, body)

    async def _read_chunks(self) -> bytes:
        assert self._reader is not None
        parts = []
        while True:
            size = int((await self._reader.readline()).split(b";")[0], 16)
            if size == 0:
                await self._reader.readline()
                return b"".join(parts)
            parts.append(await self._reader.readexactly(size))
            await self._reader.readline()


@dataclass
class ClientTally:
    """One client's outcomes: latencies of answered requests, and outcomes by status/error."""

    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)


Plan = Callable[[int], Request]
"""The ``n``-th request a client sends."""
Acknowledge = Callable[[int, Request, Response], None]
"""Called for every 2xx/3xx answer: the client's bookkeeping of acknowledged writes."""


async def _client(
    host: str,
    port: int,
    plan: Plan,
    deadline: float,
    tally: ClientTally,
    acknowledge: Acknowledge | None,
) -> None:
    connection = Connection(host, port)
    number = 0
    try:
        while time.perf_counter() < deadline:
            request = plan(number)
            number += 1
            started = time.perf_counter()
            try:
                response = await asyncio.wait_for(
                    connection.send(request), timeout=REQUEST_TIMEOUT_SECONDS
                )
            except TimeoutError:
                tally.outcomes["timeout"] += 1
                await connection.close()
                continue
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                tally.outcomes["reset"] += 1
                await connection.close()
                continue
            tally.latencies.append((time.perf_counter() - started) * 1000)
            tally.outcomes[str(response.status)] += 1
            if response.status < 400 and acknowledge is not None:
                acknowledge(number - 1, request, response)
    finally:
        await connection.close()


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


async def run_clients(
    host: str,
    port: int,
    plans: list[Plan],
    duration: float,
    acknowledges: list[Acknowledge | None] | None = None,
) -> LoadResult:
    """One asyncio client per plan, all at once, each sending its next request as soon as the
    last is answered until ``duration`` has passed (requests in flight then are awaited)."""
    tallies = [ClientTally() for _ in plans]
    acknowledges = acknowledges or [None] * len(plans)
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(
            _client(host, port, plan, deadline, tally, acknowledge)
            for plan, tally, acknowledge in zip(plans, tallies, acknowledges, strict=True)
        )
    )
    elapsed = time.perf_counter() - started
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []
    for tally in tallies:
        outcomes.update(tally.outcomes)
        latencies.extend(tally.latencies)
    ok = sum(
        count for outcome, count in outcomes.items() if outcome.isdigit() and int(outcome) < 400
    )
    errors = {
        outcome: count
        for outcome, count in outcomes.items()
        if not outcome.isdigit() or int(outcome) >= 400
    }
    return LoadResult(
        tool=f"asyncio client ×{len(plans)}",
        seconds=elapsed,
        requests=sum(outcomes.values()),
        ok=ok,
        errors=errors,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        statuses={k: v for k, v in outcomes.items() if k.isdigit()},
    )


def run_python_load(
    base_url: str,
    path: str,
    *,
    duration: float,
    connections: int,
    headers: dict[str, str] | None = None,
    form: list[tuple[str, str]] | None = None,
) -> LoadResult:
    """The fallback when wrk is not installed: ``connections`` asyncio clients, one request
    each at a time, the same request over and over."""
    host, port = base_url.removeprefix("http://").split(":")
    request_headers = dict(headers or {})
    body = b""
    method = "GET"
    if form is not None:
        method = "POST"
        body = urlencode(form).encode()
        request_headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = Request(method, path, request_headers, body)
    plans: list[Plan] = [lambda _number: request] * connections
    result = asyncio.run(run_clients(host, int(port), plans, duration))
    result.tool = f"Python asyncio client, {connections} connections"
    return result
