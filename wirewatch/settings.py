"""One table of settings for the code, the CLI, the environment and the docs.

Each setting has a name, a type, a default and one line of help. A value comes from, in order
of precedence: ``wirewatch --set NAME=VALUE``, the environment variable ``WIREWATCH_NAME``
(upper case), then the default. ``docs/settings.md`` lists every setting (a test checks it).

>>> Settings().http_read_timeout
20.0
>>> Settings.from_sources({"max_document_bytes": "1000"}).max_document_bytes
1000
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, NamedTuple

from wirewatch.errors import UsageError


class SettingSpec(NamedTuple):
    name: str
    type: Any  # a type, or a parser function named after what it accepts (``workers``)
    default: Any
    help: str


def workers(raw: str) -> int | str:
    """A count of worker processes: a positive integer, or ``auto``.

    >>> workers("auto"), workers("3")
    ('auto', 3)
    """
    text = raw.strip().lower()
    return "auto" if text == "auto" else int(text)


def gpu_share(raw: str) -> float | str:
    """The GPU share of a Ray run's GPU actors: ``auto``, ``off``, or a number in (0, 1].

    >>> gpu_share("auto"), gpu_share("OFF"), gpu_share("0.5")
    ('auto', 'off', 0.5)
    """
    text = raw.strip().lower()
    if text in ("auto", "off"):
        return text
    value = float(text)
    if value > 1:
        raise ValueError(raw)
    return value


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("http_connect_timeout", float, 10.0, "Seconds to wait for a TCP/TLS connection."),
    SettingSpec("http_read_timeout", float, 20.0, "Seconds to wait for each read from a server."),
    SettingSpec(
        "http_total_timeout",
        float,
        60.0,
        "Seconds one HTTP download may take in all, redirects included.",
    ),
    SettingSpec("http_max_redirects", int, 5, "Redirects followed before a URL fails."),
    SettingSpec(
        "http_user_agent",
        str,
        "wirewatch/0.1 (+https://pypi.org/project/wirewatch/; news research crawler)",
        "User-Agent sent with every request; robots.txt rules for it are obeyed.",
    ),
    SettingSpec("respect_robots", bool, True, "Obey robots.txt before fetching a page or feed."),
    SettingSpec(
        "max_document_bytes",
        int,
        10_000_000,
        "Largest document (file, response, record) read, in bytes; larger ones fail as too_large.",
    ),
    SettingSpec(
        "max_decompressed_bytes",
        int,
        50_000_000,
        "Largest size a gzip stream may expand to before it fails as too_large.",
    ),
    SettingSpec(
        "max_jsonl_expansion",
        int,
        100,
        "How many times its compressed size gzipped JSONL (a file or stdin) may inflate.",
    ),
    SettingSpec(
        "max_warc_expansion",
        int,
        100,
        "How many times its compressed size a gzipped WARC may inflate, plus one largest document.",
    ),
    SettingSpec(
        "fetch_allow_networks",
        str,
        "",
        "Networks (CIDRs, comma-separated) URLs from data may reach besides public addresses.",
    ),
    SettingSpec(
        "max_text_chars",
        int,
        200_000,
        "Longest article text, in characters, passed to NLP; longer ones fail as text_too_long.",
    ),
    SettingSpec(
        "extract_timeout",
        float,
        15.0,
        "Seconds extraction may take for one document; its worker is then stopped.",
    ),
    SettingSpec(
        "extract_workers",
        workers,
        "auto",
        "Extraction worker processes; auto: usable cores, bounded by memory.",
    ),
    SettingSpec(
        "extract_queue_bytes",
        int,
        64_000_000,
        "Bytes of documents read ahead of the extraction workers, at most (one is always read).",
    ),
    SettingSpec(
        "min_article_chars", int, 1, "Shortest article text kept; shorter ones fail as no_text."
    ),
    SettingSpec("nlp_batch_size", int, 32, "Articles per batch given to spaCy's nlp.pipe."),
    SettingSpec(
        "nlp_batch_chars",
        int,
        200_000,
        "Characters of article text per nlp.pipe batch, at most (a longer article goes alone).",
    ),
    SettingSpec(
        "nlp_processes",
        workers,
        "auto",
        "Processes for spaCy (nlp.pipe n_process); auto: usable cores, bounded by memory.",
    ),
    SettingSpec(
        "nlp_model", str, "en_core_web_md", "spaCy model: en_core_web_md (packaged) or a path."
    ),
    SettingSpec(
        "feed_fetch_pages",
        bool,
        True,
        "Fetch each feed entry's linked page; when off or failing, use the entry's content.",
    ),
    # Watching feeds and sitemaps (wirewatch watch): polling intervals, politeness, limits.
    SettingSpec(
        "watch_default_interval",
        float,
        1800.0,
        "Seconds between checks of a feed until its rhythm is known.",
    ),
    SettingSpec(
        "watch_min_interval",
        float,
        300.0,
        "Shortest interval between two checks of one feed, in seconds.",
    ),
    SettingSpec(
        "watch_max_interval",
        float,
        86400.0,
        "Longest interval between two checks of one feed, in seconds.",
    ),
    SettingSpec("watch_jitter", float, 0.1, "Random spread of each interval, as a fraction of it."),
    SettingSpec(
        "watch_max_backoff",
        float,
        86400.0,
        "Longest wait after failures or a Retry-After, in seconds.",
    ),
    SettingSpec(
        "watch_disable_after", int, 10, "Consecutive failed checks after which a feed is disabled."
    ),
    SettingSpec("watch_host_delay", float, 1.0, "Seconds between two requests to the same host."),
    SettingSpec("watch_workers", int, 4, "Threads checking feeds on different hosts at once."),
    SettingSpec(
        "watch_page_workers",
        int,
        1,
        "Entry pages fetched ahead in parallel (different hosts); 1: one at a time, as needed.",
    ),
    SettingSpec("sitemap_max_depth", int, 3, "Deepest sitemap index nesting followed."),
    SettingSpec(
        "sitemap_max_files",
        int,
        50,
        "Most sitemap files (an index and its children) read in one visit.",
    ),
    SettingSpec(
        "sitemap_max_urls", int, 50000, "Most page URLs taken from one visit of a sitemap."
    ),
    # Stories: syndicated copies (dedup) and story clustering (docs/stories.md).
    SettingSpec(
        "story_window_days",
        float,
        3.0,
        "Days apart (publication, else collection time) that articles of one story may be.",
    ),
    SettingSpec(
        "story_merge_threshold", float, 0.55, "Clustering score at which an article joins a story."
    ),
    SettingSpec(
        "story_related_threshold",
        float,
        0.35,
        "Clustering score at which another story is listed as related.",
    ),
    SettingSpec(
        "story_max_candidates", int, 200, "Recent articles compared with each new one, at most."
    ),
    SettingSpec("dedup_shingle_words", int, 5, "Words per shingle when comparing texts."),
    SettingSpec("dedup_num_perm", int, 128, "MinHash permutations (32-bit values) per text."),
    SettingSpec(
        "dedup_lsh_threshold",
        float,
        0.3,
        "Jaccard similarity the LSH index is tuned to find candidate copies at.",
    ),
    SettingSpec("dedup_near_threshold", float, 0.7, "Estimated Jaccard similarity of a near copy."),
    SettingSpec(
        "dedup_containment_threshold",
        float,
        0.8,
        "Share of the shorter text's shingles inside the longer one for a truncated copy.",
    ),
    SettingSpec(
        "dedup_min_shingles", int, 10, "Shingles a text needs to be matched as a near copy."
    ),
    SettingSpec(
        "dedup_index_size",
        int,
        200_000,
        "Most recent texts whose LSH band keys the store keeps to find copies (no memory).",
    ),
    # Web UI and JSON API (wirewatch serve).
    SettingSpec(
        "web_api_token",
        str,
        "",
        "Token the API's write endpoints require (Bearer); empty: no write endpoints at all.",
    ),
    SettingSpec(
        "web_allow_private_urls",
        bool,
        False,
        "Let the ingest endpoint fetch URLs on loopback, private and link-local addresses.",
    ),
    SettingSpec("web_page_size", int, 50, "Rows per page in the web UI and the API by default."),
    SettingSpec("web_max_page_size", int, 500, "Most rows one page of the API may ask for."),
    SettingSpec(
        "web_base_url",
        str,
        "",
        "Public URL of the server (https://host/path) that redirects point to; empty: relative.",
    ),
    SettingSpec(
        "web_max_body_bytes",
        int,
        65_536,
        "Largest request body, in bytes; a larger one is refused with 413 before it is read.",
    ),
    SettingSpec(
        "web_max_connections",
        int,
        400,
        "Open connections one server process keeps; past it the longest idle one is closed.",
    ),
    SettingSpec(
        "web_header_timeout",
        float,
        10.0,
        "Seconds a client has to send a request's headers once connected or done with the last.",
    ),
    SettingSpec(
        "web_keepalive_timeout",
        float,
        5.0,
        "Seconds an idle kept-alive connection stays open between two requests.",
    ),
    SettingSpec(
        "web_body_timeout",
        float,
        15.0,
        "Seconds a client has to send a request's body once its headers arrived.",
    ),
    SettingSpec(
        "web_response_timeout",
        float,
        30.0,
        "Seconds a response may wait for a client that does not read it before it is dropped.",
    ),
    SettingSpec(
        "web_query_timeout",
        float,
        10.0,
        "Seconds a request's store queries may run before it fails as query_timeout (503).",
    ),
    SettingSpec(
        "web_search_timeout",
        float,
        3.0,
        "Seconds one full-text search may run before it fails as query_timeout (503).",
    ),
    SettingSpec(
        "web_chart_max_age",
        float,
        60.0,
        "Seconds a timeline, map or site list is still served after the store changed.",
    ),
    SettingSpec(
        "web_answer_cache_bytes",
        int,
        64_000_000,
        "Bytes of answers each server process keeps and gives again until the store changes.",
    ),
    SettingSpec(
        "web_search_cache",
        bool,
        True,
        "Keep each server process's latest search answers until the store changes.",
    ),
    SettingSpec(
        "web_max_searches",
        int,
        4,
        "Full-text searches one server process runs at once; past it search_busy (503).",
    ),
    SettingSpec(
        "web_max_active",
        int,
        4,
        "GET requests one server process answers at once; the others wait in turn (0: no limit).",
    ),
    SettingSpec(
        "web_queue_timeout",
        float,
        10.0,
        "Seconds a request may wait for its turn before it is answered busy (503).",
    ),
    SettingSpec(
        "search_max_prefixes",
        int,
        4,
        "Prefix terms (word*) one web search may hold; more fail as query_too_costly.",
    ),
    SettingSpec(
        "search_min_prefix_chars",
        int,
        3,
        "Characters a prefix term of a web search needs before its *.",
    ),
    SettingSpec(
        "search_max_or_terms",
        int,
        10,
        "Alternatives joined by OR one web search may hold; more fail as query_too_costly.",
    ),
    # WARC archives (run/archives.py)
    SettingSpec(
        "archive_jobs",
        int,
        1,
        "WARC files ingest reads at once, each in its own worker process (ingest --jobs).",
    ),
    # Ray runs (run/cluster/)
    SettingSpec(
        "ray_spill_dir",
        str,
        "",
        "Where ingest --executor ray keeps extracted blocks until they are stored: a folder "
        "every node mounts at the same path, or an fsspec URL; empty: a temporary folder.",
    ),
    SettingSpec(
        "ray_block_bytes",
        int,
        256_000_000,
        "A .warc.gz file larger than this is split into record ranges, each one block of "
        "ingest --executor ray (one gzip member per record only); 0: never split.",
    ),
    SettingSpec(
        "ray_gpus_per_actor",
        gpu_share,
        "auto",
        "GPU share of each NLP actor placed on a GPU when the Ray cluster has GPUs (0.5: two "
        "actors per GPU); auto: one actor per GPU; off: CPUs only.",
    ),
    SettingSpec(
        "ray_gpu_required",
        bool,
        False,
        "Stop a Ray run when the cluster has no GPU or spaCy cannot use an actor's GPU "
        "(spacy.require_gpu), instead of parsing on the CPU.",
    ),
    SettingSpec(
        "petrarch_dictionaries",
        str,
        "",
        "PETRARCH/TABARI dictionaries to code events with: a directory or kind=path,... "
        "(docs/petrarch.md); empty: none.",
    ),
    SettingSpec(
        "db",
        str,
        "wirewatch.db",
        "The store: an SQLite file, or a postgresql:// URL (the --db option wins over it).",
    ),
    SettingSpec(
        "db_pool_size",
        int,
        8,
        "PostgreSQL connections one server process (serve) keeps for its requests, at most.",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings; build with ``Settings.from_sources`` to apply overrides."""

    http_connect_timeout: float = 10.0
    http_read_timeout: float = 20.0
    http_total_timeout: float = 60.0
    http_max_redirects: int = 5
    http_user_agent: str = SETTINGS[4].default
    respect_robots: bool = True
    max_document_bytes: int = 10_000_000
    max_decompressed_bytes: int = 50_000_000
    max_jsonl_expansion: int = 100
    max_warc_expansion: int = 100
    fetch_allow_networks: str = ""
    max_text_chars: int = 200_000
    extract_timeout: float = 15.0
    extract_workers: int | str = "auto"
    extract_queue_bytes: int = 64_000_000
    min_article_chars: int = 1
    nlp_batch_size: int = 32
    nlp_batch_chars: int = 200_000
    nlp_processes: int | str = "auto"
    nlp_model: str = "en_core_web_md"
    feed_fetch_pages: bool = True
    watch_default_interval: float = 1800.0
    watch_min_interval: float = 300.0
    watch_max_interval: float = 86400.0
    watch_jitter: float = 0.1
    watch_max_backoff: float = 86400.0
    watch_disable_after: int = 10
    watch_host_delay: float = 1.0
    watch_workers: int = 4
    watch_page_workers: int = 1
    sitemap_max_depth: int = 3
    sitemap_max_files: int = 50
    sitemap_max_urls: int = 50000
    # Stories
    story_window_days: float = 3.0
    story_merge_threshold: float = 0.55
    story_related_threshold: float = 0.35
    story_max_candidates: int = 200
    dedup_shingle_words: int = 5
    dedup_num_perm: int = 128
    dedup_lsh_threshold: float = 0.3
    dedup_near_threshold: float = 0.7
    dedup_containment_threshold: float = 0.8
    dedup_min_shingles: int = 10
    dedup_index_size: int = 200_000
    web_api_token: str = ""
    web_allow_private_urls: bool = False
    web_page_size: int = 50
    web_max_page_size: int = 500
    web_base_url: str = ""
    web_max_body_bytes: int = 65_536
    web_max_connections: int = 400
    web_header_timeout: float = 10.0
    web_keepalive_timeout: float = 5.0
    web_body_timeout: float = 15.0
    web_response_timeout: float = 30.0
    web_query_timeout: float = 10.0
    web_search_timeout: float = 3.0
    web_chart_max_age: float = 60.0
    web_answer_cache_bytes: int = 64_000_000
    web_search_cache: bool = True
    web_max_searches: int = 4
    web_max_active: int = 4
    web_queue_timeout: float = 10.0
    search_max_prefixes: int = 4
    search_min_prefix_chars: int = 3
    search_max_or_terms: int = 10
    archive_jobs: int = 1
    ray_spill_dir: str = ""
    ray_block_bytes: int = 256_000_000
    ray_gpus_per_actor: float | str = "auto"
    ray_gpu_required: bool = False
    petrarch_dictionaries: str = ""
    db: str = "wirewatch.db"
    db_pool_size: int = 8

    @classmethod
    def from_sources(
        cls,
        overrides: Mapping[str, str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Defaults, then ``WIREWATCH_*`` environment variables, then explicit overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in SETTINGS:
            raw = env.get(f"WIREWATCH_{spec.name.upper()}")
            if raw is not None:
                values[spec.name] = _parse(spec, raw)
        for name, raw in (overrides or {}).items():
            known = _SPECS.get(name)
            if known is None:
                raise UsageError(f"unknown setting {name!r}; see docs/settings.md")
            values[name] = _parse(known, raw)
        return replace(cls(), **values)


_SPECS = {spec.name: spec for spec in SETTINGS}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _parse(spec: SettingSpec, raw: str) -> Any:
    try:
        if spec.type is bool:
            low = raw.strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise ValueError(raw)
        value = spec.type(raw)
    except ValueError:
        raise UsageError(f"setting {spec.name} expects {spec.type.__name__}, got {raw!r}") from None
    if spec.name == "fetch_allow_networks":
        _check_networks(spec.name, value)
    if isinstance(value, int | float) and value <= 0:
        raise UsageError(f"setting {spec.name} must be positive, got {raw!r}")
    return value


def _check_networks(name: str, value: str) -> None:
    for part in value.replace(";", ",").split(","):
        try:
            if part.strip():
                ipaddress.ip_network(part.strip(), strict=False)
        except ValueError:
            raise UsageError(
                f"setting {name} expects CIDR networks, got {part.strip()!r}"
            ) from None


def _check_table() -> None:
    declared = {f.name: f.default for f in fields(Settings)}
    table = {spec.name: spec.default for spec in SETTINGS}
    if declared != table:  # pragma: no cover - a programming error caught at import
        raise RuntimeError("Settings fields and the SETTINGS table disagree")


_check_table()
