"""Scale benchmark: end-to-end scan time and memory against corpus size, baselines, increments.

For each size (forms) a text-only synthetic corpus is generated (txt, md and
numbered layouts, so parsing does not dominate) and scanned end to end with
``--workers`` processes in a child process; wall time, the peak resident memory
of the whole process tree (sampled) and the time of each phase are recorded, and
the growth exponent ``time ~ forms^k`` is fitted over the sizes.

In the same run:

* growth: the exponent ``k`` of ``time ~ forms^k`` over all sizes;
* incremental (``--incremental-at``, default the largest corpus): the corpus
  without the last form of ``--added-forms`` cases spread evenly (that many forms
  held out) is scanned into a new ``--index``, then the whole corpus with the same
  index, ``--rounds`` times, each on a copy of the index as the first scan left
  it; the median of those scans' times is compared with the full scan, and the
  findings of each with the full scan's, byte for byte;
* lexical baselines (``--baselines-at``, default the largest corpus), over the
  same segmented forms (read from a scan index): rapidfuzz all-pairs sentence
  matching within each case and datasketch MinHashLSH + rapidfuzz
  verification, timed and scored per planted kind beside dupscan's detect
  phase, with all kinds and with ``kinds=exact,near``;
* sentence-transformers (``--st-at``, default the smallest corpus; the ``st``
  extra): ``paraphrase_mining`` with all-MiniLM-L6-v2 within each case, timed
  and scored beside dupscan.

The speed ratios against the baselines come from ``--rounds`` alternating rounds
(a dupscan scan in a new process, then the baseline), and the tables give the
median time of each side: this machine's speed moves by up to a fifth from one
process to the next, more than a single pair of timings can tell apart.

Results go to ``benchmarks/data/scale.json`` and to the ``## Scale`` section
of ``benchmarks/README.md``.

Usage::

    python benchmarks/scale.py --sizes 1000,10000,100000 --baselines-at 10000 \
        --incremental-at 100000 --st-at 1000 --workers 2 --work /tmp/dupscan-scale
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from incremental import holdout as _holdout  # noqa: E402  (the same held-out manifest)
from incremental import stage_marks  # noqa: E402
FORMS_PER_CASE = 11.25  # measured: `dupscan generate` writes ~11.25 forms per case
FORMATS = "txt,md,numbered"


def _generate(out: Path, forms: int, seed: int) -> Path:
    if not (out / "manifest.csv").is_file():
        cases = max(2, math.ceil(forms / FORMS_PER_CASE))
        subprocess.run([sys.executable, "-m", "dupscan", "generate", "--cases", str(cases),
                        "--seed", str(seed), "--out", str(out), "--formats", FORMATS],
                       check=True, stdout=subprocess.DEVNULL)
    return out


class _TreeMemory:
    """Peak summed RSS of a process and its descendants, sampled every 0.2 s; also the
    peak RSS of the process itself (``parent_peak``) and of its largest descendant
    (``child_peak``), to tell the scan's own memory from its workers'."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak = self.parent_peak = self.child_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                total = 0
                for proc in procs:
                    try:
                        rss = proc.memory_info().rss
                    except psutil.Error:
                        continue
                    total += rss
                    if proc is self.root:
                        self.parent_peak = max(self.parent_peak, rss)
                    else:
                        self.child_peak = max(self.child_peak, rss)
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _scan(root: Path, manifest: Path, out: Path, workers: int,
          index: Path | None = None, kinds: str = "", engine: str = "local",
          task_scale: int = 0) -> dict:
    """Run one scan in a child process; return times, phases and peak memory.

    ``kinds`` (comma-separated, e.g. ``"exact,near"``) restricts the finding kinds;
    empty for all. ``engine`` is ``scan()``'s; ``task_scale`` (Dask only, 0 for the
    default) the units per Dask task as a multiple of the chunk (see ``DaskEngine``)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "_child", str(root), str(manifest),
           str(out), str(workers), str(index or ""), kinds, engine, str(task_scale)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    memory = _TreeMemory(proc.pid)
    stdout, _ = proc.communicate()
    wall = time.perf_counter() - start
    peak = memory.stop()
    if proc.returncode != 0:
        raise SystemExit(f"scan of {root} failed ({proc.returncode})")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(wall_s=round(wall, 2), peak_rss_mb=round(peak / 2**20, 1),
                  parent_peak_mb=round(memory.parent_peak / 2**20, 1),
                  worker_peak_mb=round(memory.child_peak / 2**20, 1))
    return result


def _child(root: str, manifest: str, out: str, workers: str, index: str,
           kinds: str = "", engine: str = "local", task_scale: str = "0") -> None:
    """Scan inside this process (the benchmark's child): print a JSON line of phase times."""
    from dupscan._spool import SpoolFolder
    from dupscan.pipeline import scan
    from dupscan.report import write_reports

    if engine == "dask" and int(task_scale):
        from dupscan.batch.dask_engine import DaskEngine

        # the pipeline builds its engine from a name: set the default it will use
        DaskEngine.__init__.__kwdefaults__["task_scale"] = int(task_scale)
    t0 = time.perf_counter()
    marks, progress = stage_marks()
    extra = {"kinds": tuple(kinds.split(","))} if kinds else {}
    Path(out).mkdir(parents=True, exist_ok=True)
    # as `dupscan scan` does: forms and findings wait on disk until written
    with SpoolFolder(out) as spool:
        report = scan(root, manifest, templates=Path(root) / "templates", workers=int(workers),
                      index=index or None, engine=engine, progress=progress, spool=spool,
                      **extra)
        write_reports(report, out, ["json"])
    total = time.perf_counter() - t0
    print(json.dumps({"forms": report.summary.forms, "cases": report.summary.cases,
                      "findings": len(report.findings), "skipped": len(report.skipped),
                      "scan_s": round(total, 2),
                      "read_s": round(marks.get("files_end", 0) - marks.get("files_start", 0), 2),
                      "detect_s": round(marks.get("cases_end", 0) - marks.get("cases_start", 0),
                                        2)}))


def _snapshot(work: Path, source: Path | None = None) -> None:
    """Run every scan on a copy of the source tree taken now, so edits made while the
    benchmark runs neither change its code nor invalidate its index.

    ``source`` is a ``src`` folder to copy instead of the checkout's (for example
    ``git archive`` of a commit, leaving out uncommitted edits)."""
    import shutil

    src = (source or HERE.parent / "src") / "dupscan"
    copy = work / "src"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(src, copy / "dupscan", ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(copy), *filter(None, [os.environ.get("PYTHONPATH")])])


