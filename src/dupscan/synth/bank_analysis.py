"""Sentence banks: analysis, decisions, plans, progress, supervision and closure.

Same shape as :mod:`dupscan.synth.bank_referral`.
"""

from __future__ import annotations

__all__ = ["AREAS"]

AREAS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "analysis": [
        ("an_worry_dv", (
            "Worries: {child} has been exposed to {callouts} incidents of domestic abuse and has told {pro} {he} is frightened at home.",
            "The main worry is that {child} has witnessed domestic abuse on {callouts} occasions and has said to {pro} that {he} feels scared at home.",
            "We are worried because there have been {callouts} domestic incidents that {child} saw or heard, and {he} confided in {pro} about being frightened.",
        )),
        ("an_strength", (
            "What is working well: {mum} has kept {kept} appointments and {child} has a {bond} relationship with {sibling}.",
            "Strengths include {mum} keeping {kept} appointments and a {bond} bond between {child} and {sibling}.",
            "On the positive side, {kept} appointments were attended by {mum}, and the sibling relationship with {sibling} is {bond}.",
        )),
        ("an_cumulative", (
            "The cumulative impact of neglect over {weeks} is evident in {child}'s weight, hygiene and attendance of {pct}.",
            "Over {weeks} the effect of neglect has built up, and it shows in {child}'s weight and hygiene and in attendance of {pct}.",
            "{child}'s attendance at {pct}, poor hygiene and low weight point to neglect accumulating over {weeks}.",
        )),
        ("an_mh_impact", (
            "When {mum}'s mental health deteriorates, {child} takes on caring tasks for up to {hours} a day and misses school.",
            "{child} misses school and spends as much as {hours} a day caring when {mum}'s mental health is poor.",
            "Periods of poor mental health for {mum} mean {child} becomes a carer for up to {hours} daily and is kept off school.",
        )),
        ("an_substance_risk", (
            "The use of {substance} by {adult} reduces the supervision {child} receives, particularly in the evenings after {pm}.",
            "After {pm} in the evenings supervision of {child} is compromised because {adult} is using {substance}.",
            "{adult}'s {substance} use means {child} is not properly supervised, especially in the evening from {pm}.",
        )),
        ("an_scaling", (
            "Professionals scored the level of worry at {score} out of 10, where 10 means {child} is safe and well cared for.",
            "On a scale where 10 means safe and well cared for, the professional network placed {child} at {score}.",
            "The network's safety scaling for {child} was {score}/10 (10 being safe and well cared for).",
        )),
        ("an_danger", (
            "Danger statement: professionals are worried that {child} could be hurt if {adult} loses control again, as happened on {when}.",
            "The danger statement is that {adult} may lose control again, as on {when}, and that {child} could be injured.",
            "We are worried that {child} may be physically harmed if {adult} loses control in the way that happened on {when}.",
        )),
        ("an_goal", (
            "Safety goal: {child} will live in a home free from violence, with {mum} able to keep {him} safe for {weeks} without professional support.",
            "The goal is for {mum} to keep {child} safe in a home without violence for {weeks} without needing professionals.",
            "For the next {weeks} {mum} should show she can keep {child} safe, in a violence-free home, without help from professionals.",
        )),
        ("an_exploit", (
            "Indicators of criminal exploitation include going missing {n} times, unexplained money and new clothes, and associating with older peers.",
            "{child} has been missing {n} times, has money and clothes that cannot be explained and spends time with older young people, all signs of criminal exploitation.",
            "The risk of criminal exploitation is shown by {n} missing episodes, unexplained cash and clothing, and links with older peers.",
        )),
        ("an_voice", (
            "{child}'s voice is clear: {he} wants {mum} to stop drinking and rated {his} happiness at {score} out of 10.",
            "{child} has been clear that {he} wants {mum} to stop drinking, scoring {his} happiness at {score}/10.",
            "Rating {his} happiness {score} out of 10, {child} said plainly that {he} wants {mum} to give up drinking.",
        )),
        ("an_level", (
            "In my professional judgement {child}'s needs are best met at {level}.",
            "My assessment is that {level} is the right level of intervention for {child}.",
            "I consider that {child}'s needs can be met through {level}.",
        )),
        ("an_complicating", (
            "Complicating factors: {mum} minimises the concerns and has cancelled {fewn} visits, so it is hard to know what daily life is like for {child}.",
            "It is difficult to understand {child}'s day-to-day experience because {mum} plays down the worries and has called off {fewn} visits.",
            "{mum} has cancelled {fewn} visits and tends to minimise the concerns, which makes {child}'s daily life hard to see clearly; this is a complicating factor.",
        )),
    ],
    "decision": [
        ("dec_threshold", (
            "Following discussion, {decision}.",
            "The outcome of the discussion was that {decision}.",
            "Having considered the information shared, the meeting concluded that {decision}.",
        )),
        ("dec_category", (
            "The conference decided that {child} should become subject to a child protection plan under the category of {cat}.",
            "A child protection plan for {child} was agreed by the conference, with {cat} as the category.",
            "{child} is now subject to a child protection plan; the conference chose the category of {cat}.",
        )),
        ("dec_medical", (
            "A child protection medical {yesno} required and {officer} will take the lead for the police on {due}.",
            "It was agreed that a child protection medical {yesno} needed; {officer} leads for the police from {due}.",
            "{officer} will lead the police enquiries from {due}, and a child protection medical {yesno} considered necessary.",
        )),
        ("dec_visit_timescale", (
            "{child} is to be seen and spoken to alone within {days} days.",
            "The child must be seen alone within {days} days; this means {child} will be spoken to on {his} own.",
            "Within {days} days a social worker will see {child} and speak to {him} without parents present.",
        )),
        ("dec_mash_rag", (
            "MASH RAG rating: {rating} information sharing response; the contact is progressed to {level}.",
            "The contact was RAG rated with a {rating} information sharing response and passed to {level}.",
            "After MASH checks (information sharing response {rating}), the decision is to progress to {level}.",
        )),
        ("dec_s47_outcome", (
            "The section 47 enquiry found that concerns {were} substantiated and that {child} is at continuing risk of {cat}.",
            "Outcome: concerns {were} substantiated; the enquiry identified a continuing risk of {cat} for {child}.",
            "Having completed the enquiry, concerns {were} found to be substantiated, with ongoing risk to {child} of {cat}.",
        )),
        ("dec_parent_view", (
            "{mum} {agreed} to the plan and said she understood why the conference was worried about {cat}.",
            "{mum}, who {agreed} to the plan, told the conference she understood the worries about {cat}.",
            "When asked about the worries about {cat}, {mum} said she understood them and {agreed} the plan.",
        )),
        ("dec_step_down", (
            "The plan is to step down to {lower} after {weeks} if progress is maintained.",
            "If things continue to improve, the case will step down to {lower} in {weeks}.",
            "Step down to {lower} is planned in {weeks}, provided progress is sustained.",
        )),
    ],
    "plan": [
        ("pl_dv_course", (
            "{mum} to attend the Freedom Programme {weekly}, starting on {due}; lead: family support worker.",
            "Starting {due}, {mum} will go to the Freedom Programme {weekly}, supported by the family support worker.",
            "The family support worker will help {mum} attend the Freedom Programme {weekly} from {due}.",
        )),
        ("pl_attendance", (
            "{school} to monitor attendance daily and report to the social worker if it falls below {pct}.",
            "Attendance will be checked daily by {school}, who will tell the social worker if it drops under {pct}.",
            "If {child}'s attendance drops below {pct}, {school} will inform the social worker; they will check it each day.",
        )),
        ("pl_visits", (
            "The social worker will visit {weekly} and see {child} alone on each visit for at least {minutes}.",
            "Visits by the social worker will be {weekly}, with {child} seen alone for a minimum of {minutes} each time.",
            "{child} will be seen alone for no less than {minutes} at each social work visit, taking place {weekly}.",
        )),
        ("pl_substance", (
            "{adult} to engage with the drug and alcohol service and provide {n} clear hair strand tests by {due}.",
            "By {due} {adult} will have engaged with drug and alcohol services and given {n} negative hair strand tests.",
            "Engagement with the drug and alcohol service is expected from {adult}, including {n} clear hair strand tests before {due}.",
        )),
        ("pl_health", (
            "{mum} to take {child} to the {appt} on {due} and share the outcome with the health visitor.",
            "The {appt} on {due} must be attended, with {mum} taking {child} and telling the health visitor the result.",
            "On {due} {child} will be taken by {mum} to the {appt}; the outcome will be passed on to the health visitor.",
        )),
        ("pl_home", (
            "{mum} to make sure {room} is kept safe, with {item} dealt with by {due}.",
            "By {due} {mum} will deal with {item} so that {room} is safe.",
            "{item} must be sorted out by {due}, with {mum} responsible for keeping {room} safe.",
        )),
        ("pl_mh", (
            "{mum} to see her GP by {due} to review her medication and to accept a referral to talking therapies.",
            "A GP appointment for {mum} is needed by {due} to look at her medication, and she will be referred to talking therapies.",
            "Before {due}, {mum} will have a medication review with her GP and will be referred on to talking therapies.",
        )),
        ("pl_direct_work", (
            "The social worker to complete {n} sessions of direct work with {child} about feelings and safety.",
            "{child} will have {n} direct work sessions with the social worker focusing on safety and feelings.",
            "Direct work on feelings and keeping safe will be done with {child} over {n} sessions by the social worker.",
        )),
        ("pl_contact", (
            "Contact between {child} and {dad} to be supervised {weekly} at the family centre.",
            "{child}'s time with {dad} will take place {weekly} at the family centre under supervision.",
            "Supervised contact at the family centre will happen {weekly} for {child} and {dad}.",
        )),
        ("pl_safety_plan", (
            "{mum} to agree a written safety plan by {due} naming {fewn} adults {child} can go to if there is an argument at home.",
            "By {due} there will be a written safety plan, agreed with {mum}, that names {fewn} safe adults for {child} if there is arguing at home.",
            "A written safety plan with {fewn} trusted adults for {child} to turn to during arguments will be agreed with {mum} before {due}.",
        )),
        ("pl_school_transport", (
            "{school} to provide a place at breakfast club from {due} so that {child} arrives by {am}.",
            "From {due} {child} will have a breakfast club place at {school}, so that {he} is in school by {am}.",
            "A breakfast club place at {school} will start on {due} to help {child} arrive by {am}.",
        )),
        ("pl_young_carer", (
            "The social worker to refer {child} to the young carers service by {due}.",
            "By {due} {child} will have been referred to the young carers service by the social worker.",
            "A referral to the young carers service for {child} will be made by the social worker before {due}.",
        )),
    ],
    "progress": [
        ("pr_overall", (
            "Since the last meeting there has been {progress} against the plan.",
            "The plan has shown {progress} since the group last met.",
            "Members agreed that {progress} has been made on the plan since the previous meeting.",
        )),
        ("pr_attendance", (
            "{child}'s attendance has moved to {pct} this half term, which {teacher} described as {rating}.",
            "{teacher} reported attendance this half term of {pct}, describing it as {rating}.",
            "This half term attendance is {pct}; the school regard this as {rating}, {teacher} said.",
        )),
        ("pr_visits_done", (
            "The social worker has completed {fewn} visits since the last core group and {child} was seen alone on each.",
            "There have been {fewn} social work visits since the last core group, with {child} seen alone every time.",
            "{child} has been seen alone at all {fewn} visits made by the social worker since the previous core group.",
        )),
        ("pr_incident", (
            "There {yesno} a further police callout on {when}.",
            "On {when} there {yesno} another police attendance at the home.",
            "Police records confirm there {yesno} a further incident on {when}.",
        )),
        ("pr_programme", (
            "{mum} has completed {ofn} sessions of the parenting programme.",
            "Of the parenting programme, {mum} has now completed {ofn} sessions.",
            "{ofn} parenting programme sessions have now been completed by {mum}.",
        )),
        ("pr_test", (
            "The latest drug test for {adult} on {when} was returned as negative for {substance}.",
            "{adult}'s most recent test, taken on {when}, came back negative for {substance}.",
            "A test for {substance} on {when} was negative, the result for {adult} shows.",
        )),
        ("pr_child_views", (
            "{child} told the social worker on {weekday} that home has been {rating} lately and gave a score of {score}.",
            "Speaking to the social worker on {weekday}, {child} described home recently as {rating} and scored it {score}.",
            "On {weekday} {child} scored home at {score} and said things there had been {rating}.",
        )),
        ("pr_barrier", (
            "Progress has been affected by {mum} cancelling {n} appointments, most recently on {when}.",
            "{mum} has cancelled {n} appointments, the last on {when}, which has held up progress.",
            "Cancelled appointments ({n} in total, latest {when}) by {mum} have slowed progress.",
        )),
        ("pr_housing", (
            "A housing transfer {yesno} approved on {when}, and the family expect to move within {weeks}.",
            "On {when} the housing transfer {yesno} approved; a move is expected in the next {weeks}.",
            "The family's transfer request {yesno} agreed by housing on {when}, with a move anticipated within {weeks}.",
        )),
        ("pr_health_appt", (
            "{child}'s {appt} on {when} was {attended}, and {mum} shared the outcome with the health visitor.",
            "The {appt} for {child} on {when} was {attended}; {mum} passed the news on to the health visitor.",
            "On {when} {child}'s {appt} was {attended}, and the health visitor has heard about it from {mum}.",
        )),
        ("pr_timetable", (
            "A meeting at school on {when} agreed a reduced timetable of {hours} a day for {child}, to be reviewed in {weeks}.",
            "{child} is now on a reduced timetable of {hours} a day, agreed at school on {when} and due for review in {weeks}.",
            "School and the family met on {when}; {child} will attend for {hours} a day for the next {weeks} before a review.",
        )),
        ("pr_school_update", (
            "{teacher} said {child} has had {fewn} good weeks in a row and was chosen as star of the week on {when}.",
            "{child} was star of the week on {when} and has had {fewn} good weeks in a row, {teacher} told the group.",
            "According to {teacher}, {child} has managed {fewn} consecutive good weeks and was named star of the week on {when}.",
        )),
        ("pr_fsw", (
            "The family support worker has completed {fewn} sessions on routines and reports that bedtime is now {pm} most nights.",
            "Bedtime is now {pm} on most nights, according to the family support worker, after {fewn} sessions on routines.",
            "After {fewn} routine-building sessions with the family support worker, {child} is in bed by {pm} most nights.",
        )),
    ],
    "supervision": [
        ("sv_reflect", (
            "Reflection: the worker feels the family present well at planned visits, so the next {fewn} visits will be unannounced.",
            "On reflection the family seem to present well when visits are planned; the worker will make the next {fewn} visits unannounced.",
            "We reflected that planned visits may show the family at their best, and agreed {fewn} unannounced visits next.",
        )),
        ("sv_drift", (
            "The manager noted that the assessment is {days} days overdue and must be completed by {due}.",
            "The assessment is overdue by {days} days; the manager asked for it to be completed by {due}.",
            "Completion of the assessment, now {days} days late, is required by {due}, as noted by the manager.",
        )),
        ("sv_hypothesis", (
            "Hypothesis discussed: {mum}'s low mood may explain the drop in attendance to {pct}.",
            "We discussed whether the fall in attendance to {pct} is linked to {mum}'s low mood.",
            "One explanation considered was that {mum}'s low mood has caused attendance to fall to {pct}.",
        )),
        ("sv_wellbeing", (
            "The worker's caseload is {n} children and they reported feeling {rating} about their workload.",
            "With {n} children on their caseload, the worker described their workload as {rating}.",
            "Workload was discussed: {n} children are allocated and the worker rates it as {rating}.",
        )),
        ("sv_action", (
            "Action: the worker is to convene a core group by {due} and update the chronology.",
            "By {due} the worker will hold a core group and bring the chronology up to date.",
            "The chronology is to be updated and a core group convened before {due}.",
        )),
    ],
    "closure": [
        ("cl_reason", (
            "The case is closing because the plan has been completed and {child} has been safe for {weeks}.",
            "With the plan completed and no safety concerns for {weeks}, the case can now close.",
            "{child} has been safe for {weeks} and the plan is finished, so the case is being closed.",
        )),
        ("cl_changes", (
            "Since the start of involvement {child}'s attendance has risen to {pct} and there have been no police callouts for {weeks}.",
            "Attendance for {child} now stands at {pct}, and the police have not been called for {weeks}.",
            "Over the period of involvement attendance improved to {pct}, with no police attendance in the last {weeks}.",
        )),
        ("cl_support", (
            "{mum} was offered continued support from {agency} after closure and {agreed} it.",
            "Continued support from {agency} was offered to {mum} at closure, which she {agreed}.",
            "{agency} offered to keep working with {mum} once the case closes; she {agreed} the offer.",
        )),
        ("cl_child_view", (
            "{child} said that things at home are better now and that {he} feels safe, scoring {score} out of 10.",
            "Home is better now, according to {child}, who said {he} felt safe and gave a score of {score}/10.",
            "{child} feels safe, describes home as improved and rated it {score} out of 10.",
        )),
    ],
}
