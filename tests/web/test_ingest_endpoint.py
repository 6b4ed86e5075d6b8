"""The write endpoint: only with a token, only with the right token, never to private
networks unless the operator allows it."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.httpserver import LocalServer, html, redirect
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.web import create_app

TOKEN = "s3cret-token-for-tests"
PAGE = """<html><head><title>Harbour cranes restart</title></head><body><article>
<h1>Harbour cranes restart after storm</h1>
<p>Port workers restarted the cranes on Tuesday after a storm stopped them for two days.</p>
<p>"We lost two days of loading," the harbour master said.</p>
</article></body></html>"""


def make_client(db: Path, **settings: str) -> TestClient:
    app = create_app(db, Settings.from_sources(settings, environ={}))
    return TestClient(app, raise_server_exceptions=False)


def test_no_token_setting_means_no_write_endpoint(tmp_path: Path) -> None:
    client = make_client(tmp_path / "w.db")
    response = client.post("/api/ingest", json={"url": "http://example.org/"})
    assert response.status_code in (404, 405)
    assert response.json()["error"]["code"] in ("not_found", "method_not_allowed")


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Token {TOKEN}", "Bearer "])
def test_the_token_is_required(tmp_path: Path, header: str | None) -> None:
    client = make_client(tmp_path / "w.db", web_api_token=TOKEN)
    headers = {"Authorization": header} if header is not None else {}
    response = client.post("/api/ingest", json={"url": "http://example.org/"}, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
    ],
)
def test_private_addresses_are_refused_before_anything_is_fetched(tmp_path: Path, url: str) -> None:
    client = make_client(tmp_path / "w.db", web_api_token=TOKEN)
    response = client.post(
        "/api/ingest", json={"url": url}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "url_not_allowed"
    with Store.open(tmp_path / "w.db") as store:
        assert store.counts()["articles"] == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "/etc/passwd", "samples/", "-", "ftp://x/"])
def test_only_http_urls_are_accepted(tmp_path: Path, url: str) -> None:
    client = make_client(tmp_path / "w.db", web_api_token=TOKEN)
    response = client.post(
        "/api/ingest", json={"url": url}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_url"


def _post(client: TestClient, url: str) -> dict[str, Any]:
    response = client.post(
        "/api/ingest", json={"url": url}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class _Resolver:
    """An attacker's DNS for one name: ``answers[i]`` to the i-th lookup (the last one
    repeats; None for "no such host"); every other name resolves as usual."""

    def __init__(self, name: str, answers: list[str | None]) -> None:
        self.name = name
        self.answers = answers
        self.lookups = 0
        self._real = socket.getaddrinfo

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != self.name:
            return self._real(host, port, *args, **kwargs)
        answer = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (answer, port))]


def test_a_name_that_rebinds_to_loopback_after_the_check_is_refused_at_the_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Public for the endpoint's early check, loopback for every lookup after it: the
    # connection-time check sees loopback and nothing reaches the server. The URL came in a
    # request, so its own origin is not trusted as a typed one would be.
    client = make_client(tmp_path / "w.db", web_api_token=TOKEN)
    with LocalServer() as server:
        server.route("/story", html(PAGE))
        resolver = _Resolver("rebind.test", ["93.184.215.14", "127.0.0.1"])
        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        body = _post(client, f"http://rebind.test:{server.port}/story")
        assert server.hits("/story") == 0 and server.requests == []
    assert body["added"] == []
    assert [failure["code"] for failure in body["failures"]] == ["url_not_allowed"]
    assert "127.0.0.1 (loopback)" in body["failures"][0]["message"]
    with Store.open(tmp_path / "w.db") as store:
        assert store.counts()["articles"] == 0
        assert [failure.code for failure in store.failures(limit=5)] == ["url_not_allowed"]


def test_the_connection_goes_to_the_address_that_was_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The name answers twice (the early check, the connection's check) and then no more:
    # a fetcher that looked the name up again to connect would fail here.
    client = make_client(
        tmp_path / "w.db",
        web_api_token=TOKEN,
        fetch_allow_networks="127.0.0.1/32",
        respect_robots="false",
    )
    with LocalServer() as server:
        server.route("/story", html(PAGE))
        resolver = _Resolver("pinned.test", ["127.0.0.1", "127.0.0.1", None])
        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        body = _post(client, f"http://pinned.test:{server.port}/story")
        assert server.hits("/story") == 1
    assert body["failures"] == [] and len(body["added"]) == 1
    assert resolver.lookups == 2


def test_a_redirect_out_of_the_allowed_networks_is_refused(tmp_path: Path) -> None:
    # The URL is in fetch_allow_networks; where it redirects to (another loopback address,
    # on which the same server would answer) is not.
    client = make_client(
        tmp_path / "w.db",
        web_api_token=TOKEN,
        fetch_allow_networks="127.0.0.1/32",
        respect_robots="false",
    )
    with LocalServer() as server:
        inside = server.url("/inside").replace("127.0.0.1", "127.0.0.2")
        server.route("/out", redirect(inside))
        server.route("/inside", html(PAGE))
        body = _post(client, server.url("/out"))
        assert server.hits("/out") == 1 and server.hits("/inside") == 0
    assert body["added"] == []
    assert [failure["code"] for failure in body["failures"]] == ["redirect_not_allowed"]


def test_the_operator_may_allow_private_urls(tmp_path: Path) -> None:
    client = make_client(
        tmp_path / "w.db",
        web_api_token=TOKEN,
        web_allow_private_urls="true",
        respect_robots="false",
    )
    with LocalServer() as server:
        server.route("/story", html(PAGE))
        response = client.post(
            "/api/ingest",
            json={"url": server.url("/story")},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    body = response.json()
    assert response.status_code == 200, body
    assert len(body["added"]) == 1 and body["failures"] == []
    article = client.get(f"/api/articles/{body['added'][0]}").json()
    assert article["title"] == "Harbour cranes restart after storm"
