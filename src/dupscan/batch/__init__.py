"""Batch execution of scans: worker pools, a Dask engine and the SQLite index.

* :mod:`dupscan.batch.local` — in-process or process-pool engine with crash and
  timeout recovery;
* :mod:`dupscan.batch.dask_engine` — the same work on a Dask cluster
  (``pip install 'dupscan[dask]'``);
* :mod:`dupscan.batch.index` — SQLite index making scans incremental and resumable;
* :mod:`dupscan.batch.tasks` — the per-case work units the engines run;
* :mod:`dupscan.batch.stock` — stock text recurring across cases, counted on disk;
* :mod:`dupscan.batch.sink` — findings streamed to JSONL / Parquet as cases finish.
"""

from dupscan.batch.local import LocalEngine, TaskFailure
from dupscan.batch.tasks import Stages

__all__ = ["LocalEngine", "Stages", "TaskFailure"]
