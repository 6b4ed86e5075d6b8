"""The verbs dictionary: synsets, verb blocks, their verbs and ``[code]`` patterns.

The format, as the PETRARCH/TABARI files write it::

    &CURRENCY                      a synset: the "+" lines under it are its phrases
    +DOLLARS
    +SWISS FRANCS
    --- CONTRIBUTE [070] ---       a block: its name and default code ("[---]": none;
    CONTRIBUTE                     "[032:033]": the event and the reverse event)
    +DONATE [073]                  more verbs of the block ("+" lines or plain lines), own code
    BREAK { BROKE BROKEN }         irregular forms in braces; regular ones are generated
    WIRE_+TAP {WIRE_+TAPPED}       a compound verb; "+" marks the inflected word
    - * &CURRENCY [903]            a pattern: "*" the verb, words before it precede it in the
    - $ NOT * ^ TO_ + [124]        sentence, after it follow it; "_" joins adjacent words;
                                   "$" source, "+" target, "%" both (compound), "^" skip one
    - * (FOR {FINANCIAL AID}) [0231]   PETRARCH 2 groups: "{...}" adjacent words, "(...)" a phrase
    ~ a (a b ATTACK) SAY = a b 015     PETRARCH 2 transformations: skipped
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from wirewatch.errors import UsageError
from wirewatch.understand.petrarch.lines import DictionaryLine, read_lines
from wirewatch.understand.petrarch.phrases import Element, parse_phrase

_HEADER = re.compile(r"^-{3}\s*(?P<name>[^\[\-\s][^\[]*?)\s*(?P<codes>(\[[^\]]*\]\s*)*)(-{3})?\s*$")
_CODE = re.compile(r"\[([^\]]*)\]")
_BRACES = re.compile(r"\{([^}]*)\}")
MARKERS = frozenset({"*", "$", "+", "%", "^"})


@dataclass(frozen=True, slots=True)
class Code:
    """An event code and, for ``[032:033]``, the code of the reverse event (target to source)."""

    event: str | None  # None: "---", the pattern or verb codes nothing
    reverse: str | None = None


@dataclass(frozen=True, slots=True)
class Pattern:
    before: tuple[Element, ...]  # read leftwards from the verb: nearest first
    after: tuple[Element, ...]  # read rightwards from the verb
    code: Code
    line: int

    @property
    def words(self) -> frozenset[str]:
        """The plain words the pattern needs (a quick test before matching it)."""
        return frozenset(
            e.word for e in self.before + self.after if e.word not in MARKERS and e.word[0] != "&"
        )


@dataclass(slots=True)
class VerbBlock:
    name: str
    code: Code
    line: int
    patterns: list[Pattern] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Verb:
    """One verb form: the inflected word, the words just before and after it, its code."""

    head: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: Code
    block: VerbBlock
    line: int  # the verbs file line that lists it


@dataclass(slots=True)
class VerbDictionary:
    path: Path | None = None
    synsets: dict[str, list[tuple[Element, ...]]] = field(default_factory=dict)
    blocks: list[VerbBlock] = field(default_factory=list)
    forms: dict[str, list[Verb]] = field(default_factory=dict)  # inflected word -> verbs
    expanded: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # synset phrases
    needs: dict[int, frozenset[str]] = field(default_factory=dict)  # pattern line -> words

    def verbs_for(self, word: str) -> list[Verb]:
        return self.forms.get(word.upper(), [])

    def phrases(self, synset: str) -> list[tuple[str, ...]]:
        """A synset's phrases as words, nested synsets expanded, longest first."""
        return self.expanded.get(synset.rstrip("_"), [])


def parse_code(line: DictionaryLine, text: str) -> Code:
    body = text.strip()
    if not body or any(c.isspace() for c in body):
        raise line.error(f"bad code [{text}]")
    event, _, reverse = body.partition(":")
    return Code(_null(event), _null(reverse) if reverse else None)


def _null(code: str) -> str | None:
    return None if set(code) <= {"-"} else code


def usable(code: Code) -> bool:
    """Whether a pattern's code can be used: an event code has a digit ("064", "174K"); "---"
    codes nothing on purpose; other marks ("+++", "###") are not codes and the pattern is
    passed over."""
    return code.event is None or any(c.isdigit() for c in code.event)


def verb_forms(base: str) -> set[str]:
    """The regular inflections of an upper-case verb: -S, -ED, -ING (PETRARCH's rules)."""
    forms = {base}
    if base.endswith("E"):
        forms |= {base + "S", base + "D", base[:-1] + "ING"}
    elif base.endswith("Y") and len(base) > 1 and base[-2] not in "AEIOU":
        forms |= {base[:-1] + "IES", base[:-1] + "IED", base + "ING"}
    elif base.endswith(("S", "SH", "CH", "X", "Z")):
        forms |= {base + "ES", base + "ED", base + "ING"}
    else:
        forms |= {base + "S", base + "ED", base + "ING"}
    return forms


