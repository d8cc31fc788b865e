"""``findings.json``: the report as schema ``dupscan.findings/1``, and back.

The document holds exactly the keys of the design's output contract
(``schema``, ``summary``, ``forms``, ``findings``, ``stock_text``, ``prefill``)
plus ``skipped`` and ``aggregates``. Output is deterministic: keys of every
object are sorted (the top level keeps the contract's order), lists come in the
report's stable order, floats are rounded, and nothing depends on the clock, so
the same input gives byte-identical files.

>>> from dupscan.estimate import estimate
>>> text = dumps(estimate([], []))
>>> text.splitlines()[1]
'  "schema": "dupscan.findings/1",'
>>> loads(text).summary.forms
0
"""

from __future__ import annotations

import json as _json
import math
from collections.abc import Iterator, Mapping
from dataclasses import replace
from json.encoder import encode_basestring as _encode_str
from pathlib import Path
from typing import Any

from dupscan._spool import Spool, SplitSpool, batched, heads
from dupscan.errors import ConfigError
from dupscan.model import (
    Finding, Form, Prefill, Report, Seconds, Skipped, Span, StockText, Summary,
)

__all__ = ["SCHEMA", "dump_chunks", "dumps", "finding_line", "load_findings", "loads",
           "to_dict"]

SCHEMA = "dupscan.findings/1"
_DIGITS = 4


def _num(value: float) -> float | int | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if not math.isfinite(value):
        return None
    return _float(value)


