"""The CLI and the API filter with one parser and mean the same: the same filter values
through ``wirewatch stories``/``search``/``failures`` and ``/api/stories``/``search``/``failures``
give the same ids, on the demo store on both backends."""

from __future__ import annotations

import json
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
