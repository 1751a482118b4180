"""The text of synthetic stores (db/synth.py): articles assembled from pools of generated
sentences whose mentions and relations are known.

Sentences are of three kinds: filler (Zipf-distributed words over a common head and a long generated
tail), sentences naming one to three actors, and sentences stating a relation between two actors
("A met with B ..."), whose evidence is the whole sentence. Actors come from the actor dictionary
with a Zipf spread (the prominent ones first), written with their name or an alias. A document is a
headline, a log-normal number of sentences in paragraphs of four, and a closing "Archive reference
N." that keeps every document's content distinct.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, timedelta, timezone

from dprk_tui.db.extract.dictionary import Dictionary

FIRST_DAY = Date(2010, 1, 1)
LAST_DAY = Date(2026, 12, 31)
UNDATED_SHARE = 0.02
MEDIAN_WORDS = 340
TITLE_MAX = 100

# The actors of most articles, first in the Zipf ranking; the rest follow in a seeded shuffle.
PROMINENT = [
    "North Korea", "United States", "South Korea", "China", "Kim Jong Un", "Japan", "Russia",
    "United Nations", "Choe Son Hui", "Ministry of Foreign Affairs of North Korea", "Xi Jinping",
    "Vladimir Putin", "Korean Central News Agency", "Workers' Party of Korea", "Moon Jae-in",
]
SOURCES = [
    "Yonhap", "KCNA", "Reuters", "Xinhua", "NK News", "AP", "UPI", "AFP", "TASS", "Korea Herald",
    "Korea JoongAng Daily", "The Diplomat", "38 North", "Rodong Sinmun", "Kyodo", "RIA Novosti",
    "Voice of America", "Radio Free Asia", "Daily NK", "BBC", None,
]
# (phrase, PLOVER type, trigger as stored); repeated entries make a type more common.
RELATION_PHRASES = [
    ("met with", "CONSULT", "met"), ("held talks with", "CONSULT", "talks"),
    ("visited", "CONSULT", "visited"), ("hosted", "CONSULT", "hosted"),
    ("received a delegation from", "CONSULT", "received"), ("met with", "CONSULT", "met"),
    ("urged", "REQUEST", "urged"), ("called on", "REQUEST", "called on"),
    ("accused", "ACCUSE", "accused"), ("condemned", "ACCUSE", "condemned"),
    ("warned", "ACCUSE", "warned"), ("praised", "SUPPORT", "praised"),
    ("thanked", "SUPPORT", "thanked"), ("agreed with", "AGREE", "agreed"),
    ("invited", "AGREE", "invited"), ("shipped fuel to", "AID", "shipped"),
    ("supplied arms to", "AID", "supplied"), ("cooperated with", "COOPERATE", "cooperated"),
    ("sanctioned", "SANCTION", "sanctioned"), ("threatened", "THREATEN", "threatened"),
    ("rejected a proposal from", "REJECT", "rejected"),
]
COMMON_WORDS = (
    "the of to and in a on for said with that by as at from its was has have is be will would "
    "which an were this it their also not been after more over new two about against had official "
    "talks nuclear missile sanctions peninsula security foreign minister ministry government "
    "military leader meeting summit statement agency visit relations cooperation economic trade "
    "denuclearization weapons launch test ballistic dialogue diplomatic envoy delegation border "
    "defense forces exercises joint allies regime state media report week month year spokesman "
    "envoy negotiations pressure resolution council humanitarian aid food energy oil shipments "
    "satellite rocket program talks tensions provocation warning response ties bilateral "
    "multilateral representative ambassador embassy capital officials sources analysts experts "
    "according told reporters press conference party congress plenary session committee chairman "
    "premier president vice first special deputy senior former current recent further possible "
    "regional international global strategic political economic military civilian people country "
    "countries nation nations side sides issue issues agreement agreements deal framework "
    "commitment commitments stability peace war armistice demilitarized zone inter-Korean "
    "reunification families exchange exchanges tour tourism investment industrial complex railway "
    "road project projects fishing waters island coast navy army air force drills patrol"
).split()
_SYLLABLES = (
    "ka ko ku ri ro ra mi mo na ne no sa se so ta to tu pa po pu ha ho hu ja jo ju ya yo gan gon "
    "dan don han hon kan kon lan lon man mon nan non pan pon san son tan ton yan yon ang ong ung "
    "in im il ik ek ok uk ar er or ur"
).split()
HEADLINE_TOPICS = (
    "nuclear talks", "missile launch", "sanctions", "food aid", "border security", "joint drills",
    "trade", "energy supplies", "human rights", "denuclearization", "satellite launch", "tourism",
)
TAIL_WORDS = 30_000
"""Generated rare words after the common ones: a long vocabulary tail, as in real news text."""


@dataclass(slots=True)
class Piece:
    """A sentence (or headline) with its mentions and relations at offsets within it."""

    text: str
    mentions: tuple[tuple[int, int, str, str, int | None], ...] = ()
    """(start, end, text, label, actor_id)."""
    relations: tuple[tuple[int, int, str, str], ...] = ()
    """(source_id, target_id, type, trigger); the evidence is the whole piece."""
    words: int = field(init=False)
    length: int = field(init=False)
    folded: str = field(init=False)
    """The text as `db.article.content_hash` folds it (case and spacing)."""
    actors: tuple[int, ...] = field(init=False)
    """Actor ids of the mentions that have one."""

    def __post_init__(self) -> None:
        tokens = self.text.casefold().split()
        self.words = len(tokens)
        self.length = len(self.text)
        self.folded = " ".join(tokens)
        self.actors = tuple(m[4] for m in self.mentions if m[4] is not None)


class Actors:
    """Actors with Zipf weights, ids from the store, and surface forms to write them with."""

    def __init__(self, dictionary: Dictionary, ids: dict[str, int], rng: random.Random) -> None:
        rest = [e.name for e in dictionary.entries if e.name not in PROMINENT]
        rng.shuffle(rest)
        ranked = [name for name in PROMINENT if name in dictionary.by_name] + rest
        self.entries = [dictionary.by_name[name] for name in ranked]
        self.ids = [ids[name] for name in ranked]
        self.cum = list(itertools.accumulate(1 / rank**1.1 for rank in range(1, len(ranked) + 1)))
        self.demonyms = [d for e in dictionary.entries for d in e.demonyms if d[:1].isupper()]
        self.rng = rng

    def pick(self) -> int:
        """Index of an actor, Zipf-distributed."""
        return bisect.bisect(self.cum, self.rng.random() * self.cum[-1]) if len(self.cum) > 1 else 0

    def form(self, index: int) -> str:
        entry = self.entries[index]
        forms = entry.surface_forms
        return forms[0] if len(forms) == 1 or self.rng.random() < 0.7 else self.rng.choice(forms[1:])


class Words:
    """Filler words with a Zipf-like spread over a common head and a long generated tail."""

    def __init__(self, rng: random.Random) -> None:
        tail = {
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
            for _ in range(TAIL_WORDS)
        }
        self.words = COMMON_WORDS + sorted(tail - set(COMMON_WORDS))
        self.cum = list(itertools.accumulate(1 / rank**1.15 for rank in range(1, len(self.words) + 1)))
        self.rng = rng

    def some(self, low: int, high: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=self.rng.randint(low, high))


class Pieces:
    """Pools of sentences: plain filler, sentences naming actors, sentences stating a relation."""

    def __init__(self, actors: Actors, words: Words, rng: random.Random, size: int) -> None:
        self.actors, self.words, self.rng = actors, words, rng
        relations = [self._relation() for _ in range(size * 25 // 100)]
        mentions = [self._mentions() for _ in range(size * 20 // 100)]
        filler = [self._filler() for _ in range(size * 55 // 100)]
        self.pool = relations + mentions + filler
        self.headlines = [(piece, shorten(piece.text)) for piece in
                          (self._headline() for _ in range(max(50, size // 10)))]
        self.mean_words = sum(p.words for p in self.pool) / len(self.pool)

    def _join(self, parts: list[str | tuple[int, str]], end: str = ".") -> tuple[str, list]:
        """Join words and (actor index, form) parts with spaces; return text and actor spans."""
        text, spans, position = [], [], 0
        if parts and isinstance(parts[0], str):
            parts = [parts[0][:1].upper() + parts[0][1:], *parts[1:]]
        for part in parts:
            if position:
                text.append(" ")
                position += 1
            if isinstance(part, tuple):
                index, form = part
                spans.append((position, position + len(form), form, index))
                part = form
            text.append(part)
            position += len(part)
        return "".join(text) + end, spans

    def _mention_rows(self, spans: list) -> tuple:
        return tuple(
            (start, end, form, self.actors.entries[index].type, self.actors.ids[index])
            for start, end, form, index in spans
        )

    def _two(self) -> tuple[int, int]:
        first = self.actors.pick()
        second = self.actors.pick()
        while second == first and len(self.actors.ids) > 1:
            second = self.actors.pick()
        return first, second

    def _relation(self) -> Piece:
        source, target = self._two()
        phrase, kind, trigger = self.rng.choice(RELATION_PHRASES)
        head = self.words.some(0, 4) if self.rng.random() < 0.3 else []
        parts = [*head, (source, self.actors.form(source)), phrase,
                 (target, self.actors.form(target)), *self.words.some(4, 14)]
        text, spans = self._join(parts)
        ids = self.actors.ids
        return Piece(text, self._mention_rows(spans), ((ids[source], ids[target], kind, trigger),))

    def _mentions(self) -> Piece:
        if self.rng.random() < 0.1 and self.actors.demonyms:
            demonym = self.rng.choice(self.actors.demonyms)
            text, _ = self._join([demonym, "officials", *self.words.some(5, 14)])
            return Piece(text, ((0, len(demonym), demonym, "NORP", None),))
        picked = [self.actors.pick() for _ in range(self.rng.choice((1, 1, 2, 3)))]
        parts: list[str | tuple[int, str]] = [*self.words.some(2, 6)]
        for index in picked:
            parts += [(index, self.actors.form(index)), *self.words.some(1, 5)]
        text, spans = self._join(parts)
        return Piece(text, self._mention_rows(spans))

    def _filler(self) -> Piece:
        text, _ = self._join(self.words.some(10, 30))
        return Piece(text)

    def _headline(self) -> Piece:
        source, target = self._two()
        phrase, _, _ = self.rng.choice(RELATION_PHRASES)
        parts = [(source, self.actors.form(source)), phrase, (target, self.actors.form(target)),
                 "over", self.rng.choice(HEADLINE_TOPICS)]
        text, spans = self._join(parts, end="")
        return Piece(text, self._mention_rows(spans))


def shorten(text: str) -> str:
    """A headline cut to TITLE_MAX characters at a word boundary, as real titles are."""
    if len(text) <= TITLE_MAX:
        return text
    return text[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


def dates(rng: random.Random) -> Callable[[], str | None]:
    """A picker of ISO dates, uniform over FIRST_DAY..LAST_DAY, None for UNDATED_SHARE of them."""
    days = (LAST_DAY - FIRST_DAY).days + 1
    iso = [(FIRST_DAY + timedelta(days=n)).isoformat() for n in range(days)]
    return lambda: None if rng.random() < UNDATED_SHARE else iso[int(rng.random() * days)]


def sources(rng: random.Random) -> Callable[[], str | None]:
    """A picker of document sources with a Zipf spread (the last, None, is "no source")."""
    cum = list(itertools.accumulate(1 / rank for rank in range(1, len(SOURCES) + 1)))
    return lambda: SOURCES[bisect.bisect(cum, rng.random() * cum[-1])]


class Totals:
    """Aggregates kept while writing: relation_summary rows and actor counts."""

    def __init__(self) -> None:
        self.summary: dict[tuple[int, str, int], list] = {}
        self.actor_mentions: Counter[int] = Counter()
        self.actor_documents: Counter[int] = Counter()
        self.mentions = 0
        self.relations = 0

    def add(self, date: str | None, mentions: int, actors: list[int], relations: list[tuple]) -> None:
        """One document's `mentions` count, ids of the `actors` its mentions name, its relations."""
        self.mentions += mentions
        self.relations += len(relations)
        self.actor_mentions.update(actors)
        self.actor_documents.update(set(actors))
        events = Counter((row[1], row[3], row[2]) for row in relations)
        for triple, count in events.items():
            entry = self.summary.get(triple)
            if entry is None:
                self.summary[triple] = [count, 1, date, date]
                continue
            entry[0] += count
            entry[1] += 1
            if date is not None:
                entry[2] = date if entry[2] is None or date < entry[2] else entry[2]
                entry[3] = date if entry[3] is None or date > entry[3] else entry[3]


