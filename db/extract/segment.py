"""Sentence boundaries set before the parser runs, and two tokenizer corrections.

- Every line break starts a sentence. Cleaned article text keeps one paragraph, headline or byline
  per line; without this the parser glues a headline or a dateline to the first sentence of the
  body, and relation evidence (a whole sentence) spans paragraphs.
- No sentence starts inside a name: inside a dictionary name already matched by the entity rulers
  (which run before the parser), nor inside a run of capitalised words opened by an East Asian
  family name ("Kim Ju Ae", "Park Jin Hyok"), where the parser otherwise cuts off the last syllable.
The parser respects boundaries set before it, both ways.

The tokenizer keeps "U.S.-S." or "U.S.-ROK" as one token (a hyphen after an abbreviation's period is
no infix in spaCy's English rules), and "Union(EU", "Today28-04-2025" and "/TASS/." likewise;
`add_infixes` splits them so that the names on either side can be matched.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

LINE_BREAKS = "line_breaks"
NAME_GUARD = "name_guard"

# A hyphen between abbreviations ("U.S.-S. Korea", "U.S.-ROK"); a bracket glued between
# two words ("European Union(EU)"); a scraped page's name glued to a date or a year to a word
# ("USA Today28-04-2025", "May 8, 2018World News").
_EXTRA_INFIXES = [
    r"(?<=[A-Z]\.)[\-‐‑–](?=[A-Z](?:\.|[A-Z]+\b))",
    r"(?<=[A-Za-z])[(\[](?=[A-Za-z])",
    r"(?<=[A-Za-z])[)\]](?=[A-Za-z])",
    r"(?<=[a-z])(?=\d{1,2}[\-./]\d{1,2}[\-./]\d{2,4}\b)",
    r"(?<=\b[12]\d{3})(?=[A-Z][a-z])",
]


def add_infixes(nlp: Language) -> None:
    """Extend the tokenizer's infix rules with `_EXTRA_INFIXES`, and split a slash off the start
    and end of a word (the agency in slashes: "/TASS/.")."""
    infixes = list(nlp.Defaults.infixes or []) + _EXTRA_INFIXES
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    prefixes = list(nlp.Defaults.prefixes or []) + [r"/(?=[A-Za-z])"]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    suffixes = list(nlp.Defaults.suffixes or []) + [r"(?<=[A-Za-z])/\.?"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence at the first token after any white-space token holding a newline."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


class NameGuard:
    """Forbids sentence starts inside names (see the module doc)."""

    def __init__(self, family_names: Iterable[str]) -> None:
        self.family_names = frozenset(family_names)

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            for token in ent[1:]:
                if not token.is_sent_start:
                    token.is_sent_start = False
        given = 0  # given-name words still allowed after a family name ("Kim" + "Ju Ae")
        for token in doc:
            capitalised = token.is_alpha and token.text[:1].isupper()
            if given and capitalised and token.is_sent_start is None:
                token.is_sent_start = False
            if given and capitalised:
                given -= 1
            elif capitalised and token.text in self.family_names:
                given = 2
            else:
                given = 0
            if token.whitespace_ != " ":
                given = 0
        return doc


@Language.factory(NAME_GUARD, default_config={"family_names": []})
def make_name_guard(nlp: Language, name: str, family_names: list[str]) -> NameGuard:
    return NameGuard(family_names)
