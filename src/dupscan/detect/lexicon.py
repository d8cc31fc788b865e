"""Word lists of the changed-facts guard: names, polarity, outcomes, closed-class attributes.

Plain data, kept apart from the rules in :mod:`dupscan.detect.guard` so the lists
can grow without touching the logic. Phrases are lower-case and matched on
normalised tokens (see :func:`dupscan.detect.normalise.tokens`).
"""

from __future__ import annotations

MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for m in names}


NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                      "eighty": 80, "ninety": 90, "hundred": 100, "once": 1, "twice": 2,
                      "single": 1, "both": 2, "first": 1, "second": 2, "third": 3})


NOT_NAMES = frozenset("""
mum mummy mother dad daddy father nan nanny gran grandma grandmother grandad grandfather
grandparent grandparents aunt auntie uncle sister brother stepfather stepmother step carer
carers parent parents ms mr mrs miss dr mx pc dc ds sgt insp prof sir madam child children
young person baby infant school college nursery police gp health visitor midwife social worker
team manager conference chair council court family home hospital nhs cafcass camhs
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december section plan plans child protection need
early help strategy core group review assessment referral contact report i the a an and
but this that these they she he we it his her their its our there then when where while
following during after before on in at of for with as to by from all no not yes none
initial further english british education primary secondary academy high infant junior
""".split())
NEGATORS = frozenset("no not never none nothing nobody neither nor without n't cannot unable "
                     "rarely seldom hardly barely scarcely".split())

# polarity dimensions: each phrase maps to (dimension, sign); longest phrases first
POLARITY: tuple[tuple[str, str, int], ...] = tuple(sorted((
    *((p, "attend", -1) for p in ("did not attend", "didn't attend", "did not go to", "failed to attend",
                                  "not attend", "missed", "absent", "non attendance", "not present",
                                  "was not at", "dna", "no show", "not been attending",
                                  "not attending", "poor attendance",
                                  # "has not attended": else "attended" alone is read
                                  "not attended", "hasn't attended", "haven't attended",
                                  "hadn't attended")),
    *((p, "attend", 1) for p in ("attended", "attends", "attending", "was present", "were present",
                                 "good attendance", "present at")),
    *((p, "agree", -1) for p in ("declined", "refused", "did not agree", "didn't agree",
                                 "did not consent", "withheld consent", "withdrew consent",
                                 "not consent", "disagreed", "rejected", "not accept",
                                 "did not accept", "did not engage", "disengaged", "not engage",
                                 "not engaging", "would not", "unwilling", "reluctant",
                                 # "has not engaged": else "engaged" alone is read
                                 "not engaged", "hasn't engaged", "haven't engaged",
                                 "didn't engage", "not agreed", "hasn't agreed",
                                 "not accepted", "hasn't accepted", "didn't accept",
                                 "not consented", "hasn't consented", "didn't consent")),
    *((p, "agree", 1) for p in ("agreed", "accepted", "consented", "gave consent", "consent given",
                                "engaged", "engaging", "willing", "agrees", "accepts", "welcomed")),
    *((p, "injury", -1) for p in ("no injuries", "no injury", "no marks", "no visible injuries",
                                  "no bruising", "no bruises", "no mark", "uninjured", "unharmed",
                                  "not injured", "no physical injuries", "no concerns about injury",
                                  # coordinated: "injuries" must not count on its own here
                                  "no marks or injuries", "no injuries or marks",
                                  "no marks or bruises", "no bruises or marks",
                                  "no marks or bruising", "no cuts or bruises")),
    *((p, "injury", 1) for p in ("injury", "injuries", "bruise", "bruises", "bruising", "mark",
                                 "marks", "cut", "cuts", "burn", "burns", "scratch", "scratches",
                                 "swelling", "fracture", "graze", "red mark", "injured")),
    *((p, "trend", 1) for p in ("improved", "improving", "improvement", "better", "increased",
                                "progress", "progressed", "positive")),
    *((p, "trend", -1) for p in ("deteriorated", "deteriorating", "worsened", "worse", "decreased",
                                 "declining", "no improvement", "not improved", "regressed",
                                 "negative")),
    *((p, "safe", 1) for p in ("safe", "safely", "no concerns", "well cared for")),
    *((p, "safe", -1) for p in ("unsafe", "at risk", "not safe", "significant harm", "concerns",
                                "concern", "worried", "worrying")),
    *((p, "seen", 1) for p in ("was seen", "were seen", "seen alone", "spoke to", "spoken to")),
    *((p, "seen", -1) for p in ("not seen", "was not seen", "were not seen", "could not be seen",
                                "no access", "no answer", "not spoken to")),
), key=lambda x: -len(x[0])))