def read_verbs(path: Path) -> VerbDictionary:
    """Read a verbs dictionary; ``UsageError`` naming the file and line for a bad entry."""
    book = VerbDictionary(path)
    synset: list[tuple[Element, ...]] | None = None
    block: VerbBlock | None = None
    for line in read_lines(path):
        text = line.text
        if text.startswith("~"):
            continue  # PETRARCH 2 transformations ("~ a (a b ATTACK) SAY = a b 015"): not used
        if text.startswith("---"):
            block, synset = _header(line), None
            book.blocks.append(block)
        elif text.startswith("&"):
            name = text.split()[0].upper().rstrip("_")
            if len(name) < 2:
                raise line.error("synset without a name")
            synset = book.synsets.setdefault(name, [])
            block = None
        elif synset is not None and text.startswith("+"):
            phrase = parse_phrase(text[1:])
            if not phrase:
                raise line.error("empty synset phrase")
            synset.append(phrase)
        elif block is None:
            raise line.error("entry outside a verb block (no '--- VERB [code] ---' above)")
        elif text.startswith("-"):
            block.patterns.append(_pattern(line))
        else:
            _verb_line(book, block, line)
    for name, phrases in book.synsets.items():
        if not phrases:
            raise UsageError(f"{path}: synset {name} has no phrases")
    _check_synset_references(book, path)
    for block in book.blocks:  # longer patterns are tried first; ties in the file's order
        block.patterns.sort(key=lambda p: -(len(p.before) + len(p.after)))
        for pattern in block.patterns:
            book.needs[pattern.line] = pattern.words
    for name in book.synsets:
        book.expanded[name] = _expand(book, name, 0)
    return book


def _expand(book: VerbDictionary, name: str, depth: int) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for phrase in book.synsets.get(name, []):
        expanded: list[tuple[str, ...]] = [()]
        for element in phrase:
            if element.word.startswith("&") and depth < 4:
                inner = _expand(book, element.word.rstrip("_"), depth + 1)
                expanded = [e + i for e in expanded for i in inner]
            else:
                expanded = [(*e, element.word) for e in expanded]
        out.extend(expanded)
    return sorted(out, key=len, reverse=True)


def _header(line: DictionaryLine) -> VerbBlock:
    match = _HEADER.match(line.text)
    if match is None:
        raise line.error("bad verb block header (expected '--- VERB [code] ---')")
    codes = _CODE.findall(match.group("codes"))
    code = parse_code(line, codes[-1]) if codes else Code(None)
    return VerbBlock(match.group("name").upper(), code, line.number)


def _pattern(line: DictionaryLine) -> Pattern:
    body = line.text[1:].strip()
    codes = list(_CODE.finditer(body))
    if not codes:
        raise line.error("pattern without a [code]")
    code = parse_code(line, codes[-1].group(1))
    elements = parse_phrase(body[: codes[0].start()])
    stars = [i for i, e in enumerate(elements) if e.word == "*"]
    if len(stars) != 1:
        raise line.error("a pattern needs exactly one '*' for the verb")
    star = stars[0]
    # Both sides are read away from the verb; an element's ``tight`` says it must be the very
    # next word after the one matched before it ("IN_*": "in" just before the verb).
    before = tuple(elements[i] for i in range(star - 1, -1, -1))
    after = tuple(
        Element(elements[i].word, elements[i - 1].tight) for i in range(star + 1, len(elements))
    )
    return Pattern(before, after, code, line.number)


def _verb_line(book: VerbDictionary, block: VerbBlock, line: DictionaryLine) -> None:
    text = line.text
    codes = _CODE.findall(text)
    code = parse_code(line, codes[-1]) if codes else block.code
    text = _CODE.sub(" ", text)
    irregular = _BRACES.findall(text)
    main = _BRACES.sub(" ", text).strip()
    if "{" in main or "}" in main or "[" in main or "]" in main:
        raise line.error("unbalanced brackets")
    if not main:
        raise line.error("verb line without a verb")
    head, before, after = _compound(main)
    forms = {(head, before, after)} | {(form, before, after) for form in verb_forms(head)}
    for group in irregular:
        for variant in group.split():
            forms.add(_compound(variant))
    for form_head, form_before, form_after in forms:
        book.forms.setdefault(form_head, []).append(
            Verb(form_head, form_before, form_after, code, block, line.number)
        )


def _compound(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """ "WIRE_+TAP" -> ("TAP", ("WIRE",), ()); the first word is the head without a "+"."""
    words = [w for w in re.split(r"[_\s]+", text.strip().upper()) if w]
    heads = [i for i, w in enumerate(words) if w.startswith("+")]
    at = heads[0] if heads else 0
    words = [w.lstrip("+") for w in words]
    return words[at], tuple(words[:at]), tuple(words[at + 1 :])


def _check_synset_references(book: VerbDictionary, path: Path) -> None:
    def refs(elements: tuple[Element, ...]) -> list[str]:
        return [e.word.rstrip("_") for e in elements if e.word.startswith("&")]

    for block in book.blocks:
        for pattern in block.patterns:
            for name in refs(pattern.before) + refs(pattern.after):
                if name not in book.synsets:
                    raise UsageError(f"{path} line {pattern.line}: unknown synset {name}")
    for name, phrases in book.synsets.items():
        for phrase in phrases:
            for ref in refs(phrase):
                if ref not in book.synsets:
                    raise UsageError(f"{path}: synset {name} names unknown synset {ref}")
