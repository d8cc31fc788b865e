"""The form set: title, header fields and narrative sections of each form type.

Field keys are stable identifiers used by the planner (copy routes) and the CSV
export; labels and prompts are what the blank form prints. Header labels differ
between form types on purpose ("Child's name", "Name of child", "Full name"), as
they do in real form sets.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FORM_TYPES", "FORMS", "FieldSpec", "FormSpec", "STOCK_FOOTER", "CSV_COLUMNS"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: ``areas`` names the sentence banks a narrative draws on."""

    key: str
    label: str
    kind: str = "narrative"
    prompt: str = ""
    areas: tuple[str, ...] = ()
    sentences: tuple[int, int] = (2, 4)


@dataclass(frozen=True)
class FormSpec:
    """A form type as its blank template defines it."""

    form_type: str
    title: str
    header: tuple[tuple[str, str], ...]
    fields: tuple[FieldSpec, ...]


def _n(key: str, label: str, prompt: str, areas: tuple[str, ...], lo: int = 2, hi: int = 4) -> FieldSpec:
    return FieldSpec(key, label, "narrative", prompt, areas, (lo, hi))


_H_A = (("case_id", "Case ID"), ("date", "Date"), ("worker", "Social worker"), ("child_name", "Child's name"),
        ("dob", "Date of birth"), ("gender", "Gender"), ("ethnicity", "Ethnicity"), ("address", "Address"),
        ("school", "School"), ("gp", "GP"))
_H_B = (("case_id", "Case number"), ("date", "Date of meeting"), ("worker", "Completed by"),
        ("child_name", "Name of child"), ("dob", "DOB"), ("address", "Home address"),
        ("school", "School / setting"), ("gp", "GP surgery"))
_H_C = (("case_id", "LCS ID"), ("date", "Date completed"), ("worker", "Author"), ("child_name", "Full name"),
        ("dob", "Date of birth"), ("gender", "Sex"), ("ethnicity", "Ethnicity"), ("language", "First language"),
        ("parent", "Parent/carer"), ("address", "Address"), ("phone", "Contact number"),
        ("school", "Education setting"), ("gp", "Registered GP"))

STOCK_FOOTER = ("OFFICIAL-SENSITIVE. This record contains personal information and must be stored and shared "
                "in line with the authority's data protection policy.")

