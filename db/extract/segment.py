"""A pipeline component that makes every line break a sentence boundary before the parser runs.

Cleaned article text keeps one paragraph, headline or byline per line; without this the parser
glues a headline or a dateline to the first sentence of the body, and relation evidence (a whole
sentence) spans paragraphs. The parser respects boundaries set before it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

LINE_BREAKS = "line_breaks"


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence at the first token after any white-space token holding a newline."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc
