"""Requests answered in turn (``web/admission.py``): a few at once, the rest in arrival order,
a wait that ends in 503 ``busy``, a turn that ends when the answer starts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.web import create_app
from wirewatch.web.admission import Admission


class Gated:
    """An ASGI app whose answers wait for the test: ``entered`` lists the paths in the order
    they started being made; ``release(path)`` lets one finish; ``/stream`` sends its start,
    then waits before its body."""

    def __init__(self) -> None:
        self.entered: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}

    def gate(self, path: str) -> asyncio.Event:
        return self.gates.setdefault(path, asyncio.Event())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        self.entered.append(path)
        headers = [(b"content-type", b"text/plain")]
        if path.startswith("/stream"):
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await self.gate(path).wait()
            await send({"type": "http.response.body", "body": b"done"})
            return
        await self.gate(path).wait()
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": path.encode()})


def scope(path: str, method: str = "GET") -> Scope:
    return {"type": "http", "method": method, "path": path, "query_string": b"", "headers": []}


async def request(app: Any, path: str, method: str = "GET") -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope(path, method), receive, send)
    return sent


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_requests_past_the_limit_are_answered_in_arrival_order() -> None:
    async def run() -> None:
        inner = Gated()
        app = Admission(inner, active=2, wait=5)
        tasks = []
        for name in ("/a", "/b", "/c", "/d", "/e"):
            tasks.append(asyncio.create_task(request(app, name)))
            await settle()
        assert inner.entered == ["/a", "/b"]
        assert app.queued == 3
        inner.gate("/b").set()
        await settle()
        assert inner.entered == ["/a", "/b", "/c"]
        inner.gate("/a").set()
        await settle()
        assert inner.entered == ["/a", "/b", "/c", "/d"]
        for name in ("/c", "/d", "/e"):
            inner.gate(name).set()
        answers = await asyncio.gather(*tasks)
        assert inner.entered == ["/a", "/b", "/c", "/d", "/e"]
        assert [a[1]["body"] for a in answers] == [b"/a", b"/b", b"/c", b"/d", b"/e"]
        assert app.queued == 0

    asyncio.run(run())


def test_a_request_that_waits_too_long_is_told_the_server_is_busy() -> None:
    async def run() -> None:
        inner = Gated()
        app = Admission(inner, active=1, wait=0.2)
        first = asyncio.create_task(request(app, "/first"))
        await settle()
        api, page = await asyncio.gather(request(app, "/api/articles"), request(app, "/articles"))
        assert inner.entered == ["/first"]  # neither was made
        for answer in (api, page):
            assert answer[0]["status"] == 503
            assert dict(answer[0]["headers"])[b"retry-after"] == b"1"
        assert json.loads(api[1]["body"])["error"]["code"] == "busy"
        assert dict(page[0]["headers"])[b"content-type"].startswith(b"text/html")
        assert b"busy" in page[1]["body"]
        inner.gate("/first").set()
        await first
        # The turns given back: the next request is made at once.
        inner.gate("/next").set()
        assert (await request(app, "/next"))[0]["status"] == 200

    asyncio.run(run())


def test_a_turn_ends_when_the_answer_starts() -> None:
    """A streamed body (a CSV download, a slow reader) goes out of turn."""

    async def run() -> None:
        inner = Gated()
        app = Admission(inner, active=1, wait=5)
        stream = asyncio.create_task(request(app, "/stream"))
        await settle()
        inner.gate("/after").set()
        after = await asyncio.wait_for(request(app, "/after"), 2)
        assert after[0]["status"] == 200
        assert not stream.done()
        inner.gate("/stream").set()
        assert (await stream)[1]["body"] == b"done"

    asyncio.run(run())


def test_a_request_gone_while_waiting_passes_its_turn_on() -> None:
    async def run() -> None:
        inner = Gated()
        app = Admission(inner, active=1, wait=5)
        first = asyncio.create_task(request(app, "/first"))
        await settle()
        gone = asyncio.create_task(request(app, "/gone"))
        last = asyncio.create_task(request(app, "/last"))
        await settle()
        gone.cancel()
        inner.gate("/first").set()
        inner.gate("/last").set()
        await first
        assert (await asyncio.wait_for(last, 2))[1]["body"] == b"/last"
        assert inner.entered == ["/first", "/last"]
        with pytest.raises(asyncio.CancelledError):
            await gone

    asyncio.run(run())


def test_writes_and_an_unlimited_setting_take_no_turn() -> None:
    async def run() -> None:
        inner = Gated()
        app = Admission(inner, active=1, wait=5)
        held = asyncio.create_task(request(app, "/held"))
        await settle()
        inner.gate("/post").set()
        assert (await asyncio.wait_for(request(app, "/post", "POST"), 2))[0]["status"] == 200
        inner.gate("/held").set()
        await held

        unlimited = Admission(inner, active=0, wait=5)
        many = [asyncio.create_task(request(unlimited, f"/u{n}")) for n in range(10)]
        await settle()
        assert sum(path.startswith("/u") for path in inner.entered) == 10
        for n in range(10):
            inner.gate(f"/u{n}").set()
        await asyncio.gather(*many)

    asyncio.run(run())


def test_the_application_answers_with_one_turn(tmp_path: Path) -> None:
    """The whole application behind one turn: pages, the API and a miss all answered."""
    db = tmp_path / "s.db"
    Store.open(db).close()
    client = TestClient(create_app(db, Settings(web_max_active=1)))
    assert client.get("/").status_code == 200
    assert client.get("/api/articles").status_code == 200
    assert client.get("/api/articles/0123456789abcdef").status_code == 404
    assert client.head("/api/stories").status_code == 200
