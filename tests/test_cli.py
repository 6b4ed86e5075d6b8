"""The ``wirewatch`` command, end to end, as a user runs it: output, exit codes, the store.

Everything runs in process through click's ``CliRunner`` (stdout and stderr kept apart), with a
store in a temporary folder. NLP runs are few: the spaCy model loads once per test session,
and tests where entities are not the point use ``--stages extract``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from wirewatch.cli import main
from wirewatch.serialize import article_to_dict
from wirewatch.store import Store
from wirewatch.store.export import CSV_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed_000_3ed97192f3d4092b.txt"
SAMPLES = FIXTURES / "samples"
SEED_FIRST_LINE = (
    "NATO chief Jens Stoltenberg pledged support for Ukraine during a visit to Kiev on Monday, "
    "as the ex-Soviet republic battles a bloody insurgency by pro-Russian separatists in the east."
)
SEED_LAST_LINE = (
    '"NATO will continue to support Ukraine on the path towards closer relationships with NATO," '
    "Stoltenberg added."
)
# Samples that make a small, varied store: an HTML page, CRLF text, a JSONL dump, a WARC.
SAMPLE_INPUTS = [
    str(SAMPLES / "html_sidebar.html"),
    str(SAMPLES / "crlf_story.txt"),
    str(SAMPLES / "records.jsonl"),
    str(SAMPLES / "news.warc.gz"),
]
HEX_ID = re.compile(r"[0-9a-f]{16}")


def cli(*args: str, input: bytes | str | None = None) -> Result:
    """Run ``wirewatch ARGS``; an exception other than an exit fails the test as a crash."""
    result = CliRunner().invoke(main, list(args), input=input, prog_name="wirewatch")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def stored(db: Path) -> tuple[dict[str, int], list[dict[str, Any]]]:
    with Store.open(db) as store:
        return store.counts(), [article_to_dict(a) for a in store.iter_articles()]


@pytest.fixture(scope="module")
def seed_analysis() -> dict[str, Any]:
    """``wirewatch analyze SEED``, with entities: the one full NLP run over the seed."""
    result = cli("--db", "unused.db", "analyze", str(SEED))
    assert (result.exit_code, result.stderr) == (0, "")
    (article,) = json_lines(result.stdout)
    return article


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed and the samples, with entities; read-only for the tests."""
    db = tmp_path_factory.mktemp("store") / "wirewatch.db"
    result = cli("--db", str(db), "ingest", str(SEED), *SAMPLE_INPUTS)
    assert result.exit_code == 0, result.output
    return db


# analyze


