"""A bounded, seeded sample of the fuzz cases through ``ingest`` (``bench/fuzz.py`` runs all).

Three cases of every category, drawn with a fixed seed, so ``make test`` covers each kind of
hostile input in well under a minute; the sample is the same on every run.
"""

from __future__ import annotations

import random
from collections import defaultdict

from tests.fuzz.cases import CATEGORIES, Case, generate
from tests.fuzz.runner import run_cases

PER_CATEGORY = 3
SAMPLE_SEED = 1616


def sample() -> list[Case]:
    by_category: dict[str, list[Case]] = defaultdict(list)
    for case in generate():
        by_category[case.category].append(case)
    rng = random.Random(SAMPLE_SEED)
    return [case for name in CATEGORIES for case in rng.sample(by_category[name], PER_CATEGORY)]


def test_the_generator_makes_at_least_300_cases_in_every_category() -> None:
    cases = generate()
    assert len(cases) >= 300
    assert {case.category for case in cases} == set(CATEGORIES)
    assert len({case.name for case in cases}) == len(cases)
    assert [c.files or c.routes for c in generate()][:20] == [c.files or c.routes for c in cases][
        :20
    ]


def test_a_sample_of_hostile_inputs_fails_cleanly_and_good_inputs_are_stored() -> None:
    cases = sample()
    report = run_cases(cases)
    problems = [o for o in report.outcomes if not o.ok]
    assert problems == [], [(o.name, o.crash, o.hang, o.accounted) for o in problems]
    assert report.good_stored == len(cases)
    assert sum(o.failures for o in report.outcomes) == sum(o.recorded for o in report.outcomes)
