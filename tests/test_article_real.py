"""Article parsing on the real development articles (../shared/real, gold in ../shared/gold/real):
the publication date is right for at least 95 % of them (null counts as right where gold is null),
and cleaning loses nothing of the article: every annotated evidence sentence and mention, and every
paragraph-sized line of the page, is still in the stored text. Skipped where ../shared is absent.
Nothing from these articles is copied into the project; the tests read them where they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dprk_tui.db.article import parse_article
from dprk_tui.db.clean import cut_credits, normalize_text, split_header_date
from tests.conftest import GOLD as SEED_GOLD
from tests.conftest import ROOT, SEEDS

REAL = ROOT.parent / "shared" / "real"
REAL_GOLD = ROOT.parent / "shared" / "gold" / "real"
DATE_ACCURACY = 0.95
PARAGRAPH_WORDS = 16
"""A line of this many words is a paragraph of the article (clutter rules stop at 15 words)."""

pytestmark = pytest.mark.skipif(
    not (REAL.is_dir() and REAL_GOLD.is_dir()),
    reason="../shared/real and ../shared/gold/real (the development articles) are not beside this checkout",
)


def _pairs(texts: Path, gold: Path) -> list[tuple[Path, dict]]:
    return [
        (path, json.loads((gold / f"{path.stem}.json").read_text(encoding="utf-8")))
        for path in sorted(texts.glob("*.txt"))
        if (gold / f"{path.stem}.json").is_file()
    ]


def _parsed(path: Path):
    return parse_article(path.read_text(encoding="utf-8"), path.name, str(path))


def test_dates_of_the_real_articles() -> None:
    pairs = _pairs(REAL, REAL_GOLD)
    assert len(pairs) >= 10, "too few annotated real articles to measure"
    wrong = [(path.stem, _parsed(path).date, gold["date"]) for path, gold in pairs
             if _parsed(path).date != gold["date"]]
    accuracy = 1 - len(wrong) / len(pairs)
    assert accuracy >= DATE_ACCURACY, f"date right {accuracy:.2f}; wrong (file, found, gold): {wrong}"


@pytest.mark.skipif(not SEED_GOLD.is_dir(), reason="../shared/gold/seeds is not beside this checkout")
def test_dates_of_the_seeds() -> None:
    pairs = _pairs(SEEDS, SEED_GOLD)
    assert pairs and all(_parsed(path).date == gold["date"] for path, gold in pairs)


def _folded(text: str) -> str:
    return " ".join(normalize_text(text).split())


@pytest.mark.parametrize("path", sorted(REAL.glob("*.txt")) if REAL.is_dir() else [], ids=lambda p: p.stem)
def test_cleaning_keeps_the_article(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    text = _folded(_parsed(path).text)
    gold_path = REAL_GOLD / f"{path.stem}.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.is_file() else {}
    for relation in gold.get("relations", []):
        assert _folded(relation["evidence"]) in text, relation["evidence"]
    for actor in gold.get("actors", []):
        for mention in actor["mentions"]:
            assert _folded(mention) in text, mention
    for line in split_header_date(normalize_text(raw))[1].split("\n"):
        if len(line.split()) >= PARAGRAPH_WORDS:  # a paragraph stays, less a photo credit at its end
            assert _folded(cut_credits(line)) in text, line[:80]
