"""Slot fillers for sentence templates, and the rendering of one sentence.

A sentence template is a ``str.format`` pattern. Its slots are either *context*
slots (names of the family and professionals, fixed for a case) or *fact* slots
(numbers, dates, outcomes, polarities) drawn here. A hard negative keeps the
template and redraws one fact slot; a paraphrase keeps every slot value and
changes the template.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dupscan.synth.people import Household

__all__ = ["FACT_SLOTS", "Sentence", "context_slots", "draw_slots", "mutate", "slot_names", "fmt_date"]

_AN = re.compile(r"\b([Aa]) (?=[aeiouAEIOU][a-z])")
_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def fmt_date(day: dt.date) -> str:
    """UK short date as written in records: 14/03/2025."""
    return day.strftime("%d/%m/%Y")


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def _choice(*values: str) -> Callable[[random.Random, Mapping[str, object]], str]:
    return lambda rng, ctx: rng.choice(values)


def _past(rng: random.Random, ctx: Mapping[str, object]) -> str:
    day = ctx["_day"]
    assert isinstance(day, dt.date)
    return _long_date(day - dt.timedelta(days=rng.randint(2, 40)))


def _kept(rng: random.Random, ctx: Mapping[str, object]) -> str:
    total = rng.randint(3, 10)
    return f"{rng.choice(_WORDS[:total - 1]) if total > 2 else 'two'} of the last {_WORDS[total - 2]}"


def _ofn(rng: random.Random, ctx: Mapping[str, object]) -> str:
    total = rng.randint(4, 12)
    return f"{rng.choice(_WORDS[:total - 1])} of the {_WORDS[total - 2]}"


def _due(rng: random.Random, ctx: Mapping[str, object]) -> str:
    day = ctx["_day"]
    assert isinstance(day, dt.date)
    return _long_date(day + dt.timedelta(days=rng.randint(7, 60)))


def _adult(rng: random.Random, ctx: Mapping[str, object]) -> str:
    return str(rng.choice((ctx["mum"], ctx["dad"], ctx["partner"], ctx["mum"])))


def _other(rng: random.Random, ctx: Mapping[str, object]) -> str:
    """An adult other than the mother."""
    return str(rng.choice((ctx["dad"], ctx["partner"], "the maternal grandmother", "a family friend",
                           "her sister")))


def _pro(rng: random.Random, ctx: Mapping[str, object]) -> str:
    return str(rng.choice((ctx["teacher"], ctx["hv"], ctx["nurse"], ctx["officer"])))


FACT_SLOTS: dict[str, Callable[[random.Random, Mapping[str, object]], str]] = {
    "pct": lambda rng, ctx: f"{rng.randint(9, 19) * 5}%",
    "n": lambda rng, ctx: rng.choice(_WORDS),
    "days": lambda rng, ctx: str(rng.randint(2, 21)),
    "weeks": lambda rng, ctx: f"{rng.choice(_WORDS)} weeks",
    "when": _past,
    "time": lambda rng, ctx: f"{rng.randint(7, 22):02d}:{rng.choice((0, 10, 15, 20, 30, 40, 45, 50)):02d}",
    "am": lambda rng, ctx: f"{rng.randint(7, 8):02d}:{rng.choice((0, 10, 15, 20, 30, 40, 45, 50)):02d}",
    "pm": lambda rng, ctx: f"{rng.randint(18, 22):02d}:{rng.choice((0, 15, 30, 45)):02d}",
    "vtime": lambda rng, ctx: f"{rng.randint(9, 17):02d}:{rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50)):02d}",
    "weekday": _choice("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "adult": _adult,
    "pro": _pro,
    "other": _other,
    "injury": _choice("no marks or injuries were seen", "a small bruise was seen on the left forearm",
                      "a fading yellow bruise was seen on the cheek", "two scratches were seen on the neck",
                      "a graze was seen on the right knee", "no visible injuries were seen"),
    "room": _choice("the kitchen", "the living room", "the bathroom", "the children's bedroom",
                    "the hallway", "the back garden"),
    "roomstate": _choice("cluttered with bags of rubbish", "clean and tidy", "damp with black mould on the walls",
                         "warm and well organised", "strewn with dirty clothes", "without a working light"),
    "food": _choice("milk, bread, fruit and cereal", "only a tin of beans and some out of date yoghurt",
                    "a good supply of fresh vegetables and rice", "very little apart from crisps and squash",
                    "chicken, pasta and vegetables prepared for tea"),
    "mood": _choice("settled and chatty", "quiet and withdrawn", "tired and irritable", "bright and curious",
                    "anxious and watchful", "cheerful and playful"),
    "substance": _choice("cannabis", "alcohol", "cocaine", "prescription painkillers", "amphetamine"),
    "agency": _choice("the school", "the health visitor", "the police", "the GP", "the housing officer",
                      "the school nurse", "the community midwife"),
    "attended": _choice("attended", "missed", "cancelled", "rearranged"),
    "appt": _choice("dental appointment", "paediatric review", "speech and language assessment",
                    "hearing test", "immunisation appointment", "CAMHS appointment"),
    "centile": _choice("0.4th", "2nd", "9th", "25th", "50th", "75th"),
    "smell": _choice("a strong smell of cannabis", "no smell of cannabis", "a smell of stale alcohol",
                     "a smell of cigarette smoke", "no smell of smoke or alcohol"),
    "score": lambda rng, ctx: str(rng.randint(1, 9)),
    "minutes": lambda rng, ctx: f"{rng.choice((10, 15, 20, 25, 30, 40, 45, 60))} minutes",
    "decision": _choice("the threshold for a section 47 enquiry is met",
                        "the threshold for a section 47 enquiry is not met",
                        "a single agency section 47 enquiry by children's social care is agreed",
                        "a joint section 47 enquiry with the police is agreed"),
    "level": _choice("level 2 early help", "level 3 child in need", "level 4 child protection",
                     "universal services"),
    "cat": _choice("neglect", "emotional abuse", "physical abuse", "sexual abuse"),
    "yesno": _choice("was", "was not"),
    "agreed": _choice("agreed", "declined"),
    "callouts": lambda rng, ctx: rng.choice(_WORDS[:6]),
    "hours": lambda rng, ctx: f"{rng.randint(2, 9)} hours",
    "late": lambda rng, ctx: rng.choice(_WORDS),
    "weekly": _choice("weekly", "fortnightly", "every three weeks", "monthly"),
    "item": _choice("a broken window in the front room", "exposed wiring in the hallway",
                    "a stair gate fitted at the top of the stairs", "a smoke alarm that was not working",
                    "a new cot in the bedroom", "a lock fitted to the medicine cabinet"),
    "kept": _kept,
    "ofn": _ofn,
    "due": _due,
    "few": lambda rng, ctx: str(rng.randint(2, 5)),
    "fewn": lambda rng, ctx: rng.choice(_WORDS[:5]),
    "yrs": lambda rng, ctx: rng.choice(_WORDS[:5]),
    "were": _choice("were", "were not"),
    "lower": _choice("level 2 early help", "level 3 child in need", "universal services",
                     "a targeted early help offer"),
    "schoolday": _choice("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "fullness": _choice("overflowing", "nearly empty", "half full", "piled high with dirty bedding"),
    "subject": _choice("maths", "art", "PE", "reading", "science", "music", "computing"),
    "meal": _choice("chicken nuggets and chips", "a bowl of cereal", "nothing", "pasta bake", "a cheese sandwich",
                    "rice and curry", "a takeaway pizza"),
    "bedding": _choice("clean duvet and pillow", "bare mattress with no sheet", "stained sheet and no pillow",
                       "new duvet cover"),
    "lock": _choice("broken", "working", "loose", "missing"),
    "pet": _choice("cat", "rabbit", "guinea pig", "hamster", "budgie"),
    "bond": _choice("warm", "close", "loving", "protective", "caring"),
    "rating": _choice("good", "adequate", "poor", "inconsistent"),
    "progress": _choice("good progress", "limited progress", "no progress", "some progress"),
}


def context_slots(house: Household, day: dt.date, worker: str) -> dict[str, object]:
    """Slots fixed for the case (names, pronouns, places) plus the form date."""
    he = "he" if house.gender == "Male" else "she"
    him = "him" if house.gender == "Male" else "her"
    his = "his" if house.gender == "Male" else "her"
    p = house.pros
    return {
        "child": house.child_first, "child_full": house.child_full,
        "he": he, "him": him, "his": his, "He": he.capitalize(), "His": his.capitalize(),
        "mum": house.mum, "mum_first": house.mum_first, "dad": house.dad, "partner": house.partner,
        "sibling": house.sibling, "sibling_age": str(house.sibling_age), "age": str(house.age_on(day)),
        "school": house.school, "gp": house.gp, "lang": house.language,
        "hv": f"{p['hv'].name} (Health Visitor)", "teacher": f"{p['teacher'].name} (Designated Safeguarding Lead)",
        "officer": p["officer"].name, "nurse": f"{p['nurse'].name} (School Nurse)", "iro": p["iro"].name,
        "worker": worker, "_day": day,
    }


def slot_names(template: str) -> list[str]:
    """Slot names in the order they appear in ``template``."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


