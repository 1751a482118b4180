"""Entity-ruler patterns made from the actor dictionary, as phrase patterns (spaCy's PhraseMatcher,
which is hash-based and fast, unlike token patterns).

Two rulers share the work:
- multi-word names match case-insensitively (LOWER), with generated variants for hyphens and
  apostrophes ("Choe Son Hui" also matches "Choe Son-hui" and "CHOE SON HUI"; "Workers' Party of
  Korea" also "Workers Party of Korea") and without accents ("Diaz-Canel");
- single words and acronyms match their exact written, upper and title case ("Tass", "TASS"), and
  acronyms with or without periods ("U.S." / "US"), so that "US" never matches the pronoun "us".
Bare surnames are deliberately not patterns: they would cut full names short; `resolve.py` links them
inside each document instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dprk_tui.db.extract.dictionary import Dictionary
from dprk_tui.db.extract.names import fold_accents

# "<nationality> <noun>" stands for the state: "the Japanese government", "the south Korean
# puppets" (KCNA's name for Seoul's government and forces).
GOVERNMENT_NOUNS = [
    "government", "authorities", "regime", "administration", "leadership",
    "puppets", "puppet forces", "puppet regime", "puppet authorities", "puppet group", "puppet clique",
]


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 6


def _case_variants(word: str) -> set[str]:
    variants = {word, word.upper(), word[:1].upper() + word[1:].lower()}
    if _is_acronym(word):
        bare = word.replace(".", "")
        variants = {word, bare, ".".join(bare) + "."}
    return variants | {fold_accents(variant) for variant in variants}


def multiword_variants(form: str) -> set[str]:
    """Spellings of a multi-word name that the tokenizer would split differently."""
    spaced = re.sub(r"[\-‐‑]", " ", form)
    variants = {form, spaced, form.replace("'", "’"), form.replace("'", "")}
    words = spaced.split()
    if len(words) >= 3 and all(word.isalpha() for word in words):
        # Korean given names: "Choe Son-hui", "Kim Jong-un".
        variants.add(" ".join(words[:-2]) + f" {words[-2]}-{words[-1].lower()}")
    variants |= {fold_accents(variant) for variant in variants}  # "Díaz-Canel" is often "Diaz-Canel"
    return {" ".join(variant.split()) for variant in variants if variant.strip()}


def _forms(entry) -> Iterator[tuple[str, str]]:
    yield from ((form, entry.type) for form in entry.surface_forms)
    if entry.capital:
        yield entry.capital, "GPE"
    for demonym in entry.demonyms:
        for noun in GOVERNMENT_NOUNS:
            yield f"{demonym} {noun}", "GPE"


def dictionary_patterns(dictionary: Dictionary) -> tuple[list[dict], list[dict]]:
    """(case-insensitive multi-word patterns, exact-case single-word patterns)."""
    lower: dict[tuple[str, str], dict] = {}
    exact: dict[tuple[str, str], dict] = {}
    for entry in dictionary.entries:
        for form, label in _forms(entry):
            if len(form.split()) == 1 and not re.search(r"[\-‐‑]", form):
                for variant in _case_variants(form):
                    exact.setdefault(
                        (variant, entry.name), {"label": label, "pattern": variant, "id": entry.name}
                    )
            else:
                for variant in multiword_variants(form):
                    lower.setdefault(
                        (variant.lower(), entry.name),
                        {"label": label, "pattern": variant, "id": entry.name},
                    )
    return list(lower.values()), list(exact.values())
