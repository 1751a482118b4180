"""Ingest throughput: words/s of `dprk-tui ingest` (1 and 2 workers) next to bare spaCy `nlp.pipe`
with the same components (the model, the actor-dictionary entity rulers, the line-break segmenter)
on the same texts, in 1 and 2 processes. Prints the figures; asserts nothing.

Wall-clock figures need idle cores; on a shared machine they do not have them, so each run also
records the CPU time of this process and of spaCy's worker processes, and projects the wall time on
two idle cores: the parent's work (reading files, writing the store) is serial, the workers' work
(spaCy, resolution, relations; loading the model once each) spreads over the cores.

Makes N distinct copies of the seed articles (a numbered sentence appended to each, so content
dedupe keeps them). The texts given to bare nlp.pipe are the cleaned article texts ingest extracts
from; spaCy is loaded once, outside every timing.

    .venv/bin/python -m bench.ingest_speed --copies 40
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dprk_tui.db.paths import seed_files


def make_corpus(folder: Path, copies: int) -> list[Path]:
    files = []
    for index in range(copies):
        for seed in seed_files():
            text = seed.read_text(encoding="utf-8") + f"\n\nArchive copy number {index}.\n"
            path = folder / f"{index:04d}_{seed.name}"
            path.write_text(text, encoding="utf-8")
            files.append(path)
    return files


class Run:
    """One timed run: wall seconds, and CPU seconds of this process and of its (joined) children."""

    def __init__(self, work: Callable[[], object]) -> None:
        before, children = (resource.getrusage(resource.RUSAGE_SELF),
                            resource.getrusage(resource.RUSAGE_CHILDREN))
        start = time.perf_counter()
        self.result = work()
        self.wall = time.perf_counter() - start
        after, done = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        self.parent = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        self.children = done.ru_utime + done.ru_stime - children.ru_utime - children.ru_stime

    def free_machine(self, processes: int, cores: int = 2) -> float:
        """Wall seconds on `cores` idle cores: the parent's CPU (serial), the children's spread
        over the cores they can use, or all of it over every core, whichever is longest; the run's
        own CPU figure if it used no children."""
        if not self.children:
            return self.parent
        return max(self.parent, self.children / min(processes, cores), (self.parent + self.children) / cores)

    def describe(self, words: int, processes: int) -> str:
        return (f"{words / self.wall:7,.0f} words/s wall (CPU: parent {self.parent:5.1f} s,"
                f" children {self.children:5.1f} s; {words / self.free_machine(processes):7,.0f}"
                " words/s on 2 idle cores)")


def bare(nlp, texts: list[str], processes: int) -> Run:
    """nlp.pipe over `texts` in `processes` processes."""
    return Run(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=32, n_process=processes)))


def full(corpus: Path, store: Path, model: str | None, workers: int) -> Run:
    """`ingest` into a fresh store with `workers` spaCy processes (each loads the model: that is
    in the figure, as it is in a real run); `result` is its summary."""
    from dprk_tui.db.ingest import ingest

    return Run(lambda: ingest([corpus], store, model=model, workers=workers))


def start_up(workers: int, model: str | None) -> Run:
    """Starting `workers` spaCy worker processes until one has the model loaded, then stopping
    them: what every ingest pays once before its first document (bare nlp.pipe above is timed
    with its model already loaded)."""
    from dprk_tui.db.extract.dictionary import load_dictionary
    from dprk_tui.db.workers import ExtractionPool

    def run() -> None:
        with ExtractionPool(workers, model, load_dictionary()) as pool:
            pool.start()
            pool.wait_loaded()

    return Run(run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--model", default=None)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    from dprk_tui.db.extract.pipeline import Extractor
    from dprk_tui.db.ingest import load_article

    extractor = Extractor(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        texts = [load_article(path).text for path in make_corpus(corpus, args.copies)]
        words = sum(len(text.split()) for text in texts)
        list(extractor.nlp.pipe(texts[:5]))  # warm up
        print(f"corpus: {len(texts)} documents, {words:,} words; model {extractor.info.name};"
              f" pipeline {', '.join(extractor.nlp.pipe_names)}; {os.cpu_count()} cores,"
              f" load average {os.getloadavg()[0]:.2f}")
        rates: dict[str, float] = {}
        wall: dict[int, float] = {}
        for workers in args.workers:
            pipe = bare(extractor.nlp, texts, workers)
            run = full(corpus, Path(tmp) / f"store{workers}.db", args.model, workers)
            rates[f"bare{workers}"] = words / pipe.free_machine(workers)
            wall[workers] = words / run.wall
            rates[f"ingest{workers}"] = words / run.free_machine(workers)
            print(f"{workers} process(es), load average {os.getloadavg()[0]:.2f}:")
            print(f"  bare nlp.pipe    {pipe.describe(words, workers)}")
            print(f"  dprk-tui ingest  {run.describe(words, workers)}  added {run.result.added}")
            start = start_up(workers, args.model)
            steady = Run.__new__(Run)
            steady.parent = run.parent - start.parent
            steady.children = max(0.0, run.children - start.children)
            rates[f"steady{workers}"] = words / steady.free_machine(workers)
            print(f"  ingest / bare: {words / run.wall / (words / pipe.wall):.0%} wall,"
                  f" {rates[f'ingest{workers}'] / rates[f'bare{workers}']:.0%} on idle cores")
            print(f"  worker start-up (spaCy import, model and dictionary load): {start.wall:.1f} s wall,"
                  f" {start.children:.1f} CPU-s; without it: {rates[f'steady{workers}']:,.0f} words/s on"
                  f" 2 idle cores, {rates[f'steady{workers}'] / rates[f'bare{workers}']:.0%} of bare")
        if "ingest1" in rates and "ingest2" in rates:
            print(f"2 workers / 1 worker on 2 idle cores: ingest {rates['ingest2'] / rates['ingest1']:.2f}x"
                  f" ({rates['steady2'] / rates['steady1']:.2f}x without start-up),"
                  f" bare nlp.pipe {rates['bare2'] / rates['bare1']:.2f}x; wall {wall[2] / wall[1]:.2f}x")


if __name__ == "__main__":
    main()
