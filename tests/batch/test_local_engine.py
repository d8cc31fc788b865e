"""The local engine: results for every unit, crashes and hangs blamed on their unit."""

from __future__ import annotations

import pytest
import scanfakes

from dupscan.batch.local import LocalEngine, TaskFailure


def _run(engine, units):
    try:
        return dict(engine.map(scanfakes.work, units))
    finally:
        engine.close()


@pytest.mark.parametrize("workers, chunk", [(1, 1), (2, 1), (2, 3)])
def test_every_unit_gets_a_result(workers, chunk):
    out = _run(LocalEngine(workers, chunk_size=chunk), list(range(10)))
    assert out == {i: i * i for i in range(10)}


def test_exception_fails_only_its_unit():
    out = _run(LocalEngine(2, chunk_size=2), [1, "raise", 3, 4])
    assert out[1] == TaskFailure("failed (ValueError: bad unit)")
    assert (out[0], out[2], out[3]) == (1, 9, 16)
    assert _run(LocalEngine(1), ["raise", 2]) == {0: TaskFailure("failed (ValueError: bad unit)"),
                                                  1: 4}


def test_worker_crash_is_blamed_on_its_unit_and_others_finish():
    out = _run(LocalEngine(2, chunk_size=2), [1, 2, "crash", 4, 5, 6])
    assert out[2] == TaskFailure("worker process crashed")
    assert {i: v for i, v in out.items() if i != 2} == {0: 1, 1: 4, 3: 16, 4: 25, 5: 36}


def test_hung_unit_times_out_and_pool_restarts():
    out = _run(LocalEngine(2, timeout=3), [2, "hang", 3, 4])
    assert out[1] == TaskFailure("timed out after 3 s")
    assert (out[0], out[2], out[3]) == (4, 9, 16)


def test_bad_arguments():
    with pytest.raises(ValueError, match="workers"):
        LocalEngine(-1)
    with pytest.raises(ValueError, match="chunk_size"):
        LocalEngine(2, chunk_size=0)


def test_pool_stays_warm_between_maps_and_closes():
    engine = LocalEngine(2)
    try:
        assert dict(engine.map(scanfakes.work, [1, 2])) == {0: 1, 1: 4}
        pool = engine._pool
        assert dict(engine.map(scanfakes.work, [3])) == {0: 9}
        assert engine._pool is pool
    finally:
        engine.close()
    assert engine._pool is None


def test_warm_runs_on_a_running_pool_only(tmp_path):
    import functools
    import time

    engine = LocalEngine(2)
    try:
        engine.warm(functools.partial(scanfakes.mark_pid, tmp_path))
        assert engine._pool is None  # no pool started just to warm it
        assert dict(engine.map(scanfakes.work, [1, 2])) == {0: 1, 1: 4}
        engine.warm(functools.partial(scanfakes.mark_pid, tmp_path))
        deadline = time.monotonic() + 30
        while not list(tmp_path.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = {p.pid for p in engine._pool._processes.values()}
        marked = {int(p.name) for p in tmp_path.iterdir()}
        assert marked and marked <= workers
    finally:
        engine.close()


def test_start_runs_a_warm_up_on_a_new_pool_and_an_unused_pool_is_killed_at_close(tmp_path):
    import functools
    import time

    engine = LocalEngine(2)
    engine.start(functools.partial(scanfakes.mark_pid, tmp_path))
    try:
        assert engine._pool is not None
        deadline = time.monotonic() + 30
        while len(list(tmp_path.iterdir())) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        processes = list(engine._pool._processes.values())
        assert {int(p.name) for p in tmp_path.iterdir()} <= {p.pid for p in processes}
    finally:
        engine.close(grace=30)  # not waited for: the pool never got work
    assert engine._pool is None and not any(p.is_alive() for p in processes)
    one = LocalEngine(1)
    one.start(functools.partial(scanfakes.mark_pid, tmp_path))
    assert one._pool is None  # nothing to start in this process


def test_warm_read_loads_the_sentence_splitter(tmp_path):
    from dupscan.batch.tasks import ReadContext, warm_read
    from dupscan.detect.sentences import _nlp

    _nlp.cache_clear()
    warm_read(ReadContext(str(tmp_path)))
    assert _nlp.cache_info().currsize == 1


@pytest.mark.parametrize("kinds", [("exact", "near", "paraphrase"), ("exact", "near")])
def test_warm_unit_loads_the_packaged_detector_and_leaves_fakes_alone(tmp_path, monkeypatch,
                                                                      kinds):
    import gc

    from dupscan.batch.tasks import DetectContext, Stages, warm_unit
    from dupscan.config import ScanOptions
    from dupscan.detect import semantic

    log = tmp_path / "calls.log"
    monkeypatch.setenv("SCANFAKES_LOG", str(log))
    frozen = gc.get_freeze_count()
    warm_unit(DetectContext(Stages(detect="scanfakes:detect")))
    assert not log.exists()
    assert gc.get_freeze_count() == frozen
    # as in a fresh worker: no model, no cached word vectors
    semantic.load_model.cache_clear()
    semantic._matrix.cache_clear()
    semantic._word_cache().clear()
    try:
        warm_unit(DetectContext(options=ScanOptions(kinds=kinds)))
        # the guard compares words by embedding even when no paraphrase is asked for
        assert semantic.load_model.cache_info().currsize == 1
        assert gc.get_freeze_count() > frozen  # the loaded models left to the worker
    finally:
        gc.unfreeze()


def test_warm_on_a_pool_broken_while_idle_leaves_a_working_engine(tmp_path):
    import functools
    import os
    import signal
    import time

    engine = LocalEngine(2)
    try:
        assert dict(engine.map(scanfakes.work, [1, 2])) == {0: 1, 1: 4}
        for process in engine._pool._processes.values():
            os.kill(process.pid, signal.SIGKILL)  # killed while idle, e.g. by the OOM killer
        time.sleep(0.5)
        engine.warm(functools.partial(scanfakes.mark_pid, tmp_path))
        assert dict(engine.map(scanfakes.work, [3, 4])) == {0: 9, 1: 16}
    finally:
        engine.close()


def test_a_pool_broken_while_idle_is_replaced_by_the_next_map():
    import os
    import signal
    import time

    engine = LocalEngine(2)
    try:
        assert dict(engine.map(scanfakes.work, [1, 2])) == {0: 1, 1: 4}
        for process in engine._pool._processes.values():
            os.kill(process.pid, signal.SIGKILL)
        time.sleep(0.5)
        assert dict(engine.map(scanfakes.work, [3, 4, 5])) == {0: 9, 1: 16, 2: 25}
    finally:
        engine.close()
