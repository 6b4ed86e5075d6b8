"""``wirewatch stories`` and ``wirewatch show s-...``, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from tests.stories.syndication import COPIES, PUBLISHED, UNRELATED, document
from wirewatch.cli import main
from wirewatch.extract import extract
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import list_stories


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), prog_name="wirewatch")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def make_store(tmp_path: Path) -> Path:
    records = [
        {"url": url, "title": title, "text": text, "published": PUBLISHED}
        for url, title, text in [*COPIES, UNRELATED]
    ]
    records.append({"url": "https://mirror.example/nato", "title": "Mirror", "text": COPIES[1][2]})
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    db = tmp_path / "news.db"
    result = cli("--db", str(db), "ingest", str(dump), "--stages", "extract")
    assert result.exit_code == 0, result.output
    assert "1 copy of stored texts recorded" in result.stderr
    return db


def test_stories_lists_each_story_with_its_counts(tmp_path: Path) -> None:
    db = make_store(tmp_path)
    listed = cli("--db", str(db), "stories", "--format", "json")
    assert listed.exit_code == 0
    stories = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(stories) == 2
    nato = next(s for s in stories if s["title"] == COPIES[0][1])
    assert (nato["member_count"], nato["article_count"], nato["copy_count"]) == (1, 5, 6)
    assert nato["site_count"] == 6
    assert nato["id"].startswith("s-") and nato["first_at"].startswith(PUBLISHED)
    text = cli("--db", str(db), "stories", "--since", "2017-07", "--until", "2017-07-10")
    assert [line.split()[0] for line in text.stdout.splitlines()] == [s["id"] for s in stories]
    assert cli("--db", str(db), "stories", "--until", "2017-07-09").stdout == ""
    bad = cli("--db", str(db), "stories", "--since", "last week")
    assert bad.exit_code == 2 and "not a date" in bad.stderr


def test_show_prints_a_story_and_an_article_names_its_story(tmp_path: Path) -> None:
    db = make_store(tmp_path)
    stories = [
        json.loads(line)
        for line in cli("--db", str(db), "stories", "--format", "json").stdout.splitlines()
    ]
    nato = next(s for s in stories if s["title"] == COPIES[0][1])
    shown = cli("--db", str(db), "show", nato["id"])
    assert shown.exit_code == 0
    assert f"        id: {nato['id']}" in shown.stdout
    assert "-- copies (6) --" in shown.stdout
    assert "[exact] mirror.example" in shown.stdout
    assert "[truncated sim" in shown.stdout and "headline differs" in shown.stdout
    data = json.loads(cli("--db", str(db), "show", nato["id"], "--format", "json").stdout)
    assert [c["relation"] for c in data["copies"]].count("near") == 3
    assert data["articles"][0]["article_id"] == nato["lead_article_id"]
    article = json.loads(
        cli("--db", str(db), "show", nato["lead_article_id"], "--format", "json").stdout
    )
    assert article["story_id"] == nato["id"]
    assert (
        f"     story: {nato['id']}" in cli("--db", str(db), "show", nato["lead_article_id"]).stdout
    )
    prefix = cli("--db", str(db), "show", nato["id"][:10], "--format", "json")
    assert json.loads(prefix.stdout)["id"] == nato["id"]
    assert cli("--db", str(db), "show", "s-f2d").exit_code == 2
    missing = cli("--db", str(db), "show", "s-0000000000000000")
    assert missing.exit_code == 2 and "no story" in missing.stderr


def test_backfill_gives_stories_to_articles_stored_before_stories_existed(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store.open(db) as store:  # as an older wirewatch stored them: articles, no stories
        for url, title, text in [*COPIES, UNRELATED]:
            store.add_article(extract(document(url, title, text), Settings()))
        assert list_stories(store) == []

    first = cli("--db", str(db), "stories", "--backfill", "--format", "json")
    assert first.exit_code == 0, first.output
    assert f"gave a story to {len(COPIES) + 1} stored article(s)" in first.stderr
    stories = [json.loads(line) for line in first.stdout.splitlines()]
    assert sorted(story["copy_count"] for story in stories) == [1, len(COPIES)]

    again = cli("--db", str(db), "stories", "--backfill", "--format", "json")
    assert "gave a story to 0 stored article(s)" in again.stderr
    assert [json.loads(line) for line in again.stdout.splitlines()] == stories
