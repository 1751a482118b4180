"""Actors on the real development articles (../shared/real, annotated in ../shared/gold/real): the
store built by the real pipeline is scored against the hand annotations, as `dprk-tui eval` does.

The figures guard against regressions on text the rules were not written from; they are measured,
not fitted (the floors sit a little below what the rules reach, see the note of issue 11). The
articles are read from ../shared and never copied into the project.
"""

from __future__ import annotations


import pytest

from tests.conftest import ROOT

REAL = ROOT.parent / "shared" / "real"
REAL_GOLD = ROOT.parent / "shared" / "gold" / "real"
pytestmark = pytest.mark.skipif(
    not (REAL.is_dir() and REAL_GOLD.is_dir()),
    reason="../shared/real and ../shared/gold/real (the development articles) are not beside this checkout",
)


@pytest.fixture(scope="module")
def report(real_report):
    """The development set, ingested once per session (conftest's real_report)."""
    return real_report


def test_actor_f1_on_real_articles(report) -> None:
    misses = [(d.doc, d.missed_actors, d.extra_actors) for d in report.documents if d.missed_actors or d.extra_actors]
    assert report.actors.f1 >= 0.93, (report.actors, misses)
    assert report.actors.precision >= 0.93, (report.actors, misses)


def test_bare_surname_accuracy_on_real_articles(report) -> None:
    wrong = [d.wrong_surnames for d in report.documents if d.wrong_surnames]
    assert report.surnames.accuracy >= 0.97, wrong


def test_no_article_loses_many_actors(report) -> None:
    # One document's rules must not trade another's. The weakest article (0.67) loses its closing
    # paragraph in cleaning and names two states only in photo captions.
    weak = [(d.doc, round(d.actors.f1, 3)) for d in report.documents if d.actors.f1 < 0.65]
    assert not weak, weak
