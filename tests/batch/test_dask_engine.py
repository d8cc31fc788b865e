"""The Dask engine on a local cluster: results for every unit, failures blamed on their unit."""

from __future__ import annotations

import time

import pytest
import scanfakes

from dupscan.batch.local import TaskFailure

distributed = pytest.importorskip("distributed")


def _cluster():
    """A local cluster of 2 single-threaded worker processes, as a given cluster."""
    return distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                    dashboard_address="127.0.0.1:0")


@pytest.fixture(scope="module")
def scheduler():
    with _cluster() as cluster:
        yield cluster.scheduler_address


def _run(engine, units, **kwargs):
    try:
        return dict(engine.map(scanfakes.work, units, **kwargs))
    finally:
        engine.close()


def _engine(scheduler, **kwargs):
    from dupscan.batch.dask_engine import DaskEngine

    return DaskEngine(scheduler, **kwargs)


def _task_sizes(engine, monkeypatch):
    """The number of units of each task ``engine`` submits, filled in as it goes."""
    sizes = []
    client = engine._connect()
    submit = client.submit

    def counting(fn, *args, **kwargs):
        sizes.append(len(args[2]))  # run_tracked(token, fn, units)
        return submit(fn, *args, **kwargs)

    monkeypatch.setattr(client, "submit", counting)
    return sizes


@pytest.mark.parametrize("chunk, scale, tasks", [(1, 1, 10), (1, 8, 2), (2, 3, 2), (3, 1, 4)])
def test_every_unit_gets_a_result_in_tasks_of_scaled_chunks(scheduler, monkeypatch,
                                                            chunk, scale, tasks):
    engine = _engine(scheduler, chunk_size=chunk, task_scale=scale)
    submitted = _task_sizes(engine, monkeypatch)
    assert _run(engine, list(range(10))) == {i: i * i for i in range(10)}
    assert len(submitted) == tasks and sum(submitted) == 10
    assert max(submitted) == min(10, chunk * scale)


def test_chunk_size_given_to_map_is_scaled_too(scheduler, monkeypatch):
    engine = _engine(scheduler, task_scale=4)
    sizes = _task_sizes(engine, monkeypatch)
    assert _run(engine, list(range(20)), chunk_size=2) == {i: i * i for i in range(20)}
    assert sizes == [8, 8, 4]


def test_exception_fails_only_its_unit(scheduler):
    out = _run(_engine(scheduler), [1, "raise", 3, 4])
    assert out[1] == TaskFailure("failed (ValueError: bad unit)")
    assert (out[0], out[2], out[3]) == (1, 9, 16)


def test_worker_crash_is_blamed_on_its_unit_and_others_finish(scheduler):
    out = _run(_engine(scheduler), [1, 2, "crash", 4, 5, 6])
    assert out[2] == TaskFailure("worker process crashed")
    assert {i: v for i, v in out.items() if i != 2} == {0: 1, 1: 4, 3: 16, 4: 25, 5: 36}


def test_bad_arguments():
    from dupscan.batch.dask_engine import DaskEngine

    with pytest.raises(ValueError, match="task_scale"):
        DaskEngine(task_scale=0)
    with pytest.raises(ValueError, match="chunk_size"):
        DaskEngine(chunk_size=0)


def test_hung_unit_fails_alone_and_the_units_of_its_task_finish():
    from dupscan.batch.dask_engine import DaskEngine

    # its own cluster: closing it stops the worker still running the hung unit
    engine = DaskEngine(workers=2, timeout=2, task_scale=4)
    out = _run(engine, [2, "hang", 3, 4, 5, 6])  # tasks [2, hang, 3, 4] and [5, 6]
    assert out[1] == TaskFailure("timed out after 2 s")
    assert {i: v for i, v in out.items() if i != 1} == {0: 4, 2: 9, 3: 16, 4: 25, 5: 36}


def test_time_counts_from_when_a_task_starts_not_when_it_is_sent(scheduler):
    # six tasks of one second on two workers: the last ones wait about two seconds
    # for a worker, more than their 1.5 s, and must not be failed for it
    units = ["sleep 1"] * 6
    out = _run(_engine(scheduler, timeout=1.5, task_scale=1), units)
    assert out == dict(enumerate(units))


def test_unit_whose_worker_cannot_answer_fails_with_its_task_and_others_finish(monkeypatch):
    from dupscan.batch import dask_engine
    from dupscan.batch.dask_engine import DaskEngine

    monkeypatch.setattr(dask_engine, "_ASK_SECONDS", 2.0)
    engine = DaskEngine(workers=2, timeout=1, task_scale=1)
    out = _run(engine, ["gil", 2, 3])
    assert out == {0: TaskFailure("timed out; its worker does not answer"), 1: 4, 2: 9}


def test_units_left_when_every_worker_of_a_given_cluster_is_held_fail_instead_of_waiting():
    # a cluster given by address: its workers are not this engine's to kill (a cluster
    # of its own here, so that the hung workers hold up no other test)
    with _cluster() as cluster:
        out = _run(_engine(cluster.scheduler_address, timeout=1, task_scale=1),
                   ["hang", "hang", 3])
    assert out[0] == out[1] == TaskFailure("timed out after 1 s")
    assert out[2] == TaskFailure("not run: every worker is still running a unit that timed out")