def test_analyze_prints_one_json_object_with_the_article_and_its_entities(
    seed_analysis: dict[str, Any],
) -> None:
    article = seed_analysis
    assert article["schema_version"] == "1.0"
    assert HEX_ID.fullmatch(article["id"])
    assert article["source"] == str(SEED)
    assert article["text"].startswith(SEED_FIRST_LINE + "\n")
    assert article["text"].endswith(SEED_LAST_LINE)
    reasons = {dropped["reason"] for dropped in article["dropped"]}
    assert {"teaser", "promo", "donation_appeal", "syndication_footer"} <= reasons
    assert not any("ReplyDelete" in line for line in article["text"].split("\n"))
    people = {e["canonical"] for e in article["entities"] if e["label"] == "PERSON"}
    assert {"Jens Stoltenberg", "Petro Poroshenko"} <= people
    text = article["text"]
    for entity in article["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    first = article["sentences"][0]
    # spaCy counts the line break after a sentence as part of it; the words are the first line.
    assert text[first["start"] : first["end"]].rstrip("\n") == SEED_FIRST_LINE


def test_analyze_json_format_pretty_prints(tmp_path: Path) -> None:
    result = cli(
        "--db",
        str(tmp_path / "unused.db"),
        "analyze",
        str(SEED),
        "--format",
        "json",
        "--stages",
        "extract",
    )

    assert result.exit_code == 0
    assert result.stdout.startswith('{\n  "schema_version": "1.0",\n  "id": ')
    article = json.loads(result.stdout)
    assert article["text"].startswith(SEED_FIRST_LINE)
    assert not (tmp_path / "unused.db").exists()  # analyze stores nothing


def test_analyze_extract_stage_leaves_out_entities_and_sentences(
    seed_analysis: dict[str, Any],
) -> None:
    result = cli("analyze", str(SEED), "--stages", "extract")

    assert (result.exit_code, result.stderr) == (0, "")
    (article,) = json_lines(result.stdout)
    assert "entities" not in article and "sentences" not in article
    assert (article["id"], article["text"], article["dropped"]) == (
        seed_analysis["id"],
        seed_analysis["text"],
        seed_analysis["dropped"],
    )


JSONL_RECORDS: list[dict[str, Any]] = [
    {"id": "a-1", "text": "OSLO, June 1 - The Storting approved a new fisheries law on Monday."},
    {"id": 7, "text": "BERGEN, June 2 - Ferry services resumed after a two-day strike."},
    {"text": "TROMSO, June 3 - The northern lights festival drew a record crowd, organisers said."},
]


@pytest.mark.parametrize("via_stdin", [False, True], ids=["file", "stdin"])
def test_analyze_jsonl_keeps_input_order_and_echoes_ids(tmp_path: Path, via_stdin: bool) -> None:
    dump = "".join(json.dumps(record) + "\n" for record in JSONL_RECORDS)
    path = tmp_path / "dump.jsonl"
    path.write_text(dump, encoding="utf-8")

    if via_stdin:
        result = cli("analyze", "-", "--stages", "extract", input=dump.encode("utf-8"))
    else:
        result = cli("analyze", str(path), "--stages", "extract")

    assert (result.exit_code, result.stderr) == (0, "")
    articles = json_lines(result.stdout)
    assert [a["input_id"] for a in articles] == ["a-1", "7", None]
    assert [a["text"] for a in articles] == [r["text"] for r in JSONL_RECORDS]
    name = "-" if via_stdin else str(path)
    assert [a["source"] for a in articles] == [f"{name}:1", f"{name}:2", f"{name}:3"]


def test_analyze_reads_standard_input(seed_analysis: dict[str, Any]) -> None:
    result = cli("analyze", "-", "--stages", "extract", input=SEED.read_bytes())

    assert (result.exit_code, result.stderr) == (0, "")
    (article,) = json_lines(result.stdout)
    assert article["source"] == "-"
    assert (article["id"], article["text"]) == (seed_analysis["id"], seed_analysis["text"])


def test_a_failed_input_is_one_line_on_stderr_the_others_are_printed_and_exit_is_1(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "no-such-story.txt"

    result = cli("analyze", str(missing), str(SEED), "--stages", "extract")

    assert result.exit_code == 1
    (article,) = json_lines(result.stdout)
    assert article["text"].startswith(SEED_FIRST_LINE)
    assert result.stderr.splitlines() == [
        f"{missing}: collect failed [not_found]: no such file: {missing}"
    ]


# usage errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze"], "Missing argument 'INPUT...'"),
        (["analyze", "--colour", str(SEED)], "No such option '--colour'"),
        (["ingest", str(SEED), "--stages", "nlp"], "Invalid value for '--stages'"),
        (
            ["--set", "nlp_batch_size=many", "analyze", str(SEED)],
            "setting nlp_batch_size expects int, got 'many'",
        ),
        (
            ["--set", "nlp_batch_size=0", "analyze", str(SEED)],
            "setting nlp_batch_size must be positive, got '0'",
        ),
        (
            ["--set", "respect_robots=perhaps", "analyze", str(SEED)],
            "setting respect_robots expects bool, got 'perhaps'",
        ),
        (["--set", "nlp_batchsize=4", "analyze", str(SEED)], "unknown setting 'nlp_batchsize'"),
        (["--set", "nlp_batch_size", "analyze", str(SEED)], "expected NAME=VALUE"),
        (["search", "--limit", "0", "NATO"], "Invalid value for '--limit'"),
        (["export", "--format", "xml"], "Invalid value for '--format'"),
        (["translate", str(SEED)], "No such command 'translate'"),
    ],
    ids=[
        "no-inputs",
        "unknown-option",
        "unknown-stage",
        "set-not-an-int",
        "set-not-positive",
        "set-not-a-bool",
        "unknown-setting",
        "set-without-value",
        "search-limit-0",
        "export-unknown-format",
        "unknown-command",
    ],
)
def test_usage_errors_exit_2_with_the_reason(tmp_path: Path, args: list[str], message: str) -> None:
    db = tmp_path / "wirewatch.db"

    result = cli("--db", str(db), *args)

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert message in result.stderr
    assert not db.exists()  # a mistyped command creates no store


