"""Sentence banks: home conditions, the child's lived experience, parenting and health.

Same shape as :mod:`dupscan.synth.bank_referral`.
"""

from __future__ import annotations

__all__ = ["AREAS"]

AREAS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "home": [
        ("home_arrival", (
            "On arrival at {vtime} the home was {roomstate} and {mum} took some time to answer the door.",
            "It took {mum} a while to come to the door when I arrived at {vtime}; inside, the home was {roomstate}.",
            "I arrived at {vtime}. {mum} was slow to answer, and I found the home {roomstate}.",
        )),
        ("home_room", (
            "In {room} I saw that it was {roomstate}.",
            "{room} was {roomstate} when I looked in.",
            "When I was shown {room}, it was {roomstate}.",
        )),
        ("home_food", (
            "The fridge and cupboards contained {food}.",
            "I checked the kitchen with {mum}'s agreement and found {food}.",
            "With permission I looked in the kitchen cupboards and fridge: there was {food}.",
        )),
        ("home_smell", (
            "There was {smell} in the flat when I entered.",
            "I noticed {smell} as I came into the property.",
            "On entering the home I was aware of {smell}.",
        )),
        ("home_sleep", (
            "{child} showed me {his} bedroom; {he} has {his} own bed, and the room was {roomstate}.",
            "I was shown where {child} sleeps: a bed of {his} own in a room that was {roomstate}.",
            "{child} has a bed to {him}self, and when {he} took me to see it the bedroom was {roomstate}.",
        )),
        ("home_hazard", (
            "During the walk round I noted {item}.",
            "A walk around the property identified {item}.",
            "I saw {item} when {mum} showed me around the home.",
        )),
        ("home_adults", (
            "{adult} was present for the first {minutes} of the visit and then went out.",
            "For the first {minutes} {adult} stayed in the room, before leaving the house.",
            "{adult} sat in on the visit for {minutes} and left part way through.",
        )),
        ("home_seen_alone", (
            "I saw {child} alone in {room} for {minutes} and {injury}.",
            "{child} spent {minutes} with me on {his} own in {room}; {injury}.",
            "I spoke with {child} by {him}self for {minutes} in {room}, and {injury}.",
        )),
        ("home_unannounced", (
            "This was an unannounced visit on a {weekday} afternoon and {mum} {agreed} to let me in.",
            "I called at the home unannounced on {weekday} afternoon; {mum} {agreed} to allow me access.",
            "On {weekday} afternoon I made an unannounced visit, and {mum} {agreed} entry.",
        )),
        ("home_dog", (
            "A large dog was shut in {room} during the visit and {mum} said it is walked {weekly}.",
            "{mum} kept the family's large dog in {room} while I was there; she told me it is walked {weekly}.",
            "The dog was kept in {room} throughout; according to {mum}, it gets walked {weekly}.",
        )),
        ("home_heating", (
            "The heating was off and the flat felt cold; {mum} said the electric meter had run out {few} days ago.",
            "It was cold in the flat because the heating was not on, and {mum} explained the meter ran out {few} days ago.",
            "{mum} told me the electricity meter had been empty for {few} days, which is why the flat was cold with no heating.",
        )),
        ("home_laundry", (
            "There were clean clothes drying in {room} and the laundry basket was {fullness}.",
            "Clean washing was hanging up in {room}; the laundry basket was {fullness}.",
            "In {room} I saw clean clothes drying, and the family's laundry basket was {fullness}.",
        )),
        ("home_visitor", (
            "{mum} said that {other} stays over {weekly} and has a key to the property.",
            "According to {mum}, {other} has a key to the home and stays the night {weekly}.",
            "{other} stays at the address {weekly} and holds a key, {mum} told me.",
        )),
        ("home_bedding", (
            "{child}'s bed had a {bedding} and there were {fewn} soft toys on the pillow.",
            "On {child}'s bed I saw a {bedding}, with {fewn} soft toys arranged on the pillow.",
            "There were {fewn} soft toys on the pillow of {child}'s bed, which had a {bedding}.",
        )),
        ("home_cigarettes", (
            "I saw {fewn} full ashtrays within reach of the children in {room}.",
            "In {room} there were {fewn} ashtrays full of cigarette ends that the children could reach.",
            "{fewn} overflowing ashtrays had been left where the children could get to them in {room}.",
        )),
        ("home_door", (
            "The front door lock was {lock}, and {mum} said the landlord had been told {days} days ago.",
            "{mum} told me she reported the {lock} front door lock to the landlord {days} days ago.",
            "According to {mum}, the landlord has known for {days} days that the front door lock was {lock}.",
        )),
    ],
    "lived": [
        ("lived_day", (
            "{child} described a typical day: {he} gets {him}self up, makes {his} own breakfast and walks to school with {sibling} at about {am}.",
            "According to {child}, {he} wakes {him}self, sorts out {his} breakfast alone and sets off for school with {sibling} at around {am}.",
            "A normal morning for {child} means getting up without help, making breakfast and leaving for school with {sibling} at roughly {am}.",
        )),
        ("lived_worry", (
            "When asked what worries {him}, {child} said {he} gets scared when {adult} shouts and hides in {room}.",
            "{child} told me that shouting by {adult} frightens {him} and that {he} goes to {room} to hide.",
            "What worries {child} most is {adult} shouting; {he} said {he} hides in {room} when it happens.",
        )),
        ("lived_score", (
            "On a scale of 0 to 10, {child} rated how safe {he} feels at home as {score}.",
            "{child} gave a score of {score} out of 10 when asked how safe {he} feels at home.",
            "Asked to put home on a safety scale from 0 to 10, {child} chose {score}.",
        )),
        ("lived_presentation", (
            "{child} presented as {mood} and was appropriately dressed for the weather.",
            "{child} was dressed suitably for the weather and came across as {mood}.",
            "I observed {child} to be {mood}; {his} clothing was appropriate for the weather.",
        )),
        ("lived_wish", (
            "{child} said the best thing about home is playing with {sibling} and the worst thing is when there is no food in the house on a {weekday}.",
            "Playing with {sibling} is what {child} likes most about home; what {he} likes least is having no food in the house on a {weekday}.",
            "For {child}, home is best when {he} plays with {sibling} and worst when the cupboards are empty on a {weekday}.",
        )),
        ("lived_friends", (
            "{child} has {n} close friends at school and attends a football club {weekly}.",
            "{child} goes to football club {weekly} and named {n} good friends at school.",
            "At school {child} has {n} friends {he} is close to, and {he} plays football at a club {weekly}.",
        )),
        ("lived_carer", (
            "{child} often looks after {sibling} in the evenings for up to {hours} while {mum} is out.",
            "In the evenings, when {mum} goes out, {child} is left to care for {sibling} for as long as {hours}.",
            "{mum} goes out in the evenings and {child} is then responsible for {sibling} for periods of up to {hours}.",
        )),
        ("lived_bedtime", (
            "{child} said {he} usually goes to bed at about {pm} and sometimes cannot sleep because of noise downstairs.",
            "Bedtime for {child} is normally around {pm}, although noise from downstairs keeps {him} awake at times.",
            "{child} told me {he} goes to bed around {pm}; on some nights the noise downstairs stops {him} sleeping.",
        )),
        ("lived_online", (
            "{child} spends around {hours} a day on {his} phone and has been contacted online by people {he} does not know.",
            "People {child} does not know have messaged {him} online, and {he} uses {his} phone for about {hours} a day.",
            "Each day {child} is on {his} phone for roughly {hours}; {he} has had messages from strangers online.",
        )),
        ("lived_dad", (
            "{child} said {he} misses {dad} and would like to see him {weekly}.",
            "{child} told me {he} misses {dad} and wants contact with him {weekly}.",
            "Missing {dad} was something {child} raised; {he} would like to spend time with him {weekly}.",
        )),
        ("lived_school", (
            "{child} said {his} favourite subject is {subject} and that {he} gets on well with {his} class teacher.",
            "{child} likes {subject} best at school and told me {he} has a good relationship with {his} class teacher.",
            "Asked about school, {child} named {subject} as {his} favourite lesson and spoke warmly about {his} class teacher.",
        )),
        ("lived_tea", (
            "{child} told me that {he} had {meal} for tea last night and that {mum} was asleep when {he} went to bed.",
            "Last night's tea was {meal}, {child} said, and {mum} had already fallen asleep by {his} bedtime.",
            "According to {child}, tea yesterday was {meal}; {he} went to bed while {mum} was asleep.",
        )),
        ("lived_houses", (
            "Using the three houses tool, {child} drew {adult} shouting in {his} house of worries and {sibling} in {his} house of good things.",
            "In {his} house of worries {child} put {adult} shouting, while {sibling} went in the house of good things (three houses tool).",
            "{child}'s three houses showed {sibling} as a good thing and {adult}'s shouting as a worry.",
        )),
        ("lived_pet", (
            "{child} introduced me to the family {pet} and said looking after it is {his} job every {weekday}.",
            "Every {weekday} it is {child}'s job to look after the family {pet}, {he} told me when showing it to me.",
            "{child} proudly showed me the {pet} and explained that {he} cares for it each {weekday}.",
        )),
        ("lived_bully", (
            "{child} told me that {n} children in {his} class call {him} names and {he} does not want to go to school on {schoolday}s.",
            "Name-calling by {n} classmates means {child} does not want to go to school on {schoolday}s, {he} said.",
            "{child} said {he} dreads {schoolday}s because {n} children in {his} class call {him} names.",
        )),
    ],
    "parenting": [
        ("par_routine", (
            "{mum} described a bedtime routine of bath, story and bed by {pm}, but acknowledged this does not happen every night.",
            "According to {mum}, the routine is a bath, a story and bed at {pm}, although she admitted it is not consistent.",
            "{mum} said the children are meant to have a bath and story and be in bed at {pm}; she accepted this often slips.",
        )),
        ("par_insight", (
            "{mum} showed {rating} insight into the impact of the arguments with {partner} on {child}.",
            "Her understanding of how the arguments with {partner} affect {child} was {rating}, in my view, during the discussion with {mum}.",
            "When we talked about the arguments with {partner}, {mum}'s insight into what this means for {child} appeared {rating}.",
        )),
        ("par_engage", (
            "{mum} has {attended} {fewn} of the planned appointments with the family support worker.",
            "Of the sessions offered by the family support worker, {mum} has {attended} {fewn}.",
            "Engagement with family support has been mixed: {mum} has {attended} {fewn} planned sessions.",
        )),
        ("par_warm", (
            "{mum} was warm towards {child}, praising {him} for a drawing and giving {him} a cuddle when {he} became {mood}.",
            "I saw warmth between them: {mum} praised {child}'s drawing and cuddled {him} when {he} was {mood}.",
            "When {child} became {mood}, {mum} comforted {him} with a cuddle, having earlier praised {his} drawing.",
        )),
        ("par_substance", (
            "{adult} admitted using {substance} most evenings but said it is never in front of the children.",
            "Using {substance} most evenings was acknowledged by {adult}, who insisted the children never see it.",
            "{adult} accepted that {substance} is used on most evenings and maintained that this happens away from the children.",
        )),
        ("par_boundaries", (
            "{mum} finds it hard to set boundaries and said {child} hits out when told no, about {n} times a week.",
            "Setting limits is difficult for {mum}; she reported that {child} lashes out around {n} times a week when refused something.",
            "About {n} times each week {child} hits out after being told no, and {mum} says she struggles with boundaries.",
        )),
        ("par_dad_view", (
            "{dad} said he wants to be more involved and is willing to attend a parenting course starting on {due}.",
            "{dad} would like a bigger role in {child}'s life and has offered to go on a parenting course from {due}.",
            "Wanting to be more involved, {dad} agreed to attend the parenting course that begins on {due}.",
        )),
        ("par_school_run", (
            "{mum} relies on {other} to take the children to school because she struggles to get up before {am}.",
            "Because she finds it hard to be up before {am}, {mum} depends on {other} for the school run.",
            "The school run is done by {other}, as {mum} is often not up before {am}.",
        )),
        ("par_praise", (
            "I observed {mum} praise {child} {fewn} times during the visit and help {him} with {his} {subject} homework.",
            "During the visit {mum} helped {child} with {subject} homework and praised {him} {fewn} times.",
            "{mum} sat with {child} over {his} {subject} homework and gave {him} praise on {fewn} occasions while I was there.",
        )),
    ],
    "health": [
        ("hl_weight", (
            "{child}'s weight has fallen to the {centile} centile and a {appt} has been requested.",
            "A {appt} has been requested because {child}'s weight has dropped to the {centile} centile.",
            "Health have asked for a {appt} after {child}'s weight fell to the {centile} centile.",
        )),
        ("hl_dental", (
            "{child} has {n} decayed teeth and has not seen a dentist since {when}.",
            "{child} was last seen by a dentist on {when} and now has {n} teeth with decay.",
            "There are {n} decayed teeth, and {child} has had no dental check since {when}.",
        )),
        ("hl_immunisation", (
            "{child}'s immunisations are not up to date; {mum} {agreed} to book the outstanding ones with {gp}.",
            "Some of {child}'s immunisations are outstanding, and {mum} {agreed} to arrange them at {gp}.",
            "{gp} has outstanding immunisations for {child}; when asked to book them, {mum} {agreed}.",
        )),
        ("hl_sen", (
            "{child} is on the SEN register at {school} and receives {hours} of one-to-one support each week.",
            "At {school} {child} has SEN support, including {hours} a week of one-to-one help.",
            "{school} has {child} on the SEN register with {hours} of individual support weekly.",
        )),
        ("hl_speech", (
            "{child}'s speech is delayed and {he} uses about {n} words together; a {appt} is awaited.",
            "There is speech delay: {child} can put roughly {n} words together, and {he} is waiting for a {appt}.",
            "{child} combines only around {n} words, so a {appt} has been arranged for the speech delay.",
        )),
        ("hl_exclusion", (
            "{child} received a fixed term exclusion of {days} days on {when} for hitting a member of staff.",
            "On {when} {child} was excluded for {days} days after hitting a staff member.",
            "A {days} day fixed term exclusion followed on {when}, when {child} hit a member of staff.",
        )),
        ("hl_asthma", (
            "{child} has asthma and {mum} confirmed there is an in-date inhaler at home and at {school}; {he} last needed it {days} days ago.",
            "{mum} told me {child}'s asthma inhalers at home and at {school} are in date, and {child} last used one {days} days ago.",
            "For {his} asthma, {child} has in-date inhalers both at home and at {school}, {mum} says; the last time {he} needed one was {days} days ago.",
        )),
        ("hl_sleep", (
            "The school nurse notes that {child} regularly falls asleep in lessons, around {fewn} times in the last month.",
            "{child} has fallen asleep in class about {fewn} times this month, according to the school nurse.",
            "Falling asleep during lessons is a pattern for {child}: the school nurse counted roughly {fewn} occasions last month.",
        )),
    ],
}
