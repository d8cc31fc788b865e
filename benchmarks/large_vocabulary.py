"""The paraphrase stage's word cover on a batch of many distinct words: time and peak memory.

The classifier's word-cover features need to know which words of a case's
candidate pairs cover which (embedding cosine of at least ``WORD_NEAR``, or the
same word; or the same 5-letter stem). The synthetic cases use about 1,600
distinct words, but a case of thousands of forms written by many hands (names,
places, misspellings) may use tens of thousands. This benchmark builds one batch
of candidate pairs over a vocabulary of N distinct words and features it with
:func:`dupscan.detect.pair_batch.pair_matrix`, each size in a fresh child process,
in turns:

* **as shipped**: a vocabulary of over ``_DENSE_WORDS`` words keeps only the word
  pairs that cover each other, as sorted codes;
* **matrices**: the same code with ``_DENSE_WORDS`` raised past the batch: both
  relations as boolean matrices, a byte for every two words (how it ran before),
  the baseline of the same run.

Words are the whole words of the embedding model's own vocabulary, then pairs of
them run together (``bluehouse``), which the model cuts into known pieces as it
cuts a misspelt word or an unusual name. Each unit holds 16 words, each target 4
candidate sources. It prints CPU seconds and peak RSS of each child (the peak
before featuring, with the model loaded and the words' vectors cached, is given
apart), and whether the two modes gave the same features (a hash of them).

Usage::

    python benchmarks/large_vocabulary.py --words 8000,16000,32000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from _child import as_child, peak_mb, run_child

UNIT_WORDS = 16
SOURCES_PER_TARGET = 4


def _vocabulary(size: int) -> list[str]:
    """``size`` distinct words: the model's whole words, then two of them run together."""
    from dupscan.detect.semantic import load_model

    tokens = load_model("static").tokenizer.get_vocab()
    words = sorted(t for t in tokens if t.isascii() and t.isalpha() and len(t) >= 3)
    rng = random.Random(5)
    out = dict.fromkeys(words[:size])
    while len(out) < size:
        out[rng.choice(words) + rng.choice(words)] = None
    return list(out)


def _child(size: str, mode: str) -> None:
    """Feature one batch over ``size`` distinct words; print a JSON line."""
    import numpy as np

    from dupscan.detect import pair_batch
    from dupscan.detect.fuzzy import lexical
    from dupscan.detect.passages import Unit
    from dupscan.detect.semantic import cache_words

    if mode == "matrices":
        pair_batch._DENSE_WORDS = 10**12
    vocab = _vocabulary(int(size))
    rng = random.Random(11)
    rng.shuffle(vocab)
    units = []
    # every word used once at least: the vocabulary is the batch's
    for i, at in enumerate(range(0, len(vocab), UNIT_WORDS)):
        toks = vocab[at:at + UNIT_WORDS]
        text = " ".join(toks) + "."
        units.append(Unit(i, i // 10, 0, 0, 0, len(text), text, toks, " ".join(toks),
                          f"k{i}", len(toks)))
    rows = []
    for t in units:
        earlier = [s for s in units if s.form < t.form]
        for s in rng.sample(earlier, min(SOURCES_PER_TARGET, len(earlier))):
            rows.append((s, t, lexical(s.norm, t.norm, s.toks, t.toks), 0.8, 1.0, 0.1))
    idf = {w[:5]: 1.0 + zlib.crc32(w.encode()) % 7 / 3 for w in vocab}
    cache_words(vocab)  # the words' vectors, as detection caches them before this stage
    pair_batch.pair_matrix(rows[:50], idf)  # warmed on a few pairs
    before = peak_mb()
    start = time.process_time()
    out = pair_batch.pair_matrix(rows, idf)
    cpu = time.process_time() - start
    print(json.dumps({"words": len(vocab), "pairs": len(rows), "cpu_s": round(cpu, 2),
                      "peak_mb": peak_mb(),
                      "peak_before_mb": before,
                      "features_sha": hashlib.sha256(np.ascontiguousarray(out).tobytes())
                      .hexdigest()[:16]}))


def main() -> None:
    if as_child(_child):
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", default="8000,16000,32000",
                        help="comma-separated vocabulary sizes")
    args = parser.parse_args()
    print("| distinct words | pairs | as shipped: CPU s, peak MB | matrices: CPU s, peak MB "
          "| featuring adds, as shipped / matrices (MB) | same features |")
    print("| --- | --- | --- | --- | --- | --- |")
    for size in (int(x) for x in args.words.split(",")):
        shipped, matrices = run_child(HERE, size, "shipped"), run_child(HERE, size, "matrices")
        added = [max(0, run["peak_mb"] - run["peak_before_mb"]) for run in (shipped, matrices)]
        print(f"| {shipped['words']:,} | {shipped['pairs']:,} "
              f"| {shipped['cpu_s']}, {shipped['peak_mb']:,} "
              f"| {matrices['cpu_s']}, {matrices['peak_mb']:,} "
              f"| {added[0]:,} / {added[1]:,} "
              f"| {shipped['features_sha'] == matrices['features_sha']} |", flush=True)


if __name__ == "__main__":
    main()
