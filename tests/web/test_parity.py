"""The CLI and the API filter with one parser and mean the same: the same filter values
through ``wirewatch stories``/``search``/``failures`` and ``/api/stories``/``search``/``failures``
give the same ids, on the demo store on both backends."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tests.web.conftest import SAMPLES
from wirewatch.cli import main
from wirewatch.run.ingest import ingest
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.web import create_app

# Filter values as a user types them, on the command line and in a URL alike.
STORY_FILTERS: list[dict[str, str]] = [
    {"since": "2026"},  # the CLI gave 4 stories (ingestion day), the API 0
    {"since": "2024-04"},
    {"since": "2024-04", "until": "2024-04"},
    {"until": "2017"},
    {"since": "2024-W15"},
    {"country": "UKR"},
    {"speaker": "Peskov"},
    {"site": "dailyglobe.example"},
    {"quad_class": "4"},
    {"plover": "consult", "polarity": "asserted"},
    {"actor": "RUS", "since": "2014"},
    {"cameo": "04"},
]


def cli_json(*args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, list(args), prog_name="wirewatch")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def cli_options(filters: dict[str, str]) -> list[str]:
    return [
        part for name, value in filters.items() for part in (f"--{name.replace('_', '-')}", value)
    ]


@pytest.mark.parametrize(
    "filters", STORY_FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items())
)
def test_stories_filter_the_same_through_cli_and_api(
    client: TestClient, demo_store: str, filters: dict[str, str]
) -> None:
    api = client.get("/api/stories", params={**filters, "limit": "500"})
    assert api.status_code == 200, api.text
    cli = cli_json(
        "--db", demo_store, "stories", *cli_options(filters), "--limit", "500", "--format", "json"
    )
    assert [item["id"] for item in cli] == [item["id"] for item in api.json()["items"]]


def test_partial_dates_mean_the_same_and_undated_copies_do_not_count(client: TestClient) -> None:
    # Every demo article is dated 2017 or 2024, or undated (read today): none is of 2026.
    assert client.get("/api/stories", params={"since": "2026"}).json()["items"] == []
    month = client.get("/api/stories", params={"since": "2024-04", "until": "2024-04"}).json()
    assert month["items"] and all(
        item["first_at"] >= "2024-04-01" and item["last_at"] < "2024-05" for item in month["items"]
    )


@pytest.mark.parametrize(
    "filters", STORY_FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items())
)
def test_filter_only_search_is_the_same_through_cli_and_api(
    client: TestClient, demo_store: str, filters: dict[str, str]
) -> None:
    api = client.get("/api/search", params={**filters, "limit": "500"})
    assert api.status_code == 200, api.text
    cli = cli_json(
        "--db", demo_store, "search", *cli_options(filters), "--limit", "1000", "--format", "json"
    )
    assert [item["id"] for item in cli] == [item["id"] for item in api.json()["items"]]
    for item in api.json()["items"]:  # what the CLI prints as the title, the API gives too
        hit = next(found for found in cli if found["id"] == item["id"])
        assert hit["display_title"] == item["display_title"] and item["display_title"]


@pytest.mark.parametrize("query", ["Stoltenberg", "Kiev OR Kyiv", "ceasefire"])
def test_search_words_with_filters_find_the_same_articles(
    client: TestClient, demo_store: str, query: str
) -> None:
    for filters in ({}, {"since": "2017"}, {"country": "UKR"}, {"site": "wirenews.example"}):
        api = client.get("/api/search", params={"q": query, **filters, "limit": "500"}).json()
        cli = cli_json(
            "--db",
            demo_store,
            "search",
            query,
            *cli_options(filters),
            "--format",
            "json",
            "--limit",
            "1000",
        )
        assert {item["id"] for item in cli} == {item["id"] for item in api["items"]}


def test_a_value_that_cannot_match_is_refused_alike(client: TestClient, demo_store: str) -> None:
    for name, value in [
        ("since", "2026-13"),
        ("quad_class", "7"),
        ("quad_class", "x"),
        ("plover", "HUG"),
    ]:
        api = client.get("/api/stories", params={name: value})
        assert api.status_code == 400
        result = CliRunner().invoke(
            main, ["--db", demo_store, "stories", f"--{name.replace('_', '-')}", value]
        )
        assert result.exit_code == 2
        message = api.json()["error"]["message"]
        assert message in result.output


@pytest.fixture(scope="module")
def failing_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with failures of two stages: a missing file, an empty one, a binary one."""
    folder = tmp_path_factory.mktemp("failures")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    db = folder / "news.db"
    with Store.open(db) as store:
        summary = ingest(
            [str(folder / "missing.txt"), str(folder / "empty.txt"), str(folder / "binary.txt"),
             str(SAMPLES / "crlf_story.txt")],
            store, Settings(), stages="extract",
        )  # fmt: skip
    assert len(summary.failures) == 3
    return db