OUTCOMES: tuple[tuple[str, str], ...] = tuple(sorted((
    *((p, "nfa") for p in ("no further action", "nfa", "case closed", "closed", "closure")),
    *((p, "cpp") for p in ("child protection plan", "protection plan", "cp plan", "cpp",
                           "subject to a plan", "initial child protection conference", "icpc")),
    *((p, "cin") for p in ("child in need", "cin plan", "cin")),
    *((p, "s47") for p in ("section 47", "s47", "s.47")),
    *((p, "eh") for p in ("early help", "universal services", "step down", "stepped down")),
    *((p, "legal") for p in ("care proceedings", "legal planning", "plo", "public law outline",
                             "emergency protection order", "police protection")),
    *((p, "lac") for p in ("looked after", "section 20", "s20", "accommodated", "foster care")),
), key=lambda x: -len(x[0])))


TITLES = frozenset(("mr", "ms", "mrs", "miss", "mx", "dr"))

#: opposites: word vectors put a word close to its opposite, so a near copy that swaps one
#: for the other would pass the synonym test ("the plan should end" / "should continue")
_OPPOSITES = (("end", "continue"), ("ended", "continued"), ("ends", "continues"),
              ("ending", "continuing"), ("start", "stop"), ("started", "stopped"),
              ("starts", "stops"), ("increase", "decrease"), ("increased", "decreased"),
              ("increase", "reduce"), ("increased", "reduced"), ("more", "less"),
              ("more", "fewer"), ("better", "worse"), ("open", "closed"), ("opened", "closed"),
              ("always", "never"), ("often", "rarely"), ("before", "after"),
              ("supervised", "unsupervised"), ("higher", "lower"), ("above", "below"),
              ("allowed", "forbidden"), ("able", "unable"), ("safe", "unsafe"),
              ("in", "out"), ("into", "out"))
OPPOSITES: dict[str, frozenset[str]] = {
    w: frozenset(b if a == w else a for a, b in _OPPOSITES if w in (a, b))
    for pair in _OPPOSITES for w in pair}

#: family words by the sex they name: one replaced by one of the other sex in a near copy
#: is another person ("Dad works nights" / "Mum works nights"), while a title or name in
#: its place ("Mum" / "Ms Khan") is left to the person checks
RELATION_SEX = {
    **dict.fromkeys(("mum", "mummy", "mother", "nan", "nanny", "gran", "grandma",
                     "grandmother", "aunt", "auntie", "sister", "stepmother", "daughter",
                     "wife", "girlfriend", "stepsister", "niece"), "f"),
    **dict.fromkeys(("dad", "daddy", "father", "grandad", "grandpa", "grandfather", "uncle",
                     "brother", "stepfather", "son", "husband", "boyfriend", "stepbrother",
                     "nephew"), "m"),
}

# replacements that keep the facts: tense, person and role changes, fillers
BENIGN = frozenset("""
is was are were has had have will would can could says said reports reported feels felt does did
do be been being i me my we us our the a an worker worker's social practitioner he she they him her
them his their child child's young person mum mother dad father parent carer ms mr mrs miss
also again clearly still now reportedly previously then that very about around just some own
""".split())


