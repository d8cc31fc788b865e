"""Original (unplanted) text of a case: sentences drawn without repeats.

Within one case no fact wording is used twice, and a fact used twice always has
different fact-slot values, so text that is not planted never re-enters by
accident (and no accidental paraphrase of the same facts appears either).
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from dupscan.synth import bank_analysis, bank_home, bank_referral
from dupscan.synth.slots import FACT_SLOTS, Sentence, draw_slots, render

__all__ = ["BANK", "CONCERNS", "Composer", "render_fact", "variants_of"]

BANK: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    **bank_referral.AREAS, **bank_home.AREAS, **bank_analysis.AREAS}
_FACTS: dict[str, tuple[str, ...]] = {fid: variants for area in BANK.values() for fid, variants in area}

CONCERNS: tuple[str, ...] = ("domestic_abuse", "neglect", "parental_mental_health", "substance_misuse",
                             "physical_injury", "exploitation")
# facts that only make sense when the case is about one of these concerns; others are general
_TOPIC: dict[str, tuple[str, ...]] = {
    "ref_police_dv": ("domestic_abuse",), "ref_dv_count": ("domestic_abuse",),
    "ag_police_checks": ("domestic_abuse",), "an_worry_dv": ("domestic_abuse",),
    "pl_dv_course": ("domestic_abuse",), "pl_safety_plan": ("domestic_abuse",),
    "pr_incident": ("domestic_abuse",), "par_insight": ("domestic_abuse",),
    "an_danger": ("domestic_abuse", "physical_injury"), "an_goal": ("domestic_abuse", "physical_injury"),
    "ref_hungry": ("neglect",), "ref_home_alone": ("neglect",), "ag_nursery_hygiene": ("neglect",),
    "an_cumulative": ("neglect",), "lived_wish": ("neglect",), "lived_tea": ("neglect", "parental_mental_health"),
    "lived_carer": ("neglect", "parental_mental_health"), "pl_young_carer": ("neglect", "parental_mental_health"),
    "ref_mh": ("parental_mental_health",), "ag_gp": ("parental_mental_health",),
    "an_mh_impact": ("parental_mental_health",), "pl_mh": ("parental_mental_health",),
    "sv_hypothesis": ("parental_mental_health",),
    "ref_substance": ("substance_misuse",), "par_substance": ("substance_misuse",),
    "an_substance_risk": ("substance_misuse",), "pl_substance": ("substance_misuse",),
    "pr_test": ("substance_misuse",), "an_voice": ("substance_misuse",),
    "ref_school_bruise": ("physical_injury",), "ref_disclosure": ("physical_injury",),
    "dec_medical": ("physical_injury",),
    "ref_exploitation": ("exploitation",), "an_exploit": ("exploitation",), "lived_online": ("exploitation",),
}


def render_fact(fact: str, variant: int, slots: Mapping[str, str]) -> Sentence:
    """Render ``fact`` in wording ``variant`` with the given slot values."""
    text = render(_FACTS[fact][variant], slots)
    return Sentence(fact, variant, tuple(sorted(slots.items())), text)


def variants_of(fact: str) -> int:
    """How many wordings ``fact`` has."""
    return len(_FACTS[fact])


class Composer:
    """Draws sentences for one case, remembering what it has emitted."""

    def __init__(self, rng: random.Random, concerns: tuple[str, ...] = CONCERNS) -> None:
        self._rng = rng
        self._concerns = set(concerns)
        self._frames: set[tuple[str, int]] = set()
        self._facts: dict[str, list[dict[str, str]]] = {}
        self._texts: set[str] = set()

    def _draw(self, fact: str, ctx: Mapping[str, object]) -> Sentence | None:
        variants = _FACTS[fact]
        free = [i for i in range(len(variants)) if (fact, i) not in self._frames]
        if not free:
            return None
        variant = self._rng.choice(free)
        template_all = " ".join(variants)
        for _ in range(10):
            slots = draw_slots(self._rng, template_all, ctx)
            facts = {k: v for k, v in slots.items() if k in FACT_SLOTS}
            # a reused fact must differ from every earlier use in every fact value
            if any(prev.get(k) == v for prev in self._facts.get(fact, []) for k, v in facts.items()):
                continue
            sentence = render_fact(fact, variant, slots)
            if sentence.text in self._texts:
                continue
            self._frames.add((fact, variant))
            self._facts.setdefault(fact, []).append(facts)
            self._texts.add(sentence.text)
            return sentence
        return None

    def _on_topic(self, fact: str) -> bool:
        tags = _TOPIC.get(fact, ())
        return not tags or any(c in self._concerns for c in tags)

    @property
    def frames(self) -> frozenset[tuple[str, int]]:
        """(fact, wording) pairs already used in this case."""
        return frozenset(self._frames)

    def sentences(self, areas: tuple[str, ...], n: int, ctx: Mapping[str, object]) -> list[Sentence]:
        """Draw ``n`` sentences from ``areas``.

        Facts tied to a concern the case is not about are used only when the
        areas have nothing else left; other areas are the last resort.
        """
        out: list[Sentence] = []
        seen: set[str] = set()
        pools = [(list(areas), True), (list(areas), False), (sorted(BANK), True), (sorted(BANK), False)]
        for pool, topical in pools:
            while len(out) < n:
                facts = [fid for area in pool for fid, _ in BANK[area]
                         if fid not in seen and (not topical or self._on_topic(fid))]
                fresh = [f for f in facts if f not in self._facts]
                once = [f for f in facts if len(self._facts.get(f, ())) == 1]
                candidates = fresh or once or [f for f in facts if any((f, i) not in self._frames
                                                                       for i in range(len(_FACTS[f])))]
                if not candidates:
                    break
                fact = self._rng.choice(candidates)
                seen.add(fact)
                sentence = self._draw(fact, ctx)
                if sentence is not None:
                    out.append(sentence)
            if len(out) >= n:
                break
        return out

