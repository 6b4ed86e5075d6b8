"""The server holds against cheap attacks: a real uvicorn (``wirewatch.web.server``) on
127.0.0.1, spoken to over raw sockets where a well-behaved client library would not misbehave.

Idle, half-sent and excess connections are closed; an oversized or unauthenticated body is
refused before it is read; ``HEAD`` works; the token is only a Bearer token; redirects do not
trust ``Host``; costly and slow searches fail alone, with 400 and 503.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from uvicorn import Server

from tests.web.conftest import free_port
from wirewatch.errors import StoreError
from wirewatch.settings import Settings
from wirewatch.web.readers import Readers
from wirewatch.web.server import config

TOKEN = "limits-token"
QUICK = {
    "web_api_token": TOKEN,
    "web_header_timeout": "0.6",
    "web_body_timeout": "0.6",
    "web_max_body_bytes": "1000",
    "web_base_url": "https://news.example.org/",
}


class Running:
    """A guarded uvicorn serving the store at ``db`` with ``settings``, in a thread."""

    def __init__(self, db: Path, settings: Settings) -> None:
        self.port = free_port()
        server_config = config(db, settings, port=self.port, log_level="warning")
        server_config.load()
        self.server = Server(server_config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return sock


@contextmanager
def running(db: Path, **overrides: str) -> Iterator[Running]:
    server = Running(db, Settings.from_sources(overrides, environ={}))
    server.thread.start()
    deadline = time.monotonic() + 20
    while not server.server.started:
        assert time.monotonic() < deadline and server.thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield server
    finally:
        server.server.should_exit = True
        server.thread.join(timeout=10)


@pytest.fixture(scope="module")
def quick(demo_db: Path) -> Iterator[Running]:
    """Short timeouts, a 1,000-byte body limit, a token and a base URL."""
    with running(demo_db, **QUICK) as server:
        yield server


def read_until_closed(sock: socket.socket, within: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    sock.settimeout(within)
    received = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return received, time.monotonic() - started
        received += chunk


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def body_of(answer: bytes) -> dict[str, object]:
    found: dict[str, object] = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    return found


def test_a_connection_that_sends_nothing_is_closed(quick: Running) -> None:
    with quick.connect() as sock:
        answer, took = read_until_closed(sock, within=5)
    assert answer == b""
    assert 0.5 < took < 3


def test_headers_sent_a_piece_at_a_time_are_cut_off(quick: Running) -> None:
    with quick.connect() as sock:
        started = time.monotonic()
        sock.sendall(b"GET /api/articles HTTP/1.1\r\nHost: x\r\n")
        sock.settimeout(5)
        closed = False
        for _ in range(10):  # a header line every 0.2 s: data arrives, the request never does
            time.sleep(0.2)
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                closed = True
                break
        if not closed:
            answer, _ = read_until_closed(sock, within=5)
            assert answer == b""
    assert time.monotonic() - started < 3


def test_a_half_sent_body_is_cut_off(quick: Running) -> None:
    with quick.connect() as sock:
        sock.sendall(
            b"POST /api/feeds HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 900\r\n\r\n".encode()
            + b'{"url": "'
        )
        answer, took = read_until_closed(sock, within=5)
    assert b"201" not in answer.split(b"\r\n", 1)[0]
    assert 0.5 < took < 3


def test_an_oversized_body_is_refused_before_it_is_read(quick: Running) -> None:
    with quick.connect() as sock:
        sock.sendall(
            b"POST /api/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 500000000\r\n\r\n".encode()
        )
        answer, took = read_until_closed(sock, within=5)  # no body byte was sent
    assert status_of(answer) == 413
    assert body_of(answer)["error"] == {
        "status": 413,
        "code": "too_large",
        "message": "the request body is larger than 1000 bytes (web_max_body_bytes)",
    }
    assert took < 1


def test_a_chunked_body_is_refused_once_it_passes_the_limit(quick: Running) -> None:
    with quick.connect() as sock:
        sock.sendall(
            b"POST /api/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
        )
        for _ in range(3):  # 1,500 bytes of a body that would go on and on
            sock.sendall(b"1f4\r\n" + b" " * 500 + b"\r\n")
        answer, _ = read_until_closed(sock, within=5)
    assert status_of(answer) == 413
    assert b"connection: close" in answer.lower()


def test_the_token_is_checked_before_the_body_is_read(quick: Running) -> None:
    with quick.connect() as sock:
        sock.sendall(
            b"POST /api/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 900\r\n\r\n"
        )
        answer, took = read_until_closed(sock, within=5)  # the body never comes
    assert status_of(answer) == 401
    assert body_of(answer)["error"]["code"] == "unauthorized"  # type: ignore[index]
    assert b"www-authenticate: bearer" in answer.lower()
    assert took < 0.5


@pytest.mark.parametrize(
    ("authorization", "status"),
    [(TOKEN, 401), (f"Token {TOKEN}", 401), ("Bearer wrong", 401), (f"Bearer {TOKEN}", 400)],
)
def test_the_token_is_only_a_bearer_token(quick: Running, authorization: str, status: int) -> None:
    with quick.http() as client:
        answer = client.post(
            "/api/feeds",
            json={"url": "http://127.0.0.1/feed.xml"},  # refused as private once authorized
            headers={"Authorization": authorization},
        )
    assert answer.status_code == status
    if status == 400:
        assert answer.json()["error"]["code"] == "url_not_allowed"


def test_head_answers_like_get_without_a_body(quick: Running) -> None:
    with quick.http() as client:
        got = client.get("/")
        head = client.head("/")
        api = client.head("/api/articles?limit=1")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    assert head.headers["content-security-policy"] == got.headers["content-security-policy"]
    assert api.status_code == 200
    assert api.headers["content-type"] == "application/json"


def test_a_redirect_goes_to_the_base_url_not_the_host_header(quick: Running) -> None:
    with quick.http() as client:
        answer = client.get("/api/articles/?limit=1", headers={"Host": "evil.example"})
    assert answer.status_code == 307
    assert answer.headers["location"] == "https://news.example.org/api/articles?limit=1"


def test_without_a_base_url_redirects_are_relative(demo_db: Path) -> None:
    with running(demo_db) as server, server.http() as client:
        answer = client.get("/articles/", headers={"Host": "evil.example"})
    assert answer.status_code == 307
    assert answer.headers["location"] == "/articles"


def test_a_nul_byte_in_a_search_is_a_bad_request(quick: Running) -> None:
    with quick.http() as client:
        alone = client.get("/api/search?q=%00")
        among = client.get("/api/search?q=NATO%00")
    assert alone.status_code == 400
    assert alone.json()["error"]["code"] == "bad_request"
    assert among.status_code == 200


@pytest.mark.parametrize(
    ("query", "says"),
    [
        (" OR ".join(f"word{n}*" for n in range(10)), "10 prefix terms"),
        ("a*", "too short"),
        (" OR ".join(f"word{n}" for n in range(12)), "12 alternatives"),
    ],
)
def test_a_costly_search_is_refused(quick: Running, query: str, says: str) -> None:
    with quick.http() as client:
        answer = client.get("/api/search", params={"q": query})
        page = client.get("/search", params={"q": query})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "query_too_costly"
    assert says in answer.json()["error"]["message"]
    assert page.status_code == 400


def test_a_search_past_its_time_fails_alone(demo_db: Path) -> None:
    with running(demo_db, web_search_timeout="0.000001") as server, server.http() as client:
        slow = client.get("/api/search", params={"q": "said OR the OR a"})
        other = client.get("/api/articles?limit=1")
    assert slow.status_code == 503
    assert slow.json()["error"]["code"] == "query_timeout"
    assert other.status_code == 200


def test_searches_past_the_bound_are_busy(demo_db: Path) -> None:
    readers = Readers(demo_db, Settings(web_max_searches=1, web_search_timeout=0.2))
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with readers.searching():
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(5)
        with pytest.raises(StoreError) as refused, readers.searching():
            pass
        assert refused.value.code == "search_busy"
        with readers.store() as store:  # other reads go on
            assert store.counts()["articles"] > 0
    finally:
        release.set()
        holder.join()
    with readers.searching() as store:  # the slot is free again
        assert store.counts()["articles"] > 0


def test_past_the_connection_cap_idle_connections_make_room(demo_db: Path) -> None:
    with running(demo_db, web_max_connections="5", web_header_timeout="30") as server:
        idle = [server.connect() for _ in range(20)]
        try:
            with server.http() as client:
                for _ in range(3):
                    assert client.get("/api/articles?limit=1").status_code == 200
            closed = 0
            for sock in idle:  # the oldest idle connections were closed to make room
                sock.settimeout(0.2)
                try:
                    closed += sock.recv(1) == b""
                except TimeoutError:
                    pass
                except OSError:
                    closed += 1
            assert closed >= 15
        finally:
            for sock in idle:
                sock.close()
