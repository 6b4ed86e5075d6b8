"""Quotes and events out of the store: JSON Lines, CSV, GDELT 2.0's event and mentions tables
and PLOVER records, each parsed back the way a user's tools would read it."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from typing import Any

import pytest

from tests.store.test_events_store import SHELLING_URL, annotated_news
from wirewatch.errors import UsageError
from wirewatch.model import Actor, Article, Event
from wirewatch.serialize import event_from_dict, quote_from_dict
from wirewatch.store import Store
from wirewatch.store import store as store_module
from wirewatch.store.export import check_export, export_records
from wirewatch.store.export_annotations import EVENT_CSV_COLUMNS, QUOTE_CSV_COLUMNS
from wirewatch.store.gdelt import GDELT_COLUMNS, MENTION_COLUMNS
from wirewatch.store.records import record_id


@pytest.fixture
def news(store: Store) -> list[Article]:
    articles = annotated_news()
    store.add_articles(articles)
    return articles


def exported(
    store: Store, what: str, fmt: str, *, asserted_only: bool = False, header: bool = False
) -> str:
    out = io.StringIO(newline="")
    export_records(
        store,
        what,  # type: ignore[arg-type]
        fmt,
        out,
        asserted_only=asserted_only,
        header=header,
    )
    return out.getvalue()


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def csv_records(text: str) -> tuple[list[str], list[dict[str, str]]]:
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def tsv_records(text: str) -> tuple[list[str], list[dict[str, str]]]:
    header, *rows = (line.split("\t") for line in text.splitlines())
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def gdelt_records(text: str, columns: tuple[str, ...] = GDELT_COLUMNS) -> list[dict[str, str]]:
    """Rows read by position with GDELT's column list, as GDELT users' scripts read them."""
    rows = [line.split("\t") for line in text.splitlines()]
    return [dict(zip(columns, row, strict=True)) for row in rows]


# Quotes


def test_quotes_jsonl_has_one_quote_per_line_with_its_article_and_sentence(
    store: Store, news: list[Article]
) -> None:
    records = json_lines(exported(store, "quotes", "jsonl"))

    assert len(records) == 4  # three in the NATO story, one in the shelling story
    peskov = records[2]
    assert peskov["article_id"] == news[0].id
    assert peskov["quote_index"] == 2
    assert peskov["url"] == news[0].url
    assert peskov["published"] == "2017-07-10T00:00:00+00:00"
    assert peskov["speaker"]["name"] == "Dmitry Peskov"
    assert peskov["sentence_text"] == news[0].text.split("\n")[3]
    # The quote object itself is the one docs/schema.md describes, readable back.
    assert quote_from_dict(records[3]) == news[1].quotes[0]


def test_quotes_csv_flattens_the_speaker(store: Store, news: list[Article]) -> None:
    header, rows = csv_records(exported(store, "quotes", "csv"))

    assert tuple(header) == QUOTE_CSV_COLUMNS
    lysenko = rows[3]
    assert lysenko["speaker_name"] == "Andriy Lysenko"
    assert lysenko["speaker_text"] == "Ukrainian military spokesman Andriy Lysenko"
    assert lysenko["speaker_country"] == "UKR"
    assert lysenko["kind"] == "direct" and lysenko["cue"] == "said"
    assert lysenko["text"] == "Russian artillery fired across the border"
    assert news[1].text[int(lysenko["start"]) : int(lysenko["end"])] == lysenko["text"]
    assert lysenko["sentence_text"].startswith('"Russian artillery fired')
    assert rows[0]["speaker_resolved_from"] == "Stoltenberg"
    assert rows[0]["speaker_country"] == ""  # unknown stays empty


# Events as JSON Lines and CSV


def test_events_jsonl_is_the_event_object_with_its_article_and_evidence(
    store: Store, news: list[Article]
) -> None:
    records = json_lines(exported(store, "events", "jsonl"))

    assert [(r["article_id"], r["event_index"]) for r in records] == [
        (article.id, index) for article in news for index in range(len(article.events))
    ]
    shelling = records[3]
    assert shelling["url"] == SHELLING_URL
    assert shelling["published"] == "2017-07-12"
    assert shelling["sentence_text"] == news[1].text.split("\n")[0]
    added = {"article_id", "event_index", "url", "published", "sentence_text"}
    record = {"record_id", "story_id", "representative", "num_mentions", "num_articles"}
    added |= record | {"num_sources"}
    assert shelling["num_mentions"] == 1 and shelling["story_id"] is None  # no stories here
    event = {name: value for name, value in shelling.items() if name not in added}
    assert event_from_dict(event) == news[1].events[0]


def test_events_csv_joins_sources_and_targets_in_step(store: Store, news: list[Article]) -> None:
    header, rows = csv_records(exported(store, "events", "csv"))

    assert tuple(header) == EVENT_CSV_COLUMNS
    assert len(rows) == 8
    shelling = rows[3]
    assert (shelling["cameo"], shelling["plover"], shelling["polarity"]) == (
        "194", "ASSAULT", "reported_claim",
    )  # fmt: skip
    assert (shelling["source_text"], shelling["source_code"]) == ("Russia", "RUSMIL")
    assert shelling["target_code"] == "UKRMIL"
    assert shelling["claimant_code"] == "UKRGOV"
    assert (shelling["date"], shelling["date_text"]) == ("2014-06", "June 2014")
    assert shelling["location_name"] == "Luhansk"
    assert float(shelling["location_lat"]) == 48.56705
    assert rows[5]["target_text"] == rows[5]["target_code"] == ""  # the fire has no target


def test_an_event_with_several_actors_keeps_their_columns_aligned(store: Store) -> None:
    [article] = annotated_news()[2:]
    attack = article.events[0]
    attack.source.append(Actor("allied militias", 0, 6, None, sector="REB"))
    store.add_article(article)

    [row] = csv_records(exported(store, "events", "csv"))[1]

    assert row["source_text"].split("; ") == ["Rebels", "allied militias"]
    assert row["source_code"].split("; ") == ["REB", ""]  # the unknown code keeps its place


# GDELT


def test_gdelt_has_61_columns_no_header_and_one_row_per_source_target_pair(
    store: Store, news: list[Article]
) -> None:
    appeal = Event(
        "020", "Appeal, not specified below", "REQUEST", 1, 3.0,
        [actor("Britain", "GBR"), actor("France", "FRA")],
        [actor("Russia", "RUS"), actor("Iran", "IRN")],
        "asserted", "urged", 0, 48, 0,
    )  # fmt: skip
    article = Article(
        text="Britain and France urged Russia and Iran to act.", source="t", events=[appeal]
    )
    store.add_article(article)

    text = exported(store, "events", "gdelt")
    rows = gdelt_records(text)

    assert len(GDELT_COLUMNS) == 61
    assert all(len(line.split("\t")) == 61 for line in text.splitlines())
    assert rows[0]["GLOBALEVENTID"].isdigit()  # no header line
    assert len(rows) == 8 + 4  # one row per stored event, and four for the 2 x 2 appeal
    pairs = [r for r in rows if r["EventCode"] == "020"]
    assert [(r["Actor1Code"], r["Actor2Code"]) for r in pairs] == [
        ("GBR", "RUS"), ("GBR", "IRN"), ("FRA", "RUS"), ("FRA", "IRN"),
    ]  # fmt: skip
    # One event, one id: every pair row carries it, and only the first is the root row.
    assert {r["GLOBALEVENTID"] for r in pairs} == {str(record_id(article.id, 0))}
    assert [r["IsRootEvent"] for r in pairs] == ["1", "0", "0", "0"]
    assert len({r["GLOBALEVENTID"] for r in rows}) == 9
    with_header = exported(store, "events", "gdelt", header=True).splitlines()
    assert tuple(with_header[0].split("\t")) == GDELT_COLUMNS


def actor(name: str, code: str) -> Actor:
    return Actor(name, 0, len(name), code, country=code)


def test_gdelt_columns_hold_codes_dates_places_and_counts(
    store: Store, news: list[Article]
) -> None:
    nato, shelling, donetsk = news
    rows = {r["GLOBALEVENTID"]: r for r in gdelt_records(exported(store, "events", "gdelt"))}

    def row(article: Article, index: int) -> dict[str, str]:
        return rows[str(record_id(article.id, index))]

    visit = row(nato, 0)
    assert (visit["SQLDATE"], visit["MonthYear"], visit["Year"]) == ("20170710", "201707", "2017")
    assert visit["FractionDate"] == "2017.5205"  # day 191 of 365
    assert (visit["Actor1Code"], visit["Actor1Name"]) == ("IGOWSTNAT", "Jens Stoltenberg")
    assert (visit["Actor1Type1Code"], visit["Actor1KnownGroupCode"]) == ("IGO", "NAT")
    assert (visit["Actor2Code"], visit["Actor2CountryCode"]) == ("UKRGOV", "UKR")
    assert visit["Actor2Type1Code"] == "GOV"
    assert (visit["EventCode"], visit["EventBaseCode"], visit["EventRootCode"]) == (
        "042", "042", "04",
    )  # fmt: skip
    assert (visit["QuadClass"], visit["GoldsteinScale"]) == ("1", "1.9")
    assert (visit["NumMentions"], visit["NumSources"], visit["NumArticles"]) == ("1", "1", "1")
    assert visit["AvgTone"] == ""  # no tone measure
    assert visit["ActionGeo_FullName"] == "Kyiv"
    assert (visit["ActionGeo_Type"], visit["ActionGeo_CountryCode"]) == ("4", "UP")  # FIPS
    assert visit["ActionGeo_ADM1Code"].startswith("UP")
    assert (visit["ActionGeo_Lat"], visit["ActionGeo_Long"]) == ("50.45466", "30.5238")
    assert visit["ActionGeo_FeatureID"] == "703448"
    assert visit["Actor1Geo_FullName"] == ""  # where an actor is: not resolved
    assert visit["SOURCEURL"] == nato.url
    assert len(visit["DATEADDED"]) == 14 and visit["DATEADDED"].isdigit()

    aggression = row(nato, 2)
    assert aggression["SQLDATE"] == "20170710"  # no date of its own: the article's day
    assert aggression["ActionGeo_FullName"] == aggression["ActionGeo_Lat"] == ""

    # A month is not a day: MonthYear and Year only, never a day the text does not name.
    shelled = row(shelling, 0)
    assert (shelled["SQLDATE"], shelled["MonthYear"], shelled["Year"]) == ("", "201406", "2014")
    fire = row(shelling, 2)
    assert (fire["Actor1Code"], fire["Actor2Code"], fire["Actor2Name"]) == ("RUSMIL", "", "")
    assert row(donetsk, 0)["SQLDATE"] == ""  # a week: neither one day nor one month
    assert row(donetsk, 0)["Year"] == "2017"


def test_gdelt_mentions_name_each_event_document_sentence_and_offsets(
    store: Store, news: list[Article]
) -> None:
    nato = news[0]
    rows = gdelt_records(exported(store, "mentions", "gdelt"), MENTION_COLUMNS)

    assert len(rows) == 8  # one document per article here: one mention row per event
    visit = next(r for r in rows if r["GLOBALEVENTID"] == str(record_id(nato.id, 0)))
    event = nato.events[0]
    assert (visit["MentionType"], visit["MentionIdentifier"]) == ("1", nato.url)
    assert visit["SentenceID"] == str(event.sentence + 1)
    assert visit["ActionCharOffset"] == str(event.start)
    assert visit["Actor1CharOffset"] == str(event.source[0].start)
    assert "<DATE_SOURCE>text</DATE_SOURCE>" in visit["Extras"]
    denied = [r for r in rows if "<POLARITY>denied</POLARITY>" in r["Extras"]]
    assert len(denied) == 1


def test_gdelt_date_is_empty_when_nothing_is_known(store: Store) -> None:
    [article] = annotated_news()[2:]
    article.published = None
    store.add_article(article)

    [row] = gdelt_records(exported(store, "events", "gdelt"))

    assert row["SQLDATE"] == ""
    assert row["SOURCEURL"] == article.url


# PLOVER


def test_plover_records_name_the_type_actors_and_evidence(
    store: Store, news: list[Article]
) -> None:
    records = {
        (r["article_id"], r["event_index"]): r
        for r in json_lines(exported(store, "events", "plover"))
    }

    assert len(records) == 8
    shelling = records[(news[1].id, 0)]
    assert shelling["id"] == str(record_id(news[1].id, 0))
    assert shelling["event"] == "ASSAULT"
    assert shelling["date"] == "2014-06"
    assert (shelling["mode"], shelling["context"]) == ("heavy-weapons", "military")  # 194
    assert shelling["language"] == "en"
    assert shelling["source"] == [{"actorText": "Russia", "code": "RUS", "sector": "MIL"}]
    assert shelling["target"] == [{"actorText": "its positions", "code": "UKR", "sector": "MIL"}]
    assert shelling["text"] == news[1].text.split("\n")[0]
    assert shelling["eventText"] == "shelling"
    assert (shelling["polarity"], shelling["cameo"]) == ("reported_claim", "194")
    assert shelling["url"] == SHELLING_URL
    visit = records[(news[0].id, 0)]
    assert (visit["mode"], visit["context"]) == ("visit", None)  # 042 in the table
    assert visit["event_loc"]["name"] == "Kyiv"
    assert visit["source"] == [
        {"actorText": "Jens Stoltenberg", "code": "IGOWSTNAT", "sector": None}
    ]
    donetsk = records[(news[2].id, 0)]
    assert donetsk["source"] == [{"actorText": "Rebels", "code": None, "sector": "REB"}]
    assert donetsk["date"] == "2017-W27"
    assert records[(news[0].id, 1)]["date"] == "2017-07-10"  # the article's day
    assert records[(news[0].id, 1)]["date_source"] == "published"


# Asserted only


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "gdelt", "plover"])
def test_asserted_only_leaves_out_denials_claims_and_intentions(
    store: Store, news: list[Article], fmt: str
) -> None:
    text = exported(store, "events", fmt, asserted_only=True)

    if fmt in {"jsonl", "plover"}:
        polarities = [r["polarity"] for r in json_lines(text)]
    elif fmt == "csv":
        polarities = [r["polarity"] for r in csv_records(text)[1]]
    else:
        kept = {r["GLOBALEVENTID"] for r in gdelt_records(text)}
        every = {r["GLOBALEVENTID"]: r for r in gdelt_records(exported(store, "events", "gdelt"))}
        assert len(kept) == 4 and len(every) == 8
        return
    # The visit, the accusation, the artillery fire and the Donetsk attack; not the pledge
    # (intended), Russia's aggression (a claim), the shelling (a claim) or the backing (denied).
    assert polarities == ["asserted"] * 4
    everything = exported(store, "events", fmt)
    assert "denied" in everything and "reported_claim" in everything


# What cannot be exported


@pytest.mark.parametrize(
    ("what", "fmt", "asserted_only", "message"),
    [
        ("quotes", "gdelt", False, "cannot export quotes as 'gdelt': --format gdelt is for events"),
        ("articles", "plover", False, "cannot export articles as 'plover'"),
        ("quotes", "jsonl", True, "asserted-only keeps only asserted events"),
        ("articles", "csv", True, "asserted-only keeps only asserted events"),
        ("stories", "jsonl", False, "stories export as parquet"),
        ("sites", "jsonl", False, "cannot export 'sites'"),
        ("events", "xml", False, "events export as jsonl or csv or gdelt or plover or parquet"),
    ],
)
def test_a_combination_that_makes_no_sense_is_a_usage_error(
    store: Store, what: str, fmt: str, asserted_only: bool, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        check_export(what, fmt, asserted_only=asserted_only)
    with pytest.raises(UsageError):
        exported(store, what, fmt, asserted_only=asserted_only)


def test_an_empty_store_exports_headers_only(store: Store) -> None:
    assert exported(store, "events", "gdelt") == ""
    assert exported(store, "events", "gdelt", header=True) == "\t".join(GDELT_COLUMNS) + "\n"
    assert exported(store, "quotes", "csv") == ",".join(QUOTE_CSV_COLUMNS) + "\r\n"
    assert exported(store, "events", "plover") == ""


def test_exports_stream_in_pages_without_losing_or_repeating_a_record(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages of 3 end inside articles (the NATO story has 3 events, the shelling story 4).
    monkeypatch.setattr(store_module, "_PAGE_SIZE", 3)
    copies = [
        replace(article, text=f"{article.text}\nCopy {n}.", url=None, canonical_url=None)
        for n in range(5)
        for article in annotated_news()
    ]
    store.add_articles(copies)

    events = json_lines(exported(store, "events", "jsonl"))
    quotes = json_lines(exported(store, "quotes", "jsonl"))

    assert [(r["article_id"], r["event_index"]) for r in events] == [
        (article.id, index) for article in copies for index in range(len(article.events))
    ]
    assert len(quotes) == 5 * 4
    assert len({(r["article_id"], r["quote_index"]) for r in quotes}) == len(quotes)
