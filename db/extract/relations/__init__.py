"""Relation extraction over spaCy's dependency parse: typed (PLOVER), directed, dated interactions
between resolved actors, each with its evidence sentence. Vocabulary: data/relations.json.

Modules: rules (the data file), grammar (parse helpers), document (the parse, its mentions,
datelines, actor facts), arguments (phrase -> actors), event (who did what to whom), events (verb
and adjective triggers -> events), nouns (event and holder nouns), labels (naming something a
threat), modality (asserted / planned / unreal), dates, accusation (reported wrongdoing and
demands), threats (conditional threats), direction (visitor before host), extractor (the
sentence loop). Each relation carries the short name of the rule that read it
(RelationSpan.rule), for error reports.
"""

from dprk_tui.db.extract.relations.extractor import RelationExtractor
from dprk_tui.db.extract.relations.rules import TriggerRules

__all__ = ["RelationExtractor", "TriggerRules"]
