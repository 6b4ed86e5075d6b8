"""Lines of a PETRARCH/TABARI dictionary file, with comments removed and line numbers kept.

Comments are ``# ...`` to the end of a line (not inside ``[...]``: ``[###]`` is a code) and
``<!-- ... -->`` blocks, which may span lines (a line opening with ``<!`` but never closing is
one comment line, as in the validation files).
A bad entry raises ``UsageError`` naming the file and the line:

>>> DictionaryLine(Path("x.verbs.txt"), 7, "FOO [").error("no closing ]").message
'x.verbs.txt line 7: no closing ] in "FOO ["'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wirewatch.errors import UsageError

_HTML_COMMENT = re.compile(r"<!.*?-->")


@dataclass(frozen=True, slots=True)
class DictionaryLine:
    path: Path
    number: int
    text: str  # comment-free, stripped; never empty

    def error(self, why: str) -> UsageError:
        return UsageError(f'{self.path} line {self.number}: {why} in "{self.text}"')


def read_lines(path: Path) -> Iterator[DictionaryLine]:
    """The non-empty, comment-free lines of ``path``; ``UsageError`` when it cannot be read."""
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read PETRARCH dictionary {path}: {exc.strerror}") from None
    in_comment = False
    for number, line in enumerate(raw.splitlines(), 1):
        if in_comment:
            if "-->" in line:
                in_comment = False
                line = line.split("-->", 1)[1]
            else:
                continue
        line = _HTML_COMMENT.sub(" ", line)
        if line.lstrip().startswith("<!"):
            in_comment = "-->" not in line and line.lstrip().startswith("<!--")
            continue
        text = _without_comment(line).strip()
        if text:
            yield DictionaryLine(path, number, text)


def _without_comment(line: str) -> str:
    """The line up to its ``#`` comment; a ``#`` inside ``[...]`` is part of a code."""
    depth = 0
    for i, char in enumerate(line):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif char == "#" and depth == 0:
            return line[:i]
    return line
