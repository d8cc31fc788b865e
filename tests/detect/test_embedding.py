import subprocess
import sys

import numpy as np
import pytest

from dupscan.detect import semantic
from dupscan.errors import ConfigError, MissingExtraError


def test_model_loads_offline_from_the_package():
    code = (
        "import socket\n"
        "def no_net(*a, **k):\n"
        "    raise OSError('network disabled')\n"
        "socket.socket.connect = no_net\n"
        "socket.create_connection = no_net\n"
        "from dupscan.detect.semantic import encode\n"
        "v = encode(['Mum said Ava was late.', 'Ava\\'s mother said she was late.'])\n"
        "print(v.shape[1], round(float(v[0] @ v[1]), 2))\n"
    )
    env = {"HF_HUB_OFFLINE": "0", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True, timeout=120)
    dims, cos = out.stdout.split()
    assert int(dims) == 256 and float(cos) > 0.6


def test_the_static_model_is_the_one_from_pretrained_builds_without_the_hub_modules():
    # built from the package's files directly: model2vec's loader would also import its
    # model-card and hub modules in every worker, which read nothing here
    from importlib import resources

    from model2vec import StaticModel

    with resources.as_file(resources.files("dupscan.models") / "embed") as local:
        reference = StaticModel.from_pretrained(str(local))
    built = semantic._static_model()
    assert np.array_equal(built.embedding, reference.embedding)
    assert built.config == reference.config and built.normalize == reference.normalize
    texts = ["Mum said Ava was late.", "Łukasz's bedroom was cold", "", "x " * 600]
    assert np.array_equal(np.asarray(built.encode(texts)), np.asarray(reference.encode(texts)))
    code = ("import sys\nfrom dupscan.detect.semantic import encode\nencode(['Ava was late.'])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('huggingface_hub', "
            "'model2vec.persistence'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_encode_is_unit_length_and_deterministic():
    v1 = semantic.encode(["Ava was seen at school.", "The dog barked."])
    v2 = semantic.encode(["Ava was seen at school.", "The dog barked."])
    assert np.allclose(np.linalg.norm(v1, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(v1, v2)
    # a text repeated in the batch is encoded once and gets the same row each time
    v3 = semantic.encode(["The dog barked.", "Ava was seen at school.", "The dog barked."])
    assert np.array_equal(v3, v1[[1, 0, 1]])


def test_neighbours_only_look_at_earlier_groups():
    v = semantic.encode(["Ava was late to school.", "Ava arrived late at school.",
                         "Ava was late to school today."])
    nbrs = semantic.neighbours(v, np.array([0, 1, 1]), k=2, floor=0.0)
    assert nbrs[0] == []
    assert [j for j, _ in nbrs[1]] == [0] and [j for j, _ in nbrs[2]] == [0]


def test_neighbours_of_earlier_groups_do_not_depend_on_later_groups():
    """A case that gains forms gives its earlier rows the same neighbours, to the last bit
    (what extending a stored detection relies on), and ``first_group`` only leaves the
    rows before it out."""
    rng = np.random.default_rng(7)
    v = rng.normal(size=(260, 64)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    groups = np.repeat(np.arange(13), 20)
    whole = semantic.neighbours(v, groups, k=4, floor=-1.0)
    for cut in (40, 120, 240):
        assert semantic.neighbours(v[:cut], groups[:cut], k=4, floor=-1.0) == whole[:cut]
    later = semantic.neighbours(v, groups, k=4, floor=-1.0, first_group=11)
    assert later[:220] == [[]] * 220 and later[220:] == whole[220:]
    assert all(len(n) == 4 and all(j < 20 * (i // 20) for j, _ in n)
               for i, n in enumerate(whole) if i >= 20)


def test_neighbours_want_groups_in_order():
    v = np.eye(3, dtype=np.float32)
    with pytest.raises(ValueError, match="increasing order"):
        semantic.neighbours(v, np.array([0, 2, 1]))


def test_unknown_backend_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown embedding backend"):
        semantic.load_model("word2vec")


def test_missing_sentence_transformers_names_the_extra(monkeypatch):
    semantic.load_model.cache_clear()
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    try:
        with pytest.raises(MissingExtraError, match=r"dupscan\[st\]"):
            semantic.load_model("st")
    finally:
        semantic.load_model.cache_clear()


def test_a_full_word_cache_starts_again_without_changing_findings(monkeypatch):
    from dupscan.detect import compare, semantic
    from tests.detect.test_handwritten import NEGATIVE, POSITIVE

    pairs = [(a, b) for _, a, b, *_ in POSITIVE] + [(a, b) for _, a, b in NEGATIVE]

    def run() -> list:
        return [[(f.kind, f.target.start, f.target.end, f.similarity) for f in compare(a, b)]
                for a, b in pairs]

    semantic._word_cache().clear()
    expected = run()
    monkeypatch.setattr(semantic, "_WORD_CACHE_LIMIT", 12)
    semantic._word_cache().clear()
    semantic.cache_words(["mother", "tablet"])
    assert run() == expected
    # a batch that would pass the limit replaces the cache rather than adding to it
    semantic.cache_words([f"word{i}" for i in range(20)])
    assert set(semantic._word_cache()) == {f"word{i}" for i in range(20)}


def test_word_vectors_survive_the_cache_starting_again_in_another_thread(monkeypatch):
    """A Dask worker runs several cases at once: one thread may empty the full word
    cache between another's filling it and reading it back. The reader still gets the
    words' own vectors instead of a KeyError that would fail its case."""
    words = ("mother", "tablet", "school", "mother's")
    semantic._word_cache().clear()
    expected = semantic.word_matrix(words)
    real = semantic.cache_words

    def filled_then_emptied(batch):
        real(batch)
        semantic._word_cache().clear()  # what the other thread does at the limit

    monkeypatch.setattr(semantic, "cache_words", filled_then_emptied)
    got = semantic.word_matrix(words)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)
