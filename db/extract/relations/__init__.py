"""Relation extraction over spaCy's dependency parse: typed (PLOVER), directed, dated interactions
between resolved actors, each with its evidence sentence. Vocabulary: data/relations.json.

Modules: rules (the data file), grammar (parse helpers), arguments (phrase -> actors), events
(triggers -> who did what to whom), modality (asserted / planned / unreal), dates, accusation
(reported wrongdoing), extractor (the sentence loop).
"""

from dprk_tui.db.extract.relations.extractor import RelationExtractor
from dprk_tui.db.extract.relations.rules import TriggerRules

__all__ = ["RelationExtractor", "TriggerRules"]
