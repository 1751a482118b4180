"""Entity-ruler patterns made from the actor dictionary.

Multi-word names match case-insensitively with optional hyphens and apostrophes between tokens
("Choe Son Hui" also matches "Choe Son-hui", "CHOE SON HUI"); single words and acronyms match
their written, upper and title case ("Tass", "TASS"), and acronyms with or without periods
("U.S." / "US"). Bare surnames are deliberately not patterns: they would cut full names short;
`resolve.py` links them inside each document instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language

from db.extract.dictionary import Dictionary

_OPTIONAL_PUNCT = {"-", "‐", "‑", "'", "’"}
GOVERNMENT_NOUNS = ["government", "authorities", "regime", "administration", "leadership"]


def _is_acronym(token: str) -> bool:
    letters = token.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 6


def _case_variants(token: str) -> list[str]:
    variants = {token, token.upper(), token[:1].upper() + token[1:].lower()}
    if "." in token and _is_acronym(token):
        bare = token.replace(".", "")
        variants |= {bare, ".".join(bare) + "."}
    return sorted(variants)


def _token_pattern(nlp: Language, form: str) -> list[dict] | None:
    words = [t.text for t in nlp.make_doc(form) if not t.is_space]
    words = [w for w in words if w not in _OPTIONAL_PUNCT]
    if not words:
        return None
    if len(words) == 1:
        return [{"ORTH": {"IN": _case_variants(words[0])}}]
    pattern: list[dict] = []
    for index, word in enumerate(words):
        if index:
            pattern.append({"ORTH": {"IN": sorted(_OPTIONAL_PUNCT)}, "OP": "?"})
        if _is_acronym(word):
            pattern.append({"ORTH": {"IN": _case_variants(word)}})
        else:
            pattern.append({"LOWER": word.lower()})
    return pattern


def dictionary_patterns(nlp: Language, dictionary: Dictionary) -> Iterator[dict]:
    """Patterns for every name and alias, every capital (as its state; context decides later
    whether it is the state acting or a place) and "<demonym> government" phrases."""
    for entry in dictionary.entries:
        for form in entry.surface_forms:
            pattern = _token_pattern(nlp, form)
            if pattern:
                yield {"label": entry.type, "pattern": pattern, "id": entry.name}
        if entry.capital:
            pattern = _token_pattern(nlp, entry.capital)
            if pattern:
                yield {"label": "GPE", "pattern": pattern, "id": entry.name}
        for demonym in entry.demonyms:
            pattern = _token_pattern(nlp, demonym)
            if pattern:
                yield {
                    "label": "GPE",
                    "pattern": [*pattern, {"LOWER": {"IN": GOVERNMENT_NOUNS}}],
                    "id": entry.name,
                }