@pytest.mark.parametrize(
    "command",
    [
        ["search", "NATO"],
        ["show", "f2dfca0c27519a6f"],
        ["export", "--format", "jsonl"],
        ["failures"],
    ],
)
def test_reading_a_store_that_does_not_exist_is_a_usage_error(
    tmp_path: Path, command: list[str]
) -> None:
    db = tmp_path / "typo.db"

    result = cli("--db", str(db), *command)

    assert result.exit_code == 2
    assert f"no store at {db}" in result.stderr
    assert not db.exists()  # a mistyped --db leaves no empty store behind


@pytest.mark.parametrize("command", [["ingest", str(SEED)], ["search", "NATO"]])
def test_a_db_that_is_not_a_store_is_one_clear_error_and_left_alone(
    tmp_path: Path, command: list[str]
) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("not a database\n", encoding="utf-8")

    result = cli("--db", str(notes), *command)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"wirewatch: error [store_error]: cannot open store {notes}: "
        "the file is not an SQLite database\n"
    )
    assert notes.read_text(encoding="utf-8") == "not a database\n"


def test_show_an_unknown_id_is_a_usage_error(store_db: Path) -> None:
    result = cli("--db", str(store_db), "show", "0123456789abcdef")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no article with id '0123456789abcdef'" in result.stderr


def test_show_a_too_short_prefix_is_a_usage_error(store_db: Path) -> None:
    result = cli("--db", str(store_db), "show", "f2df")

    assert result.exit_code == 2
    assert "too short: give at least 6 characters" in result.stderr


def test_search_query_that_is_not_valid_is_a_usage_error(store_db: Path) -> None:
    result = cli("--db", str(store_db), "search", "NATO AND")

    assert result.exit_code == 2
    assert "cannot search for 'NATO AND'" in result.stderr


# ingest


def test_ingest_twice_stores_each_article_once(tmp_path: Path) -> None:
    db = tmp_path / "data" / "news.db"
    inputs = SAMPLE_INPUTS[:3]  # a page, a text file, a dump of 4 records

    first = cli("--db", str(db), "ingest", *inputs, "--stages", "extract")

    assert first.exit_code == 0, first.output
    counts, articles = stored(db)
    assert counts["articles"] == 6
    rows = first.stdout.splitlines()
    assert [row.split()[0] for row in rows] == [a["id"] for a in articles]  # id first, in order
    assert articles[0]["source"] == SAMPLE_INPUTS[0]
    assert rows[0] == (
        f"{articles[0]['id']}  The Meridian Ledger      307w  "
        "Dockworkers end nine-day strike at Klaipeda port after wage deal"
    )  # no people named: --stages extract finds no entities
    (summary,) = first.stderr.splitlines()
    assert re.fullmatch(
        rf"ingested 6 new article\(s\) into {re.escape(str(db))} in [\d.]+ s; "
        r"0 copies of stored texts recorded, 0 duplicate\(s\) skipped, 0 failure\(s\)",
        summary,
    ), summary

    second = cli("--db", str(db), "ingest", *inputs, "--stages", "extract")

    assert second.exit_code == 0
    assert second.stdout == ""
    assert "ingested 0 new article(s)" in second.stderr
    assert "6 duplicate(s) skipped, 0 failure(s)" in second.stderr
    assert stored(db) == (counts, articles)


def test_ingest_quiet_prints_no_summary(tmp_path: Path) -> None:
    result = cli("--db", str(tmp_path / "q.db"), "-q", "ingest", str(SEED), "--stages", "extract")

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.split()[0] == stored(tmp_path / "q.db")[1][0]["id"]