def _score(truth: Path, findings: list[dict]) -> dict:
    from dupscan.evaluate import score

    truth_items = [json.loads(x) for x in truth.read_text().splitlines() if x.strip()]
    result = score(truth_items, findings)
    return {"recall": {k: round(v.recall, 3) for k, v in result.by_kind.items()},
            "precision": round(result.overall.precision, 3),
            "recall_all": round(result.overall.recall, 3), "findings": len(findings)}


def _misses(truth: Path, findings_json: Path) -> dict:
    """Per kind: planted items dupscan missed, and how many hold a stock-text sentence."""
    from collections import defaultdict

    from dupscan.evaluate import score

    data = json.loads(findings_json.read_text())
    by_doc: dict[str, list] = defaultdict(list)
    for f in data["findings"]:
        by_doc[f["target"]["doc"]].append(f)
    stock = [" ".join(s["text"].lower().split()) for s in data["stock_text"]]
    out = {}
    for line in truth.read_text().splitlines():
        item = json.loads(line)
        kind = item["kind"]
        if kind == "distinct":
            continue
        row = out.setdefault(kind, {"missed": 0, "missed_with_stock": 0})
        if score([item], by_doc[item["target"]["doc"]]).by_kind[kind].recovered:
            continue
        row["missed"] += 1
        text = " ".join(item["target"]["text"].lower().split())
        row["missed_with_stock"] += any(s in text for s in stock)
    return out


