"""The demo's NATO story (the seed and three syndicated copies) counts each of its events and
quotes once in every view and export; ``per_mention`` still gives every mention."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import SEED_ID
from wirewatch.store import Store
from wirewatch.store.export import export_records
from wirewatch.store.gdelt import GDELT_COLUMNS
from wirewatch.store.stories import story_id_of
from wirewatch.stories.view import story_view

ID = GDELT_COLUMNS.index("GLOBALEVENTID")


def exported(store: Store, what: str, fmt: str, **options: object) -> str:
    out = io.StringIO(newline="")
    export_records(store, what, fmt, out, **options)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.fixture(scope="module")
def story(demo_store: str) -> dict[str, object]:
    with Store.open(demo_store) as store:
        story_id = story_id_of(store, SEED_ID)
        assert story_id is not None
        view = story_view(store, story_id)
        assert view is not None and len(view.copies) >= 4
        return {
            "id": story_id,
            "events": len(view.events),
            "quotes": len(view.quotes),
            "mentions": sum(len(e.provenance) for e in view.events),
        }


def test_the_story_has_more_mentions_than_events(story: dict[str, object]) -> None:
    assert isinstance(story["mentions"], int) and isinstance(story["events"], int)
    assert story["mentions"] > story["events"] > 0  # the copies repeat every event


def test_every_export_counts_the_storys_events_once(
    demo_store: str, story: dict[str, object]
) -> None:
    with Store.open(demo_store) as store:
        events = [json.loads(line) for line in exported(store, "events", "jsonl").splitlines()]
        mentions = exported(store, "events", "jsonl", per_mention=True).splitlines()
        gdelt = [line.split("\t") for line in exported(store, "events", "gdelt").splitlines()]
        plover = [json.loads(line) for line in exported(store, "events", "plover").splitlines()]
        quotes = exported(store, "quotes", "jsonl").splitlines()
        all_quotes = exported(store, "quotes", "jsonl", per_mention=True).splitlines()
    in_story = [e for e in events if e["story_id"] == story["id"]]
    assert len(in_story) == story["events"]
    assert len(mentions) > len(events)
    assert len({row[ID] for row in gdelt}) == len(events)  # one GLOBALEVENTID per record
    assert len({record["id"] for record in plover}) == len(events)
    assert len(quotes) < len(all_quotes)
    counted = [e for e in in_story if e["num_mentions"] > 1]
    assert counted and all(e["num_articles"] >= 2 for e in counted)


def test_every_view_counts_the_storys_events_once(
    client: TestClient, story: dict[str, object]
) -> None:
    listed = client.get("/api/events", params={"limit": 200}).json()["items"]
    every = client.get("/api/events", params={"limit": 200, "per_mention": "1"}).json()["items"]
    assert len(listed) < len(every)
    keys = Counter((e["article_id"], e["event_index"]) for e in listed)
    assert max(keys.values()) == 1
    assert sum(e["story_id"] == story["id"] for e in listed) == story["events"]

    speakers = {s["name"]: s["quote_count"] for s in client.get("/api/speakers").json()["items"]}
    everyone = client.get("/api/speakers", params={"per_mention": "1"}).json()["items"]
    assert (
        speakers["Jens Stoltenberg"]
        < {s["name"]: s["quote_count"] for s in everyone}["Jens Stoltenberg"]
    )

    places = client.get("/api/map").json()["items"]
    all_places = client.get("/api/map", params={"per_mention": "1"}).json()["items"]
    assert sum(p["events"] for p in places) < sum(p["events"] for p in all_places)


def test_charts_count_asserted_events_unless_a_polarity_is_chosen(client: TestClient) -> None:
    charted = client.get("/api/timeline").json()["items"]
    asserted = client.get("/api/timeline", params={"polarity": "asserted"}).json()["items"]
    assert charted == asserted
    denied = client.get("/api/events", params={"polarity": "denied", "limit": 200}).json()
    assert {e["polarity"] for e in denied["items"]} <= {"denied"}


def test_unknown_query_parameters_and_polarities_are_400s(client: TestClient) -> None:
    typo = client.get("/api/events", params={"polarty": "asserted"})
    assert typo.status_code == 400
    assert "polarty" in typo.json()["error"]["message"]
    assert client.get("/api/events", params={"polarity": "maybe"}).status_code == 400
    assert client.get("/events", params={"nonsense": "1"}).status_code == 400


def test_parquet_exports_are_typed_and_count_once(demo_store: str, tmp_path: Path) -> None:
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from wirewatch.store.parquet import SCHEMAS, write_parquet

    with Store.open(demo_store) as store:
        counts = {
            what: write_parquet(store, what, tmp_path / f"{what}.parquet") for what in SCHEMAS
        }
        every = write_parquet(store, "events", tmp_path / "all.parquet", per_mention=True)
        (tmp_path / "by-day").mkdir()
        partitioned = write_parquet(store, "events", tmp_path / "by-day")
        jsonl = exported(store, "events", "jsonl").splitlines()
    events = pq.read_table(tmp_path / "events.parquet")
    assert events.schema == SCHEMAS["events"]
    assert events.num_rows == counts["events"] == len(jsonl) < every
    assert len(set(events.column("record_id").to_pylist())) == events.num_rows
    assert str(events.schema.field("quad_class").type) == "int8"
    assert pq.read_table(tmp_path / "mentions.parquet").num_rows == counts["mentions"] >= every
    assert pq.read_table(tmp_path / "stories.parquet").num_rows == counts["stories"] > 0
    by_day = ds.dataset(tmp_path / "by-day", partitioning="hive").to_table()
    assert by_day.num_rows == partitioned == counts["events"]
