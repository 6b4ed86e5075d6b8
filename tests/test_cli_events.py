"""``wirewatch search``, ``show`` and ``export`` on quotes and events, as a user runs them.

The store holds hand-annotated articles (no NLP run): the AFP NATO story, a story of Ukraine
accusing Russia of shelling in 2014, and an attack near Donetsk.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.store.test_events_store import annotated_news
from wirewatch.cli import main
from wirewatch.model import Article
from wirewatch.store import Store
from wirewatch.store.export_annotations import QUOTE_CSV_COLUMNS
from wirewatch.store.gdelt import GDELT_COLUMNS
from wirewatch.store.records import record_id


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def news() -> list[Article]:
    return annotated_news()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, news: list[Article]) -> Path:
    path = tmp_path_factory.mktemp("store") / "wirewatch.db"
    with Store.open(path) as store:
        store.add_articles(news)
    return path


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# search


def test_search_by_speaker_lists_the_matching_quotes_under_the_hit(
    db: Path, news: list[Article]
) -> None:
    result = cli("--db", str(db), "search", "--speaker", "Peskov")

    assert (result.exit_code, result.stderr) == (0, "")
    id_line, where_line, snippet_line, quote_line = result.stdout.splitlines()
    assert id_line == f"{news[0].id}  NATO chief pledges support for Ukraine in Kiev"
    assert where_line == f"    Space War  2017-07-10T00:00:00+00:00  {news[0].url}"
    assert snippet_line.startswith("    NATO chief Jens Stoltenberg pledged support")
    assert quote_line == (
        '    quote 2: Dmitry Peskov: "it would not contribute to stability in Europe" '
        "(indirect, said)"
    )


def test_search_by_cameo_prefix_and_date_lists_the_matching_events(
    db: Path, news: list[Article]
) -> None:
    result = cli("--db", str(db), "search", "--cameo", "19", "--until", "2014-12-31")

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(news[1].id)
    assert lines[3:] == [
        "    event 0: 194 Fight with artillery and tanks [ASSAULT]: Russia (RUSMIL) -> "
        "its positions (UKRMIL); reported_claim (by Ukraine (UKRGOV)); 2014-06 "
        '("June 2014"); in Luhansk, UKR'
    ]


def test_search_with_a_query_and_filters_in_json(db: Path, news: list[Article]) -> None:
    result = cli(
        "--db", str(db), "search", "Russia", "--plover", "assault", "--actor", "RUS",
        "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0
    hits = {hit["id"]: hit for hit in json_lines(result.stdout)}
    assert set(hits) == {news[0].id, news[1].id}
    shelling = hits[news[1].id]
    assert "quotes" not in shelling  # no quote filter was given
    assert [(e["event_index"], e["cameo"]) for e in shelling["events"]] == [(0, "194"), (2, "194")]
    assert shelling["events"][1]["sentence_text"] == (
        '"Russian artillery fired across the border," said Ukrainian military spokesman '
        "Andriy Lysenko."
    )
    assert shelling["rank"] < 0


def test_search_by_filters_alone_has_no_rank_and_newest_first(
    db: Path, news: list[Article]
) -> None:
    result = cli("--db", str(db), "search", "--country", "UKR", "--format", "json")

    hits = json_lines(result.stdout)
    assert [hit["id"] for hit in hits] == [news[2].id, news[1].id, news[0].id]
    assert all(hit["rank"] is None for hit in hits)
    assert hits[0]["events"][0]["location"]["name"] == "Donetsk"


def test_search_by_speaker_in_json_gives_the_quote_records(db: Path, news: list[Article]) -> None:
    result = cli("--db", str(db), "search", "--speaker", "Lysenko", "--format", "json")

    [hit] = json_lines(result.stdout)
    assert hit["id"] == news[1].id
    assert "events" not in hit
    [quote] = hit["quotes"]
    assert quote["speaker"]["name"] == "Andriy Lysenko"
    assert quote["text"] == "Russian artillery fired across the border"
    assert (quote["article_id"], quote["quote_index"]) == (news[1].id, 0)


def test_a_search_without_hits_names_the_filters_on_stderr(db: Path) -> None:
    result = cli("--db", str(db), "search", "--speaker", "Lysenko", "--since", "2018")

    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no articles match --speaker Lysenko --since 2018\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "since 'yesterday' is not a date"),
        (["--until", "2017-13"], "until '2017-13' is not a date"),
        (["--cameo", "nineteen"], "cameo 'nineteen' is not a CAMEO code"),
        (["--cameo", "99"], "is not a code of the CAMEO table"),
        (["--plover", "ATTACK"], "plover 'ATTACK' is not a PLOVER event type"),
        (["--country", "UA"], "country 'UA' is not an ISO 3166 alpha-3 code"),
        (["--since", "2018", "--until", "2017", "--cameo", "19"], "is after until"),
        ([], "give a QUERY, a filter"),
    ],
)
def test_a_bad_filter_value_is_a_usage_error(db: Path, args: list[str], message: str) -> None:
    result = cli("--db", str(db), "search", *args)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


# show


def test_show_lists_places_quotes_and_events_before_the_text(db: Path, news: list[Article]) -> None:
    nato = news[0]
    result = cli("--db", str(db), "show", nato.id)

    assert (result.exit_code, result.stderr) == (0, "")
    head, _, rest = result.stdout.partition("\n\n")
    fields = dict(line.strip().split(": ", 1) for line in head.splitlines())
    assert fields["place 0"] == 'Kyiv (capital; UKR; 50.45466, 30.5238; GeoNames 703448) as "Kiev"'
    assert fields["place 2"] == "Europe (continent; 48.69096, 9.14062; GeoNames 6255148)"
    assert fields["quotes"] == "3"
    assert fields["quote 0"].startswith('Jens Stoltenberg: "Russia has maintained its aggressive')
    assert fields["quote 0"].endswith('on your side," (direct, said)')
    assert fields["events"] == "3"
    assert fields["event 0"] == (
        "042 Make a visit [CONSULT]: Jens Stoltenberg (IGOWSTNAT) -> Kiev (UKRGOV); asserted; "
        '2017-07-10 ("Monday"); in Kyiv, UKR'
    )
    assert fields["event 2"].endswith(
        "Russia (RUS) -> Ukraine (UKR); reported_claim (by Stoltenberg (IGOWSTNAT)); "
        "date unknown; place unknown"
    )
    assert rest.startswith(nato.text + "\n")  # the text itself follows, untouched


def test_show_says_when_an_article_has_no_quotes_or_events(db: Path, news: list[Article]) -> None:
    result = cli("--db", str(db), "show", news[2].id)

    head = result.stdout.partition("\n\n")[0]
    fields = dict(line.strip().split(": ", 1) for line in head.splitlines())
    assert fields["quotes"] == "0"
    assert fields["events"] == "1"
    assert "quote 0" not in fields


# export


def test_export_events_as_gdelt_to_a_file(db: Path, tmp_path: Path, news: list[Article]) -> None:
    out = tmp_path / "events.tsv"

    result = cli("--db", str(db), "export", "--what", "events", "--format", "gdelt",
                 "--output", str(out))  # fmt: skip

    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "exported 8 event(s)\n"
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 8 and {len(row) for row in rows} == {len(GDELT_COLUMNS)}
    assert rows[0][:2] == [str(record_id(news[0].id, 0)), "20170710"]  # no header line
    with_header = cli("--db", str(db), "-q", "export", "--what", "events", "--format", "gdelt",
                      "--header")  # fmt: skip
    assert tuple(with_header.stdout.splitlines()[0].split("\t")) == GDELT_COLUMNS
    mentions = cli("--db", str(db), "export", "--what", "mentions", "--format", "gdelt")
    assert mentions.stderr == "exported 8 mention(s)\n"
    assert {len(line.split("\t")) for line in mentions.stdout.splitlines()} == {16}


def test_export_asserted_only_plover_to_stdout(db: Path) -> None:
    result = cli("--db", str(db), "-q", "export", "--what", "events", "--format", "plover",
                 "--asserted-only")  # fmt: skip

    assert (result.exit_code, result.stderr) == (0, "")
    records = json_lines(result.stdout)
    assert [r["cameo"] for r in records] == ["042", "112", "194", "190"]
    assert {r["polarity"] for r in records} == {"asserted"}


def test_export_quotes_as_csv(db: Path) -> None:
    result = cli("--db", str(db), "export", "--what", "quotes", "--format", "csv")

    assert result.exit_code == 0
    assert result.stderr == "exported 4 quote(s)\n"
    header, *rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert tuple(header) == QUOTE_CSV_COLUMNS
    assert [row[header.index("speaker_name")] for row in rows] == [
        "Jens Stoltenberg", "Jens Stoltenberg", "Dmitry Peskov", "Andriy Lysenko",
    ]  # fmt: skip


def test_export_without_what_still_exports_articles_as_jsonl(db: Path) -> None:
    result = cli("--db", str(db), "export")

    assert result.exit_code == 0
    assert result.stderr == "exported 3 article(s)\n"
    assert [len(a["events"]) for a in json_lines(result.stdout)] == [3, 4, 1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--what", "quotes", "--format", "gdelt"], "--format gdelt is for events"),
        (["--format", "plover"], "cannot export articles as 'plover'"),
        (["--what", "quotes", "--asserted-only"], "asserted-only keeps only asserted events"),
        (["--what", "stories"], "stories export as parquet"),
        (["--what", "sites"], "Invalid value for '--what'"),
    ],
)
def test_export_refuses_what_makes_no_sense_before_writing_a_file(
    db: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out.txt"

    result = cli("--db", str(db), "export", *args, "--output", str(out))

    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()


def test_export_takes_the_search_filters_and_refuses_them_for_articles(db: Path) -> None:
    every = json_lines(cli("--db", str(db), "-q", "export", "--what", "events").stdout)
    ukraine = json_lines(
        cli("--db", str(db), "-q", "export", "--what", "events", "--country", "UKR").stdout
    )
    fights = json_lines(
        cli("--db", str(db), "-q", "export", "--what", "events", "--cameo", "19").stdout
    )
    assert 0 < len(ukraine) < len(every)
    assert fights and {e["cameo"][:2] for e in fights} == {"19"}
    quotes = json_lines(
        cli("--db", str(db), "-q", "export", "--what", "quotes", "--speaker", "Peskov").stdout
    )
    assert quotes and {q["speaker"]["name"] for q in quotes} == {"Dmitry Peskov"}
    nothing = cli("--db", str(db), "-q", "export", "--what", "events", "--site", "none.example")
    assert (nothing.exit_code, nothing.stdout) == (0, "")
    refused = cli("--db", str(db), "export", "--country", "UKR")
    assert refused.exit_code == 2 and "use them with --what quotes" in refused.stderr
    unknown = cli("--db", str(db), "export", "--what", "events", "--story", "s-000000")
    assert unknown.exit_code == 2 and "no story" in unknown.stderr
