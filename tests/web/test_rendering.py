"""The pieces pages are drawn from: text runs, snippets, links, the timeline and the map."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from wirewatch.cli import main
from wirewatch.errors import UsageError
from wirewatch.model import Article, Entity, Quote, Sentence, Speaker
from wirewatch.settings import Settings
from wirewatch.store import charts
from wirewatch.store.browse import SNIPPET_CLOSE, SNIPPET_OPEN
from wirewatch.store.charts import DayCount, MapPoint
from wirewatch.store.paging import decode_cursor, encode_cursor
from wirewatch.web import create_app
from wirewatch.web.highlight import paragraphs
from wirewatch.web.render import marked_snippet, web_url
from wirewatch.web.timeline import BARS_HEIGHT, HEADROOM, timeline
from wirewatch.web.worldmap import countries, dots, project


def test_text_runs_carry_every_annotation_covering_them() -> None:
    text = 'Kyiv talks.\n"We stay," Jens Stoltenberg said.'
    quote_start = text.index("We")
    name = text.index("Jens")
    article = Article(
        text=text,
        source="t",
        sentences=[Sentence(0, 11), Sentence(12, len(text))],
        entities=[Entity("Jens Stoltenberg", "PERSON", name, name + 16, "Jens Stoltenberg", 1)],
        quotes=[
            Quote(
                "We stay", quote_start, quote_start + 7, "direct", "said",
                Speaker("Jens Stoltenberg", name, name + 16, name="Jens Stoltenberg"), 1,
            )
        ],
    )  # fmt: skip
    first, second = paragraphs(article)
    assert [(p.index, p.anchor) for p in first.parts] == [(0, True)]
    assert "".join(run.text for run in second.parts[0].runs) == text.split("\n")[1]
    quoted = [run for run in second.parts[0].runs if "q-0" in " ".join(run.classes).split()]
    assert "".join(run.text for run in quoted) == "We stay"
    person = next(run for run in second.parts[0].runs if run.text == "Jens Stoltenberg")
    assert person.href == "/speakers/Jens%20Stoltenberg"
    assert "ent-person" in " ".join(person.classes)


def test_text_without_sentences_is_still_shown_whole() -> None:
    article = Article(text="One line.\nTwo line.", source="t")
    shown = ["".join(r.text for part in p.parts for r in part.runs) for p in paragraphs(article)]
    assert shown == ["One line.", "Two line."]


def test_snippets_escape_text_and_mark_matches() -> None:
    marked = marked_snippet(f"<b>x</b> {SNIPPET_OPEN}NATO{SNIPPET_CLOSE} & co")
    assert str(marked) == "&lt;b&gt;x&lt;/b&gt; <mark>NATO</mark> &amp; co"


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/x", None),
        (None, None),
    ],
)
def test_only_http_urls_become_links(url: str | None, linked: str | None) -> None:
    assert web_url(url) == linked


def test_cursors_round_trip_and_refuse_forgeries() -> None:
    assert decode_cursor(encode_cursor(("2024-05-01", 12)), (str, int)) == ["2024-05-01", 12]
    for forged in ("", "!!", encode_cursor((1, 2)), encode_cursor(("a",)), "eyJhIjoxfQ"):
        with pytest.raises(UsageError) as refused:
            decode_cursor(forged, (str, int))
        assert refused.value.code == "bad_cursor"


def test_timeline_stacks_quad_classes_and_averages_goldstein() -> None:
    chart = timeline(
        [
            DayCount("2024-05-01", 1, 3, 2.0),
            DayCount("2024-05-01", 4, 1, -10.0),
            DayCount("2024-05-02", 4, 2, -8.0),
        ]
    )
    assert [day.day for day in chart.days] == ["2024-05-01", "2024-05-02"]
    assert chart.days[0].goldstein == -1.0  # (3 * 2 - 10) / 4
    assert chart.most == 4
    first_day = [bar for bar in chart.bars if bar.label.startswith("2024-05-01")]
    assert sum(bar.height for bar in first_day) == pytest.approx(BARS_HEIGHT - HEADROOM)
    assert [bar.quad_class for bar in first_day] == [1, 4]
    assert len(chart.line.split()) == 2


def test_the_map_projects_natural_earth_countries() -> None:
    shapes = {country.iso_a3: country for country in countries()}
    assert len(shapes) > 170 and "UKR" in shapes and shapes["UKR"].name == "Ukraine"
    assert project(-180, 90) == (0, 0) and project(180, -90) == (720, 360)
    (dot,) = dots([MapPoint("Kyiv", "UKR", 50.45, 30.52, 4, -3.5)])
    assert (dot.x, dot.y, dot.tone) == (421.0, 79.1, "conflict g-2")


def test_serve_needs_an_existing_store(tmp_path: object) -> None:
    result = CliRunner().invoke(main, ["--db", "/nonexistent/none.db", "serve"])
    assert result.exit_code == 2
    assert "no store at" in result.output


def test_a_timeline_counted_by_month_says_so_and_links_months(
    demo_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "MAX_TIMELINE_DAYS", 1)  # the demo's few days are "too many"
    with TestClient(create_app(demo_store, Settings()), raise_server_exceptions=False) as fresh:
        page = fresh.get("/timeline")
        api = fresh.get("/api/timeline").json()["items"]
    assert page.status_code == 200
    assert "counted by month" in page.text and "<th>Month</th>" in page.text
    assert api and {row["unit"] for row in api} == {"month"}
    month = api[0]["day"][:7]
    assert f"/events?since={month}&amp;until={month}" in page.text
