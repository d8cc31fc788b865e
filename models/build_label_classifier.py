"""Build the label classifier shipped in src/dupscan/models/labels/.

Training data: every label variant of src/dupscan/segment/ontology.toml plus
generated augmentations (abbreviations, synonyms, reorderings, "Child's" ->
"Young person's", prefixes and suffixes, typing slips, case and colons), and a
reject class ``_none`` of wordings that are not field labels. The held-out
wordings of benchmarks/data/label_wordings.csv are removed from the training
data so the benchmark measures unseen wordings only.

Model: scikit-learn TfidfVectorizer with dupscan.segment.classifier.analyze
(char_wb 2-5 grams + word unigrams, sublinear tf, l2) -> LogisticRegression.
It is written as plain arrays (npz + JSON), and this script checks that the
numpy re-implementation gives the same probabilities as scikit-learn.

The abstention threshold is calibrated on augmentations of held-out variants
(grouped by variant so none of their siblings is trained on in that run; three
folds pooled) and on reject wordings from a vocabulary never trained on: the
lowest threshold that keeps at least 97% of reject wordings unmapped, then
capped so that at most 5% of correctly classified labels abstain.

Run:  .venv/bin/python models/build_label_classifier.py
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dupscan.segment.classifier import REJECT, LabelClassifier, analyze  # noqa: E402
from dupscan.segment.ontology import load_ontology, normalise_label  # noqa: E402

SEED = 20240
PER_VARIANT = 24  # augmentations generated per ontology variant
N_REJECT = 1500  # generated non-label wordings (class _none)
OUT = ROOT / "src" / "dupscan" / "models" / "labels"
HELD_OUT = ROOT / "benchmarks" / "data" / "label_wordings.csv"

# word or phrase -> alternatives (applied on lower-cased text, whole words)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "child": ("young person", "yp", "the child", "children", "baby", "infant", "pupil"),
    "child's": ("young person's", "yp's", "the child's", "children's", "baby's"),
    "parents": ("carers", "parents/carers", "parent", "mum and dad", "parental"),
    "parents'": ("carers'", "parent's", "mother's and father's"),
    "views": ("wishes and feelings", "voice", "opinions", "perspective", "view", "comments"),
    "worries": ("concerns", "worry", "worried about"),
    "concerns": ("worries", "concern", "issues"),
    "actions": ("tasks", "action points", "to do"),
    "reason": ("reasons", "grounds", "why"),
    "details": ("information", "particulars", "detail"),
    "information": ("details", "info"),
    "history": ("background", "past history"),
    "strengths": ("positives", "strength", "good things"),
    "risks": ("dangers", "risk", "hazards"),
    "summary": ("overview", "synopsis"),
    "outcome": ("result", "outcomes", "conclusion"),
    "date": ("dated", "date of"),
    "plan": ("planning", "arrangements"),
    "observations": ("observed", "observation", "what was seen"),
    "meeting": ("mtg", "meet"),
    "name": ("full name", "names"),
    "number": ("no", "no.", "#", "num"),
    "address": ("addr", "home address"),
    "school": ("setting", "school name"),
    "health": ("medical", "wellbeing"),
    "education": ("learning", "schooling", "educ"),
    "family": ("household", "families"),
    "analysis": ("analysis of information", "assessment", "evaluation"),
    "decision": ("decisions", "decided"),
    "next": ("following", "future"),
    "support": ("help", "services"),
    "progress": ("update", "developments"),
    "assessment": ("assmt", "assessing"),
    "social worker": ("sw", "practitioner", "worker"),
    "child protection": ("cp", "safeguarding"),
    "section 47": ("s47", "s.47"),
    "development": ("dev", "developmental"),
    "management": ("mgmt", "manager"),
    "professional": ("prof", "professionals'"),
    "and": ("&", "/", "+"),
}
PREFIXES = ("", "", "", "Child's ", "Details of ", "Summary of ", "Please record ", "Record of ",
            "Please describe ", "Current ", "Brief ", "Section: ", "Q. ")
SUFFIXES = ("", "", "", " details", " (if any)", " summary", " information", " - please specify",
            " to date", " (please describe)", ":", " *")
REJECT_WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
                "zzz qqq xyzzy foo bar baz blah asdf qwerty page of signature signed "
                "continued overleaf confidential official sensitive draft version printed "
                "thank you yes no n/a tick box office use only total appendix annex "
                "the a an it this that they went shop bus weather tuesday purple elephant "
                "keyboard window coffee banana football holiday kettle garden ladder").split()
# short fragments of record text: a line of prose is not a label
REJECT_PHRASES = ("Mum to attend", "School to monitor attendance", "Ava was happy", "No concerns noted",
                  "He was calm", "She said she was fine", "The home was tidy", "Dad was not present",
                  "Police attended", "Nothing further", "See above", "As previously stated",
                  "Mum agreed", "Visit went well", "Baby was asleep", "Kitchen was clean",
                  "Attended with mum", "Spoke to the teacher", "Child was smiling", "Door was locked",
                  "Left a card", "Call back tomorrow", "Text message sent", "Email to school",
                  "Will chase the GP", "Bedroom had no curtains", "Food in the fridge",
                  "Dog in the garden", "Arrived late", "Played with toys",
                  # column headings of action and event tables: labels, but of no field type
                  "Who", "By when", "When", "Owner", "Responsible", "Timescale", "By whom",
                  "Source", "Yes/No", "Signature", "Signed", "Tick", "Page", "Ref no", "Version")
# a disjoint vocabulary for calibration, so the threshold is set on rejects never trained on
CALIBRATION_WORDS = ("ipsum quux wibble norf plugh gadget tractor violin sandwich orange "
                     "monday march cloud river mountain pencil sofa bicycle castle lemon "
                     "hereby whereas notwithstanding aforementioned page header footer "
                     "click here scroll down printed copy lorem sit amet zzz").split()


def _swap(text: str, rng: random.Random) -> str:
    for src in sorted(SYNONYMS, key=len, reverse=True):
        pattern = rf"(?<![\w']){re.escape(src)}(?![\w'])"
        if re.search(pattern, text) and rng.random() < 0.7:
            return re.sub(pattern, rng.choice(SYNONYMS[src]), text, count=1)
    return text


def _reorder(text: str, rng: random.Random) -> str:
    match = re.fullmatch(r"(.+?) (of|for|from|by|to) (the )?(.+)", text)
    if match:
        return f"{match.group(4)} {match.group(1)}"
    match = re.fullmatch(r"(.+?) (and|&) (.+)", text)
    if match:
        return f"{match.group(3)} and {match.group(1)}"
    words = text.split()
    if len(words) == 2 and rng.random() < 0.5:
        return f"{words[1]} {words[0]}"
    return text


def _slip(text: str, rng: random.Random) -> str:
    if len(text) < 6:
        return text
    i = rng.randrange(1, len(text) - 2)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def _style(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        text = text.upper()
    elif roll < 0.5:
        text = text.lower()
    elif roll < 0.8:
        text = text[:1].upper() + text[1:]
    else:
        text = text.title()
    return text + rng.choice(("", "", ":", " :", "?"))


def augment(variant: str, rng: random.Random, n: int) -> list[str]:
    """Return ``n`` generated wordings of ``variant``."""
    out = []
    base = variant.lower()
    for _ in range(n):
        text = base
        if rng.random() < 0.6:
            text = _swap(text, rng)
        if rng.random() < 0.3:
            text = _swap(text, rng)
        if rng.random() < 0.3:
            text = _reorder(text, rng)
        if rng.random() < 0.25:
            text = rng.choice(PREFIXES).lower() + text + rng.choice(SUFFIXES)
        if rng.random() < 0.15:
            text = _slip(text, rng)
        out.append(_style(text, rng))
    return out


def reject_wordings(rng: random.Random, n: int, vocabulary=REJECT_WORDS) -> list[str]:
    out = []
    for _ in range(n):
        k = rng.randint(1, 4)
        words = [rng.choice(vocabulary) for _ in range(k)]
        if rng.random() < 0.3:
            words.append("".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(3, 7))))
        out.append(" ".join(words).capitalize())
    return out


def training_data(variants: dict[str, list[str]], rng: random.Random, per_variant: int,
                  n_reject: int) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for fid, wordings in sorted(variants.items()):
        for wording in wordings:
            texts.append(wording)
            labels.append(fid)
            for aug in augment(wording, rng, per_variant):
                texts.append(aug)
                labels.append(fid)
    for wording in reject_wordings(rng, n_reject) + [p for p in REJECT_PHRASES for _ in range(3)]:
        texts.append(wording)
        labels.append(REJECT)
    return texts, labels


def fit(texts: list[str], labels: list[str]) -> tuple[TfidfVectorizer, LogisticRegression]:
    vec = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, norm="l2", smooth_idf=True, min_df=1)
    matrix = vec.fit_transform(texts)
    model = LogisticRegression(C=20.0, max_iter=3000, random_state=SEED)
    model.fit(matrix, labels)
    return vec, model


def to_numpy(vec: TfidfVectorizer, model: LogisticRegression, threshold: float) -> LabelClassifier:
    vocab = [None] * len(vec.vocabulary_)
    for term, idx in vec.vocabulary_.items():
        vocab[idx] = term
    return LabelClassifier(vocab, vec.idf_, model.coef_, model.intercept_, list(model.classes_),
                           threshold=threshold)


def _fold(variants: dict[str, list[str]], held_out: set[str], fold: int):
    """Fit without ~20% of the variants; return predictions on them and on unseen rejects."""
    rng = random.Random(SEED + 1 + fold)
    train_v: dict[str, list[str]] = {}
    test: list[tuple[str, str]] = []
    for fid, wordings in sorted(variants.items()):
        for wording in wordings:
            if len(wordings) > 1 and rng.random() < 0.2:
                test.extend((a, fid) for a in augment(wording, rng, 3) + [wording])
            else:
                train_v.setdefault(fid, []).append(wording)
    texts, labels = training_data(train_v, rng, PER_VARIANT, N_REJECT)
    vec, model = fit(texts, labels)
    clf = to_numpy(vec, model, 0.0)
    rejects = [w for w in reject_wordings(random.Random(SEED + 100 + fold), 300, CALIBRATION_WORDS)
               if normalise_label(w) not in held_out]
    return [(clf.predict(t), fid) for t, fid in test], [clf.predict(w) for w in rejects]


def calibrate(variants: dict[str, list[str]], held_out: set[str], folds: int = 3) -> tuple[float, dict]:
    preds, rejects = [], []
    for fold in range(folds):
        p, r = _fold(variants, held_out, fold)
        preds += p
        rejects += r
    reject_conf = sorted(r.confidence for r in rejects if r.best != REJECT)
    true_conf = sorted(p.confidence for p, fid in preds if p.best == fid)
    # lowest threshold rejecting >= 97% of reject wordings ...
    allowed = int(0.03 * len(rejects))
    over = reject_conf[len(reject_conf) - allowed - 1] if len(reject_conf) > allowed else 0.0
    threshold = float(over) + 1e-6
    # ... but never abstaining on more than 5% of correctly classified labels
    cap = true_conf[int(0.05 * len(true_conf))] if true_conf else threshold
    threshold = round(min(threshold, cap), 4)
    correct = sum(p.best == fid and p.confidence >= threshold for p, fid in preds)
    abstain = sum(p.confidence < threshold or p.best == REJECT for p, _ in preds)
    leak = sum(r.best != REJECT and r.confidence >= threshold for r in rejects)
    stats = {"calibration_folds": folds, "calibration_labels": len(preds),
             "calibration_accuracy": round(correct / len(preds), 4),
             "calibration_abstention": round(abstain / len(preds), 4),
             "calibration_reject_wordings": len(rejects),
             "calibration_reject_accepted": round(leak / len(rejects), 4)}
    return threshold, stats


def main() -> int:
    onto = load_ontology()
    held_out = set()
    with HELD_OUT.open(encoding="utf-8", newline="") as handle:
        held_out = {normalise_label(row["label"]) for row in csv.DictReader(handle)}
    variants = {fid: list(ft.variants) + [fid.replace("_", " ")] for fid, ft in onto.fields.items()}
    threshold, stats = calibrate(variants, held_out)
    rng = random.Random(SEED)
    texts, labels = training_data(variants, rng, PER_VARIANT, N_REJECT)
    keep = [i for i, t in enumerate(texts) if normalise_label(t) not in held_out]
    dropped = len(texts) - len(keep)
    texts = [texts[i] for i in keep]
    labels = [labels[i] for i in keep]
    vec, model = fit(texts, labels)
    clf = to_numpy(vec, model, threshold)
    # the numpy predictor must agree with scikit-learn
    sample = texts[:: max(1, len(texts) // 300)]
    ref = model.predict_proba(vec.transform(sample))
    ours = np.array([clf.probabilities(t) for t in sample])
    assert np.allclose(ref, ours, atol=1e-6), float(np.abs(ref - ours).max())
    info = {"seed": SEED, "classes": len(clf.classes), "features": len(clf.vocabulary),
            "training_wordings": len(texts), "held_out_dropped": dropped,
            "model": "TfidfVectorizer(analyze: char_wb 2-5 + words, sublinear_tf, l2) -> "
                     "LogisticRegression(C=20)", **stats}
    clf.save(OUT, info)
    for key, value in sorted(info.items()):
        print(f"{key}: {value}")
    print(f"threshold: {threshold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
