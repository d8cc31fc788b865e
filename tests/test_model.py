import dataclasses

import pytest

import dupscan
from dupscan.config import Limits, ScanOptions
from dupscan.errors import ConfigError, IngestError, MissingExtraError
from dupscan.model import Field, Seconds


def test_dataclasses_are_frozen():
    field = Field("Reason", "referral_reason", "text", 0, 4, "narrative")
    with pytest.raises(dataclasses.FrozenInstanceError):
        field.text = "other"  # type: ignore[misc]


def test_seconds_add_and_scale():
    total = Seconds(1, 2, 3) + Seconds(1, 1, 1)
    assert total == Seconds(2, 3, 4)
    assert total.scaled(2) == Seconds(4, 6, 8)


def test_errors_are_builtins_and_pickle():
    import pickle

    err = IngestError("a/b.docx", "corrupt zip")
    assert isinstance(err, OSError)
    assert str(err) == "a/b.docx: corrupt zip"
    again = pickle.loads(pickle.dumps(err))
    assert (again.path, again.reason) == ("a/b.docx", "corrupt zip")
    assert "dupscan[dask]" in str(MissingExtraError("dask", "dask"))


def test_options_validate():
    with pytest.raises(ConfigError, match="unknown kind"):
        ScanOptions(kinds=("exact", "fuzzy"))
    with pytest.raises(ConfigError):
        Limits(max_file_bytes=0)
    assert ScanOptions().replace(workers=2).workers == 2


def test_public_api_lists_sorted_names():
    assert dupscan.__all__ == sorted(dupscan.__all__)
    assert dupscan.Field is Field
    with pytest.raises(AttributeError):
        dupscan.no_such_name  # noqa: B018


def test_public_functions_are_not_hidden_by_their_modules():
    import importlib

    for name in ("audit", "detect", "estimate", "evaluate", "ingest", "segment"):
        importlib.import_module(f"dupscan.{name}")
        assert callable(getattr(dupscan, name)), name
        assert not isinstance(getattr(dupscan, name), type(dupscan)), name
    from dupscan.estimate import estimate

    assert dupscan.estimate is estimate


def test_model_objects_pickle_by_value_with_every_field():
    """Spooled reports pickle forms and findings: every field survives, including
    ``Field.sentences``, which takes no part in equality."""
    import copy
    import pickle

    from dupscan.model import Field, Finding, Form, Seconds, Span

    field = Field("Reason", "referral_reason", "Mum called. Ava was late.", 3, 28, "narrative",
                  sentences=((0, 11), (12, 25)))
    form = Form("f1", "C1/a.txt", "C1", "referral", "2025-01-02", (field,), author="Jo",
                order=4, words=5)
    finding = Finding("C1", "near", 0.9, 5, Span("f1", "C1/a.txt", "Reason", 0, 11, "Mum called."),
                      Span("f2", "C1/b.txt", "Summary", 4, 15, "Mum called!"),
                      Seconds(1.0, 2.0, 3.0))
    for item in (field, form, finding):
        back = pickle.loads(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == item and type(back) is type(item)
        assert copy.deepcopy(item) == item
    back = pickle.loads(pickle.dumps(form))
    assert back.fields[0].sentences == ((0, 11), (12, 25))
    assert (back.author, back.order, back.words) == ("Jo", 4, 5)
