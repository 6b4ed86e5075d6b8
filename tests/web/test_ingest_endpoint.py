"""The write endpoint: only with a token, only with the right token, never to private
networks unless the operator allows it."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.support.httpserver import LocalServer, html
from wirewatch.collect.fetch_policy import refusal
from wirewatch.errors import CollectError
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.web import create_app
from wirewatch.web.outbound import PublicOnlyTransport

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


def test_redirects_to_private_addresses_are_refused_by_the_transport() -> None:
    transport = PublicOnlyTransport()
    with pytest.raises(CollectError) as refused:
        transport.handle_request(httpx.Request("GET", "http://127.0.0.1:1/"))
    assert refused.value.code == "url_not_allowed"
    assert refusal(ipaddress.ip_address("93.184.216.34")) is None
    assert refusal(ipaddress.ip_address("::ffff:127.0.0.1")) is not None


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
