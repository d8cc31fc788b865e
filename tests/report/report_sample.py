"""A small realistic report built by hand (no pipeline needed)."""

from dupscan.estimate import estimate
from dupscan.model import Field, Finding, Form, Prefill, Skipped, Span, StockText

XSS = ('<script>alert(1)</script> "><img src=x onerror=alert(1)> </script> {{ 7*7 }} '
       "{% raw %} & ' \" ")

_REASON = ("Ms Okafor called on 12/03/2024 to report that Liam (age 7) arrived at school with a "
           "bruise on his cheek and said Dad hit him. Mum was not at home. Tel 0113 496 0000.")
_BACKGROUND = ("Ms Okafor reported on 12 March 2024 that Liam arrived at school with a bruise on "
               "his cheek and said his father hit him. Mum was not at home.")
_ANALYSIS = ("Liam lives with Mum, Dad and his sister Maya at 14 Elm Grove Road, LS6 2AB. "
             "Home conditions are poor and Dad drinks heavily at weekends.")


def _form(i, case, ftype, date, fields, author="Sam Carter"):
    text = "\n".join(f.text for f in fields)
    return Form(f"{case}-{i:02d}", f"{case}/{i:02d}_{ftype}.docx", case, ftype, date,
                tuple(fields), author=author, order=i, words=len(text.split()) + 40)


_CLEAN = ("Liam's attendance has fallen to 82% this term and school have concerns about his "
          "presentation, hunger and tiredness in the mornings.")


def build_forms(cases=2, xss=True):
    forms = []
    summary = XSS if xss else _CLEAN
    for c, case in enumerate(f"C{n:03d}" for n in range(1, cases + 1)):
        c = c % 2
        name = Field("Child's name", "child_name", "Liam Okafor" if c == 0 else "Maya Reid",
                     0, 11, "structured")
        forms.append(_form(1, case, "contact_referral", f"2024-0{1 + c}-05",
                           [name, Field("Reason for referral", "referral_reason",
                                        _REASON, 20, 20 + len(_REASON), "narrative")]))
        forms.append(_form(2, case, "child_and_family_assessment", f"2024-0{2 + c}-10",
                           [name, Field("Background", "background", _BACKGROUND, 0, 10,
                                        "narrative"),
                            Field("Family composition", "family_composition", _ANALYSIS, 0, 10,
                                  "narrative")], author="Jo Evans"))
        forms.append(_form(3, case, "chronology", f"2024-0{4 + c}-20",
                           [Field("Entry", "chronology_entry", _BACKGROUND, 0, 10, "narrative")]))
        forms.append(_form(4, case, "child_protection_conference", f"2024-0{5 + c}-28",
                           [Field("Summary", "summary", summary, 0, 10, "narrative")]))
    return forms


def build_findings(forms, xss=True):
    odd = XSS if xss else _CLEAN
    out = []
    by_case = {}
    for f in forms:
        by_case.setdefault(f.case_id, []).append(f)
    for case, (ref, asmt, chron, conf) in by_case.items():
        def span(form, label, text, start=100):
            return Span(form.form_id, form.doc, label, start, start + len(text), text)

        out.append(Finding(case, "near", 0.86, 30, span(ref, "Reason for referral", _REASON),
                           span(asmt, "Background", _BACKGROUND)))
        out.append(Finding(case, "exact", 1.0, 27, span(asmt, "Background", _BACKGROUND),
                           span(chron, "Entry", _BACKGROUND)))
        out.append(Finding(case, "paraphrase", 0.74, 24,
                           span(asmt, "Family composition", _ANALYSIS),
                           span(conf, "Summary", odd + " Liam lives with his parents.")))
        out.append(Finding(case, "exact", 1.0, 12, span(ref, XSS if xss else "Concerns", odd, 400),
                           span(conf, "Summary", odd, 500)))
    return out


def build_report(cases=2, xss=True, **kwargs):
    forms = build_forms(cases, xss)
    odd = XSS if xss else "Risk of significant harm."
    return estimate(
        forms, build_findings(forms, xss),
        stock_text=[StockText("Please describe the child's lived experience.", 6, 8, 2,
                              "template", ("Please describe the child's lived experience.",)),
                    StockText(odd, 9, 5, 5, "recurring", (odd,))],
        prefill=[Prefill("child_name", "Child's name", "contact_referral",
                         "child_and_family_assessment", 2, 4),
                 Prefill("child_dob", "Date of birth", "contact_referral",
                         "child_protection_conference", 2, 2)],
        skipped=[Skipped("C002/broken.docx", "corrupt zip: bad CRC"),
                 Skipped("C001/" + odd + ".pdf", "encrypted PDF")],
        **kwargs,
    )
