"""Co-mentions for the browser: pairs of actors named in the same sentence, kept apart from relations
(a co-mention states no interaction). `db.comentions` (ingest) keeps `comention_summary` up to date
and splits sentences; this module pages what the Relations pane shows when co-mentions are asked for.

- The whole store: `comention_summary`, most sentences first, by keyset over its index
  `idx_comention_summary_sentences` (an older store without the table has no co-mentions).
- One document: computed from its mentions and text (a few dozen rows), each with the offsets of
  the first sentence naming both, so the browser can open the document there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from db.queries.base import QueryBase
from db.queries.paging import FIRST_PAGE, Key, Keyset, Page, keyset_sql, split_rows

COMENTION_ORDER = Keyset(("c.sentences", "c.documents", "c.actor_a", "c.actor_b"), descending=True)


@dataclass(frozen=True)
class Comention:
    """Two actors named in the same sentence(s); `start`/`end`: the first such sentence (one
    document only)."""

    actor_a_id: int
    actor_a: str
    actor_b_id: int
    actor_b: str
    sentences: int
    documents: int
    first_date: str | None
    last_date: str | None
    start: int | None = None
    end: int | None = None
    document_id: int | None = None
    key: Key = field(default=(), compare=False, repr=False)


class ComentionQueries(QueryBase):
    """Co-mention pairs, of the store or of one document."""

    def has_comentions(self) -> bool:
        return bool(
            self._rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'comention_summary'")
        )

    def comention_page(self, page: Page = FIRST_PAGE, document_id: int | None = None) -> list[Comention]:
        """A page of co-mention pairs, most sentences first."""
        if document_id is not None:
            return _slice(self.document_comentions(document_id), page)
        if not self.has_comentions():
            return []
        sql, params, backwards = keyset_sql(
            "c.actor_a, a.name, c.actor_b, b.name, c.sentences, c.documents, c.first_date, c.last_date",
            "FROM comention_summary c JOIN actors a ON a.id = c.actor_a JOIN actors b ON b.id = c.actor_b",
            [],
            [],
            COMENTION_ORDER,
            page,
        )
        rows = split_rows(self._rows(sql, params), COMENTION_ORDER.width, backwards)
        return [Comention(*values, key=key) for values, key in rows]

    def comention_count(self, document_id: int | None = None) -> int:
        if document_id is not None:
            return len(self.document_comentions(document_id))
        if not self.has_comentions():
            return 0
        return self._value("SELECT count(*) FROM comention_summary")

    def document_comentions(self, document_id: int) -> list[Comention]:
        """Every pair named together in one document, most sentences first, then by position."""
        from db.comentions import sentence_spans

        found = self._rows("SELECT text, date FROM documents WHERE id = ?", (document_id,))
        if not found:
            return []
        text, date = found[0]
        mentions = self._rows(
            "SELECT start_char, actor_id FROM mentions WHERE document_id = ? AND actor_id IS NOT NULL"
            " ORDER BY start_char",
            (document_id,),
        )
        pairs: dict[tuple[int, int], list[tuple[int, int]]] = {}
        index = 0
        for span in sentence_spans(text):
            actors: set[int] = set()
            while index < len(mentions) and mentions[index][0] < span[1]:
                if mentions[index][0] >= span[0]:
                    actors.add(mentions[index][1])
                index += 1
            for pair in combinations(sorted(actors), 2):
                pairs.setdefault(pair, []).append(span)
        ids = sorted({actor for pair in pairs for actor in pair})
        names: dict[int, str] = {}
        if ids:
            marks = ", ".join("?" * len(ids))
            names = dict(self._rows(f"SELECT id, name FROM actors WHERE id IN ({marks})", ids))
        rows = [
            Comention(a, names.get(a, "?"), b, names.get(b, "?"), len(spans), 1, date, date,
                      spans[0][0], spans[0][1], document_id)
            for (a, b), spans in pairs.items()
        ]
        rows.sort(key=lambda row: (-row.sentences, row.start or 0, row.actor_a, row.actor_b))
        return [_with_key(row, (number,)) for number, row in enumerate(rows)]


def _with_key(row: Comention, key: Key) -> Comention:
    from dataclasses import replace

    return replace(row, key=key)


def _slice(rows: list[Comention], page: Page) -> list[Comention]:
    """A keyset page of an in-memory list whose keys are (position,)."""
    if page.after is not None:
        start = page.after[0] + 1
        return rows[start : start + page.limit]
    if page.before is not None:
        end = page.before[0]
        return rows[max(0, end - page.limit) : end]
    if page.from_end:
        return rows[max(0, len(rows) - page.limit) :]
    return rows[: page.limit]