FORMS: dict[str, FormSpec] = {f.form_type: f for f in (
    FormSpec("contact_referral", "Contact and Referral Form", _H_C + (("referrer", "Referrer"),), (
        _n("reason", "Reason for referral", "What has happened? Describe the concerns and how you became aware of them.", ("referral",), 3, 5),
        _n("household", "Family and household", "Who lives in the household? Include significant adults and any previous involvement.", ("history",), 2, 3),
        _n("referrer_info", "Information from the referrer", "What does the referrer know about the child's health, education and care?", ("agency",), 2, 3),
    )),
    FormSpec("mash_decision", "MASH Decision Record", _H_A, (
        _n("summary", "Summary of contact", "Summarise the contact and the presenting concerns.", ("referral",), 2, 3),
        _n("checks", "Partner agency checks", "Record the information returned by each agency.", ("agency",), 2, 4),
        _n("rationale", "Analysis and rationale", "Explain the risk and protective factors that inform the decision.", ("analysis",), 2, 3),
        _n("decision", "MASH decision", "State the decision and the next steps.", ("decision",), 1, 2),
    )),
    FormSpec("child_family_assessment", "Child and Family Assessment", _H_C, (
        _n("reason", "Reason for assessment", "Why is this assessment being completed?", ("referral",), 2, 3),
        _n("history", "Family history and functioning", "Describe the family's history, relationships and significant events.", ("history",), 3, 4),
        _n("lived", "The child's lived experience", "Describe the child's lived experience: what is a day in the life of this child like?", ("lived",), 3, 5),
        _n("health_edu", "Health and education", "Describe the child's health, development and education.", ("health",), 2, 3),
        _n("parenting", "Parenting capacity", "How well are the parents or carers meeting the child's needs?", ("parenting",), 2, 4),
        _n("analysis", "Analysis", "Worries, what is working well and what needs to happen.", ("analysis",), 3, 5),
        _n("recommendation", "Recommendation and next steps", "What is your recommendation and why?", ("decision", "plan"), 1, 2),
    )),
    FormSpec("strategy_discussion", "Strategy Discussion Record", _H_B + (("chair", "Chair"),), (
        _n("reason", "Reason for strategy discussion", "Summarise the information that led to this strategy discussion.", ("referral",), 2, 3),
        _n("info", "Information shared by agencies", "Record what each agency shared.", ("agency",), 2, 4),
        _n("risk", "Risk analysis", "What are the risks to the child and what reduces them?", ("analysis",), 2, 3),
        _n("decisions", "Decisions and actions", "Record the decision on section 47 and who will do what by when.", ("decision",), 2, 3),
    )),
    FormSpec("section47_outcome", "Section 47 Enquiry Outcome", _H_A, (
        _n("concerns", "Summary of concerns", "What concerns led to the section 47 enquiry?", ("referral",), 2, 3),
        _n("findings", "Findings of the enquiry", "What did the enquiry find? Include home conditions and who was seen.", ("home",), 2, 4),
        _n("child_views", "The child's views", "What did the child say? Record their words where you can.", ("lived",), 2, 3),
        _n("analysis", "Analysis of risk", "Analyse the information gathered and the likelihood of significant harm.", ("analysis",), 2, 3),
        _n("outcome", "Outcome", "State the outcome of the enquiry.", ("decision",), 1, 2),
    )),
    FormSpec("icpc_report", "Initial Child Protection Conference Report", _H_B + (("chair", "Conference chair"),), (
        _n("reason", "Reason for conference", "Why has this conference been convened?", ("referral",), 2, 3),
        _n("history", "Family history", "Summarise the family history relevant to the concerns.", ("history",), 2, 3),
        _n("lived", "The child's lived experience", "Describe the child's daily life and what they have told professionals.", ("lived",), 2, 4),
        _n("parenting", "Parenting capacity", "What are the parents' strengths and difficulties?", ("parenting",), 2, 3),
        _n("analysis", "Analysis: worries, strengths and complicating factors", "Set out the worries, what is working well and any complicating factors.", ("analysis",), 3, 5),
        _n("recommendation", "Recommendation to conference", "What is the social worker's recommendation?", ("decision",), 1, 2),
    )),
    FormSpec("child_protection_plan", "Child Protection Plan", _H_A, (
        _n("danger", "Danger statement and safety goal", "What are we worried will happen if nothing changes, and what do we want to see?", ("analysis",), 2, 3),
        _n("outcomes", "Outcomes and actions", "List what needs to happen, who will do it and by when.", ("plan",), 3, 5),
        _n("contingency", "Contingency plan", "What will happen if the plan is not followed?", ("plan",), 1, 2),
    )),
    FormSpec("child_in_need_plan", "Child in Need Plan", _H_A, (
        _n("needs", "Identified needs", "What needs has the assessment identified?", ("analysis",), 2, 3),
        _n("outcomes", "Outcomes and actions", "What will be done, by whom and by when?", ("plan",), 3, 4),
        _n("child_views", "What the child says", "Record the child's wishes and feelings.", ("lived",), 1, 3),
    )),
    FormSpec("core_group_minutes", "Core Group Meeting Minutes", _H_B, (
        _n("progress", "Progress against the plan", "Review each outcome of the plan.", ("progress",), 2, 4),
        _n("updates", "Agency updates", "Record the update given by each agency.", ("agency", "progress"), 2, 3),
        _n("child_views", "The child's views", "How has the child's voice been heard since the last meeting?", ("lived",), 1, 2),
        _n("actions", "Actions agreed", "Record actions, owners and timescales.", ("plan",), 1, 3),
    )),
    FormSpec("home_visit_record", "Home Visit Record",
             (("case_id", "Case ID"), ("date", "Date of visit"), ("worker", "Worker"), ("child_name", "Child's name"),
              ("dob", "Date of birth"), ("address", "Address"), ("visit_type", "Visit type"),
              ("child_seen", "Child seen"), ("seen_alone", "Seen alone")), (
        _n("observations", "Observations", "Describe the home conditions and what you observed during the visit.", ("home",), 3, 4),
        _n("child_views", "Child's presentation and views", "How did the child present and what did they say?", ("lived",), 2, 3),
        _n("analysis", "Analysis", "What does this visit tell you about the child's safety and wellbeing?", ("analysis", "parenting"), 1, 2),
        _n("next_steps", "Next steps", "What will happen next?", ("plan",), 1, 2),
    )),
    FormSpec("chronology", "Chronology", _H_A[:5], (
        _n("events", "Significant events", "Record significant events in date order, with the source of the information.", ("agency", "progress", "referral"), 3, 5),
        _n("summary", "Analysis of the chronology", "What patterns does the chronology show?", ("analysis",), 1, 2),
    )),
    FormSpec("supervision_record", "Case Supervision Record",
             (("case_id", "Case ID"), ("date", "Date of supervision"), ("supervisor", "Supervisor"),
              ("worker", "Supervisee"), ("child_name", "Child")), (
        _n("discussion", "Case discussion", "Summarise the current position and any changes since the last supervision.", ("supervision", "progress"), 2, 3),
        _n("reflection", "Reflection and analysis", "What hypotheses were explored? What is the impact on the child?", ("supervision", "analysis"), 1, 3),
        _n("actions", "Actions and timescales", "Record management actions and timescales.", ("supervision", "plan"), 1, 2),
    )),
    FormSpec("rcpc_report", "Review Child Protection Conference Report", _H_B + (("chair", "Conference chair"),), (
        _n("progress", "Progress since the initial conference", "What has changed since the last conference?", ("progress",), 2, 4),
        _n("lived", "The child's lived experience", "What is life like for the child now?", ("lived",), 2, 3),
        _n("analysis", "Analysis", "Analyse the risks and strengths now.", ("analysis",), 2, 3),
        _n("recommendation", "Recommendation", "Should the child remain subject to a plan?", ("decision",), 1, 2),
    )),
    FormSpec("closure_summary", "Case Closure Summary", _H_A, (
        _n("summary", "Summary of involvement", "Why did the service become involved?", ("history", "referral"), 2, 3),
        _n("changes", "What has changed", "What has changed for the child as a result of the involvement?", ("closure", "progress"), 2, 3),
        _n("child_views", "The child's views", "What does the child say about the service's involvement?", ("closure", "lived"), 1, 2),
        _n("support", "Ongoing support", "Who will continue to support the family?", ("closure",), 1, 2),
    )),
)}

FORM_TYPES: tuple[str, ...] = tuple(FORMS)

# CSV export of home visit records: column -> field key (the column names are the printed labels)
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_id", "case_id"), ("visit_date", "date"), ("worker", "worker"), ("child_name", "child_name"),
    ("visit_type", "visit_type"), ("child_seen", "child_seen"), ("seen_alone", "seen_alone"),
    ("observations", "observations"), ("child_views", "child_views"), ("analysis", "analysis"),
    ("next_steps", "next_steps"),
)
