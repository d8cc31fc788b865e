"""The sentence banks: paraphrasable, mutable, large and varied."""

from __future__ import annotations

import ast
import random
from pathlib import Path

from dupscan.synth import compose
from dupscan.synth.edits import near_edit
from dupscan.synth.slots import FACT_SLOTS, slot_names


def test_every_fact_has_three_wordings_over_the_same_fact_slots() -> None:
    for area, facts in compose.BANK.items():
        for fid, variants in facts:
            assert len(variants) >= 3, fid
            slot_sets = [{n for n in slot_names(v) if n in FACT_SLOTS} for v in variants]
            assert slot_sets[0], f"{fid} has no fact slot, so no hard negative can be made"
            assert all(s == slot_sets[0] for s in slot_sets), fid
            assert len(set(variants)) == len(variants), fid


def test_fact_ids_are_unique() -> None:
    ids = [fid for facts in compose.BANK.values() for fid, _ in facts]
    assert len(ids) == len(set(ids)) >= 100


def test_banks_render_many_hundreds_of_distinct_sentences() -> None:
    import datetime as dt

    from dupscan.synth.people import make_household
    from dupscan.synth.slots import context_slots

    texts = set()
    for i in range(6):
        rng = random.Random(i)
        house = make_household(rng, f"C{i}", dt.date(2024, 3, 1))
        ctx = context_slots(house, dt.date(2024, 5, 1), "Helen Price")
        composer = compose.Composer(rng)
        for area in compose.BANK:
            texts |= {s.text for s in composer.sentences((area,), 12, ctx)}
    assert len(texts) > 800
    assert not any("lorem" in t.lower() or "{" in t for t in texts)


def test_near_edit_always_changes_text_and_is_deterministic() -> None:
    text = "Ms Khan said she is struggling with low mood and has stopped taking her medication."
    names = [("Ms Khan", "Mum")]
    for seed in range(50):
        a = near_edit(random.Random(seed), text, names)
        assert a != text
        assert a == near_edit(random.Random(seed), text, names)


def test_generator_shares_no_code_with_the_detector() -> None:
    forbidden = ("dupscan.ingest", "dupscan.segment", "dupscan.detect")
    package = Path(compose.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(n.startswith(forbidden) for n in names), (path.name, names)