def test_ingest_failures_are_stored_listed_and_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    missing = tmp_path / "missing.html"
    empty = tmp_path / "empty.txt"
    empty.write_text("")

    result = cli(
        "--db", str(db), "ingest", str(missing), str(SEED), str(empty), "--stages", "extract"
    )

    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1  # the seed
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        f"{missing}: collect failed [not_found]: no such file: {missing}",
        f"{empty}: collect failed [empty_input]: file is empty",
    ]
    assert lines[2].endswith("0 duplicate(s) skipped, 2 failure(s)")
    assert stored(db)[0]["articles"] == 1

    listed = cli("--db", str(db), "failures")

    assert listed.exit_code == 0
    newest, oldest = listed.stdout.splitlines()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00  " + re.escape(lines[1]), newest)
    assert oldest.endswith("  " + lines[0])

    as_json = cli("--db", str(db), "failures", "--format", "jsonl", "--limit", "1")

    (failure,) = json_lines(as_json.stdout)
    assert {k: failure[k] for k in ("source", "input_id", "stage", "code")} == {
        "source": str(empty),
        "input_id": None,
        "stage": "collect",
        "code": "empty_input",
    }


# search, show, export


def test_search_text_format_lists_hits_with_marked_snippets(
    store_db: Path, seed_analysis: dict[str, Any]
) -> None:
    result = cli("--db", str(store_db), "search", "Stoltenberg")

    assert (result.exit_code, result.stderr) == (0, "")
    id_line, where_line, snippet_line = result.stdout.splitlines()  # only the seed matches
    # No headline: the one fallback title every page, the API and the CLI show.
    assert id_line == (
        f"{seed_analysis['id']}  NATO chief Jens Stoltenberg pledged support for Ukraine during "
        "a visit to Kiev on Monday…"
    )
    assert where_line == "    -  -"
    assert snippet_line.startswith("    NATO chief Jens [Stoltenberg] pledged support")


def test_search_json_format(store_db: Path, seed_analysis: dict[str, Any]) -> None:
    result = cli("--db", str(store_db), "search", "ferry OR Stoltenberg", "--format", "json")

    assert result.exit_code == 0
    hits = json_lines(result.stdout)
    assert len(hits) >= 2
    for hit in hits:
        assert set(hit) == {
            "id", "title", "display_title", "url", "site", "published", "snippet", "rank",
        }  # fmt: skip
        assert re.search(r"\[(?:[Ff]erry|Stoltenberg)\]", hit["snippet"]), hit["snippet"]
    assert [h["rank"] for h in hits] == sorted(h["rank"] for h in hits)  # best first
    ferry = next(h for h in hits if h["title"] and "Ferry" in h["title"])
    assert ferry["url"] == "https://www.dailyfjord.example/news/2024/04/12/ferry-fire-bergen"
    assert seed_analysis["id"] in {h["id"] for h in hits}


def test_search_text_format_keeps_each_hit_to_three_lines(store_db: Path) -> None:
    # "Subsidy row" is a sub-heading of crlf_story.txt: the snippet around it spans line breaks
    # of the article. Printed as they are, those breaks start lines at column 0 that read like
    # the next hit; every line but a hit's first must stay indented.
    result = cli("--db", str(store_db), "search", "subsidy")

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) % 3 == 0, lines
    for index, line in enumerate(lines):
        if index % 3 == 0:
            assert HEX_ID.match(line), line
        else:
            assert line.startswith("    "), line


def test_search_without_hits_says_so_on_stderr(store_db: Path) -> None:
    result = cli("--db", str(store_db), "search", "zeppelin")

    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no articles match 'zeppelin'\n"


def test_show_by_id_in_text_format(store_db: Path, seed_analysis: dict[str, Any]) -> None:
    result = cli("--db", str(store_db), "show", seed_analysis["id"])

    assert (result.exit_code, result.stderr) == (0, "")
    head, _, rest = result.stdout.partition("\n\n")
    fields = dict(line.strip().split(": ", 1) for line in head.splitlines())
    assert fields["id"] == seed_analysis["id"]
    assert fields["source"] == str(SEED)
    assert fields["language"] == "en"
    assert fields["title"] == "-"  # unknown stays unknown
    assert fields["people"].startswith("Jens Stoltenberg, Petro Poroshenko")
    assert "Kyiv" in fields["places"].split(", ")
    text, _, dropped = rest.partition("\n\n-- dropped ")
    assert text == seed_analysis["text"]
    count = len(seed_analysis["dropped"])
    assert dropped.startswith(f"{count} line(s) --\n")
    assert len(dropped.splitlines()) == count + 1
    assert re.search(r"^\[syndication_footer\] from Military Space News", dropped, re.M)


