"""Small dictionaries in the PETRARCH/TABARI formats, written for these tests."""

from __future__ import annotations

from pathlib import Path

VERBS = """\
<!-- TEST VERBS -->
<!-- a comment
     over two lines -->
&MONEY
+DOLLARS
+SWISS FRANCS

&GIFTS  # nested synsets
+&MONEY
+BOOKS

--- GIVE  [070]  ---
GIVE {GAVE GIVEN}   # irregular forms
+DONATE [073]
- * &GIFTS [071]
- % * [030:030]

--- ARRIVE  [032:033]  ---
ARRIVE

--- BREAK  [---]  ---
BREAK {BROKE BROKEN}
+BREAK_OFF {+BROKE_OFF +BROKEN_OFF}
- * TIES [161]
- NOT_* TIES [---]

--- CONDEMN  [122] ---
CONDEMN
- + WAS * BY $ [123]
- * ATTACK [###]
"""

ACTORS = """\
<!-- TEST ACTORS -->
NORTHLAND [NTH]
+NORTHLANDER
+THE_NORTH  # a synonym with a comment
SOUTHLAND  [STH]
EASTLAND_ [EST]
RIVER ISLES [RIV/ISL]
JANE_DOE  # dated roles on the lines below
\t[NTHGOV 20100101 - 20141231]
\t[NTHOPP > 150101]
\t[NTH]
JOHN SMITH
\t[STHMIL <100101]
BLANK PERSON [---]
"""

AGENTS = """\
!PERSON! = MAN, WOMAN
PRESIDENT [~GOV]
ARMY {} [~MIL]
POLICE!PERSON! [~COP]
CHILD {CHILDREN} [~CHL]
AID_AGENCY [NGO~]
"""

DISCARDS = """\
FOOTBALL
+HURRICANE
"""


def write(folder: Path, **texts: str) -> dict[str, Path]:
    """Write ``kind=text`` files into ``folder`` as ``TEST.<kind>.txt``; their paths."""
    paths: dict[str, Path] = {}
    for kind, text in texts.items():
        path = folder / f"TEST.{kind}.txt"
        path.write_text(text, encoding="utf-8")
        paths[kind] = path
    return paths


def write_all(folder: Path) -> dict[str, Path]:
    return write(folder, verbs=VERBS, actors=ACTORS, agents=AGENTS, discards=DISCARDS)
