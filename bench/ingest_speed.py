"""Ingest throughput: words/s of `dprk-tui ingest` next to bare spaCy `nlp.pipe` on the same texts.

Makes N distinct copies of the seed articles (a numbered sentence appended to each, so content
dedupe keeps them), then times (1) bare nlp.pipe with the model's own components and (2) the full
ingest into a fresh store. Prints the figures; asserts nothing.

    .venv/bin/python -m bench.ingest_speed --copies 40
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from db.paths import SEEDS_DIR


def make_corpus(folder: Path, copies: int) -> tuple[list[str], int]:
    texts = []
    for index in range(copies):
        for seed in sorted(SEEDS_DIR.glob("*.txt")):
            text = seed.read_text(encoding="utf-8") + f"\n\nArchive copy number {index}.\n"
            (folder / f"{index:04d}_{seed.name}").write_text(text, encoding="utf-8")
            texts.append(text)
    return texts, sum(len(text.split()) for text in texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    import spacy

    from db.extract.pipeline import configured_model
    from db.ingest import ingest

    model = args.model or configured_model()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        texts, words = make_corpus(corpus, args.copies)
        nlp = spacy.load(model)
        list(nlp.pipe(texts[:5]))  # warm up
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        bare = words / (time.perf_counter() - start)

        start = time.perf_counter()
        summary = ingest([corpus], Path(tmp) / "store.db", model=model)
        full = words / (time.perf_counter() - start)
    print(f"corpus: {len(texts)} documents, {words} words; model {model}")
    print(f"bare nlp.pipe:  {bare:8.0f} words/s")
    print(f"dprk-tui ingest:{full:8.0f} words/s  ({full / bare:.0%} of bare; added {summary.added})")


if __name__ == "__main__":
    main()