def _clean(value: Any) -> Any:
    """Round floats and sort mapping keys, recursively."""
    cls = value.__class__
    # the exact types first: the aggregates of 100k forms hold some 200k values, and
    # asking each whether it is a Mapping (an abstract class) took a third of the time
    if cls is str or cls is int or value is None:
        return value
    if cls is float:
        return _num(value)
    if cls is dict or isinstance(value, Mapping):
        return {str(k): _clean(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, float):
        return _num(value)
    return value


def _seconds(s: Seconds) -> dict[str, float | int | None]:
    return {"low": _num(s.low), "central": _num(s.central), "high": _num(s.high)}


def _span(s: Span) -> dict[str, Any]:
    return {"form_id": s.form_id, "doc": s.doc, "field": s.field, "start": s.start,
            "end": s.end, "text": s.text}


#: what findings.json keeps of a form
_FORM_KEYS = ("form_id", "doc", "case_id", "form_type", "date", "words")


def _form(f: Form) -> dict[str, Any]:
    return {key: getattr(f, key) for key in _FORM_KEYS}


def to_dict(report: Report) -> dict[str, Any]:
    """The report as the JSON-ready mapping of schema ``dupscan.findings/1``."""
    s = report.summary
    body = {
        "summary": {"forms": s.forms, "words": s.words, "reentered_words": s.reentered_words,
                    "seconds": _seconds(s.seconds)},
        "forms": [_form(f) for f in report.forms],
        "findings": [{"case_id": f.case_id, "kind": f.kind, "similarity": _num(f.similarity),
                      "words": f.words, "seconds": _seconds(f.seconds),
                      "source": _span(f.source), "target": _span(f.target)}
                     for f in report.findings],
        "stock_text": [{"text": t.text, "words": t.words, "occurrences": t.occurrences,
                        "cases": t.cases, "reason": t.reason, "examples": list(t.examples)}
                       for t in report.stock_text],
        "prefill": [{"canonical": p.canonical, "label": p.label,
                     "source_form_type": p.source_form_type,
                     "target_form_type": p.target_form_type, "occurrences": p.occurrences,
                     "words": p.words, "seconds": _seconds(p.seconds)}
                    for p in report.prefill],
        "skipped": [{"path": k.path, "reason": k.reason} for k in report.skipped],
        "aggregates": {k: list(v) for k, v in report.aggregates.items()},
    }
    body["summary"] = _clean(body["summary"])
    body["aggregates"] = _clean(body["aggregates"])
    return {"schema": SCHEMA, **body}


_ENCODER = _json.JSONEncoder(ensure_ascii=False, sort_keys=True, allow_nan=False,
                             separators=(", ", ": "))


def _compact(value: Any) -> str:
    return _ENCODER.encode(value)


def _block(value: Any, pad: str) -> str:
    """Lists one item a line; mappings of lists (aggregates) one key a line."""
    if isinstance(value, list) and value:
        inner = pad + "  "
        return "[\n" + ",\n".join(inner + _compact(v) for v in value) + "\n" + pad + "]"
    if isinstance(value, dict) and any(isinstance(v, list) for v in value.values()):
        inner = pad + "  "
        return "{\n" + ",\n".join(f"{inner}{_compact(k)}: {_block(value[k], inner)}"
                                   for k in sorted(value)) + "\n" + pad + "}"
    return _compact(value)


def _scalar(value: Any) -> str:
    """One JSON scalar exactly as :data:`_ENCODER` writes it."""
    cls = value.__class__
    if cls is str:
        return _encode_str(value)
    if cls is int:
        return int.__repr__(value)
    if cls is float and math.isfinite(value):
        return float.__repr__(value)
    return _ENCODER.encode(value)


def _span_json(form_id: Any, doc: Any, field: Any, start: Any, end: Any, text: Any) -> str:
    """A span's item of ``to_dict``, compact, from its values in :class:`Span` order
    (the order of its positional row, :mod:`dupscan._rows`)."""
    return (f'{{"doc": {_scalar(doc)}, "end": {_scalar(end)}, "field": {_scalar(field)}, '
            f'"form_id": {_scalar(form_id)}, "start": {_scalar(start)}, '
            f'"text": {_scalar(text)}}}')


def _finding_json(case_id: Any, kind: Any, similarity: Any, words: Any, source: str,
                  target: str, low: Any, central: Any, high: Any) -> str:
    """A finding's item of ``to_dict``, compact, from its values in :class:`Finding`
    order, its spans already written (written directly: 100k findings)."""
    return (f'{{"case_id": {_scalar(case_id)}, "kind": {_scalar(kind)}, '
            f'"seconds": {{"central": {_scalar(_num(central))}, '
            f'"high": {_scalar(_num(high))}, "low": {_scalar(_num(low))}}}, '
            f'"similarity": {_scalar(_num(similarity))}, "source": {source}, '
            f'"target": {target}, "words": {_scalar(words)}}}')


def _span_text(s: Span) -> str:
    return _span_json(s.form_id, s.doc, s.field, s.start, s.end, s.text)


def _form_text(f: Form) -> str:
    """``_compact`` of a form's item of ``to_dict``."""
    return _compact(_form(f))


def _finding_text(f: Finding) -> str:
    """``_compact`` of a finding's item of ``to_dict``."""
    sec = f.seconds
    return _finding_json(f.case_id, f.kind, f.similarity, f.words, _span_text(f.source),
                         _span_text(f.target), sec.low, sec.central, sec.high)


def form_line(f: Form) -> str:
    """A form as ``findings.json`` writes it in its ``forms`` list (one line, without
    the indent): written by the workers with each case's part, as :func:`finding_line`."""
    return _form_text(f)


def finding_line(f: Finding) -> str:
    """A finding as ``findings.json`` writes it in its ``findings`` list (one line,
    without the indent). A scan's workers write each case's lines with its part
    (:class:`~dupscan._case_part.CasePart`), so that the scan's own process copies
    them into the file instead of writing every finding again after the scan."""
    return _finding_text(f)


_FORM_AT = {name: i for i, name in enumerate(Form.__dataclass_fields__)}


def _finding_row_text(row: list[Any]) -> str:
    """:func:`_finding_text` of a finding's positional row, as a spool keeps it: the
    findings of a report held on disk are written without being built again.

    A row of the types a scan writes (text as strings, offsets and words as
    integers, similarity and seconds as finite floats) is written in one
    expression, without a call per value: half the time of writing 100k findings.
    """
    case_id, kind, similarity, words, source, target, (low, central, high) = row
    if not (type(case_id) is str and type(kind) is str and type(words) is int
            and type(similarity) is float and type(low) is float and type(central) is float
            and type(high) is float and _plain_span(source) and _plain_span(target)
            and -_HUGE < similarity < _HUGE and -_HUGE < low < _HUGE
            and -_HUGE < central < _HUGE and -_HUGE < high < _HUGE):
        return _finding_json(case_id, kind, similarity, words, _span_json(*source),
                             _span_json(*target), low, central, high)
    e = _encode_str
    s_id, s_doc, s_field, s_start, s_end, s_text = source
    t_id, t_doc, t_field, t_start, t_end, t_text = target
    return (f'{{"case_id": {e(case_id)}, "kind": {e(kind)}, '
            f'"seconds": {{"central": {_float(central)!r}, "high": {_float(high)!r}, '
            f'"low": {_float(low)!r}}}, "similarity": {_float(similarity)!r}, '
            f'"source": {{"doc": {e(s_doc)}, "end": {s_end}, "field": {e(s_field)}, '
            f'"form_id": {e(s_id)}, "start": {s_start}, "text": {e(s_text)}}}, '
            f'"target": {{"doc": {e(t_doc)}, "end": {t_end}, "field": {e(t_field)}, '
            f'"form_id": {e(t_id)}, "start": {t_start}, "text": {e(t_text)}}}, '
            f'"words": {words}}}')


_HUGE = float("inf")  # a float strictly between -inf and inf is finite (NaN fails too)


def _plain_span(span: list[Any]) -> bool:
    """Whether a span's row holds the types a scan writes (see :func:`_finding_row_text`)."""
    form_id, doc, field, start, end, text = span
    return (type(form_id) is str and type(doc) is str and type(field) is str
            and type(text) is str and type(start) is int and type(end) is int)


def _float(value: float) -> float:
    """A finite float rounded to :data:`_DIGITS` places, negative zero as ``0.0``
    (how :func:`_num` writes a float)."""
    out = round(value, _DIGITS)
    return out if out else 0.0


def _form_row_text(row: list[Any]) -> str:
    """:func:`_form_text` of a form's positional row."""
    case_id, date, doc, form_id = (row[_AT_CASE], row[_AT_DATE], row[_AT_DOC],
                                   row[_AT_FORM_ID])
    form_type, words = row[_AT_FORM_TYPE], row[_AT_WORDS]
    if (type(case_id) is str and type(date) is str and type(doc) is str
            and type(form_id) is str and type(form_type) is str and type(words) is int):
        e = _encode_str  # the types a scan writes: one expression, keys in sorted order
        return (f'{{"case_id": {e(case_id)}, "date": {e(date)}, "doc": {e(doc)}, '
                f'"form_id": {e(form_id)}, "form_type": {e(form_type)}, "words": {words}}}')
    return _compact({key: row[_FORM_AT[key]] for key in _FORM_KEYS})


_AT_CASE, _AT_DATE, _AT_DOC, _AT_FORM_ID, _AT_FORM_TYPE, _AT_WORDS = (
    _FORM_AT[key] for key in ("case_id", "date", "doc", "form_id", "form_type", "words"))


def _texts(items: Any, text: Any, row_text: Any) -> Iterator[str]:
    """Each item's JSON text: from the plain rows of a report held on disk (forms by
    their heads), else from the items."""
    if isinstance(items, SplitSpool) and items.codecs[0].rows is not None:
        return map(row_text, items.head_rows())
    if isinstance(items, Spool) and items.codec.rows is not None:
        return map(row_text, items.rows())
    return map(text, heads(items))


def dumps(report: Report) -> str:
    """Serialise ``report`` as deterministic JSON text (ending in a newline).

    One form, finding or aggregate row a line; keys of every object sorted (the
    top level keeps the schema's order); floats rounded to 4 decimals.
    """
    return "".join(dump_chunks(report))


def dump_chunks(report: Report, items_per_chunk: int = 2000) -> Iterator[str]:
    """The text of :func:`dumps` in pieces, the forms and findings ``items_per_chunk``
    at a time (a report of 100k findings is written without holding its whole text,
    and a report held on disk without reading it into memory)."""
    data = to_dict(replace(report, forms=(), findings=()))
    streamed = {"forms": (report.forms, _form_text, _form_row_text),
                "findings": (report.findings, _finding_text, _finding_row_text)}
    yield "{\n"
    for n, (key, value) in enumerate(data.items()):
        yield ",\n" if n else ""
        items, text, row_text = streamed.get(key, ((), None, None))
        written = (items.json_lines() if isinstance(items, (Spool, SplitSpool)) and len(items)
                   else None)
        if written is not None:  # every item's line written already (form_line, finding_line)
            yield f"  {_compact(key)}: [\n"
            yield from written
            yield "\n  ]"
        elif text is not None and len(items):
            yield f"  {_compact(key)}: [\n"
            # a spooled report's forms are read without their fields, which no renderer writes
            for at, chunk in enumerate(batched(_texts(items, text, row_text), items_per_chunk)):
                yield (",\n" if at else "") + ",\n".join("    " + t for t in chunk)
            yield "\n  ]"
        else:
            yield f"  {_compact(key)}: {_block(value, '  ')}"
    yield "\n}\n"


def _get(obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise ConfigError(f"{where}: missing key {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where}.{key}: expected {getattr(kind, '__name__', kind)}, "
                          f"got {type(value).__name__}")
    return value


def _sec(obj: Any, where: str) -> Seconds:
    if not isinstance(obj, Mapping):
        raise ConfigError(f"{where}: expected an object with low, central, high")
    return Seconds(*(float(_get(obj, k, (int, float), where)) for k in ("low", "central", "high")))


def _load_span(obj: Any, where: str) -> Span:
    if not isinstance(obj, Mapping):
        raise ConfigError(f"{where}: expected an object")
    return Span(str(_get(obj, "form_id", str, where)), _get(obj, "doc", str, where),
                str(obj.get("field") or ""), int(_get(obj, "start", int, where)),
                int(_get(obj, "end", int, where)), _get(obj, "text", str, where))


def from_dict(data: Mapping[str, Any], origin: str = "findings.json") -> Report:
    """Rebuild a :class:`Report` from a mapping written by :func:`to_dict`."""
    if not isinstance(data, Mapping) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, Mapping) else type(data).__name__
        raise ConfigError(f"{origin}: expected schema {SCHEMA!r}, found {found!r}")
    aggregates = {str(k): tuple(dict(r) for r in v)
                  for k, v in (data.get("aggregates") or {}).items()}
    totals = (aggregates.get("totals") or ({},))[0]
    s = _get(data, "summary", Mapping, origin)
    recording = Seconds(*(float(totals.get(f"recording_seconds_{lv}") or 0.0)
                          for lv in ("low", "central", "high")))
    summary = Summary(forms=int(s.get("forms", 0)), cases=int(totals.get("cases") or 0),
                      words=int(s.get("words", 0)),
                      reentered_words=int(s.get("reentered_words", 0)),
                      seconds=_sec(s.get("seconds", {}), f"{origin}: summary.seconds"),
                      recording_seconds=recording)
    forms = tuple(
        Form(form_id=f["form_id"], doc=f["doc"], case_id=f.get("case_id", ""),
             form_type=f.get("form_type", ""), date=f.get("date", ""), fields=(),
             order=i, words=int(f.get("words", 0)))
        for i, f in enumerate(_get(data, "forms", list, origin)))
    findings = []
    for i, f in enumerate(_get(data, "findings", list, origin)):
        where = f"{origin}: findings[{i}]"
        findings.append(Finding(
            case_id=str(f.get("case_id", "")), kind=_get(f, "kind", str, where),
            similarity=float(_get(f, "similarity", (int, float), where)),
            words=int(_get(f, "words", int, where)),
            source=_load_span(f.get("source"), f"{where}.source"),
            target=_load_span(f.get("target"), f"{where}.target"),
            seconds=_sec(f.get("seconds", {"low": 0, "central": 0, "high": 0}), where)))
    stock = tuple(StockText(text=t["text"], words=int(t["words"]),
                            occurrences=int(t["occurrences"]), cases=int(t["cases"]),
                            reason=t["reason"], examples=tuple(t.get("examples", ())))
                  for t in data.get("stock_text", ()))
    prefill = tuple(Prefill(canonical=p["canonical"], label=p["label"],
                            source_form_type=p["source_form_type"],
                            target_form_type=p["target_form_type"],
                            occurrences=int(p["occurrences"]), words=int(p["words"]),
                            seconds=_sec(p.get("seconds", {"low": 0, "central": 0, "high": 0}),
                                         origin))
                    for p in data.get("prefill", ()))
    skipped = tuple(Skipped(k["path"], k["reason"]) for k in data.get("skipped", ()))
    meta = {k: totals[k] for k in ("profile", "period_days", "period_source", "annual_factor",
                                   "staff", "working_weeks") if k in totals}
    return Report(summary=summary, forms=forms, findings=tuple(findings), stock_text=stock,
                  prefill=prefill, skipped=skipped, aggregates=aggregates,
                  options={"time_model": meta})


def loads(text: str, origin: str = "findings.json") -> Report:
    """Parse findings JSON text into a :class:`Report`."""
    try:
        data = _json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{origin}: not valid JSON ({exc})") from exc
    try:
        return from_dict(data, origin)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{origin}: malformed findings document ({exc!r})") from exc


def load_findings(path: str | Path) -> Report:
    """Read a ``findings.json`` written by :func:`dumps` back into a :class:`Report`.

    Raises
    ------
    ConfigError
        The file is not JSON of schema ``dupscan.findings/1``.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read findings ({exc})") from exc
    return loads(text, str(path))
