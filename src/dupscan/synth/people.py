"""Families, professionals and places for synthetic case records.

Every value is drawn from a :class:`random.Random` passed in by the caller, so a
seed fixes the whole household. Names cover the communities a UK local
authority serves (White British, Irish, South Asian, Black British and African,
Caribbean, Eastern European, Arabic, Chinese ...); places are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

__all__ = ["Household", "Professional", "make_household", "make_staff", "AUTHORITIES"]

# (ethnicity as recorded, boy names, girl names, surnames, adult female names, adult male names)
_GROUPS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("White British", ("Oliver", "Harry", "Jack", "Alfie", "Charlie", "Riley", "Mason", "Tyler", "Kyle"),
     ("Amelia", "Lily", "Poppy", "Isla", "Ella", "Chloe", "Jessica", "Keeley", "Summer"),
     ("Smith", "Walker", "Hughes", "Thompson", "Bennett", "Ward", "Cooper", "Harrison", "Pearson", "Fletcher"),
     ("Kerry", "Donna", "Stacey", "Leanne", "Gemma", "Claire", "Jade", "Natalie"),
     ("Lee", "Craig", "Wayne", "Darren", "Dean", "Jamie", "Ryan", "Scott")),
    ("White Irish", ("Cian", "Oisin", "Sean", "Conor", "Darragh", "Liam"),
     ("Aoife", "Niamh", "Siobhan", "Ciara", "Roisin", "Saoirse"),
     ("Murphy", "O'Brien", "Kelly", "Byrne", "Doherty", "McCarthy", "Gallagher"),
     ("Bridget", "Sinead", "Maeve", "Orla", "Eileen"),
     ("Padraig", "Declan", "Fergal", "Kieran", "Brendan")),
    ("Asian or Asian British - Pakistani", ("Ayaan", "Zain", "Hamza", "Ibrahim", "Musa", "Rayyan"),
     ("Aisha", "Maryam", "Zara", "Hafsa", "Inaaya", "Amira"),
     ("Khan", "Hussain", "Akhtar", "Iqbal", "Mahmood", "Rashid", "Butt"),
     ("Nazia", "Shazia", "Saima", "Rubina", "Farah", "Samina"),
     ("Imran", "Asif", "Tariq", "Naveed", "Shahid", "Kamran")),
    ("Asian or Asian British - Indian", ("Arjun", "Rohan", "Dev", "Aarav", "Kiran"),
     ("Priya", "Anaya", "Diya", "Simran", "Meera"),
     ("Patel", "Sharma", "Singh", "Kaur", "Mistry", "Gill"),
     ("Sunita", "Harpreet", "Kavita", "Rupinder", "Neelam"),
     ("Rajesh", "Sanjay", "Gurpreet", "Vikram", "Manish")),
    ("Asian or Asian British - Bangladeshi", ("Rahim", "Tanvir", "Arif", "Sami"),
     ("Nusrat", "Tahmina", "Sumaiya", "Jannat"),
     ("Begum", "Uddin", "Miah", "Rahman", "Ali", "Chowdhury"),
     ("Rokeya", "Shapla", "Morium", "Nasima"),
     ("Abdul", "Jamal", "Shofiqul", "Kamal")),
    ("Black or Black British - African", ("Tobi", "Chidi", "Kwame", "Emeka", "Daniel", "David"),
     ("Adaeze", "Amara", "Ifeoma", "Abena", "Grace", "Blessing"),
     ("Okafor", "Adeyemi", "Mensah", "Osei", "Nwosu", "Adebayo", "Mohamed"),
     ("Chioma", "Folake", "Ama", "Ngozi", "Esther", "Funmi"),
     ("Oluwaseun", "Kofi", "Chinedu", "Samuel", "Yusuf")),
    ("Black or Black British - Caribbean", ("Tyrese", "Jaden", "Malik", "Kairo", "Reuben"),
     ("Kiara", "Shanice", "Tiana", "Jada", "Nia"),
     ("Campbell", "Brown", "Francis", "Clarke", "Morgan", "Reid"),
     ("Marcia", "Sharon", "Yvonne", "Kimberley", "Paulette"),
     ("Delroy", "Winston", "Marcus", "Andre", "Leon")),
    ("White - Other (Polish)", ("Jakub", "Szymon", "Filip", "Kacper", "Antoni"),
     ("Zofia", "Julia", "Maja", "Hanna", "Lena"),
     ("Kowalski", "Nowak", "Wozniak", "Kaminski", "Lewandowski", "Zielinski"),
     ("Agnieszka", "Katarzyna", "Marta", "Ewa", "Magdalena"),
     ("Tomasz", "Piotr", "Marek", "Krzysztof", "Pawel")),
    ("White - Other (Romanian)", ("Andrei", "Luca", "Matei", "Stefan"),
     ("Ioana", "Elena", "Bianca", "Daria"),
     ("Popescu", "Ionescu", "Dumitru", "Stan", "Constantin"),
     ("Mihaela", "Florentina", "Alina", "Roxana"),
     ("Bogdan", "Florin", "Cristian", "Adrian")),
    ("Any other ethnic group - Arab", ("Omar", "Yousef", "Karim", "Adam", "Ali"),
     ("Layla", "Noor", "Yasmin", "Salma", "Huda"),
     ("Al-Sayed", "Haddad", "Mansour", "Nasser", "Saleh", "Darwish"),
     ("Rania", "Samira", "Lina", "Dalia", "Mona"),
     ("Khalid", "Walid", "Hassan", "Mahmoud", "Sami")),
    ("Asian or Asian British - Chinese", ("Jun", "Hao", "Leo", "Ethan", "Kai"),
     ("Mei", "Xin", "Lucy", "Ying", "Jasmine"),
     ("Chen", "Wang", "Li", "Zhang", "Liu", "Wong"),
     ("Li Na", "Hui", "Fang", "Xiu"),
     ("Wei", "Jian", "Ming", "Bo")),
    ("Mixed - White and Black Caribbean", ("Kai", "Jayden", "Louis", "Ezra"),
     ("Maya", "Ruby", "Skye", "Amani"),
     ("Johnson", "Williams", "Taylor", "Davies", "Roberts"),
     ("Hayley", "Tasha", "Rebecca", "Lauren"),
     ("Jermaine", "Carl", "Nathan", "Ashley")),
)

_LANGS = {"Asian or Asian British - Pakistani": "Urdu", "Asian or Asian British - Bangladeshi": "Sylheti",
          "White - Other (Polish)": "Polish", "White - Other (Romanian)": "Romanian",
          "Any other ethnic group - Arab": "Arabic", "Asian or Asian British - Chinese": "Cantonese",
          "Asian or Asian British - Indian": "Punjabi"}

AUTHORITIES = (
    ("Northbridge City Council", "Children's Services"),
    ("Harlow Vale Borough Council", "Children and Families Directorate"),
    ("Eastmere County Council", "Children's Social Care"),
)
_TOWNS = {0: ("Northbridge", "NB"), 1: ("Harlow Vale", "HV"), 2: ("Eastmere", "EM")}
_STREETS = ("Albert Road", "Victoria Street", "Mill Lane", "Church Walk", "Station Road", "Beech Grove",
            "Canal Side", "Park View", "Queens Crescent", "Rosewood Close", "Marlborough Way", "Elm Terrace",
            "Hawthorn Drive", "Kingsley Court", "Foundry Street", "Willow Bank", "Clarence Avenue")
_SCHOOL_STEMS = ("St Mary's C of E", "Oakfield", "Riverside", "Brook Lane", "Hillcrest", "St Joseph's Catholic",
                 "Greenway", "Meadowbank", "Westfield", "Holy Trinity", "Ashworth", "Kingfisher")
_GP_STEMS = ("Parkside", "Market Street", "Beacon", "The Willows", "Riverside", "Canal Street", "Lakeside",
             "Northgate", "Bridge House")
_STAFF_F = ("Sarah Jenkins", "Helen Price", "Rebecca Shaw", "Fatima Begum", "Joanne Reilly", "Claire Owusu",
            "Emma Doyle", "Nadia Rahman", "Louise Carter", "Anna Nowak", "Ruth Adeyemi", "Kirsty Bell")
_STAFF_M = ("Daniel Hughes", "Mark Fenton", "Ahmed Siddiqui", "Paul Grady", "Kwesi Boateng", "Tom Ashby",
            "Gareth Lloyd", "Rav Sandhu", "Luke Patterson", "Sean Connolly")


@dataclass(frozen=True)
class Professional:
    """A practitioner who writes or is named in the record."""

    name: str
    role: str

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class Household:
    """The people and places one case is about."""

    case_id: str
    authority: tuple[str, str]
    child_first: str
    surname: str
    gender: str
    dob: dt.date
    ethnicity: str
    language: str
    address: str
    phone: str
    school: str
    gp: str
    mum_first: str
    mum_last: str
    dad_first: str
    dad_last: str
    sibling: str
    sibling_age: int
    partner: str
    pros: dict[str, Professional] = field(default_factory=dict)
    concerns: tuple[str, ...] = ()

    @property
    def child_full(self) -> str:
        return f"{self.child_first} {self.surname}"

    @property
    def mum(self) -> str:
        return f"Ms {self.mum_last}"

    @property
    def dad(self) -> str:
        return f"Mr {self.dad_last}"

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.dob.year
        return years - ((day.month, day.day) < (self.dob.month, self.dob.day))


def make_staff(rng: random.Random) -> list[Professional]:
    """Social workers and team managers of the authority, in a fixed order."""
    names = list(_STAFF_F + _STAFF_M)
    rng.shuffle(names)
    return [Professional(n, "Social Worker") for n in names[:9]] + [
        Professional(n, "Team Manager") for n in names[9:12]]


def _phone(rng: random.Random) -> str:
    return f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"


def make_household(rng: random.Random, case_id: str, start: dt.date,
                   concerns: tuple[str, ...] = ()) -> Household:
    """Draw one family, its child, home, school, GP and professionals.

    ``concerns`` lists the worries the case can be about; one or two are chosen.
    """
    auth_i = rng.randrange(len(AUTHORITIES))
    town, pc = _TOWNS[auth_i]
    group = rng.choice(_GROUPS)
    eth, boys, girls, surnames, women, men = group
    gender = rng.choice(("Male", "Female"))
    first = rng.choice(boys if gender == "Male" else girls)
    sib_pool = [n for n in (boys + girls) if n != first]
    age_days = rng.randint(365 * 2, 365 * 15)
    dob = start - dt.timedelta(days=age_days)
    surname = rng.choice(surnames)
    mum_last = surname if rng.random() < 0.7 else rng.choice([s for s in surnames if s != surname] or [surname])
    dad_last = surname if rng.random() < 0.8 else rng.choice(_GROUPS[rng.randrange(len(_GROUPS))][3])
    partner_first = rng.choice(_GROUPS[rng.randrange(len(_GROUPS))][5])
    partner_last = rng.choice(_GROUPS[rng.randrange(len(_GROUPS))][3])
    staff_f = list(_STAFF_F)
    staff_m = list(_STAFF_M)
    pros = {
        "hv": Professional(rng.choice(staff_f), "Health Visitor"),
        "teacher": Professional(f"{rng.choice(('Mrs', 'Ms', 'Mr'))} {rng.choice(_STAFF_M + _STAFF_F).split()[-1]}",
                                "Designated Safeguarding Lead"),
        "officer": Professional(f"PC {rng.choice(staff_m).split()[-1]}", "Police"),
        "nurse": Professional(rng.choice(staff_f), "School Nurse"),
        "iro": Professional(rng.choice(staff_f + staff_m), "Conference Chair"),
    }
    house = rng.randint(2, 148)
    flat = f"Flat {rng.randint(1, 24)}, " if rng.random() < 0.35 else ""
    postcode = f"{pc}{rng.randint(1, 19)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    age = (start - dob).days // 365
    school_kind = "Nursery" if age < 4 else ("Primary School" if age < 11 else "Academy")
    return Household(
        case_id=case_id,
        authority=AUTHORITIES[auth_i],
        child_first=first,
        surname=surname,
        gender=gender,
        dob=dob,
        ethnicity=eth,
        language=_LANGS.get(eth, "English") if rng.random() < 0.6 else "English",
        address=f"{flat}{house} {rng.choice(_STREETS)}, {town} {postcode}",
        phone=_phone(rng),
        school=f"{rng.choice(_SCHOOL_STEMS)} {school_kind}",
        gp=f"{rng.choice(_GP_STEMS)} {rng.choice(('Surgery', 'Medical Centre', 'Health Centre'))}",
        mum_first=rng.choice(women),
        mum_last=mum_last,
        dad_first=rng.choice(men),
        dad_last=dad_last,
        sibling=rng.choice(sib_pool),
        sibling_age=rng.randint(1, 16),
        partner=f"{partner_first} {partner_last}",
        pros=pros,
        concerns=tuple(sorted(rng.sample(concerns, min(len(concerns), rng.choice((1, 2, 2)))))),
    )