# closed classes of record facts: each side naming a value the other does not conflicts
# ("the living room and the front room" / "the bathroom and the front room")
ATTRIBUTE_TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    "frequency": {
        "daily": ("daily", "every day", "each day", "a day"),
        "weekly": ("weekly", "every week", "each week", "once a week", "a week"),
        "fortnightly": ("fortnightly", "every two weeks", "every fortnight", "every other week"),
        "3-weekly": ("every three weeks", "every 3 weeks"),
        "monthly": ("monthly", "every month", "each month", "once a month", "a month"),
        "termly": ("termly", "each term", "every term"),
    },
    "weekday": {d: (d, d + "s") for d in ("monday", "tuesday", "wednesday", "thursday",
                                            "friday", "saturday", "sunday")},
    "room": {r: (r,) for r in ("bathroom", "kitchen", "hallway", "living room", "front room",
                                "lounge", "back garden", "garden", "landing", "stairs",
                                "children's bedroom", "loft", "garage", "shed")},
    "abuse": {**{a: (a + " abuse", a + " harm") for a in ("sexual", "emotional", "physical",
                                                           "domestic")},
              "neglect": ("neglect", "neglected", "neglectful")},
    "quality": {
        "good": ("good", "strong", "warm", "close"),
        "adequate": ("adequate", "satisfactory", "ok", "okay"),
        "poor": ("poor", "difficult", "strained", "negative", "distant"),
        "inconsistent": ("inconsistent", "mixed", "variable", "unsettled"),
    },
    "presentation": {
        "withdrawn": ("quiet and withdrawn", "withdrawn"),
        "bright": ("bright and curious", "bright", "curious"),
        "settled": ("settled and chatty", "settled", "chatty"),
        "tired": ("tired and irritable", "tired", "irritable"),
        "anxious": ("anxious and watchful", "anxious", "watchful", "tearful"),
        "cheerful": ("cheerful and playful", "cheerful", "playful"),
    },
    "agency": {
        "joint": ("joint", "jointly", "with the police", "with police"),
        "single": ("single agency", "by children's social care alone"),
    },
    "meetings": {
        "cancelled": ("cancelled", "canceled"),
        "late": ("arrived late", "late"),
        "missed": ("did not attend", "missed", "not attended"),
        "attended": ("attended", "attended every", "been present"),
        "rearranged": ("rearranged", "rescheduled", "re arranged", "moved to another date"),
        "requested": ("requested", "asked for"),
    },
    "substance": {d: (d,) for d in ("cannabis", "cocaine", "crack", "heroin", "alcohol",
                                     "amphetamine", "amphetamines", "ketamine", "mdma", "spice",
                                     "methadone", "benzodiazepines", "vodka",
                                     "cigarette", "cigarettes", "tobacco")},
    # health appointments: which one was kept, missed or asked for is a recorded fact
    "appointment": {
        "dental": ("dental appointment", "dental check", "dentist"),
        "paediatric": ("paediatric review", "paediatric appointment", "paediatrician"),
        "speech": ("speech and language",),
        "hearing": ("hearing test", "audiology"),
        "immunisation": ("immunisations", "immunisation", "vaccinations", "vaccination"),
        "camhs": ("camhs appointment", "camhs assessment", "camhs review"),
        "eyes": ("eye test", "optician", "ophthalmology"),
        "physiotherapy": ("physiotherapy", "physio"),
    },
    # the state a home or room was found in on a visit
    "condition": {
        "clean": ("well organised", "clean", "tidy", "hygienic"),
        "cluttered": ("cluttered", "untidy", "messy", "bags of rubbish", "strewn"),
        "dirty": ("dirty", "filthy", "unhygienic", "soiled"),
        "damp": ("mould", "mouldy", "damp"),
        "unlit": ("without a working light", "no working light", "no lighting"),
    },
    "progress": {
        "none": ("no progress",), "limited": ("limited progress", "little progress",
                                              "minimal progress", "slow progress"),
        "some": ("some progress",), "good": ("good progress", "significant progress",
                                             "positive progress", "excellent progress"),
    },
}
ATTRIBUTES = tuple(sorted(ATTRIBUTE_TERMS))