def _baselines(index: Path, truth: Path) -> dict:
    sys.path.insert(0, str(HERE))
    import _scale_baselines as base

    cases = list(base.read_cases(index))
    out = {"sentences": sum(len(s) for _, s in cases)}
    for name, fn in (("rapidfuzz_allpairs", base.allpairs), ("minhash_lsh", base.minhash)):
        start = time.perf_counter()
        findings = [f for case_id, sentences in cases for f in fn(sentences, case_id)]
        out[name] = {"match_s": round(time.perf_counter() - start, 2), **_score(truth, findings)}
    return out


def _fit(points: list[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den, 3) if den else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="forms per corpus, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/dupscan-scale"))
    parser.add_argument("--baselines-at", type=int, default=None,
                        help="size whose corpus the lexical baselines run on (default: largest)")
    parser.add_argument("--incremental-at", type=int, default=None,
                        help="size whose corpus the incremental scan runs on (default: largest)")
    parser.add_argument("--added-forms", type=int, default=1000,
                        help="how many forms the incremental scan adds (the last of as many cases)")
    parser.add_argument("--st-at", type=int, default=None,
                        help="size whose corpus the sentence-transformers comparison runs on "
                             "(default: smallest; needs the `st` extra)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds of dupscan and each baseline, and "
                             "incremental scans (medians kept)")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--no-st", action="store_true")
    parser.add_argument("--note", action="append", default=[],
                        help="a line to add under the results (e.g. machine load)")
    parser.add_argument("--source", type=Path, default=None,
                        help="src folder to benchmark instead of the checkout's src")
    parser.add_argument("--report-only", action="store_true",
                        help="only rewrite the README section from benchmarks/data/scale.json")
    args = parser.parse_args(argv)
    if args.report_only:
        _write_readme(json.loads((HERE / "data" / "scale.json").read_text()))
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    args.work.mkdir(parents=True, exist_ok=True)
    _snapshot(args.work, args.source)
    results: dict = {"machine": _machine(),
                     "workers": args.workers, "formats": FORMATS, "seed": args.seed,
                     "sizes": [], "notes": args.note}
    corpora = {size: _generate(args.work / f"corpus-{size}", size, args.seed) for size in sizes}
    runs = {}
    for size in sizes:
        print(f"[scale] {size}: scanning {corpora[size]}", file=sys.stderr, flush=True)
        run = _scan(corpora[size], corpora[size] / "manifest.csv", args.work / f"out-{size}",
                    args.workers)
        written = json.loads((args.work / f"out-{size}" / "findings.json").read_text())
        run["quality"] = _score(corpora[size] / "truth.jsonl", written["findings"])
        run["stock_sentences"] = len(written["stock_text"])
        runs[size] = run
        results["sizes"].append({"target_forms": size, **run})
        print(f"[scale] {size}: {run}", file=sys.stderr, flush=True)
    results["growth_exponent"] = _fit([(r["forms"], r["wall_s"]) for r in results["sizes"]])
    at = args.incremental_at or sizes[-1]
    results["incremental"] = _incremental(corpora[at], args.work, at, args.workers,
                                          runs[at], args.added_forms, args.rounds)
    if not args.no_baselines:
        at = args.baselines_at or sizes[-1]
        results["baselines"] = _lexical_baselines(corpora[at], args.work, at, args.workers,
                                                  runs[at], args.rounds)
    if not args.no_st:
        at = args.st_at or sizes[0]
        results["st"] = _st_comparison(corpora[at], args.work, at, args.workers, runs[at],
                                       args.rounds)
    (HERE / "data").mkdir(exist_ok=True)
    (HERE / "data" / "scale.json").write_text(json.dumps(results, indent=2) + "\n")
    _write_readme(results)
    return 0


