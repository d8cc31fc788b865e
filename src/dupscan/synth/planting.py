"""Planting re-entries and hard negatives across the forms of one case.

Copy routes say which earlier field a worker is likely to copy into a later one
(referral reason into the assessment, strategy discussion and conference report;
visit observations into the chronology and reports; assessment analysis into
plans ...). Each planted item becomes one truth record.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from dupscan.synth.compose import render_fact, variants_of
from dupscan.synth.edits import near_edit, refer_differently
from dupscan.synth.people import Household
from dupscan.synth.record import FieldValue, FormDoc, Para
from dupscan.synth.slots import FACT_SLOTS, Sentence, context_slots, fmt_date, mutate

__all__ = ["ROUTES", "TruthItem", "plant_case"]

_S = tuple[tuple[str, str], ...]
# (target form type, target field key): ((source form type, source field key), ...), probability
ROUTES: dict[tuple[str, str], tuple[_S, float]] = {
    ("mash_decision", "summary"): ((("contact_referral", "reason"),), 0.8),
    ("mash_decision", "checks"): ((("contact_referral", "referrer_info"),), 0.4),
    ("strategy_discussion", "reason"): ((("contact_referral", "reason"), ("mash_decision", "summary")), 0.8),
    ("strategy_discussion", "info"): ((("mash_decision", "checks"), ("contact_referral", "referrer_info")), 0.5),
    ("section47_outcome", "concerns"): ((("strategy_discussion", "reason"), ("contact_referral", "reason")), 0.7),
    ("section47_outcome", "findings"): ((("home_visit_record", "observations"),), 0.7),
    ("section47_outcome", "child_views"): ((("home_visit_record", "child_views"),), 0.5),
    ("section47_outcome", "analysis"): ((("strategy_discussion", "risk"),), 0.4),
    ("child_family_assessment", "reason"): ((("contact_referral", "reason"), ("mash_decision", "summary"),
                                              ("strategy_discussion", "reason")), 0.8),
    ("child_family_assessment", "history"): ((("contact_referral", "household"),), 0.6),
    ("child_family_assessment", "lived"): ((("home_visit_record", "observations"), ("home_visit_record", "child_views"),
                                             ("section47_outcome", "child_views")), 0.5),
    ("child_family_assessment", "analysis"): ((("mash_decision", "rationale"), ("section47_outcome", "analysis")), 0.35),
    ("icpc_report", "reason"): ((("contact_referral", "reason"), ("strategy_discussion", "reason"),
                                 ("section47_outcome", "concerns"), ("child_family_assessment", "reason")), 0.85),
    ("icpc_report", "history"): ((("child_family_assessment", "history"), ("contact_referral", "household")), 0.7),
    ("icpc_report", "lived"): ((("child_family_assessment", "lived"), ("home_visit_record", "child_views"),
                                ("section47_outcome", "child_views")), 0.6),
    ("icpc_report", "parenting"): ((("child_family_assessment", "parenting"),), 0.6),
    ("icpc_report", "analysis"): ((("child_family_assessment", "analysis"), ("section47_outcome", "analysis")), 0.7),
    ("child_protection_plan", "danger"): ((("icpc_report", "analysis"), ("child_family_assessment", "analysis")), 0.6),
    ("child_in_need_plan", "needs"): ((("child_family_assessment", "analysis"),), 0.6),
    ("child_in_need_plan", "child_views"): ((("child_family_assessment", "lived"), ("home_visit_record", "child_views")), 0.4),
    ("core_group_minutes", "progress"): ((("core_group_minutes", "progress"),), 0.4),
    ("core_group_minutes", "updates"): ((("home_visit_record", "observations"), ("core_group_minutes", "updates")), 0.35),
    ("core_group_minutes", "actions"): ((("child_protection_plan", "outcomes"),), 0.4),
    ("home_visit_record", "next_steps"): ((("child_protection_plan", "outcomes"), ("child_in_need_plan", "outcomes")), 0.2),
    ("home_visit_record", "analysis"): ((("child_family_assessment", "analysis"),), 0.15),
    ("chronology", "events"): ((("home_visit_record", "observations"), ("contact_referral", "reason"),
                                ("core_group_minutes", "progress"), ("strategy_discussion", "decisions"),
                                ("section47_outcome", "outcome")), 0.95),
    ("supervision_record", "discussion"): ((("home_visit_record", "observations"), ("core_group_minutes", "progress"),
                                            ("child_family_assessment", "analysis")), 0.4),
    ("rcpc_report", "progress"): ((("core_group_minutes", "progress"),), 0.7),
    ("rcpc_report", "lived"): ((("home_visit_record", "observations"), ("home_visit_record", "child_views"),
                                ("icpc_report", "lived")), 0.6),
    ("rcpc_report", "analysis"): ((("icpc_report", "analysis"), ("child_protection_plan", "danger")), 0.6),
    ("closure_summary", "summary"): ((("contact_referral", "reason"), ("child_family_assessment", "history"),
                                      ("icpc_report", "reason")), 0.7),
    ("closure_summary", "changes"): ((("core_group_minutes", "progress"), ("rcpc_report", "progress")), 0.3),
    ("closure_summary", "child_views"): ((("home_visit_record", "child_views"),), 0.3),
}

_KINDS = ("exact", "near", "paraphrase")
_KIND_WEIGHTS = (40, 28, 22)  # drawn before failed attempts; planted shares come out near 45/32/23
_DISTINCT_RATE = 0.2
_MIN_WORDS = 8


@dataclass(frozen=True)
class TruthItem:
    """One planted re-entry or hard negative, before field labels are resolved."""

    case_id: str
    kind: str
    source: FormDoc
    source_key: str
    source_text: str
    target: FormDoc
    target_key: str
    target_text: str
    valid_sources: tuple[FormDoc, ...]


def _fact_values(slots: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {k: v for k, v in slots if k in FACT_SLOTS}


def _words(text: str) -> int:
    return len(text.split())


class _Planter:
    def __init__(self, rng: random.Random, house: Household, docs: list[FormDoc],
                 frames: frozenset[tuple[str, int]]) -> None:
        self.rng = rng
        self.frames = frames
        self.house = house
        self.docs = docs
        self.groups: dict[int, list[FormDoc]] = {}
        self.spans: dict[tuple[int, str], tuple[Para, int, int]] = {}
        self.origins: dict[int, list[Sentence]] = {}
        self.items: list[TruthItem] = []
        self.uses: dict[str, list[dict[str, str]]] = {}
        for doc in docs:
            for fv in doc.fields:
                for para in fv.paras:
                    for sentence in para.sentences:
                        self._record(sentence)
        self.names = [(house.mum, "Mum"), (house.dad, "Dad"), (house.mum, house.mum_first),
                      (house.child_first, "the child")]

    # -- choosing what to copy -------------------------------------------------
    def _span(self, doc: FormDoc, fv: FieldValue, *, fresh: bool) -> tuple[Para, list[Sentence]] | None:
        """A run of original sentences (reused for later copies of the same field)."""
        key = (doc.index, fv.key)
        if key in self.spans and not fresh:
            para, a, b = self.spans[key]
            if any(p is para for p in fv.paras):
                return para, para.sentences[a:b]
        options = []
        for pi, para in enumerate(fv.paras):
            if para.kind or para.prefix:
                continue
            n = len(para.sentences)
            for a in range(n):
                for b in range(a + 1, n + 1):
                    if _words(" ".join(s.text for s in para.sentences[a:b])) >= _MIN_WORDS and b - a <= 3:
                        options.append((pi, a, b))
        if fresh and key in self.spans:
            options = [o for o in options if fv.paras[o[0]] is not self.spans[key][0]]
        if not options:
            return None
        pi, a, b = self.rng.choice(options)
        if not fresh:
            self.spans[key] = (fv.paras[pi], a, b)
        return fv.paras[pi], fv.paras[pi].sentences[a:b]

    def _sources(self, target: FormDoc, routes: tuple[tuple[str, str], ...]) -> list[tuple[FormDoc, FieldValue]]:
        out = []
        for doc in self.docs:
            if (doc.date, doc.index) >= (target.date, target.index):
                break
            for ft, key in routes:
                fv = doc.field(key)
                if doc.form_type == ft and fv is not None:
                    out.append((doc, fv))
        return out

    # -- making the planted text -------------------------------------------------
    def _paraphrase(self, sentences: list[Sentence], avoid: list[set[int]]) -> list[Sentence] | None:
        out = []
        for s, bad in zip(sentences, avoid):
            free = [v for v in range(variants_of(s.fact)) if v not in bad]
            if not free:
                return None
            unused = [v for v in free if (s.fact, v) not in self.frames]
            out.append(render_fact(s.fact, self.rng.choice(unused or free), dict(s.slots)))
        if len(out) > 1 and self.rng.random() < 0.4:
            out.reverse()
        return out

    def _record(self, sentence: Sentence) -> None:
        self.uses.setdefault(sentence.fact, []).append(_fact_values(sentence.slots))

    def _distinct(self, sentences: list[Sentence], target: FormDoc) -> list[Sentence] | None:
        """Same wording, one fact changed per sentence, never equal to facts used elsewhere in the case."""
        ctx = context_slots(self.house, target.date, target.author)
        out = []
        for s in sentences:
            for _ in range(10):
                slots = mutate(self.rng, dict(s.slots), ctx)
                if slots is None:
                    return None
                if _fact_values(tuple(slots.items())) not in self.uses.get(s.fact, []):
                    break
            else:
                return None
            out.append(render_fact(s.fact, s.variant, slots))
        for s in out:
            self._record(s)
        return out

    def _insert(self, target: FormDoc, fv: FieldValue, para: Para, source: FormDoc) -> None:
        if target.form_type == "chronology":
            para.prefix = f"{fmt_date(source.date)} - {source.spec.title}: "
        originals = [i for i, p in enumerate(fv.paras) if not p.kind and not p.prefix]
        mode = self.rng.random()
        if para.kind != "distinct" and originals and mode < 0.35:
            fv.paras[self.rng.choice(originals)] = para
        elif mode < 0.65:
            fv.paras.insert(0, para)
        else:
            fv.paras.append(para)

    def plant(self, target: FormDoc, fv: FieldValue, routes: tuple[tuple[str, str], ...], kind: str) -> bool:
        """Plant one item of ``kind`` into ``fv`` of ``target``; False when no source fits."""
        sources = self._sources(target, routes)
        if not sources:
            return False
        rng = self.rng
        doc, sfv = sources[-1] if rng.random() < 0.6 else rng.choice(sources)
        present = {p.group for f in target.fields for p in f.paras if p.group is not None}
        chained = [p for p in sfv.paras if p.kind in _KINDS and p.group not in present]
        if kind != "distinct" and chained and rng.random() < 0.5:
            base = rng.choice(chained)
            sentences, source_text, group = base.sentences, base.text, base.group
            assert group is not None
        else:
            picked = self._span(doc, sfv, fresh=kind == "distinct")
            if picked is None:
                return False
            _, sentences = picked
            source_text = " ".join(s.text for s in sentences)
            group = None if kind == "distinct" else self._group_for(doc, sfv, sentences)
            if group in present:
                return False
        if kind == "exact":
            new = Para(list(sentences), source_text)
        elif kind == "near":
            new = Para(list(sentences), near_edit(rng, source_text, self.names))
        elif kind == "paraphrase":
            used: dict[str, set[int]] = {}
            pool = list(sentences) + (self.origins.get(group, []) if group is not None else [])
            for member in self.groups.get(group, []) if group is not None else []:
                pool += [x for f in member.fields for q in f.paras if q.group == group for x in q.sentences]
            for x in pool:
                used.setdefault(x.fact, set()).add(x.variant)
            avoid = [used[x.fact] for x in sentences]
            made = self._paraphrase(list(sentences), avoid)
            if made is None:
                return False
            text = " ".join(s.text for s in made)
            new = Para(made, refer_differently(rng, text, self.names) if rng.random() < 0.4 else text)
        else:
            made = self._distinct(list(sentences), target)
            if made is None:
                return False
            new = Para(made, " ".join(s.text for s in made))
        if _words(new.text) < _MIN_WORDS or new.text == source_text and kind != "exact":
            return False
        new.kind = kind
        new.group = group
        self._insert(target, fv, new, doc)
        members = self.groups.get(group, [doc]) if group is not None else [doc]
        valid = [doc] + [m for m in members if m is not doc and (m.date, m.index) < (target.date, target.index)]
        if group is not None:
            self.groups.setdefault(group, [doc])
            self.groups[group].append(target)
        self.items.append(TruthItem(target.case_id, kind, doc, sfv.key, source_text, target, fv.key,
                                    new.text, tuple(valid)))
        return True

    def _group_for(self, doc: FormDoc, fv: FieldValue, sentences: list[Sentence]) -> int:
        gid = _group_id(doc.index, fv.key, sentences)
        self.groups.setdefault(gid, [doc])
        self.origins.setdefault(gid, list(sentences))
        return gid


def _group_id(index: int, key: str, sentences: list[Sentence]) -> int:
    """A deterministic group id for a run of sentences of one field."""
    text = f"{index}|{key}|" + "|".join(s.text for s in sentences)
    value = 0
    for ch in text.encode("utf-8"):
        value = (value * 131 + ch) % 2_147_483_647
    return value


def plant_case(rng: random.Random, house: Household, docs: list[FormDoc],
               frames: frozenset[tuple[str, int]] = frozenset()) -> list[TruthItem]:
    """Plant re-entries and hard negatives into ``docs`` (in place); return the truth.

    ``frames`` are the (fact, wording) pairs the original text used; paraphrases
    avoid them where they can, so a paraphrase does not echo unrelated text.
    """
    planter = _Planter(rng, house, docs, frames)
    slots: list[tuple[FormDoc, FieldValue, tuple[tuple[str, str], ...]]] = []
    for doc in docs:
        for fv in doc.fields:
            route = ROUTES.get((doc.form_type, fv.key))
            if route is None:
                continue
            slots.append((doc, fv, route[0]))
            tries = 3 if doc.form_type == "chronology" else 1
            for _ in range(tries):
                if rng.random() < route[1]:
                    kind = rng.choices(_KINDS, weights=_KIND_WEIGHTS)[0]
                    planter.plant(doc, fv, route[0], kind)
    reentries = len(planter.items)
    want = int(reentries * _DISTINCT_RATE + rng.random())
    rng.shuffle(slots)
    for doc, fv, routes in slots:
        if want <= 0:
            break
        if planter.plant(doc, fv, routes, "distinct"):
            want -= 1
    return planter.items
