"""End-to-end ingest: documents per second and peak memory, this code against a baseline's.

N pages of a WCXB-style set (``html/NNNN.html.gz``) are written as files into a directory and
into two WARC files (``bench/warc.py``'s builder); ``wirewatch ingest`` runs over each, all
stages, default settings, into a fresh store, as a subprocess. While it runs, the resident
memory of its whole process tree (workers included) is sampled from /proc: the peak of the
sum, and the peak of the largest single process; and the peak of the sum of proportional set
sizes (PSS, from ``smaps_rollup``), which counts a page shared by several processes (a model
inherited by forked workers) once in all, where the sum of resident sizes counts it in each.
The same inputs go through every interpreter named with ``--python`` (another checkout's venv,
such as main's, is the "before"), each kind of input in turn for each interpreter, in one run.

    python bench/ingest.py [--pages 100 400] [--start 0] [--kinds directory WARC]
                           [--python LABEL=/path/to/venv/bin/python ...]

Several ``--pages`` counts (N and 4N, say) show whether memory stays flat as the inputs grow:
the pages are distinct as long as the set has that many; beyond it they repeat, and a repeat
is recognised as a copy and not parsed again. ``--start`` takes the pages from that one of the
set on, to put a given stretch of it (long articles, say) in the first chunks parsed.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/eval/wcxb-articles-dev"


def write_pages(data: Path, pages: int, out: Path, start: int = 0) -> Path:
    folder = out / "pages"
    folder.mkdir()
    sources = sorted((data / "html").glob("*.html.gz"))
    for n in range(pages):
        source = sources[(start + n) % len(sources)]
        (folder / f"{n:05d}.html").write_bytes(gzip.decompress(source.read_bytes()))
    return folder


def _tree_rss(root: int) -> tuple[int, int, int]:
    """(sum, largest, proportional sum) resident bytes of ``root`` and every process under it."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    members = {root}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in members and pid not in members:
                members.add(pid)
                changed = True
    sizes = [rss.get(pid, 0) for pid in members]
    return sum(sizes), max(sizes, default=0), sum(_pss(pid) for pid in members)


def _pss(pid: int) -> int:
    """The proportional set size of ``pid`` in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_ingest(python: str, inputs: list[Path], db: Path) -> tuple[float, int, int, int, str]:
    """Seconds, peak total RSS, peak single-process RSS, peak total PSS, last line of stderr."""
    command = [str(Path(python).parent / "wirewatch"), "--db", str(db), "ingest"]
    command += [str(path) for path in inputs]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak_total = peak_one = peak_pss = 0
    while process.poll() is None:
        total, largest, proportional = _tree_rss(process.pid)
        peak_total, peak_one = max(peak_total, total), max(peak_one, largest)
        peak_pss = max(peak_pss, proportional)
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read() if process.stderr else ""
    summary = [line for line in stderr.splitlines() if line.startswith("ingested")]
    return seconds, peak_total, peak_one, peak_pss, (summary[-1] if summary else stderr[-300:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, nargs="+", default=[100])
    parser.add_argument(
        "--start", type=int, default=0, help="the first page of the set to take (sorted by name)"
    )
    parser.add_argument(
        "--kinds", nargs="+", choices=["directory", "WARC"], default=["directory", "WARC"]
    )
    parser.add_argument(
        "--python",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="another venv's interpreter to compare, e.g. before=../main/.venv/bin/python",
    )
    args = parser.parse_args(argv)
    interpreters = [("this", sys.executable)]
    for spec in args.python:
        label, _, path = spec.partition("=")
        interpreters.append((label, path))
    sys.path.insert(0, str(Path(__file__).parent))
    from warc import build  # bench/warc.py's builder: HTML responses and other records

    print(f"pages from {args.data} from the {args.start}th; wirewatch ingest, all stages, defaults")
    print(
        f"{'code':8} {'input':10} {'pages':>6} {'seconds':>8} {'docs/s':>7} {'peak MiB':>9} "
        f"{'largest':>8} {'PSS MiB':>8}"
    )
    for pages in args.pages:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            inputs = {}
            if "directory" in args.kinds:
                inputs["directory"] = [write_pages(args.data, pages, out, args.start)]
            if "WARC" in args.kinds:
                inputs["WARC"] = build(args.data, pages, out, args.start)
            for kind, paths in inputs.items():
                for label, python in interpreters:
                    db = out / f"{label}-{kind}.db"
                    seconds, total, largest, pss, summary = run_ingest(python, paths, db)
                    print(
                        f"{label:8} {kind:10} {pages:6d} {seconds:8.1f} {pages / seconds:7.2f} "
                        f"{total / 2**20:9.0f} {largest / 2**20:8.0f} {pss / 2**20:8.0f}   "
                        f"{summary}",
                        flush=True,
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