def test_failures_filter_the_same_through_cli_and_api(failing_store: Path) -> None:
    client = TestClient(create_app(failing_store, Settings()))
    every = client.get("/api/failures").json()["items"]
    assert len(every) == 3 and {item["stage"] for item in every} <= {"collect", "extract"}
    some = every[0]
    for filters in ({}, {"stage": some["stage"]}, {"code": some["code"]}, {"source": "missing"},
                    {"since": some["time"][:4]}, {"until": "2000"}):  # fmt: skip
        api = client.get("/api/failures", params=filters).json()["items"]
        cli = cli_json(
            "--db", str(failing_store), "failures", *cli_options(filters), "--format", "jsonl"
        )
        assert cli == api
    assert [
        item["source"]
        for item in client.get("/api/failures", params={"source": "MISSING"}).json()["items"]
    ] == [str(failing_store.parent / "missing.txt")]
    assert client.get("/api/failures", params={"stage": "parse"}).status_code == 400
    page = client.get("/failures", params={"stage": some["stage"]})
    assert (
        page.status_code == 200
        and some["code"] in page.text
        and '<select name="stage">' in page.text
    )


SEED_STORY = "s-f2dfca0c27519a6f"


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"cameo": "04"},
        {"site": "wirenews.example"},
        {"speaker": "Peskov"},
        {"since": "2017-07"},
    ],
    ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "story",
)
@pytest.mark.parametrize("per_mention", [False, True])
def test_export_story_records_are_the_api_records_of_the_story(
    client: TestClient, demo_store: str, filters: dict[str, str], per_mention: bool
) -> None:
    """``export --story`` (with a prefix, resolved by the CLI) and ``story=`` on the API."""
    what = "quotes" if "speaker" in filters else "events"
    params = {**filters, "story": SEED_STORY, "limit": "500"}
    options = [*cli_options(filters), "--story", SEED_STORY[:10]]
    if per_mention:
        params["per_mention"] = "1"
        options.append("--per-mention")
    api = client.get(f"/api/{what}", params=params)
    assert api.status_code == 200, api.text
    cli = cli_json(
        "--db", demo_store, "-q", "export", "--what", what, *options, "--format", "jsonl"
    )
    key = "event_index" if what == "events" else "quote_index"
    assert sorted((r["article_id"], r[key]) for r in cli) == sorted(
        (r["article_id"], r[key]) for r in api.json()["items"]
    )
    assert all(r["story_id"] == SEED_STORY for r in api.json()["items"])
    if not filters:
        assert len(cli) >= 5  # the seed's story states many events


def test_a_story_id_prefix_filters_alike(client: TestClient, demo_store: str) -> None:
    stories = [
        item["id"] for item in client.get("/api/stories", params={"limit": 500}).json()["items"]
    ]
    story = stories[0]
    for given in (story[:8], story[2:12].upper(), story):  # s- and 6 digits, digits alone, whole
        api = client.get("/api/stories", params={"story": given, "limit": 500})
        assert api.status_code == 200, api.text
        cli = cli_json("--db", demo_store, "stories", "--story", given, "--format", "json")
        assert [item["id"] for item in api.json()["items"]] == [item["id"] for item in cli]
        assert [item["id"] for item in cli] == [story]
        found = client.get("/api/search", params={"story": given, "limit": 500}).json()["items"]
        hits = cli_json("--db", demo_store, "search", "--story", given, "--format", "json")
        assert [item["id"] for item in found] == [item["id"] for item in hits] and found
        assert {item["story_id"] for item in found} == {story}
        shown = client.get("/api/articles", params={"story": given, "limit": 500}).json()
        assert {item["story_id"] for item in shown["items"]} == {story}
    unknown = next(
        f"s-{digits:06x}"
        for digits in range(16**6)
        if not any(known.startswith(f"s-{digits:06x}") for known in stories)
    )
    assert client.get("/api/stories", params={"story": unknown}).json()["items"] == []
    assert client.get("/api/events", params={"story": unknown}).json()["items"] == []
    assert cli_json("--db", demo_store, "stories", "--story", unknown, "--format", "json") == []
    for bad in ("s-12345", "s-xyz123"):  # too short; not hex
        answer = client.get("/api/stories", params={"story": bad})
        assert answer.status_code == 400
        result = CliRunner().invoke(main, ["--db", demo_store, "stories", "--story", bad])
        assert result.exit_code == 2 and answer.json()["error"]["message"] in result.output


def test_an_ambiguous_story_prefix_is_refused_alike(demo_db: Path, tmp_path: Path) -> None:
    """Two stories whose ids share their first 8 hex digits: the prefix names neither."""
    db = tmp_path / "twins.db"
    shutil.copy(demo_db, db)
    with closing(sqlite3.connect(db)) as conn, conn:
        first, second = (row[0] for row in conn.execute("SELECT id FROM stories LIMIT 2"))
        twin = first[:10] + second[10:]
        conn.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (twin, second))
        conn.execute("UPDATE stories SET id = ? WHERE id = ?", (twin, second))
    prefix = first[:10]
    with TestClient(create_app(db, Settings()), raise_server_exceptions=False) as twins:
        for path in ("/api/stories", "/api/search", "/api/events", "/api/quotes", "/search"):
            answer = twins.get(path, params={"story": prefix})
            assert answer.status_code == 400, (path, answer.text)
        message = twins.get("/api/stories", params={"story": prefix}).json()["error"]["message"]
        assert "ambiguous" in message
        whole = twins.get("/api/stories", params={"story": twin}).json()["items"]
        assert [item["id"] for item in whole] == [twin]
    for command in ("stories", "search"):
        result = CliRunner().invoke(main, ["--db", str(db), command, "--story", prefix])
        assert result.exit_code == 2 and message in result.output
