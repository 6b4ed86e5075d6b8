"""What a Ray run did, for people: ``RayRun`` and the summary lines it prints.

Documents, articles, copies, failures and blocks, seconds per stage summed over workers, the
copy index's shuffle, each worker's peak memory, and (when actors were placed with GPUs) where
spaCy parsed in them. Nothing here imports Ray.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wirewatch.run.cluster.copies import CopyPlan
from wirewatch.run.cluster.shuffle import ShuffleStats
from wirewatch.run.cluster.work import Device, Peak
from wirewatch.run.ingest import IngestSummary
from wirewatch.run.local import RunStats

STAGES = ("extract", "understand", "store")


@dataclass(slots=True)
class RayRun:
    """What ``ingest_on_ray`` did: the summary, blocks read and skipped, stage times."""

    summary: IngestSummary
    stats: RunStats
    blocks: int = 0
    skipped_blocks: int = 0
    skipped: list[str] = field(default_factory=list)  # WARC files already done, for people
    seconds: float = 0.0
    copies: ShuffleStats = field(default_factory=ShuffleStats)
    plan: CopyPlan = field(default_factory=CopyPlan)
    peaks: dict[tuple[str, int], Peak] = field(default_factory=dict)  # (kind, pid) -> peak
    held: int = 0  # the most blocks read back from their spill files at once
    devices: list[Device] = field(default_factory=list)  # each NLP actor's, in pool order

    def report(self) -> str:
        """Three lines: documents, articles, copies, failures, blocks, seconds per stage; the
        copy index; peak memory per worker. A fourth when actors were given GPUs: where
        spaCy ran in them."""
        summary, stats = self.summary, self.stats
        stages = ", ".join(f"{stage} {stats.seconds[stage]:.1f}" for stage in STAGES)
        return (
            f"ray: {stats.documents} document(s) in {self.blocks} block(s) "
            f"({self.skipped_blocks} already done, skipped); {summary.added} article(s), "
            f"{summary.copies} copies, {summary.duplicates} duplicate(s), "
            f"{len(summary.failures)} failure(s); seconds by stage (summed over workers): "
            f"{stages}, copies {self.copies.seconds:.1f}; {self.seconds:.1f} s in all\n"
            f"ray: {self.copies.report()}\n"
            f"ray: {self.memory()}"
        ) + (f"\nray: {self.gpus()}" if any(d.gpus > 0 for d in self.devices) else "")

    def gpus(self) -> str:
        """The NLP actors given GPUs, and where spaCy parsed in them: on a GPU only when
        ``spacy.prefer_gpu`` (or ``require_gpu``) said it would."""
        given = [d for d in self.devices if d.gpus > 0]
        shares = sorted({d.gpus for d in given})
        each = " or ".join(f"{share:g}" for share in shares)
        visible = sorted({d.visible for d in given if d.visible})
        on_gpu = sum(d.on_gpu is True for d in given)
        on_cpu = sum(d.on_gpu is False for d in given)
        idle = sum(d.on_gpu is None for d in given)
        line = (
            f"GPUs: {len(given)} of {len(self.devices)} NLP actor(s) placed with {each} GPU "
            f"each (CUDA_VISIBLE_DEVICES {', '.join(visible) or 'unset'}); spaCy parsed on a "
            f"GPU in {on_gpu}, on the CPU in {on_cpu}"
        )
        if on_cpu:
            line += " (spacy.prefer_gpu found no usable GPU there: no cupy or no device)"
        if idle:
            line += f"; {idle} parsed nothing"
        return line

    def memory(self) -> str:
        """Peak resident memory per worker process, by kind, in MB."""
        parts = []
        for kind, what in (("extract", "extraction task workers"), ("nlp", "NLP actors")):
            found = sorted((p for p in self.peaks.values() if p.kind == kind), key=lambda p: p.pid)
            if found:
                each = ", ".join(f"{p.rss / 1e6:.0f}" for p in found)
                parts.append(f"{what} {each}")
        children = max((p.children for p in self.peaks.values()), default=0)
        if children:
            parts.append(f"largest extraction process {children / 1e6:.0f}")
        return "peak memory per worker (MB): " + ("; ".join(parts) or "none measured")
