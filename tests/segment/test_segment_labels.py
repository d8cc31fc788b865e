import csv
from pathlib import Path

import numpy as np
import pytest

from dupscan.errors import ConfigError
from dupscan.segment import canonicalise, load_classifier, load_ontology
from dupscan.segment.classifier import REJECT, analyze
from dupscan.segment.ontology import normalise_label

ROOT = Path(__file__).resolve().parents[2]


def test_ontology_loads_with_enough_types():
    onto = load_ontology()
    assert len(onto.fields) >= 40
    for needed in ("child_name", "dob", "address", "school", "gp", "ethnicity", "language", "case_id",
                   "referral_date", "referrer", "reason_for_referral", "family_composition",
                   "family_history", "child_lived_experience", "parents_views", "child_views",
                   "health", "education", "risks", "strengths", "worries", "analysis", "decision",
                   "outcome", "actions", "next_steps", "plan_objectives", "contingency_plan",
                   "visit_observations", "attendees"):
        assert needed in onto.fields
        assert onto.fields[needed].description
    assert onto.fields["dob"].kind == "structured"
    assert onto.fields["analysis"].kind == "narrative"
    assert len(onto.form_types) >= 12


@pytest.mark.parametrize("label, canonical", [
    ("DOB", "dob"), ("D.O.B.", "dob"), ("Child\u2019s Name:", "child_name"), ("3.1 Analysis", "analysis"),
    ("WHAT'S WORKING WELL", "strengths"), ("Parents / carers", "parents_carers"),
])
def test_exact_lookup(label, canonical):
    assert load_ontology().lookup(label) == canonical


def test_normalise_label():
    assert normalise_label("2.1  Child\u2019s Views:") == "child views"
    assert normalise_label("Reason & Outcome") == "reason and outcome"


def test_bad_ontology_is_a_config_error(tmp_path):
    bad = tmp_path / "o.toml"
    bad.write_text('[fields.a]\nkind = "narrative"\nvariants = ["X"]\n'
                   '[fields.b]\nkind = "structured"\nvariants = ["x"]\n')
    with pytest.raises(ConfigError, match="both"):
        load_ontology(bad)
    bad.write_text('[fields.a]\nkind = "long"\nvariants = ["X"]\n')
    with pytest.raises(ConfigError, match="kind"):
        load_ontology(bad)


@pytest.mark.parametrize("label, canonical", [
    ("Young persons date of birth", "dob"), ("Name of the YP", "child_name"),
    ("Views of the young person and their wishes", "child_views"),
    ("Contingency if plan not working", "contingency_plan"),
])
def test_classifier_predicts_unseen_variants(label, canonical):
    assert load_ontology().lookup(label) is None
    assert canonicalise(label)[0] == canonical


@pytest.mark.parametrize("nonsense", ["Lorem zzz", "Qwxv plorp", "zzzz zzzz"])
def test_classifier_abstains_on_nonsense(nonsense):
    canonical, confidence = canonicalise(nonsense)
    assert canonical is None


def test_classifier_is_plain_data_and_consistent():
    clf = load_classifier()
    assert REJECT in clf.classes
    assert set(clf.classes) - {REJECT} <= set(load_ontology().fields)
    probs = clf.probabilities("Reason for referral")
    assert probs.shape == (len(clf.classes),)
    assert np.isclose(probs.sum(), 1.0)
    assert 0.0 < clf.threshold < 1.0
    path = ROOT / "src" / "dupscan" / "models" / "labels" / "labels.npz"
    with np.load(path, allow_pickle=False) as data:  # loads without pickle
        assert {"vocabulary", "idf", "coef", "intercept", "classes"} <= set(data.files)


def test_analyzer_char_and_word_features():
    feats = analyze("Child's DOB")
    assert "w:child" in feats and "w:dob" in feats and " do" in feats and "dob " in feats


def test_held_out_wordings_are_unseen():
    onto = load_ontology()
    with (ROOT / "benchmarks" / "data" / "label_wordings.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 60
    for row in rows:
        assert row["canonical"] in onto.fields
        assert onto.lookup(row["label"]) is None, row
