"""spaCy is imported without torch only in the worker processes dupscan starts."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import scanfakes

from dupscan.batch.local import LocalEngine

_RUN = textwrap.dedent("""
    import os, sys
    from dupscan import _own_process
    if sys.argv[1] == "own":
        _own_process.claim()
    _own_process.import_spacy()
    during = os.path.exists(os.environ["TORCH_MARK"])
    import thinc.compat
    try:
        import torch  # the fake below: marks, then fails as if broken
    except ImportError:
        pass
    print(during, thinc.compat.has_torch, os.path.exists(os.environ["TORCH_MARK"]))
""")


def _run(tmp_path, mode: str) -> str:
    fake = tmp_path / "site" / "torch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "import os\nopen(os.environ['TORCH_MARK'], 'w').close()\n"
        "raise ImportError('a stand-in for torch')\n")
    mark = tmp_path / f"imported-{mode}"
    env = {"PYTHONPATH": f"{tmp_path / 'site'}", "TORCH_MARK": str(mark), "PATH": "/usr/bin"}
    done = subprocess.run([sys.executable, "-c", _RUN, mode], env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def test_a_worker_imports_spacy_without_torch_and_can_import_torch_later(tmp_path):
    # torch was not imported with spaCy, thinc saw none, and torch can still be imported
    assert _run(tmp_path, "own") == "False False True"


def test_a_callers_process_imports_spacy_as_it_is(tmp_path):
    # thinc looked for torch (the stand-in fails, so thinc has none)
    assert _run(tmp_path, "caller") == "True False True"


def test_the_local_pool_claims_its_workers_and_not_this_process():
    engine = LocalEngine(2)
    try:
        assert dict(engine.map(scanfakes.owned, [1, 2, 3])) == {0: True, 1: True, 2: True}
    finally:
        engine.close()
    assert scanfakes.owned(None) is False


_COMMAND = textwrap.dedent("""
    import contextlib, io, sys
    from dupscan import _own_process, cli
    entry = cli.run if sys.argv[1] == "command" else cli.main
    with contextlib.redirect_stderr(io.StringIO()):  # no command given: usage, exit code 2
        code = entry([])
    print(code, _own_process._OWN)
""")


def test_the_dupscan_command_owns_its_process_and_main_leaves_a_callers_alone():
    def run(mode: str) -> str:
        return subprocess.run([sys.executable, "-c", _COMMAND, mode], capture_output=True,
                              text=True, check=True).stdout.strip()

    assert run("command") == "2 True"
    assert run("main") == "2 False"
