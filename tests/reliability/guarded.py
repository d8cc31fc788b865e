"""Run one dupscan call in a child process with bounded memory and time.

Usage (as a script; tests call :func:`run_guarded`, :func:`run_guarded_scan`
and :func:`run_guarded_cli`)::

    python guarded.py ingest PATH ROOT LIMITS_JSON SECRET
    python guarded.py scan ROOT_OR_JSON_LIST OPTIONS_JSON
    python guarded.py cli ARG ...          # DUPSCAN_TEST_CRASH=1: crashhook stages

The child sets ``RLIMIT_AS`` (address space, default 2 GiB) before importing
dupscan, so a file that makes a reader allocate without bound dies with
MemoryError inside the child instead of taking the machine down; ``alarm`` is
a second guard behind the parent's ``timeout``. For ``ingest`` and ``scan`` the
child prints one JSON line describing the outcome, including how many bytes it
read from files (``rchar`` of ``/proc/self/io``).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Outcome", "run_guarded", "run_guarded_cli", "run_guarded_scan"]

MEMORY_LIMIT = 2 * 1024 ** 3
#: guards, not speed assertions: generous because CI machines may be loaded
TIME_LIMIT = 120
SCAN_TIME_LIMIT = 600


def _rchar() -> int:
    try:
        with open("/proc/self/io", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("rchar:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def _limit(memory: int, seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.alarm(seconds)


def _ingest(path: str, root: str, limits_json: str, secret: str) -> dict:
    from dupscan.config import Limits
    from dupscan.errors import IngestError
    from dupscan.ingest import ingest

    limits = Limits(**json.loads(limits_json))
    before = _rchar()
    out: dict = {"ok": False}
    try:
        docs = ingest(path, root=root or None, limits=limits)
    except IngestError as exc:
        out.update(error="IngestError", error_class=type(exc).__name__, path=exc.path,
                   reason=exc.reason, message=str(exc))
    except BaseException as exc:  # anything else is a bug the test reports
        out.update(error=type(exc).__name__, message=str(exc)[:500])
    else:
        from dupscan.segment import segment

        texts = [d.text for d in docs]
        forms = [segment(d) for d in docs]
        out.update(ok=True, docs=len(docs), paths=[d.path for d in docs],
                   chars=sum(len(t) for t in texts),
                   fields=sum(len(f.fields) for f in forms),
                   secret_seen=any(secret and secret in t for t in texts),
                   passwd_seen=any("root:x:0:0" in t for t in texts))
    out["read_bytes"] = _rchar() - before if before >= 0 else -1
    return out


def _scan(root: str, options: list[str]) -> dict:
    from dupscan.pipeline import scan

    kwargs = json.loads(options[0]) if options else {}
    target = json.loads(root) if root.startswith("[") else root  # a list of paths
    before = _rchar()
    report = scan(target, **kwargs)
    return {"read_bytes": _rchar() - before if before >= 0 else -1,
            "forms": sorted(f.doc for f in report.forms),
            "skipped": [[s.path, s.reason] for s in report.skipped],
            "findings": sorted([f.source.doc, f.target.doc, f.kind] for f in report.findings)}


def _install_crash_hooks() -> None:
    """Make the scan use the stages of :mod:`crashhook` (workers import them by name)."""
    import dupscan.pipeline as pipeline
    from dupscan.batch.tasks import Stages

    hooked = Stages(ingest="crashhook:ingest", detect="crashhook:detect")
    pipeline.Stages = lambda: hooked


def main(argv: list[str]) -> int:
    command = argv[0]
    memory = int(os.environ.get("GUARD_MEMORY", MEMORY_LIMIT))
    default = TIME_LIMIT if command == "ingest" else SCAN_TIME_LIMIT
    seconds = int(os.environ.get("GUARD_SECONDS", default))
    _limit(memory, seconds)
    # a process of dupscan's own, as the `dupscan` command's: spaCy is imported without
    # torch (installed with the `st` extra, torch alone would not fit in 2 GiB)
    from dupscan._own_process import claim

    claim()
    if command == "ingest":
        path, root, limits_json, secret = argv[1:5]
        print(json.dumps(_ingest(path, root, limits_json, secret)))
        return 0
    if command == "scan":
        print(json.dumps(_scan(argv[1], argv[2:])))
        return 0
    if command == "cli":
        from dupscan.cli import run as cli_run

        if os.environ.get("DUPSCAN_TEST_CRASH"):
            _install_crash_hooks()

        return cli_run(argv[1:])  # as the `dupscan` command runs
    raise SystemExit(f"unknown command {command!r}")


@dataclass(frozen=True)
class Outcome:
    """What the child reported, or how it died."""

    returncode: int
    result: dict
    stdout: str
    stderr: str


def _run(args: list[str], timeout: float, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    environ.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run([sys.executable, str(Path(__file__).resolve()), *args],
                          capture_output=True, text=True, timeout=timeout, env=environ,
                          errors="replace")


def run_guarded(path: Path, root: Path | None, limits: dict | None = None, *,
                secret: str = "", timeout: float = TIME_LIMIT + 30) -> Outcome:
    """Ingest (and segment) ``path`` in a bounded child process."""
    proc = _run(["ingest", str(path), str(root or ""), json.dumps(limits or {}), secret],
                timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    return Outcome(proc.returncode, result, proc.stdout, proc.stderr)


def run_guarded_scan(root: Path | list[str], options: dict | None = None, *,
                     timeout: float = SCAN_TIME_LIMIT + 60) -> Outcome:
    """Run :func:`dupscan.pipeline.scan` over ``root`` (or a list of paths) in a
    bounded child process."""
    target = json.dumps(root) if isinstance(root, list) else str(root)
    proc = _run(["scan", target, json.dumps(options or {})], timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    return Outcome(proc.returncode, result, proc.stdout, proc.stderr)


def run_guarded_cli(args: list[str], *, timeout: float = SCAN_TIME_LIMIT + 60,
                    env: dict | None = None) -> Outcome:
    """Run ``dupscan ARGS`` in a bounded child process."""
    proc = _run(["cli", *args], timeout, env)
    return Outcome(proc.returncode, {}, proc.stdout, proc.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
