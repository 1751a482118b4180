"""The relation extractor's vocabulary, read from data/relations.json (schema: data/README.md).

Nothing here knows about spaCy: triggers, argument words and modality words are plain data, so
adding a trigger or a modal head is an edit of the JSON file, never of the code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from dprk_tui.db.extract.dictionary import DATA_DIR

RELATIONS_FILE = DATA_DIR / "relations.json"
PLOVER_TYPES = frozenset(
    {"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID", "REQUEST", "ACCUSE", "REJECT", "THREATEN",
     "SANCTION", "MOBILIZE", "OTHER"}
)


@dataclass(frozen=True)
class VerbTrigger:
    """A verb (or phrasal verb) that states an interaction.

    `preps`: prepositions whose objects are targets (None: the default list); `object`: whether the
    direct object is a target ("yes", "no", or "direct": only when it is itself a name, as in
    "supplied Russia with shells" but not "supplied UN troops"); `objects`: the type by the direct object's lemma (a None type: no
    relation; "_other" for any other object); `object_source`: the object's possessor acts
    ("conveyed Kim's greetings"); `direction`: "subject_acts" or "object_acts" (host, receive);
    `reciprocal`: conjoined subjects without a target interact with each other ("X and Y met");
    `motion`: a capital as target stands for its state; `unless_children`: dependency labels that
    make the verb mean something else ("called it a provocation")."""

    lemma: str
    type: str
    preps: frozenset[str] | None = None
    object: str = "yes"
    objects: dict[str, str | None] = field(default_factory=dict)
    object_source: bool = False
    direction: str = "subject_acts"
    reciprocal: bool = False
    motion: bool = False
    unless_children: frozenset[str] = frozenset()
    requires_complement: bool = False

    def type_for_object(self, lemma: str | None, is_actor: bool) -> str | None:
        """The relation type given the direct object (None: no relation). The `objects` map types
        non-actor objects ("sent troops", "conveyed greetings"); an actor object keeps `type`."""
        if not self.objects or is_actor:
            return self.type
        if lemma is not None and lemma in self.objects:
            return self.objects[lemma]
        return self.objects.get("_other", self.type)


@dataclass(frozen=True)
class NounTrigger:
    """An event noun ("talks", "visit", "sanctions"); `preps` maps a preposition to the role of its
    object ("source", "target", "pair", or None to ignore it), over the shared defaults; `of` is the
    role of an "of" object; `unless_preps`: prepositions that make the noun mean something else;
    `holder`: the noun names the acting side itself ("Moscow's biggest *backer*", "a U.S. *ally*");
    `governors`: the noun states an event only as the object of one of these verbs ("*deepen* ties")."""

    lemma: str
    type: str
    preps: dict[str, str | None]
    reciprocal: bool = False
    motion: bool = False
    unless_preps: frozenset[str] = frozenset()
    holder: bool = False
    governors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TriggerRules:
    """Everything relations.json holds, as lookups."""

    verbs: dict[str, VerbTrigger]
    phrasal_verbs: dict[str, VerbTrigger | None]  # None: the phrase is not a trigger ("call off")
    phrasal_heads: frozenset[str]
    particles: frozenset[str]
    nouns: dict[str, NounTrigger]
    adjectives: dict[str, VerbTrigger]
    adjunct_preps: frozenset[str]
    quantity_nouns: frozenset[str]
    light_verbs: frozenset[str]
    owner_object_types: frozenset[str]
    patient_nouns: frozenset[str]
    complement_types: frozenset[str]
    complement_subject_types: frozenset[str]
    complement_actor_types: frozenset[str]
    complement_preps: dict[str, frozenset[str]]
    condition_types: frozenset[str]
    source_only_types: frozenset[str]
    source_only_kinds: frozenset[str]
    modal_auxiliaries: frozenset[str]
    future_auxiliaries: frozenset[str]
    conditional_marks: frozenset[str]
    reporting_verbs: frozenset[str]
    unreal_heads: frozenset[str]
    claim_heads: frozenset[str]
    claim_preps: frozenset[str]
    negative_heads: frozenset[str]
    plan_heads: frozenset[str]
    request_heads: frozenset[str]
    unreal_modifiers: frozenset[str]
    plan_modifiers: frozenset[str]
    negative_determiners: frozenset[str]
    representative_nouns: frozenset[str]
    title_nouns: frozenset[str]
    group_nouns: dict[str, str]
    planned_types: dict[str, str]
    object_phrase_preps: dict[str, frozenset[str]]
    group_quantifiers: frozenset[str]
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    leading_verbs: frozenset[str]
    object_control_verbs: frozenset[str]
    locative_verbs: frozenset[str]
    locative_preps: frozenset[str]
    individual_nouns: frozenset[str]
    member_preps: frozenset[str]
    origin_preps: frozenset[str]
    credit_sectors: frozenset[str]
    labelling_verbs: frozenset[str]
    accusing_labels: frozenset[str]
    accusation_predicates: frozenset[str]
    speech_verbs: frozenset[str]
    demand_modals: frozenset[str]
    threat_verbs: frozenset[str]
    threat_light_verbs: frozenset[str]
    threat_objects: frozenset[str]
    threat_auxiliaries: frozenset[str]
    threat_predicates: frozenset[str]
    headline_max_words: int
    headline_capitalised_share: float
    headline_topic_preps: frozenset[str]
    headline_negations: frozenset[str]
    headline_future: frozenset[str]
    headline_small_words: frozenset[str]

    @classmethod
    def load(cls, path: Path = RELATIONS_FILE) -> TriggerRules:
        data = json.loads(path.read_text(encoding="utf-8"))
        default_verb_preps = frozenset(data["verb_preps"])
        noun_preps: dict[str, str | None] = dict(data["noun_preps"])

        def verb(lemma: str, spec: str | dict) -> VerbTrigger:
            spec = {"type": spec} if isinstance(spec, str) else spec
            _check_type(spec["type"], lemma)
            for kind in (spec.get("objects") or {}).values():
                if kind is not None:
                    _check_type(kind, lemma)
            preps = spec.get("preps")
            return VerbTrigger(
                lemma=lemma,
                type=spec["type"],
                preps=default_verb_preps if preps is None else frozenset(preps),
                object=_object_rule(spec.get("object", True), lemma),
                objects=dict(spec.get("objects") or {}),
                object_source=bool(spec.get("object_source", False)),
                direction=spec.get("direction", "subject_acts"),
                reciprocal=bool(spec.get("reciprocal", False)),
                motion=bool(spec.get("motion", False)),
                unless_children=frozenset(spec.get("unless_children", [])),
                requires_complement=bool(spec.get("requires_complement", False)),
            )

        def noun(lemma: str, spec: str | dict) -> NounTrigger:
            spec = {"type": spec} if isinstance(spec, str) else spec
            _check_type(spec["type"], lemma)
            preps = dict(noun_preps)
            if spec.get("of"):
                preps["of"] = spec["of"]
            preps.update(spec.get("preps") or {})
            return NounTrigger(
                lemma=lemma,
                type=spec["type"],
                preps=preps,
                reciprocal=bool(spec.get("reciprocal", False)),
                motion=bool(spec.get("motion", False)),
                unless_preps=frozenset(spec.get("unless_preps", [])),
                holder=bool(spec.get("holder", False)),
                governors=frozenset(spec.get("governors", [])),
            )

        def words(section: str, key: str) -> frozenset[str]:
            return frozenset(word.lower() for word in (data[section] if section else data)[key])

        return cls(
            verbs={lemma: verb(lemma, spec) for lemma, spec in data["verbs"].items()},
            phrasal_verbs={
                phrase: verb(phrase, spec) if _typed(spec) else None
                for phrase, spec in data["phrasal_verbs"].items()
            },
            phrasal_heads=frozenset(phrase.split()[0] for phrase in data["phrasal_verbs"]),
            particles=frozenset(phrase.split()[-1] for phrase in data["phrasal_verbs"]),
            nouns={lemma: noun(lemma, spec) for lemma, spec in data["nouns"].items()},
            adjectives={lemma: verb(lemma, spec) for lemma, spec in data["adjectives"].items()},
            owner_object_types=frozenset(data["owner_object_types"]),
            complement_types=frozenset(data["complement_types"]),
            complement_subject_types=frozenset(data["complement_subject_types"]),
            complement_actor_types=frozenset(data["complement_actor_types"]),
            condition_types=frozenset(data["condition_types"]),
            source_only_types=frozenset(data["source_only_types"]),
            source_only_kinds=frozenset(data["source_only_kinds"]),
            complement_preps={k: frozenset(v) for k, v in data["complement_preps"].items()},
            group_nouns={k.lower(): v for k, v in data["arguments"]["group_nouns"].items()},
            planned_types=_planned(data["modality"]["planned_types"]),
            object_phrase_preps={k: frozenset(v) for k, v in data["object_phrase_preps"].items()},
            headline_max_words=int(data["headlines"]["max_words"]),
            headline_capitalised_share=float(data["headlines"]["capitalised_share"]),
            **{name: words(*where) for name, where in _WORD_LISTS.items()},
        )


_WORD_LISTS: dict[str, tuple[str, str]] = {
    **{name: ("", name) for name in ("adjunct_preps", "quantity_nouns", "light_verbs", "patient_nouns")},
    **{name: ("modality", name) for name in (
        "modal_auxiliaries", "future_auxiliaries", "conditional_marks", "reporting_verbs", "unreal_heads",
        "claim_heads", "claim_preps",
        "negative_heads", "plan_heads", "request_heads", "unreal_modifiers", "plan_modifiers",
        "negative_determiners")},
    **{name: ("arguments", name) for name in (
        "representative_nouns", "title_nouns", "group_quantifiers", "person_pronouns", "thing_pronouns",
        "relative_pronouns", "leading_verbs", "object_control_verbs", "locative_verbs", "locative_preps",
        "individual_nouns", "member_preps", "origin_preps", "credit_sectors")},
    "labelling_verbs": ("labels", "verbs"),
    "accusing_labels": ("labels", "accusing"),
    "accusation_predicates": ("reported_accusation", "predicates"),
    "speech_verbs": ("reported_accusation", "speech_verbs"),
    "demand_modals": ("reported_accusation", "demand_modals"),
    **{f"threat_{key}": ("conditional_threats", key) for key in ("verbs", "light_verbs", "objects", "auxiliaries")},
    "threat_predicates": ("reported_accusation", "threat_predicates"),
    **{f"headline_{key}": ("headlines", key) for key in ("topic_preps", "negations", "future", "small_words")},
}
"""The TriggerRules fields that are lower-cased word sets: field name -> (section of relations.json,
"" for the top level; its key there)."""


def _planned(mapping: dict[str, str]) -> dict[str, str]:
    for source, target in mapping.items():
        _check_type(source, "planned_types")
        _check_type(target, "planned_types")
    return dict(mapping)


def _typed(spec: str | dict | None) -> bool:
    return spec is not None and (isinstance(spec, str) or spec.get("type") is not None)


def _check_type(kind: str, where: str) -> None:
    if kind not in PLOVER_TYPES:
        raise ValueError(f"relations.json: {where!r} has type {kind!r}, not a PLOVER type")


def _object_rule(value: object, where: str) -> str:
    if value is True or value == "yes":
        return "yes"
    if value is False or value == "no":
        return "no"
    if value == "direct":
        return "direct"
    raise ValueError(f"relations.json: {where!r} has object {value!r}; expected true, false or \"direct\"")
