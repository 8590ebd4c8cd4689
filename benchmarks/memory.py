"""The ETL's memory over a run: its peak, and whether it stays flat as the corpus grows.

:class:`MemoryTrace` samples the resident memory of the ``etl run`` process and its workers
(not Postgres) and, beside it, how many articles the run has committed so far (read from the
database's statistics, so the ETL is not touched). :func:`growth` turns the samples into the
figures the benchmark reports: the peak memory in each tenth of the run (by articles, not
time) and the slope of memory against articles over the run's second half, the part that says
what a run ten times as long would need. Each sample also keeps its time, so :func:`pace` gives
the wall time per article in each tenth of the run: whether the cost per article grows with the
database, within one run.
"""

from __future__ import annotations

import contextlib
import itertools
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil
from sqlalchemy import Engine, text

PROJECT_TO = 1_000_000  # articles: the scale the memory target names
# Committed inserts into ``articles`` (the statistics a backend reports at its commits, at most a
# second or so late): a count the sampler reads without scanning the table.
LOADED = text("SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables WHERE relname = 'articles'")


@dataclass
class Sample:
    articles: int  # committed so far
    pss_mb: float  # the ETL's processes, pages shared after fork counted once
    main_pss_mb: float  # the main process alone
    processes: int  # the main process and its workers then
    seconds: float = 0.0  # since sampling began


@dataclass
class MemoryTrace:
    """Samples process ``pid`` and all its children every ``every`` seconds (a peak shorter than
    that can be missed), and the articles committed every ``count_every`` seconds through
    ``loaded`` (None: not counted)."""

    pid: int
    loaded: Callable[[], int] | None = None
    every: float = 0.5
    count_every: float = 5.0
    peak: float = 0.0  # RSS, MB: pages shared after fork counted once per process
    peak_pss: float = 0.0
    samples: list[Sample] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:  # already gone
            return
        counted = 0.0
        began = time.monotonic()
        while not self._stop.is_set():
            total = pss = main = 0
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:  # the run has ended
                return
            for proc in tree:
                with contextlib.suppress(psutil.Error):
                    info = proc.memory_full_info()
                    own = getattr(info, "pss", info.rss)
                    total += info.rss
                    pss += own
                    if proc is root:
                        main = own
            self.peak = max(self.peak, total / 2**20)
            self.peak_pss = max(self.peak_pss, pss / 2**20)
            if self.loaded is not None and time.monotonic() - counted >= self.count_every:
                counted = time.monotonic()
                with contextlib.suppress(Exception):  # a count missed is a sample missed
                    loaded = self.loaded()
                    seconds = time.monotonic() - began
                    self.samples.append(Sample(loaded, pss / 2**20, main / 2**20, len(tree), seconds))
            self._stop.wait(self.every)

    def __enter__(self) -> MemoryTrace:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def articles_loaded(engine: Engine) -> Callable[[], int]:
    """A function returning the articles committed in ``engine``'s database so far."""

    def count() -> int:
        with engine.connect() as conn:
            return int(conn.execute(LOADED).scalar_one())

    return count


def growth(trace: MemoryTrace, articles: int) -> dict:
    """Peak PSS (MB) in each tenth of ``articles``; the slope of PSS against articles over the
    second half of the run (KB per article, least squares; None with fewer than 3 samples there),
    for all the ETL's processes and for the main process alone; the peak PSS a run of 1M
    articles would reach if that slope went on (the peak when it is not positive); and the
    samples themselves.

    The slope is fitted on the samples taken while every worker was alive: the workers exit when
    the last document is extracted, and the run's last batches, its last summary refresh and its
    finalize (a minute or more at 10k) then run in the main process alone, at the final article
    count; with them, the fit would read the workers' exit as memory falling with articles (and
    the main process's PSS as rising: the pages it shared with them become its own)."""
    samples = trace.samples
    tenths: list[float | None] = [None] * 10
    for s in samples:
        i = min(9, 10 * s.articles // max(1, articles))
        tenths[i] = round(max(tenths[i] or 0.0, s.pss_mb), 1)
    most = max((s.processes for s in samples), default=0)
    late = [s for s in samples if 2 * s.articles >= articles and s.processes == most]
    slope = _slope(late, "pss_mb")
    projected = trace.peak_pss + max(0.0, slope or 0.0) * max(0, PROJECT_TO - articles) / 1024
    return {
        "pss_mb_by_tenth": tenths,
        "pss_growth_kb_per_article": slope,
        "pss_projected_mb_at_1m": round(projected, 1) if slope is not None else None,
        "main_pss_growth_kb_per_article": _slope(late, "main_pss_mb"),
        "memory_samples": len(samples),
        "memory_trace": [
            [s.articles, round(s.pss_mb, 1), round(s.main_pss_mb, 1), s.processes, round(s.seconds, 1)]
            for s in samples
        ],
        **pace(samples),
    }


def pace(samples: list[Sample]) -> dict:
    """Wall milliseconds per article in each tenth of the articles the run committed (when the
    count crossed each tenth's bounds, interpolated between samples; None where no sample reaches
    a bound), and the last tenth's against the first's: how the cost per article grows as the
    database does, within one run. The first tenth includes the run's start (workers forked, the
    first batches); the last ends when the last article is committed, before the run's last
    summary refresh and its finalize."""
    total = max((s.articles for s in samples), default=0)
    bounds = [_crossed(samples, total * i / 10) for i in range(11)] if total >= 10 else [None] * 11
    tenths = [
        round(1000 * (b - a) / (total / 10), 2) if a is not None and b is not None else None
        for a, b in itertools.pairwise(bounds)
    ]
    first, last = tenths[0], tenths[-1]
    return {
        "ms_per_article_by_tenth": tenths,
        "last_vs_first_tenth": round(last / first, 2) if first and last is not None else None,
    }


def _crossed(samples: list[Sample], articles: float) -> float | None:
    """The seconds at which the committed count reached ``articles``, interpolated."""
    before: Sample | None = None
    for s in samples:
        if s.articles >= articles:
            if before is None:  # reached by the first sample
                return s.seconds
            share = (articles - before.articles) / (s.articles - before.articles)
            return before.seconds + share * (s.seconds - before.seconds)
        before = s
    return None


def _slope(samples: list[Sample], what: str) -> float | None:
    xs = [s.articles for s in samples]
    if len(samples) < 3 or len(set(xs)) < 2:
        return None
    slope, _ = statistics.linear_regression(xs, [getattr(s, what) for s in samples])
    return round(slope * 1024, 4)  # MB -> KB per article
