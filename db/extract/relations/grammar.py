"""Small, rule-free helpers over spaCy's dependency parse (ClearNLP labels, as en_core_web_* use)."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

SUBJECTS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
# Dependents that open a clause of their own: an argument search never crosses them.
CLAUSES = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "parataxis", "csubj", "csubjpass"})
VERBAL = frozenset({"VERB", "AUX"})


def conjuncts(tokens: Iterable[Token]) -> list[Token]:
    """The tokens and everything coordinated with them, in text order, without repeats."""
    seen: dict[int, Token] = {}
    for token in tokens:
        seen.setdefault(token.i, token)
        for other in token.conjuncts:
            seen.setdefault(other.i, other)
    return [seen[i] for i in sorted(seen)]


def children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def pobjs(prep: Token) -> list[Token]:
    """Objects of a preposition, with "according to"-style nesting flattened one level."""
    return [child for child in prep.children if child.dep_ in ("pobj", "pcomp")]


def prep_objects(token: Token, preps: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions attached to `token` ("met *with* X"), conjuncts included."""
    wanted = set(preps)
    found = [
        pobj
        for prep in token.children
        if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in wanted
        for pobj in pobjs(prep)
    ]
    return conjuncts(found)


def is_passive(token: Token) -> bool:
    """A passive with a passive subject or a "by" agent ("X was criticized (by Y)"); "it is
    prepared" with its subject on the auxiliary is not one."""
    return any(child.dep_ in PASSIVE_SUBJECTS or child.dep_ == "agent" for child in token.children)


def agents(token: Token) -> list[Token]:
    """The "by" phrase of a passive verb."""
    return conjuncts(g for c in token.children if c.dep_ == "agent" for g in pobjs(c))


def negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


def phrase_end(token: Token) -> int:
    """Index just after the last token of `token`'s subtree."""
    return token.right_edge.i + 1


def is_content_clause(verb: Token) -> bool:
    """A clause opened by "that" with a subject of its own: what a claim or demand says, even
    where the parser took it for a relative clause ("accusations from X that Y had ...")."""
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children) and any(
        c.dep_ in SUBJECTS or c.dep_ in PASSIVE_SUBJECTS for c in verb.children
    )
