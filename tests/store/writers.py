"""What one writer process does in the many-writers tests and bench: ingest a folder of
text files into a store, text extraction only, and report what it saw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wirewatch.settings import Settings
from wirewatch.store import Store

# Six stories, each a wire text of its own (the words differ, so no two are copies).
STORIES = (
    "NATO chief Jens Stoltenberg pledged support for Ukraine during a visit to Kiev on Monday, "
    "as the ex-Soviet republic battles a bloody insurgency by pro-Russian separatists in the "
    "east. Stoltenberg said the alliance stands by Ukraine and its territorial integrity.",
    "A magnitude 6.1 earthquake struck the mountains east of Sarkand early on Tuesday, killing "
    "at least twelve people and cutting the only road to three villages, the regional "
    "emergency ministry said, as rescuers dug through collapsed houses in the snow.",
    "Finance ministers of the euro zone agreed on Thursday to release a further tranche of "
    "loans to Greece after a night of talks in Brussels, ending months of wrangling over "
    "pension cuts and tax rises that Athens had resisted before the summer.",
    "Police in Nairobi fired tear gas at hundreds of opposition supporters who marched on the "
    "electoral commission on Wednesday to demand the removal of officials they accuse of "
    "rigging last month's presidential vote in favour of the incumbent.",
    "The United Nations refugee agency said on Friday that more than forty thousand people had "
    "fled fighting in the border province in a week, crossing the river on foot and by boat "
    "into camps that were already short of water, food and medicine.",
    "Japan's parliament approved a record defence budget on Saturday after a heated debate, "
    "with the governing coalition arguing that missile launches by its neighbour left it no "
    "choice but to buy more interceptors and expand its coast guard.",
)


def write_folder(folder: Path, writer: int) -> None:
    """Every story as a file of this writer's own: the same texts at other paths."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(STORIES):
        (folder / f"writer{writer}-story{number}.txt").write_text(text, encoding="utf-8")


def ingest_folder(target: str, folder: str, start: Any = None) -> dict[str, int]:
    """Ingest ``folder`` into the store at ``target`` in this process; with a barrier
    ``start``, only once every writer is ready, so that all begin at the same moment."""
    from wirewatch.run.ingest import ingest

    with Store.open(target, busy_timeout=60) as store:
        if start is not None:
            start.wait(timeout=120)
        summary = ingest([folder], store, Settings(extract_workers=1), stages="extract")
    return {
        "added": summary.added,
        "copies": summary.copies,
        "duplicates": summary.duplicates,
        "failures": len(summary.failures),
    }


def report_to(queue: Any, target: str, folder: str, start: Any) -> None:
    """``ingest_folder``, its report put on ``queue`` (a process's target)."""
    queue.put(ingest_folder(target, folder, start))
