"""A Dask worker plugin marking the workers of a cluster dupscan started as its own.

Imported only once ``distributed`` is known to be installed. The plugin runs on
every worker the cluster starts, a worker restarted after a hung unit included;
see :mod:`dupscan._own_process` for what that changes.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from dupscan._own_process import claim

__all__ = ["ClaimWorkers"]


class ClaimWorkers(WorkerPlugin):
    """Calls :func:`dupscan._own_process.claim` in each worker as it starts."""

    name = "dupscan-own-process"

    def setup(self, worker: Any) -> None:
        claim()
