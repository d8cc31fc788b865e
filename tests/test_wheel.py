"""The wheel carries everything dupscan loads at run time.

Builds the wheel, installs it into a fresh virtual environment outside the
checkout (dependencies borrowed from the test environment, dupscan itself only
from the wheel), and runs generate + scan from a folder with no source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(cmd, cwd, **kw):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True, timeout=900, **kw)


def test_wheel_installs_and_scans_outside_checkout(tmp_path):
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "-w", str(dist), str(ROOT)], cwd=tmp_path)
    wheel = next(dist.glob("dupscan-*.whl"))

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp_path).stdout.strip())
    # dependencies come from the test environment; its editable dupscan is not
    # visible because .pth files on an added path are not processed
    (site / "borrowed_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(site), str(wheel)],
         cwd=tmp_path)

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = _run([str(python), "-c", "import dupscan; print(dupscan.__file__)"], cwd=work, env=env)
    assert str(site) in where.stdout, where.stdout

    cli = [str(python), "-m", "dupscan"]
    _run([*cli, "generate", "--cases", "2", "--seed", "5", "--out", "corpus"], cwd=work, env=env)
    _run([*cli, "scan", "corpus", "--manifest", "corpus/manifest.csv", "--templates",
          "corpus/templates", "--out", "out", "--format", "json,html", "--workers", "1",
          "--quiet"], cwd=work, env=env)
    findings = json.loads((work / "out" / "findings.json").read_text())
    assert findings["schema"] == "dupscan.findings/1"
    assert findings["summary"]["forms"] > 0
    assert findings["findings"], "no findings on a corpus with planted re-entries"
    assert (work / "out" / "report.html").stat().st_size > 1000
