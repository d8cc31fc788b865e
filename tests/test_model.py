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
