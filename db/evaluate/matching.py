"""Predicted actor names matched to gold actors by any of their surface forms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dprk_tui.db.evaluate.gold import GoldActor
from dprk_tui.db.evaluate.names import is_one_word, name_key


@dataclass(frozen=True)
class _GoldKeys:
    canonical: str | None  # the canonical key, or None when it may not be used
    keys: frozenset[str]  # every usable key (canonical and mentions)
    any_pred_word: bool  # may one-word predicted names take part?


def _gold_keys(actor: GoldActor) -> _GoldKeys:
    names = [actor.name, *actor.mentions]
    if not actor.is_person:
        keys = {name_key(n) for n in names}
        canonical = name_key(actor.name)
        any_pred_word = True
    elif is_one_word(actor.name):
        # Known only by one name: that name is its identity.
        canonical = name_key(actor.name)
        keys = {canonical} | {name_key(n) for n in actor.mentions if not is_one_word(n)}
        any_pred_word = True
    else:
        canonical = name_key(actor.name)
        keys = {name_key(n) for n in names if not is_one_word(n)}
        any_pred_word = False
    keys.discard("")
    return _GoldKeys(canonical or None, frozenset(keys), any_pred_word)


def _pred_keys(names: Iterable[str], any_word: bool) -> set[str]:
    keys = {name_key(n) for n in names if n and (any_word or not is_one_word(n))}
    keys.discard("")
    return keys


def match_actors(
    predicted: Iterable[str],
    gold: Sequence[GoldActor],
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, str]:
    """Match predicted actor names one-to-one to gold actors; returns predicted -> gold name.

    ``aliases`` maps a predicted canonical name to its aliases. See the module docstring.
    """
    aliases = aliases or {}
    preds = sorted({p for p in predicted if p})
    gkeys = [_gold_keys(g) for g in gold]

    def pred_names(p: str) -> list[str]:
        return [p, *(a for a in aliases.get(p, ()) if isinstance(a, str))]

    owner: dict[int, str] = {}  # gold index -> predicted name
    # Stage 1: exact canonical names.
    for p in preds:
        for gi, gk in enumerate(gkeys):
            if gi in owner or gk.canonical is None:
                continue
            if _pred_keys([p], gk.any_pred_word) == {gk.canonical}:
                owner[gi] = p
                break
    taken = set(owner.values())
    exact = set(owner)

    # Stage 2: aliases and gold mentions, maximum bipartite matching over what is left.
    candidates: dict[str, list[int]] = {}
    for p in preds:
        if p in taken:
            continue
        names = pred_names(p)
        candidates[p] = [
            gi
            for gi, gk in enumerate(gkeys)
            if gi not in exact and _pred_keys(names, gk.any_pred_word) & gk.keys
        ]

    def augment(p: str, seen: set[int]) -> bool:
        for gi in candidates[p]:
            if gi in seen:
                continue
            seen.add(gi)
            if gi not in owner or augment(owner[gi], seen):
                owner[gi] = p
                return True
        return False

    for p in candidates:
        augment(p, set())
    return {p: gold[gi].name for gi, p in owner.items()}


