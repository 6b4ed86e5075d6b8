"""What syndication adds around a wire story, and taking it off before texts are compared.

The same agency story runs on many sites, each adding its own dateline ("KIEV (AFP) -"),
byline ("By Jane Smith"), agency credit ("© AFP 2017", "Reporting by ...; Editing by ...") and
boilerplate lines ("Advertisement", "Read more"). Two copies are compared on what is left, so
none of that makes them look different. Text only: nothing here needs NLP.

>>> strip_syndication("KIEV (AFP) - NATO chief Jens Stoltenberg pledged support.\\n© AFP 2017")
'NATO chief Jens Stoltenberg pledged support.'
"""

from __future__ import annotations

import re

_AGENCY = r"(?:AFP|AP|Reuters|dpa|DPA|ANSA|EFE|Xinhua|TASS|UPI|IANS|PTI|AAP|CNA|Kyodo|Yonhap)"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# A dateline opens the first paragraph: a place (in capitals, or any place followed by an
# agency in parentheses), maybe a country or a date, then a dash or colon.
_DATELINE = re.compile(
    rf"""^\s*
    (?:
        [A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){{0,3}}          # KIEV, NEW YORK, ST. PETERSBURG
        (?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+){{0,2}})?  # , Ukraine
        (?:,?\s*{_MONTH}\s+\d{{1,2}}(?:,?\s*\d{{4}})?)?        # , July 10, 2017
        \s*(?:\([^)\n]{{1,30}}\)\s*)?                           # (AFP), (Coastline Wire)
        \s*[-–—:]+\s+
    |
        [A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){{0,3}}             # Kiev, Ukraine
        (?:,\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+){{0,2}})?
        (?:,?\s*{_MONTH}\s+\d{{1,2}}(?:,?\s*\d{{4}})?)?
        \s*\(\s*{_AGENCY}\s*\)\s*[-–—:]*\s*
    |
        \(\s*{_AGENCY}\s*\)\s*[-–—:]*\s*                        # (AFP) -
    )""",
    re.VERBOSE,
)
_BYLINE = re.compile(
    r"^\s*(?:By|BY|by|Par|Von)\s+[A-Z][\w.'\-]+(?:\s+(?:[A-Z][\w.'\-]+|van|von|de|al|and|&)){0,6}"
    r"(?:\s*[,|/—–-]\s*.{0,60})?\s*$"
)
_CREDIT = re.compile(
    rf"""^\s*(?:
        [\(\[]?\s*{_AGENCY}\s*[\)\]]?\.?                             # (AFP)
      | [-–—]+\s*{_AGENCY}\.?                                         # — AFP
      | (?:©|\(c\)|Copyright|Copr\.)\s*.{{0,80}}                      # © AFP 2017, Copyright ...
      | (?:Source|Sources|Agencies|Credit)\s*:\s*.{{0,60}}             # Source: AFP
      | (?:Additional\s+)?[Rr]eporting\s+by\b.{{0,200}}                # Reporting by ...
      | (?:Writing|Editing|Compiled)\s+by\b.{{0,200}}
      | (?:{_AGENCY}|The\s+Associated\s+Press)\s+contributed\s+to\s+this\s+(?:report|story)\.?
      | All\s+rights\s+reserved\.?
    )\s*$""",
    re.VERBOSE,
)
_BOILERPLATE = re.compile(
    r"""^\s*(?:
        Advertisement|ADVERTISEMENT|Sponsored|Story\s+continues\s+below.*
      | Read\s+(?:more|also|next)(?:\s*[:.…].{0,80})?
      | (?:Related|More)\s*(?:stories|articles|links|news|coverage)?\s*:?
      | Share(?:\s+(?:this|on)\b.{0,40})?|Tweet|Email|Print|Comments?
      | (?:Subscribe|Sign\s+up|Follow\s+us)\b.{0,80}
      | Click\s+here\b.{0,80}
      | (?:Photo|Image|Picture|Video)(?:\s+(?:credit|copyright))?\s*:.{0,80}
      | (?:Getty\s+Images|AFP\s+Photo|AFP/Getty\s+Images).{0,60}
      | (?:Updated|Published|Posted|Last\s+updated)\s*:?\s*.{0,40}\d.{0,30}
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_HEAD_LINES = 3  # bylines and credits sit at the top or the bottom of a copy
_TAIL_LINES = 5


def strip_syndication(text: str) -> str:
    """``text`` without its dateline, bylines, agency credits and boilerplate lines.

    Lines are judged alone: a byline or credit only within the first three or last five
    lines, boilerplate anywhere; the dateline only at the start of the first remaining line.
    The article's own sentences stay, in order, one per line.
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    kept: list[str] = []
    for index, line in enumerate(lines):
        at_edge = index < _HEAD_LINES or index >= len(lines) - _TAIL_LINES
        if _BOILERPLATE.match(line):
            continue
        if at_edge and (_BYLINE.match(line) or _CREDIT.match(line)):
            continue
        kept.append(line)
    if kept:
        kept[0] = strip_dateline(kept[0])
        if not kept[0]:
            kept.pop(0)
    return "\n".join(kept)


def strip_dateline(line: str) -> str:
    """``line`` without a leading dateline (``KIEV (AFP) -``, ``WASHINGTON, July 10 -``).

    >>> strip_dateline("WASHINGTON, July 10 (Reuters) - The US said...")
    'The US said...'
    >>> strip_dateline("NATO chief Jens Stoltenberg pledged support")
    'NATO chief Jens Stoltenberg pledged support'
    """
    match = _DATELINE.match(line)
    if match is None:
        return line
    rest = line[match.end() :]
    # A capitalised word run followed by a dash may be a sentence's subject ("NATO - the
    # alliance - ..."): only take it off when what follows reads as a sentence start.
    if rest and not rest[0].isupper() and not rest[0].isdigit() and rest[0] not in "\"'“‘":
        return line
    return rest