#: the packages whose versions can move findings or times (the numbers of the models'
#: arithmetic, the matchers, the baselines): recorded with every run
_PACKAGES = ("numpy", "scipy", "scikit-learn", "rapidfuzz", "spacy", "model2vec", "tokenizers",
             "datasketch", "torch", "sentence-transformers")


def _machine() -> dict:
    """The machine and the package versions a run was made with."""
    from importlib.metadata import PackageNotFoundError, version

    packages = {}
    for name in _PACKAGES:
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle
                          if line.startswith("model name")), "")
    except OSError:  # not Linux
        model = platform.processor()
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "packages": packages}


def _fresh_index(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def _incremental(corpus: Path, work: Path, size: int, workers: int, full: dict,
                 added: int, rounds: int = 1) -> dict:
    """Scan all but ``added`` forms (the last of as many cases, spread evenly) into a new
    index, then scan all of them, in ``rounds`` rounds, each on a copy of the index as the
    first scan left it (the round of median time is kept; every round's findings are
    compared with the full scan's)."""
    index = _fresh_index(work / f"index-{size}.sqlite")
    part = _holdout(corpus, work / f"manifest-holdout-{size}.csv", cases=added)
    first = _scan(corpus, part, work / f"out-{size}-part", workers, index)
    # the scan closed the index, which leaves no write-ahead log: the file is all of it
    before = _fresh_index(work / f"index-{size}-before.sqlite")
    shutil.copyfile(index, before)
    runs, same = [], True
    for _ in range(max(1, rounds)):
        shutil.copyfile(before, _fresh_index(index))
        runs.append(_scan(corpus, corpus / "manifest.csv", work / f"out-{size}-incr",
                          workers, index))
        same = same and ((work / f"out-{size}-incr" / "findings.json").read_bytes()
                         == (work / f"out-{size}" / "findings.json").read_bytes())
    before.unlink()
    again = sorted(runs, key=lambda run: run["wall_s"])[(len(runs) - 1) // 2]
    out = {"corpus_forms": full["forms"], "held_out_cases": added,
           "forms_before": first["forms"], "forms_after": again["forms"],
           "initial_scan": first, "incremental_scan": again,
           "incremental_rounds_s": [run["wall_s"] for run in runs],
           "full_rescan_s": full["wall_s"],
           "share_of_full": round(again["wall_s"] / full["wall_s"], 4),
           "speedup_vs_full": round(full["wall_s"] / again["wall_s"], 2),
           "findings_identical_to_full_rescan": same}
    print(f"[scale] incremental: {out}", file=sys.stderr, flush=True)
    return out


def _indexed_scan(corpus: Path, work: Path, size: int, workers: int) -> Path:
    """A scan of the whole corpus into its own index (the baselines read its forms)."""
    index = _fresh_index(work / f"index-{size}-full.sqlite")
    _scan(corpus, corpus / "manifest.csv", work / f"out-{size}-indexed", workers, index)
    return index


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return round(ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2, 2)


def _lexical_baselines(corpus: Path, work: Path, size: int, workers: int, run: dict,
                       rounds: int = 1) -> dict:
    """The lexical baselines beside dupscan with ``kinds=exact,near``, in ``rounds``
    alternating rounds (medians kept; findings scored from the first round)."""
    sys.path.insert(0, str(HERE))
    import _scale_baselines as base

    cases = list(base.read_cases(_indexed_scan(corpus, work, size, workers)))
    truth = corpus / "truth.jsonl"
    out: dict = {"forms": run["forms"], "sentences": sum(len(s) for _, s in cases),
                 "rounds": rounds}
    times: dict[str, list[float]] = {"rapidfuzz_allpairs": [], "minhash_lsh": []}
    copies: list[dict] = []
    for _ in range(max(1, rounds)):
        copies.append(_copies_only(corpus, work, size, workers))
        for name, fn in (("rapidfuzz_allpairs", base.allpairs), ("minhash_lsh", base.minhash)):
            start = time.perf_counter()
            findings = [f for case_id, sentences in cases for f in fn(sentences, case_id)]
            times[name].append(round(time.perf_counter() - start, 2))
            out.setdefault(name, _score(truth, findings))
    for name, spent in times.items():
        out[name] = {"match_s": _median(spent), "match_s_rounds": spent, **out[name]}
    out["dupscan"] = {"detect_s": run["detect_s"], "scan_s": run["wall_s"], **run["quality"],
                      "misses": _misses(truth, work / f"out-{size}" / "findings.json")}
    out["dupscan_copies"] = {**copies[0], "detect_s": _median([c["detect_s"] for c in copies]),
                             "detect_s_rounds": [c["detect_s"] for c in copies]}
    print(f"[scale] baselines: {out}", file=sys.stderr, flush=True)
    return out


ST_THRESHOLDS = (0.95, 0.85)  # 0.95: tuned for F1 on seed 11 (detect_quality.py); 0.85: for recall


def _st_comparison(corpus: Path, work: Path, size: int, workers: int, run: dict,
                   rounds: int = 1) -> dict:
    """sentence-transformers ``paraphrase_mining`` within each case against dupscan's
    detect phase, in ``rounds`` alternating rounds (a scan in a new process, then the
    mining; medians kept, findings scored from the first round)."""
    sys.path.insert(0, str(HERE))
    import _scale_baselines as base

    try:
        base._st_model()  # loaded before timing, like dupscan's models in its workers
    except ImportError:
        print("[scale] sentence-transformers not installed (`pip install -e .[st]`): "
              "skipping that comparison", file=sys.stderr)
        return {}
    import torch

    cases = list(base.read_cases(_indexed_scan(corpus, work, size, workers)))
    found: dict[float, list[dict]] = {th: [] for th in ST_THRESHOLDS}
    ours, theirs = [], []
    for at in range(max(1, rounds)):
        ours.append(_scan(corpus, corpus / "manifest.csv", work / f"out-{size}-st",
                          workers)["detect_s"])
        start = time.perf_counter()
        for case_id, sentences in cases:
            for th, items in base.st_mining(sentences, case_id, ST_THRESHOLDS).items():
                if not at:
                    found[th].extend(items)
        theirs.append(round(time.perf_counter() - start, 2))
    truth = corpus / "truth.jsonl"
    out = {"forms": run["forms"], "sentences": sum(len(s) for _, s in cases),
           "torch_threads": torch.get_num_threads(), "rounds": rounds,
           "st_s": _median(theirs), "st_s_rounds": theirs,
           "dupscan": {"detect_s": _median(ours), "detect_s_rounds": ours, **run["quality"]},
           "st": {str(th): _score(truth, items) for th, items in found.items()}}
    print(f"[scale] sentence-transformers: {out}", file=sys.stderr, flush=True)
    return out


def _copies_only(corpus: Path, work: Path, size: int, workers: int) -> dict:
    """dupscan with ``kinds=exact,near`` (no embeddings, no paraphrase) on one corpus:
    the like-for-like comparison with the lexical baselines."""
    run = _scan(corpus, corpus / "manifest.csv", work / f"out-{size}-copies", workers,
                kinds="exact,near")
    written = json.loads((work / f"out-{size}-copies" / "findings.json").read_text())
    out = {"detect_s": run["detect_s"], "scan_s": run["wall_s"],
           "peak_rss_mb": run["peak_rss_mb"], **_score(corpus / "truth.jsonl",
                                                       written["findings"])}
    print(f"[scale] exact+near only: {out}", file=sys.stderr, flush=True)
    return out


def _write_readme(results: dict) -> None:
    sys.path.insert(0, str(HERE))
    from _scale_report import section

    readme = HERE / "README.md"
    text = readme.read_text() if readme.is_file() else "# Benchmarks\n"
    new = section(results)
    start = text.find("\n## Scale\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + new
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start + 1] + new.rstrip("\n") + "\n" + (
            "\n" + text[end + 1:] if end >= 0 else "")
    readme.write_text(text)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(*sys.argv[2:10])
        sys.exit(0)
    sys.exit(main())
