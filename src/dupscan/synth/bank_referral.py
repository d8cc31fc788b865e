"""Sentence banks: referral concerns, family history and partner-agency information.

Each fact is ``(fact_id, (wording, wording, ...))``. Every wording of a fact uses
the same slots, so re-rendering a fact with another wording is a paraphrase and
redrawing one fact slot under the same wording is a hard negative.
"""

from __future__ import annotations

__all__ = ["AREAS"]

AREAS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "referral": [
        ("ref_school_bruise", (
            "{teacher} contacted the front door on {when} after {child} arrived at school and {injury}.",
            "On {when} the school rang the front door; when {child} came in that morning {injury}, according to {teacher}.",
            "A call was received from {teacher} on {when}: staff noticed at the start of the day that {injury} on {child}.",
        )),
        ("ref_police_dv", (
            "Police attended the family home at {time} on {when} following a report of shouting and a disturbance between {mum} and {partner}.",
            "At {time} on {when} officers were called to the address because neighbours heard {mum} and {partner} arguing loudly.",
            "The police notification states that a disturbance involving {partner} and {mum} was reported to them on {when}, and officers arrived at {time}.",
        )),
        ("ref_dv_count", (
            "This is the {callouts} domestic incident reported to the police at this address in the last {weeks}.",
            "Police records show {callouts} callouts for domestic incidents at the home over the past {weeks}.",
            "Over the last {weeks} there have been {callouts} police attendances at the address for domestic abuse.",
        )),
        ("ref_attendance", (
            "{child}'s attendance this term is {pct} and {he} has been late on {late} occasions.",
            "School report that {child} has attended only {pct} of sessions this term, with {late} late marks.",
            "According to the school register, attendance for {child} stands at {pct} this term and there have been {late} late arrivals.",
        )),
        ("ref_hungry", (
            "{teacher} reports that {child} has been asking staff for food and was seen taking snacks from other children's bags on {schoolday}.",
            "On {schoolday} staff saw {child} taking food from other pupils' bags, and {he} often asks adults for something to eat, {teacher} said.",
            "The school describe {child} as frequently hungry; on {schoolday} {he} was found eating snacks taken from classmates' bags, as reported by {teacher}.",
        )),
        ("ref_mh", (
            "{mum} told the GP on {when} that she has been struggling with low mood and has stopped taking her medication.",
            "At a GP appointment on {when}, {mum} disclosed that her mood has been very low and she is no longer taking her prescribed medication.",
            "The GP was informed by {mum} on {when} that she stopped her antidepressants some time ago and feels unable to cope.",
        )),
        ("ref_substance", (
            "An anonymous caller reported that adults at the address are using {substance} while the children are at home.",
            "The referral came from a member of the public who said {substance} is being used in the house when the children are present.",
            "According to an anonymous referrer, the adults in the household use {substance} with the children in the home.",
        )),
        ("ref_home_alone", (
            "A neighbour found {child} alone outside the flat at {time} on {when} and said {he} had been locked out.",
            "On {when} at {time} a neighbour came across {child} on {his} own outside the property, unable to get back in.",
            "{child} was discovered by a neighbour at {time} on {when}, alone and locked out of the home.",
        )),
        ("ref_exploitation", (
            "{officer} stopped {child} in the town centre at {time} with older young people and {he} was carrying {n} mobile phones.",
            "When {officer} stopped {him} in the town centre at {time}, {child} was with a group of older youths and had {n} phones on {him}.",
            "At {time} {child} was found in the town centre in the company of older young people; {officer} recorded that {he} had {n} mobile phones.",
        )),
        ("ref_disclosure", (
            "{child} told {teacher} that {adult} had hit {him} with a belt when {he} would not go to bed.",
            "According to {teacher}, {child} said {adult} used a belt to hit {him} because {he} refused to go to bed.",
            "{child} disclosed to {teacher} that {he} was struck with a belt by {adult} after refusing to go to bed.",
        )),
        ("ref_missed_health", (
            "{child} has {attended} the last {n} health appointments, including a {appt}.",
            "Health records show that {n} recent appointments for {child} were {attended}, one of them a {appt}.",
            "The last {n} appointments for {child} were {attended}, the most recent being a {appt}, health colleagues report.",
        )),
        ("ref_parent_consent", (
            "{mum} is aware of the referral and {agreed} to information being shared with partner agencies.",
            "The referrer informed {mum} of the contact, and she {agreed} to consent to checks with other agencies.",
            "Consent to share information with partner agencies was discussed with {mum}, who {agreed}.",
        )),
        ("ref_anon_noise", (
            "A neighbour reported hearing a child crying for over {minutes} late at night on {when}.",
            "On {when} a neighbour heard a child crying late at night for more than {minutes}.",
            "Late on {when} a child could be heard crying for longer than {minutes}, a neighbour told us.",
        )),
    ],
    "history": [
        ("hist_known", (
            "The family has been known to children's social care since {when}, when {child} was subject to a child in need plan for {weeks}.",
            "Children's social care first became involved on {when}; {child} was then supported on a child in need plan lasting {weeks}.",
            "There was previous involvement from {when}, with {child} on a child in need plan for a period of {weeks}.",
        )),
        ("hist_moved", (
            "{mum} moved to the area {yrs} years ago after leaving a violent relationship with {dad}.",
            "After ending an abusive relationship with {dad}, {mum} relocated to the area {yrs} years ago.",
            "It is {yrs} years since {mum} came to the area, having fled domestic abuse by {dad}.",
        )),
        ("hist_mum_care", (
            "{mum} spent {yrs} years in foster care as a teenager and has limited contact with her own family.",
            "As a teenager {mum} was looked after in foster care for {yrs} years, and she now sees little of her family.",
            "{mum}'s own childhood included {yrs} years in foster placements; she has little contact with her relatives today.",
        )),
        ("hist_dad_contact", (
            "{dad} has {weekly} contact with {child}, which {mum} describes as {rating}.",
            "{child} sees {dad} {weekly}; {mum} says the contact arrangement is {rating}.",
            "Contact between {child} and {dad} takes place {weekly} and is described by {mum} as {rating}.",
        )),
        ("hist_sibling", (
            "{child} lives with {mum} and {his} sibling {sibling}, aged {sibling_age}, who has a different father and sees him {weekly}.",
            "The household is {mum}, {child} and {sibling}, who is {sibling_age}; {sibling}'s father has contact {weekly}.",
            "{sibling} ({sibling_age}) also lives at home with {mum} and {child} and spends time with {sibling}'s own father {weekly}.",
        )),
        ("hist_partner", (
            "{mum}'s partner {partner} moved into the home about {weeks} ago and has not been assessed.",
            "About {weeks} ago {partner} began living at the address as {mum}'s partner; no checks have yet been completed on him.",
            "{partner}, who is in a relationship with {mum}, has been living in the household for around {weeks} without any assessment.",
        )),
        ("hist_previous_cp", (
            "{sibling} was subject to a child protection plan under the category of {cat} which ended {yrs} years ago.",
            "There was an earlier child protection plan for {sibling}, under the category of {cat}, which closed {yrs} years ago.",
            "{yrs} years ago {sibling} came off a child protection plan; the category at the time was {cat}.",
        )),
        ("hist_housing", (
            "The family have moved address {yrs} times in the last two years and are currently on the housing register.",
            "In the past two years the family has had {yrs} different addresses, and they are waiting on the housing register.",
            "Housing has been unstable, with {yrs} moves in two years; the family is on the council's housing register.",
        )),
        ("hist_language", (
            "{mum} speaks {lang} at home and an interpreter {yesno} needed for meetings.",
            "The first language at home is {lang}; {mum} {yesno} in need of an interpreter for meetings.",
            "At home the family use {lang}, and for meetings it {yesno} necessary to book an interpreter for {mum}.",
        )),
    ],
    "agency": [
        ("ag_school_report", (
            "{teacher} reports that {child} is {mood} in class and that {his} attendance is {pct}.",
            "In class {child} presents as {mood}, according to {teacher}, and {his} attendance currently stands at {pct}.",
            "School describe {child} as {mood}; {teacher} gave {his} attendance as {pct}.",
        )),
        ("ag_health", (
            "{hv} confirmed that {child}'s weight is on the {centile} centile and that {his} last {appt} was {attended}.",
            "Health information from {hv}: {child} is on the {centile} centile for weight; the most recent {appt} was {attended}.",
            "According to {hv}, {child} weighs in at the {centile} centile, and the last {appt} was {attended}.",
        )),
        ("ag_police_checks", (
            "Police checks show {callouts} previous reports involving {partner}, including one for common assault.",
            "There are {callouts} earlier police reports naming {partner}, among them a common assault.",
            "{partner} is named in {callouts} previous police reports, one of which concerned common assault.",
        )),
        ("ag_gp", (
            "The GP at {gp} confirmed that {mum} was last seen on {when} and has a history of depression.",
            "{gp} told us {mum} has a history of depression and her last appointment was on {when}.",
            "According to {gp}, {mum} was last seen on {when}; her records show depression in the past.",
        )),
        ("ag_housing", (
            "The housing officer visited on {when} and found {item}.",
            "On {when} the housing officer attended the property and noted {item}.",
            "A housing inspection on {when} identified {item}.",
        )),
        ("ag_nursery_hygiene", (
            "Staff have noticed that {child} arrives in the same clothes for {few} days at a time and smells of urine.",
            "{child} has been coming in wearing the same clothes for {few} days in a row and has smelt of urine, staff say.",
            "It has been observed that {child} wears the same unwashed clothing for up to {few} days and smells of urine.",
        )),
        ("ag_probation", (
            "Probation confirmed that {partner} is subject to a community order until {due} and attends appointments {weekly}.",
            "{partner} is on a community order that runs until {due}; probation say he reports to them {weekly}.",
            "According to probation, {partner} must attend appointments {weekly} under a community order lasting until {due}.",
        )),
        ("ag_camhs", (
            "CAMHS accepted the referral for {child} on {when} and the waiting time is about {weeks}.",
            "The referral to CAMHS for {child} was accepted on {when}, with a wait of roughly {weeks}.",
            "{child} was accepted by CAMHS on {when}; the expected wait for a first appointment is around {weeks}.",
        )),
        ("ag_breakfast", (
            "{school} confirmed that {child} receives free school meals and came to breakfast club on {fewn} mornings last week.",
            "{child} gets free school meals and attended breakfast club {fewn} times last week, {school} confirmed.",
            "According to {school}, {child} is eligible for free school meals and was at breakfast club on {fewn} days last week.",
        )),
    ],
}
