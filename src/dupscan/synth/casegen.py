"""One case: which forms, in what order, on which dates, by whom, with what text.

Paths through the service follow the usual routes: contact and MASH, then a
child and family assessment; a child protection route (strategy discussion,
section 47 enquiry, initial conference, plan, core groups and visits, review
conference) or a child in need route (plan and visits); supervision, a
chronology and a closure summary along the way.
"""

from __future__ import annotations

import datetime as dt
import random

from dupscan.synth.compose import Composer
from dupscan.synth.forms import FORMS
from dupscan.synth.people import Household, Professional
from dupscan.synth.record import FieldValue, FormDoc, Para
from dupscan.synth.slots import context_slots, fmt_date

__all__ = ["plan_case", "fill_case"]

_MAX_FORMS = 15


def _d(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days)


def plan_case(rng: random.Random, start: dt.date) -> list[tuple[str, dt.date]]:
    """Form types and dates for one case, in date order (4 to 15 forms)."""
    route = rng.choices(("cp", "cin", "short"), weights=(5, 4, 1.5))[0]
    plan: list[tuple[str, dt.date]] = [("contact_referral", start), ("mash_decision", _d(start, rng.randint(1, 2)))]
    if route == "short":
        plan += [("home_visit_record", _d(start, rng.randint(4, 9))),
                 ("child_family_assessment", _d(start, rng.randint(20, 35)))]
        if rng.random() < 0.4:
            plan.append(("supervision_record", _d(start, rng.randint(12, 18))))
        plan.append(("closure_summary", _d(start, rng.randint(40, 60))))
    elif route == "cin":
        plan.append(("home_visit_record", _d(start, rng.randint(4, 9))))
        assess = rng.randint(25, 40)
        plan.append(("child_family_assessment", _d(start, assess)))
        plan.append(("child_in_need_plan", _d(start, assess + rng.randint(3, 10))))
        day = assess + 10
        for _ in range(rng.randint(1, 3)):
            day += rng.randint(14, 28)
            plan.append(("home_visit_record", _d(start, day)))
        if rng.random() < 0.6:
            plan.append(("supervision_record", _d(start, rng.randint(30, day))))
        if rng.random() < 0.5:
            plan.append(("chronology", _d(start, day - rng.randint(1, 5))))
        if rng.random() < 0.7:
            plan.append(("closure_summary", _d(start, day + rng.randint(10, 30))))
    else:
        strat = rng.randint(1, 3)
        plan += [("strategy_discussion", _d(start, strat)),
                 ("home_visit_record", _d(start, strat + rng.randint(1, 3))),
                 ("section47_outcome", _d(start, strat + rng.randint(7, 10))),
                 ("child_family_assessment", _d(start, strat + rng.randint(11, 13)))]
        icpc = strat + rng.randint(14, 20)
        plan += [("icpc_report", _d(start, icpc)), ("child_protection_plan", _d(start, icpc + rng.randint(1, 3)))]
        day = icpc + 5
        for _ in range(rng.randint(1, 3)):
            day += rng.randint(21, 35)
            plan.append(("core_group_minutes", _d(start, day)))
        for _ in range(rng.randint(1, 4)):
            plan.append(("home_visit_record", _d(start, icpc + rng.randint(7, 85))))
        if rng.random() < 0.7:
            plan.append(("supervision_record", _d(start, icpc + rng.randint(20, 80))))
        if rng.random() < 0.6:
            plan.append(("chronology", _d(start, icpc + rng.randint(80, 86))))
        plan.append(("rcpc_report", _d(start, icpc + rng.randint(88, 92))))
        if rng.random() < 0.5:
            plan.append(("closure_summary", _d(start, icpc + rng.randint(150, 200))))
    order = {ft: i for i, ft in enumerate(FORMS)}
    plan.sort(key=lambda item: (item[1], order[item[0]]))
    while len(plan) > _MAX_FORMS:  # drop surplus visits / core groups, latest first
        for i in range(len(plan) - 1, -1, -1):
            if plan[i][0] in ("home_visit_record", "core_group_minutes", "supervision_record"):
                del plan[i]
                break
    return plan


def _structured(key: str, house: Household, day: dt.date, author: str, extra: dict[str, str]) -> str:
    values = {
        "case_id": house.case_id, "date": fmt_date(day), "worker": author, "child_name": house.child_full,
        "dob": fmt_date(house.dob), "gender": house.gender, "ethnicity": house.ethnicity,
        "language": house.language, "address": house.address, "phone": house.phone, "school": house.school,
        "gp": house.gp, "parent": f"{house.mum_first} {house.mum_last} (mother)",
    }
    values.update(extra)
    return values[key]


def fill_case(rng: random.Random, house: Household, plan: list[tuple[str, dt.date]],
              staff: list[Professional]) -> tuple[list[FormDoc], frozenset[tuple[str, int]]]:
    """Build every form of a case with its original (unplanted) text.

    Returns the forms and the (fact, wording) pairs their text used.
    """
    workers = [p for p in staff if p.role == "Social Worker"]
    managers = [p for p in staff if p.role == "Team Manager"]
    worker, mash_worker = rng.sample(workers, 2)
    second = rng.choice([w for w in workers if w not in (worker, mash_worker)])
    manager = rng.choice(managers)
    handover = len(plan) * 2 // 3 if rng.random() < 0.3 else len(plan)
    teacher = house.pros["teacher"]
    fixed = {
        "referrer": f"{teacher.name}, {teacher.role}, {house.school}",
        "supervisor": manager.name,
        "child_seen": "Yes",
    }
    composer = Composer(rng, house.concerns) if house.concerns else Composer(rng)
    docs: list[FormDoc] = []
    for i, (form_type, day) in enumerate(plan):
        spec = FORMS[form_type]
        author = (worker if i < handover else second).name
        if form_type == "mash_decision":
            author = mash_worker.name
        extra = dict(fixed)
        extra["chair"] = house.pros["iro"].name if form_type.endswith("pc_report") else manager.name
        extra["visit_type"] = rng.choice(("Announced", "Unannounced"))
        extra["seen_alone"] = rng.choice(("Yes", "Yes", "No"))
        doc = FormDoc(house.case_id, i + 1, spec, day, author if form_type != "supervision_record" else manager.name,
                      house.authority)
        for key, label in spec.header:
            doc.fields.append(FieldValue(key, label, "structured", value=_structured(key, house, day, author, extra)))
        ctx = context_slots(house, day, author)
        for fs in spec.fields:
            n = rng.randint(*fs.sentences)
            sentences = composer.sentences(fs.areas, n, ctx)
            fv = FieldValue(fs.key, fs.label, "narrative", prompt=fs.prompt)
            if form_type == "chronology" and fs.key == "events":
                for s in sentences:
                    when = fmt_date(day - dt.timedelta(days=rng.randint(3, 60)))
                    fv.paras.append(Para([s], s.text, prefix=f"{when} - "))
            elif len(sentences) >= 3 and rng.random() < 0.4:
                cut = rng.randint(1, len(sentences) - 1)
                fv.paras += [Para(sentences[:cut], " ".join(s.text for s in sentences[:cut])),
                             Para(sentences[cut:], " ".join(s.text for s in sentences[cut:]))]
            else:
                fv.paras.append(Para(sentences, " ".join(s.text for s in sentences)))
            doc.fields.append(fv)
        visit_type = doc.field("visit_type")
        if visit_type is not None:  # keep the header consistent with the narrative
            said = " ".join(f.text for f in doc.fields if f.kind == "narrative").lower()
            if "unannounced" in said:
                visit_type.value = "Unannounced"
        docs.append(doc)
    return docs, composer.frames
