"""The package ships ``py.typed``, so its annotations are a promise to the code that
imports it: mypy checks them with the settings in ``pyproject.toml``."""

from __future__ import annotations

from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_type_checks(tmp_path: Path) -> None:
    out, err, status = mypy_api.run(["--config-file", str(ROOT / "pyproject.toml"),
                                     "--cache-dir", str(tmp_path),
                                     str(ROOT / "src" / "dupscan")])
    assert status == 0, out + err