@dataclass(frozen=True)
class Sentence:
    """One rendered sentence: which fact, which wording, which slot values."""

    fact: str
    variant: int
    slots: tuple[tuple[str, str], ...]
    text: str


def draw_slots(rng: random.Random, template: str, ctx: Mapping[str, object]) -> dict[str, str]:
    """Draw a value for every slot of ``template``."""
    out: dict[str, str] = {}
    for name in slot_names(template):
        if name in out:
            continue
        out[name] = FACT_SLOTS[name](rng, ctx) if name in FACT_SLOTS else str(ctx[name])
    return out


def mutate(rng: random.Random, slots: Mapping[str, str], ctx: Mapping[str, object]) -> dict[str, str] | None:
    """Redraw one fact slot so the facts change; ``None`` when nothing can change."""
    fact_names = [n for n in slots if n in FACT_SLOTS]
    rng.shuffle(fact_names)
    for name in fact_names:
        for _ in range(12):
            value = FACT_SLOTS[name](rng, ctx)
            if value != slots[name]:
                new = dict(slots)
                new[name] = value
                return new
    return None


def render(template: str, slots: Mapping[str, str]) -> str:
    """Fill ``template`` and capitalise the first letter."""
    text = _AN.sub(r"\1n ", template.format(**slots))
    return text[:1].upper() + text[1:]