def test_hung_workers_of_a_given_cluster_are_restarted_when_the_operator_allows_it():
    # the same hung units as above, on a given cluster the scan may restart: its
    # workers are killed through their nannies and the units left run on the new ones
    with _cluster() as cluster:
        client = distributed.Client(cluster)
        try:
            before = set(client.scheduler_info()["workers"])
            out = _run(_engine(cluster.scheduler_address, timeout=1, task_scale=1,
                               restart_hung=True), ["hang", "hang", 3])
            # the unit left may run on the first new worker while the other old one
            # is still being killed
            deadline = time.monotonic() + 60
            while before & set(client.scheduler_info()["workers"]) \
                    and time.monotonic() < deadline:
                time.sleep(0.1)
            after = set(client.scheduler_info()["workers"])
        finally:
            client.close()
    assert out == {0: TaskFailure("timed out after 1 s"), 1: TaskFailure("timed out after 1 s"),
                   2: 9}
    assert before and not before & after  # both workers were replaced


def test_a_task_sent_only_to_workers_that_have_left_is_sent_again(scheduler, monkeypatch):
    # a task sent, after a hung unit, only to the workers then free, whose workers are
    # then killed in turn (their own units hung): Dask keeps it waiting for them for
    # ever. Here the first task is sent to a worker that is not in the cluster at all.
    import threading

    from dupscan.batch import dask_engine

    free_workers = dask_engine._DaskRun._free_workers
    answers = [["tcp://127.0.0.1:9"]]

    def first_a_worker_that_left(run):
        return answers.pop() if answers else free_workers(run)

    monkeypatch.setattr(dask_engine._DaskRun, "_free_workers", first_a_worker_that_left)
    out: dict = {}
    scan = threading.Thread(target=lambda: out.update(
        _run(_engine(scheduler, timeout=1, task_scale=1), [3, 4])), daemon=True)
    scan.start()
    scan.join(60)
    assert not scan.is_alive(), "the task waits for a worker that has left"
    assert out == {0: 9, 1: 16} and not answers


def test_hung_workers_of_its_own_cluster_are_killed_and_replaced():
    from dupscan.batch.dask_engine import DaskEngine

    engine = DaskEngine(workers=2, timeout=1, task_scale=1)
    out = _run(engine, ["hang", "hang", 3, 4])
    assert out == {0: TaskFailure("timed out after 1 s"), 1: TaskFailure("timed out after 1 s"),
                   2: 9, 3: 16}


def test_warm_runs_on_every_worker_of_its_own_cluster_only(scheduler, tmp_path):
    import functools

    from dupscan.batch.dask_engine import DaskEngine

    given = DaskEngine(scheduler)
    (tmp_path / "given").mkdir()
    try:
        given.warm(functools.partial(scanfakes.mark_pid, tmp_path / "given"))
        assert dict(given.map(scanfakes.work, [3])) == {0: 9}
    finally:
        given.close()
    assert not any((tmp_path / "given").iterdir())  # another's cluster is left alone

    own = DaskEngine(workers=2)
    (tmp_path / "own").mkdir()
    try:
        assert dict(own.map(scanfakes.work, [3])) == {0: 9}  # the cluster starts
        own.warm(functools.partial(scanfakes.mark_pid, tmp_path / "own"))
        deadline = time.monotonic() + 60
        while len(list((tmp_path / "own").iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(list((tmp_path / "own").iterdir())) == 2  # one per worker process
    finally:
        own.close()


def test_workers_of_a_given_cluster_are_checked_for_the_files_and_the_code(scheduler, tmp_path,
                                                                           monkeypatch):
    from dupscan.batch import dask_engine
    from dupscan.errors import ConfigError

    engine = _engine(scheduler)
    try:
        engine.check_workers(tmp_path)  # same machine, same code: nothing to say
        with pytest.raises(ConfigError, match="cannot see .*missing.*shared storage"):
            engine.check_workers(tmp_path / "missing")
        monkeypatch.setattr(dask_engine, "code_digest", lambda: "0.0:other")
        with pytest.raises(ConfigError, match=r"runs dupscan .*, this machine 0\.0"):
            engine.check_workers(tmp_path)
        import dupscan

        monkeypatch.setattr(dask_engine, "code_digest", lambda: f"{dupscan.__version__}:other")
        with pytest.raises(ConfigError, match="with other code or models than this machine"):
            engine.check_workers(tmp_path)
    finally:
        engine.close()


def test_workers_of_its_own_cluster_are_not_asked(monkeypatch, tmp_path):
    from dupscan.batch import dask_engine
    from dupscan.batch.dask_engine import DaskEngine

    engine = DaskEngine(workers=1)
    monkeypatch.setattr(dask_engine, "_worker_view", None)  # would fail if called
    engine.check_workers(tmp_path / "missing")
    assert engine._client is None  # no cluster started for it


def test_the_workers_of_its_own_cluster_are_claimed_and_a_given_clusters_are_not(scheduler):
    from dupscan.batch.dask_engine import DaskEngine

    own = DaskEngine(workers=2, task_scale=1)
    try:
        assert set(dict(own.map(scanfakes.owned, [1, 2, 3, 4])).values()) == {True}
    finally:
        own.close()
    given = DaskEngine(scheduler, task_scale=1)
    try:
        assert set(dict(given.map(scanfakes.owned, [1, 2])).values()) == {False}
    finally:
        given.close()
