"""Memory of ``ingest --executor ray`` as the archive grows: N pages against 3N, same run.

Builds WARC files of ``--per-file`` pages each (one block each) from the WCXB pages (each a
200 text/html response under its own URL, the pages repeated past the set's 711), N pages in
all and then 3N, and ingests each into a fresh SQLite store on a local Ray cluster of 2 CPUs
(2 NLP actors), each run in its own process. For each run it prints the driver's peak resident
memory (``ru_maxrss``); the peak bytes of the Ray objects the run holds (every object the
driver has a reference to, in its own memory, where Ray keeps objects under 100 KB, or in the
object store: sizes from the driver's core worker, ``get_local_object_locations``, sampled
every 0.1 s; ``ray memory`` needs grpc, which is not installed); and the run's own peak per
worker (extraction task workers, NLP actors). Flat means the 3N figures are those of N;
growing means they scale with the archive.
``--baseline DIR`` runs the same with another checkout (``main``, say) first, so a change is
measured against it in the same run. ``--stages extract`` (the default) leaves out the NLP:
the blocks' texts, the subject here, are the same, and the runs stay short.

    python bench/ray_memory.py [--pages 240] [--per-file 40] [--stages extract] [--baseline ../main]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/eval/wcxb-articles-dev"


def build(data: Path, pages: int, per_file: int, out: Path) -> list[Path]:
    """WARC.gz files of ``per_file`` pages each (the last may hold fewer), ``pages`` in all."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    htmls = [gzip.decompress(p.read_bytes()) for p in sorted((data / "html").glob("*.html.gz"))]
    paths = []
    for first in range(0, pages, per_file):
        path = out / f"part-{first // per_file:04d}.warc.gz"
        with path.open("wb") as handle:
            writer = WARCWriter(handle, gzip=True)
            for n in range(first, min(first + per_file, pages)):
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                        protocol="HTTP/1.1")  # fmt: skip
                record = writer.create_warc_record(
                    f"https://bench.example/{n}",
                    "response",
                    payload=io.BytesIO(htmls[n % len(htmls)]),
                    http_headers=http,
                )
                writer.write_record(record)
        paths.append(path)
    return paths


def child(db: str, stages: str, paths: list[str]) -> None:
    """One run in this process: print its figures as one JSON line."""
    import ray

    from wirewatch.run.cluster.executor import ingest_on_ray
    from wirewatch.run.cluster.session import ray_session
    from wirewatch.settings import Settings
    from wirewatch.store import Store

    with ray_session(cpus=2):
        core = ray._private.worker.global_worker.core_worker
        peaks = {"held": 0, "objects": 0}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                counts = core.get_all_reference_counts()
                refs = [ray.ObjectRef(bytes.fromhex(key.decode())) for key in counts]
                found = core.get_local_object_locations(refs)
                del refs
                size = sum((where or {}).get("object_size") or 0 for where in found.values())
                peaks["held"] = max(peaks["held"], size)
                peaks["objects"] = max(peaks["objects"], len(found))
                stop.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        with Store.open(db) as store:
            run = ingest_on_ray(paths, store, db, Settings(), stages=stages, workers=2)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "documents": run.stats.documents,
                "articles": run.summary.added,
                "copies": run.summary.copies,
                "driver": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "held": peaks["held"],
                "objects": peaks["objects"],
                "workers": run.memory(),
            }
        )
    )


def measure(python: str, db: str, stages: str, paths: list[Path]) -> dict[str, object]:
    checkout = Path(python).parents[2]  # CHECKOUT/.venv/bin/python
    command = [python, __file__, "--child", db, "--stages", stages, *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=checkout)
    if done.returncode != 0:
        raise SystemExit(f"{python} failed:\n{done.stderr[-3000:]}")
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--per-file", type=int, default=40)
    parser.add_argument("--stages", choices=["all", "extract"], default="extract")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure first")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child is not None:
        child(args.child, args.stages, rest)
        return
    checkouts = [("", sys.executable)]
    if args.baseline is not None:
        checkouts.insert(0, ("base ", str(args.baseline.resolve() / ".venv/bin/python")))
    print(f"WARC files of {args.per_file} pages (one block each), --stages {args.stages}, 2 CPUs")
    print(f"{'run':<16} {'pages':>6} {'files':>6} {'seconds':>8} {'driver MB':>10} "
          f"{'held MB':>8} {'objects':>8}  workers")  # fmt: skip
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for pages in (args.pages, 3 * args.pages):
            inputs = folder / f"p{pages}"
            inputs.mkdir()
            paths = build(args.data, pages, args.per_file, inputs)
            for prefix, python in checkouts:
                db = str(folder / f"{time.monotonic_ns()}.db")
                got = measure(python, db, args.stages, paths)
                label = f"{prefix or 'this '}ray"
                print(
                    f"{label:<16} {pages:>6} {len(paths):>6} {got['seconds']:>8.1f} "
                    f"{int(got['driver']) / 1e6:>10.0f} {int(got['held']) / 1e6:>8.2f} "  # type: ignore[call-overload]
                    f"{got['objects']:>8}  {got['workers']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
