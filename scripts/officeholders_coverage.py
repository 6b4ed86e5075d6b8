"""How much of 1990 .. the cutoff the officeholders knowledge base covers, per role and country.

    .venv/bin/python scripts/officeholders_coverage.py            # per-role summary
    .venv/bin/python scripts/officeholders_coverage.py --countries # and one line per country
    .venv/bin/python scripts/officeholders_coverage.py --markdown  # the block in the docs page

A (country, role) pair's coverage is the number of days from 1990-01-01 (or from the
country's first row, for states that began later) to the cutoff on which some row of that
office is in force, over the number of days in that span. Partial dates count only the days
they surely cover (docs/officeholders.md), so a month-precision handover shows as a gap.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections import defaultdict
from datetime import date, timedelta

from wirewatch.understand import officeholders
from wirewatch.understand.officeholders import CUTOFF, ROLES, Holding

SINCE = date(1990, 1, 1)


def covered_days(rows: list[Holding], since: date, until: date = CUTOFF) -> int:
    """Days in [since, until] on which at least one of ``rows`` is in force."""
    spans = sorted(
        (max(row.start, since), min(row.last_day, until)) for row in rows
    )
    total = 0
    cursor = since - timedelta(days=1)  # last day already counted
    for start, end in spans:
        if end <= cursor:
            continue
        start = max(start, cursor + timedelta(days=1))
        if start <= end:
            total += (end - start).days + 1
            cursor = end
    return total


def coverage(rows: list[Holding]) -> tuple[float, float]:
    """(share of days covered since 1990, share since the office's first row or 1990)."""
    span_1990 = (CUTOFF - SINCE).days + 1
    first = max(SINCE, min(row.start for row in rows))
    span_first = (CUTOFF - first).days + 1
    days = covered_days(rows, SINCE)
    return days / span_1990, days / span_first


def markdown(holdings: tuple[Holding, ...]) -> str:
    """The coverage table and the lists of fully covered offices, as docs/officeholders.md
    shows them between its ``<!-- coverage -->`` markers."""
    offices: dict[tuple[str, str], list[Holding]] = defaultdict(list)
    for holding in holdings:
        offices[(holding.role, holding.country)].append(holding)
    lines = [
        "| role | offices | people-terms (rows) | covered >= 99% since 1990 "
        "| covered >= 99% since first row | mean coverage since 1990 |",
        "|---|---|---|---|---|---|",
    ]
    full: dict[str, list[str]] = {}
    for role in ROLES:
        keys = sorted(key for key in offices if key[0] == role)
        if not keys:
            continue
        shares = [coverage(offices[key]) for key in keys]
        rows = sum(len(offices[key]) for key in keys)
        full[role] = [key[1] for key, share in zip(keys, shares, strict=True) if share[0] >= 0.99]
        full_first = sum(1 for share in shares if share[1] >= 0.99)
        mean = sum(share[0] for share in shares) / len(shares)
        lines.append(
            f"| `{role}` | {len(keys)} | {rows} | {len(full[role])} | {full_first} | {mean:.1%} |"
        )
    persons = {(holding.name, holding.country) for holding in holdings}
    lines += [
        "",
        f"In all: rows (one per person, office and term): {len(holdings)}; "
        f"distinct people per country or body: {len(persons)}.",
        "",
        "Offices covered on at least 99% of the days since 1990:",
        "",
    ]
    lines += [f"- {role} ({len(codes)}): {' '.join(codes)}" for role, codes in full.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", action="store_true", help="one line per country and role")
    parser.add_argument(
        "--markdown", action="store_true",
        help="print the coverage block of docs/officeholders.md (between its coverage markers)",
    )
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(officeholders.all_holdings()))
        return 0

    started = time.perf_counter()
    holdings = officeholders.all_holdings()
    load_seconds = time.perf_counter() - started
    officeholders._index.cache_clear()
    tracemalloc.start()
    officeholders.all_holdings()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    probes = [(h.name, h.start) for h in holdings[:: max(1, len(holdings) // 500)]]
    started = time.perf_counter()
    for name, on in probes:
        officeholders.holding_of(name, on)
    per_lookup = (time.perf_counter() - started) / len(probes)

    offices: dict[tuple[str, str], list[Holding]] = defaultdict(list)
    for holding in holdings:
        offices[(holding.role, holding.country)].append(holding)
    persons = {(h.name, h.country) for h in holdings}
    print(f"rows (one per office held): {len(holdings)}; people (name, country): {len(persons)}")
    print(f"load: {load_seconds * 1000:.0f} ms, peak memory while loading {peak / 1e6:.1f} MB; "
          f"holding_of: {per_lookup * 1e6:.1f} us per lookup ({len(probes)} lookups)")
    print(f"cutoff {CUTOFF}; coverage = days covered {SINCE}..{CUTOFF} / days in span")
    print(f"{'role':9} {'offices':>7} {'>=99% since 1990':>17} {'>=99% since first':>18} "
          f"{'mean since 1990':>16}")
    for role in ROLES:
        keys = [key for key in offices if key[0] == role]
        if not keys:
            continue
        shares = [coverage(offices[key]) for key in keys]
        full_1990 = sum(1 for s in shares if s[0] >= 0.99)
        full_first = sum(1 for s in shares if s[1] >= 0.99)
        mean = sum(s[0] for s in shares) / len(shares)
        print(f"{role:9} {len(keys):>7} {full_1990:>17} {full_first:>18} {mean:>15.1%}")
    for role in ROLES:
        full = sorted(
            country for (held, country), rows in offices.items()
            if held == role and coverage(rows)[0] >= 0.99
        )
        if full:
            print(f"{role} covered on >= 99% of days since 1990 ({len(full)}): {' '.join(full)}")
    if args.countries:
        for role, country in sorted(offices, key=lambda key: (key[1], ROLES.index(key[0]))):
            since_1990, since_first = coverage(offices[(role, country)])
            first = min(row.start for row in offices[(role, country)])
            print(f"{country:10} {role:9} {since_1990:7.1%} since 1990  "
                  f"{since_first:7.1%} since {max(first, SINCE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
