"""The Dask engine names the extra to install when distributed is missing."""

from __future__ import annotations

import sys

import pytest

from dupscan.errors import MissingExtraError


def test_missing_distributed_raises_missing_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)
    from dupscan.batch.dask_engine import DaskEngine
    from dupscan.pipeline import scan

    with pytest.raises(MissingExtraError, match=r"dupscan\[dask\]"):
        DaskEngine()
    with pytest.raises(MissingExtraError):
        scan(tmp_path, engine="dask")


def test_unknown_engine_is_a_config_error(tmp_path):
    from dupscan.errors import ConfigError
    from dupscan.pipeline import scan

    with pytest.raises(ConfigError, match="unknown engine"):
        scan(tmp_path, engine="spark")


@pytest.mark.parametrize("engine, scheduler", [("dask", None), ("local", None),
                                               ("local", "tcp://127.0.0.1:1")])
def test_restarting_hung_workers_needs_a_given_dask_cluster(tmp_path, engine, scheduler):
    from dupscan.errors import ConfigError
    from dupscan.pipeline import scan

    with pytest.raises(ConfigError, match="restart_hung_workers is for a Dask cluster"):
        scan(tmp_path, engine=engine, scheduler=scheduler, restart_hung_workers=True)