def documents(
    count: int, pieces: Pieces, rng: random.Random, totals: Totals
) -> Iterator[tuple[tuple, list[tuple], list[tuple]]]:
    """(document row, mention rows, relation rows) for documents 1..count."""
    pick_date, pick_source = dates(rng), sources(rng)
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    mu = math.log(MEDIAN_WORDS / pieces.mean_words)
    pool, headlines, choices, lognormal = pieces.pool, pieces.headlines, rng.choices, rng.lognormvariate
    for document_id in range(1, count + 1):
        chosen = choices(pool, k=max(3, min(150, round(lognormal(mu, 0.55)))))
        headline, title = headlines[int(rng.random() * len(headlines))]
        date = pick_date()
        position = len(headline.text) + 2
        mentions = [(document_id, s, e, t, label, actor) for s, e, t, label, actor in headline.mentions]
        relations = []
        words = headline.words + 3
        actors = list(headline.actors)
        for number, piece in enumerate(chosen):
            if number:
                position += 1 if number % 4 else 2
            if piece.mentions:
                mentions += [(document_id, position + s, position + e, t, label, actor)
                             for s, e, t, label, actor in piece.mentions]
                actors += piece.actors
                for source_id, target_id, kind, trigger in piece.relations:
                    relations.append((document_id, source_id, target_id, kind, date, position,
                                      position + piece.length, trigger))
            position += piece.length
            words += piece.words
        body = [" ".join(p.text for p in chosen[start:start + 4]) for start in range(0, len(chosen), 4)]
        serial = f"Archive reference {document_id}."
        text = "\n\n".join([headline.text, *body, serial])
        # content_hash(text) without splitting the whole text again: the pieces are folded already.
        folded = " ".join([headline.folded, *[p.folded for p in chosen], serial.casefold()])
        row = (document_id, f"{document_id:07d}.txt", f"/synthetic/{document_id:07d}.txt",
               title, date, pick_source(), words, text,
               hashlib.sha256(folded.encode("utf-8")).hexdigest(), stamp)
        totals.add(date, len(mentions), actors, relations)
        yield row, mentions, relations
