"""PETRARCH unit-test records coded with their own validation dictionaries.

Reads ``../shared/eval/petrarch-unit/`` (``PETR.UnitTest.records.xml`` and the
``PETR.Validate.*.txt`` dictionaries it names) through ``wirewatch.understand.petrarch``.
Each record's text is parsed by the pipeline's spaCy model (the Treebank parse in the record
is not used) and coded on the record's date with the dictionaries alone (no wirewatch lexicon
or actors). An expected event is correct when a coded event has the same source code, target
code and event code; coded events matching none are extra. ``noevents`` records are kept when
nothing is coded; ``error`` records (bad input, discards) are kept when nothing is coded.

    python bench/petrarch_unit.py [--data DIR] [--show N] [--speed]

``--speed`` also times the coder against the spaCy parse on the texts of ``samples/``.
"""

from __future__ import annotations

import argparse
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from wirewatch.understand.nlp import load_nlp
from wirewatch.understand.petrarch.coder import code_doc
from wirewatch.understand.petrarch.dictionaries import Dictionaries, read_dictionaries

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/eval/petrarch-unit"


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    category: str
    day: date
    text: str
    expected: tuple[tuple[str, str, str], ...]
    noevents: bool
    error: str | None


def read_records(path: Path) -> list[Record]:
    records: list[Record] = []
    for node in ET.parse(path).getroot().iter("Sentence"):
        text_node = node.find("Text")
        text = " ".join((text_node.text or "").split()) if text_node is not None else ""
        expected: list[tuple[str, str, str]] = []
        noevents, error = False, None
        for coding in node.findall("EventCoding"):
            if (coding.get("noevents") or "").strip().lower() == "true":
                noevents = True
            elif coding.get("error"):
                error = coding.get("error")
            elif coding.get("eventcode"):
                expected.append(
                    (coding.get("sourcecode", ""), coding.get("targetcode", ""),
                     coding.get("eventcode", ""))
                )  # fmt: skip
        raw = node.get("date", "")
        records.append(
            Record(
                node.get("id", ""), node.get("category", "").strip(),
                date(int(raw[:4]), int(raw[4:6]), int(raw[6:8])), text, tuple(expected),
                noevents, error,
            )
        )  # fmt: skip
    return records


def environment_paths(path: Path) -> dict[str, list[Path]]:
    root = ET.parse(path).getroot()
    names = {"verbs": "Verbfile", "actors": "Actorfile", "agents": "Agentfile",
             "discards": "Discardfile"}  # fmt: skip
    out: dict[str, list[Path]] = {}
    for kind, tag in names.items():
        node = root.find(f"Environment/{tag}")
        if node is not None and node.text:
            out[kind] = [path.parent / node.text.strip()]
    return out


def code_record(nlp: object, book: Dictionaries, record: Record) -> set[tuple[str, str, str]]:
    doc = nlp(record.text)  # type: ignore[operator]
    return {(c.source.code, c.target.code, c.code) for c in code_doc(doc, book, record.day)}


def accuracy(data: Path, show: int) -> None:
    records_path = data / "PETR.UnitTest.records.xml"
    book = read_dictionaries(environment_paths(records_path))
    records = read_records(records_path)
    nlp = load_nlp()
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    shown = 0
    for record in records:
        got = code_record(nlp, book, record)
        row = stats[record.category]
        row["records"] += 1
        if record.noevents or record.error:
            key = "noevents" if record.noevents else "errors"
            row[key] += 1
            row[f"{key}_kept"] += not got
            row["extra"] += len(got)
            bad = bool(got)
        else:
            want = set(record.expected)
            row["expected"] += len(want)
            row["correct"] += len(want & got)
            row["missed"] += len(want - got)
            row["extra"] += len(got - want)
            bad = want != got
        if bad and shown < show:
            shown += 1
            print(f"{record.id}: {record.text}\n  want {sorted(record.expected)}"
                  f"{' noevents' if record.noevents else ''}\n  got  {sorted(got)}")  # fmt: skip
    total: Counter[str] = Counter()
    print(f"PETRARCH unit tests ({len(records)} records, {data})")
    header = ("category", "records", "expected", "correct", "missed", "extra", "noevents",
              "kept", "errors", "kept")  # fmt: skip
    print("{:<10} {:>7} {:>8} {:>7} {:>6} {:>5} {:>8} {:>4} {:>6} {:>4}".format(*header))
    for category in sorted(stats):
        row = stats[category]
        total.update(row)
        _row(category, row)
    _row("TOTAL", total)
    coded = total["correct"] + total["extra"]
    precision = total["correct"] / coded if coded else 0.0
    recall = total["correct"] / total["expected"] if total["expected"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")


def _row(name: str, row: Counter[str]) -> None:
    print(
        f"{name:<10} {row['records']:>7} {row['expected']:>8} {row['correct']:>7} "
        f"{row['missed']:>6} {row['extra']:>5} {row['noevents']:>8} {row['noevents_kept']:>4} "
        f"{row['errors']:>6} {row['errors_kept']:>4}"
    )


def speed(data: Path) -> None:
    """The coder's time as a share of the spaCy parse, on the sample texts, in one run."""
    book = read_dictionaries(environment_paths(data / "PETR.UnitTest.records.xml"))
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    nlp = load_nlp()
    list(nlp.pipe(texts[:1]))  # warm up
    started = time.perf_counter()
    docs = list(nlp.pipe(texts * 3))
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for doc in docs:
        code_doc(doc, book, date(2020, 1, 1))
    code_seconds = time.perf_counter() - started
    words = sum(len(d) for d in docs)
    print(
        f"speed on samples/*.txt x3 ({len(docs)} texts, {words} tokens): spaCy parse "
        f"{parse_seconds:.2f}s, PETRARCH coder {code_seconds:.3f}s = "
        f"{100 * code_seconds / parse_seconds:.1f}% of the parse"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=0, help="print N records coded wrong")
    parser.add_argument("--speed", action="store_true", help="also time the coder")
    args = parser.parse_args(argv)
    if not (args.data / "PETR.UnitTest.records.xml").is_file():
        print(f"no PETRARCH unit-test records in {args.data}", file=sys.stderr)
        return 2
    accuracy(args.data, args.show)
    if args.speed:
        speed(args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
