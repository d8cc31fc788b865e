"""A scan without ``--index`` keeps its forms in a temporary index, which holds
records' text: it is removed on close, and one left by a killed scan is removed by
the next."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from dupscan._io import LOCKS_WORK
from dupscan.batch.index import TEMPORARY_PREFIX, Index

_OPEN_AND_WAIT = """
import sys
from dupscan.batch.index import Index
index = Index(None)
index.db.execute("CREATE TABLE held (text TEXT)")
index.db.execute("INSERT INTO held VALUES ('Ms Byrne took Siobhan to the dentist')")
print(index.path, flush=True)
sys.stdin.read()
index.close()
"""


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _folders(parent):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(TEMPORARY_PREFIX))


def test_the_temporary_index_is_private_and_gone_after_close(temp_dir):
    with Index(None) as index:
        folder = index.path.parent
        assert folder.parent == temp_dir and folder.name.startswith(TEMPORARY_PREFIX)
        assert folder.stat().st_mode & 0o077 == 0  # only the scan's user can read it
        index.db.execute("CREATE TABLE held (text TEXT)")
        assert (folder / "index.sqlite").exists()
    assert _folders(temp_dir) == []


@pytest.mark.skipif(not LOCKS_WORK, reason="needs flock to tell a running scan from a dead one")
def test_a_killed_scans_temporary_index_is_removed_by_the_next(temp_dir):
    env = {**os.environ, "TMPDIR": str(temp_dir)}
    killed = subprocess.Popen([sys.executable, "-c", _OPEN_AND_WAIT], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    running = subprocess.Popen([sys.executable, "-c", _OPEN_AND_WAIT], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        killed_path = killed.stdout.readline().strip()
        running_path = running.stdout.readline().strip()
        assert killed_path and running_path
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(timeout=30)
        assert len(_folders(temp_dir)) == 2  # the killed scan could not clean up

        with Index(None) as index:
            left = set(_folders(temp_dir))
            # the dead scan's folder is gone; the running scan's and this one's stay
            assert os.path.basename(os.path.dirname(killed_path)) not in left
            assert os.path.basename(os.path.dirname(running_path)) in left
            assert index.path.parent.name in left and len(left) == 2
    finally:
        for proc in (killed, running):
            if proc.poll() is None:
                proc.stdin.close()
                proc.wait(timeout=30)
    assert _folders(temp_dir) == []  # the running one closed and removed its own


@pytest.mark.skipif(not LOCKS_WORK, reason="needs flock to tell a running scan from a dead one")
def test_what_is_not_this_users_dead_folder_is_left_alone(temp_dir, monkeypatch):
    import dupscan._spool as spool

    old = time.time() - 2 * 3600  # past the grace given to a folder without its lock yet
    left = []
    for name in ("file", "locked", "unreadable", "other-user"):
        path = temp_dir / f"{TEMPORARY_PREFIX}{name}"
        if name == "file":
            path.write_text("not a folder")
        else:
            path.mkdir()
        os.utime(path, (old, old))
        left.append(path.name)
    if os.geteuid() == 0:
        os.chown(temp_dir / f"{TEMPORARY_PREFIX}other-user", 54321, 54321)
    else:  # only root can give a folder away: stand in for another user's
        left.remove(f"{TEMPORARY_PREFIX}other-user")
        (temp_dir / f"{TEMPORARY_PREFIX}other-user").rmdir()
    held = spool.try_lock(temp_dir / f"{TEMPORARY_PREFIX}locked" / "lock")
    real = spool.try_lock

    def refusing(path):
        if "unreadable" in str(path):  # another user's folder in a shared /tmp, as seen
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(spool, "try_lock", refusing)
    dead = temp_dir / f"{TEMPORARY_PREFIX}dead"
    dead.mkdir()
    (dead / "lock").touch()  # a killed scan's lock: the file stays, the lock went with it
    (dead / "index.sqlite").write_text("records")
    try:
        with Index(None) as index:
            here = set(_folders(temp_dir))
            assert here == {*left, index.path.parent.name}  # only the dead one went
    finally:
        held.close()