def test_show_by_prefix_in_json_equals_analyze(
    store_db: Path, seed_analysis: dict[str, Any]
) -> None:
    prefix = seed_analysis["id"][:8]

    result = cli("--db", str(store_db), "show", prefix, "--format", "json")

    assert (result.exit_code, result.stderr) == (0, "")
    shown = json.loads(result.stdout)
    assert result.stdout.startswith("{\n  ")  # pretty printed
    for field in ("schema_version", "id", "source", "text", "dropped", "sentences", "entities"):
        assert shown[field] == seed_analysis[field], field


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_to_a_file_has_one_row_per_stored_article(
    store_db: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"export.{fmt}"
    counts, articles = stored(store_db)

    result = cli("--db", str(store_db), "export", "--format", fmt, "--output", str(out))

    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"exported {counts['articles']} article(s)\n"
    if fmt == "jsonl":
        exported = json_lines(out.read_text(encoding="utf-8"))
        assert exported == articles
    else:
        with out.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        assert tuple(header) == CSV_COLUMNS
        assert len(rows) == counts["articles"]
        by_column = [dict(zip(header, row, strict=True)) for row in rows]
        assert [r["id"] for r in by_column] == [a["id"] for a in articles]
        assert [r["text"] for r in by_column] == [a["text"] for a in articles]  # line breaks kept
        seed_row = next(r for r in by_column if r["text"].startswith(SEED_FIRST_LINE))
        assert "Jens Stoltenberg" in seed_row["entities"].split("; ")


def test_export_to_stdout(store_db: Path) -> None:
    result = cli("--db", str(store_db), "-q", "export", "--format", "csv")

    assert (result.exit_code, result.stderr) == (0, "")
    header, *rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert tuple(header) == CSV_COLUMNS
    assert len(rows) == stored(store_db)[0]["articles"]


# settings and help


def test_set_nlp_batch_size_is_accepted_and_changes_no_result(
    seed_analysis: dict[str, Any],
) -> None:
    result = cli("--set", "nlp_batch_size=4", "analyze", str(SEED))

    assert (result.exit_code, result.stderr) == (0, "")
    (article,) = json_lines(result.stdout)
    for field in ("id", "text", "sentences", "entities"):
        assert article[field] == seed_analysis[field], field


def test_a_setting_from_the_environment_is_used(tmp_path: Path) -> None:
    big = tmp_path / "story.txt"
    big.write_text(SEED_FIRST_LINE * 10, encoding="utf-8")

    result = CliRunner().invoke(
        main,
        ["analyze", str(big), "--stages", "extract"],
        env={"WIREWATCH_MAX_DOCUMENT_BYTES": "100"},
    )

    assert result.exit_code == 1
    assert "[too_large]" in result.stderr


COMMANDS = sorted(main.commands) if isinstance(main, click.Group) else []


def test_every_command_is_listed_in_the_main_help() -> None:
    result = cli("--help")

    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: wirewatch [OPTIONS] COMMAND [ARGS]...")
    assert {"analyze", "ingest", "search", "show", "export", "failures"} <= set(COMMANDS)
    for command in COMMANDS:
        assert re.search(rf"^  {command}\s+\S", result.stdout, re.M), command


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help(command: str, flag: str) -> None:
    result = cli(command, flag)

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith(f"Usage: wirewatch {command} [OPTIONS]")
    summary = (main.commands[command].help or "").split("\n")[0]
    assert summary[:40] in " ".join(result.stdout.split())


def test_version() -> None:
    result = cli("--version")

    assert result.exit_code == 0
    assert re.fullmatch(r"wirewatch, version \S+\n", result.stdout)
