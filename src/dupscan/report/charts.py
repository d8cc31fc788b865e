"""Inline SVG charts for the HTML report: a form-type heatmap and a bar chart.

Charts are built as strings with every label escaped
(:func:`markupsafe.escape`); they use presentation attributes only (no
``style`` attribute, no external reference), so they satisfy the report's
Content-Security-Policy and print as vectors.

>>> svg = heatmap([{"source_form_type": "a", "target_form_type": "b", "reentered_words": 5}])
>>> svg.startswith("<svg") and "</svg>" in svg
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from dupscan.report._format import hours, humanise

__all__ = ["bar_chart", "heatmap"]

_MAX_TYPES = 16


def _colour(fraction: float) -> str:
    """White to deep blue."""
    fraction = min(1.0, max(0.0, fraction))
    start, end = (247, 251, 255), (8, 48, 107)
    rgb = (round(a + (b - a) * fraction) for a, b in zip(start, end))
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def heatmap(rows: Sequence[Mapping[str, Any]], order: Sequence[str] = (), *,
            unit: str = "words", value_key: str = "reentered_words") -> Markup:
    """Source form type (rows) × target form type (columns), shaded by re-entered words.

    Parameters
    ----------
    rows : sequence of mapping
        ``form_type_pair`` aggregate rows.
    order : sequence of str, optional
        Form types in the order to show them (e.g. by typical date); others follow
        alphabetically.
    unit, value_key : str
        What a cell counts (``"words"`` from ``reentered_words`` by default).
    """
    words: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for r in rows:
        key = (str(r["source_form_type"]), str(r["target_form_type"]))
        words[key] = words.get(key, 0) + int(r[value_key])
        for t in key:
            totals[t] = totals.get(t, 0) + int(r[value_key])
    if not words:
        return Markup('<p class="empty">No re-entry found between form types.</p>')
    keep = set(sorted(totals, key=lambda t: (-totals[t], t))[:_MAX_TYPES])
    ranked = [t for t in order if t in keep]
    types = ranked + sorted(keep - set(ranked))
    cell, left, top = 34, 230, 200
    width, height = left + cell * len(types) + 150, top + cell * len(types) + 10
    peak = max(words.values())
    parts = [f'<svg class="chart heatmap" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-label="{escape(unit)} by form-type pair">']
    for i, t in enumerate(types):
        label = escape(_short(humanise(t), 32))
        y = top + i * cell + cell / 2 + 4
        parts.append(f'<text x="{left - 6}" y="{y:.0f}" text-anchor="end">{label}</text>')
        x = left + i * cell + cell / 2
        parts.append(f'<text x="{x:.0f}" y="{top - 6}" text-anchor="start" '
                     f'transform="rotate(-50 {x:.0f} {top - 6})">{label}</text>')
    for i, src in enumerate(types):
        for j, tgt in enumerate(types):
            value = words.get((src, tgt), 0)
            fill = _colour(value / peak) if value else "#ffffff"
            x, y = left + j * cell, top + i * cell
            tip = escape(f"{humanise(src)} → {humanise(tgt)}: {value:,} {unit}")
            parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" '
                         f'stroke="#d0d7de"><title>{tip}</title></rect>')
            if value:
                ink = "cell light" if value / peak > 0.5 else "cell"
                parts.append(f'<text x="{x + cell / 2:.0f}" y="{y + cell / 2 + 4:.0f}" '
                             f'text-anchor="middle" class="{ink}">'
                             f'{_compact(value)}</text>')
    parts.append(f'<text x="{left - 6}" y="{top - 6}" text-anchor="end" class="axis">'
                 'from ↓ / into →</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _compact(value: int) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return str(value)


def bar_chart(rows: Sequence[Mapping[str, Any]], *, top: int = 10,
              prefix: str = "hours") -> Markup:
    """Horizontal bars of the central hours of the top field pairs, with low–high whiskers.

    ``prefix`` picks the columns (``hours`` or ``annual_hours``).
    """
    rows = [r for r in rows if r.get(f"{prefix}_central") is not None][:top]
    if not rows:
        return Markup('<p class="empty">No field pairs to chart.</p>')
    left, bar, gap, plot = 470, 20, 8, 380
    height = 30 + len(rows) * (bar + gap)
    width = left + plot + 70
    peak = max(float(r[f"{prefix}_high"] or 0) for r in rows) or 1.0
    unit = "hours a year" if prefix == "annual_hours" else "hours"
    parts = [f'<svg class="chart bars" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-label="Top field pairs by {unit}">']
    for i, r in enumerate(rows):
        y = 20 + i * (bar + gap)
        label = (f"{humanise(r['source_form_type'])}: {r['source_field']} → "
                 f"{humanise(r['target_form_type'])}: {r['target_field']}")
        low, central, high = (float(r[f"{prefix}_{lv}"] or 0) for lv in ("low", "central", "high"))
        w = plot * central / peak
        parts.append(f'<text x="{left - 8}" y="{y + bar - 6}" text-anchor="end">'
                     f'{escape(_short(label, 74))}<title>{escape(label)}</title></text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="#2f6fb0">'
                     f'<title>{escape(label)}: {hours(central)} {unit} '
                     f'(range {hours(low)}–{hours(high)})</title></rect>')
        x1, x2 = left + plot * low / peak, left + plot * high / peak
        mid = y + bar / 2
        parts.append(f'<line x1="{x1:.1f}" y1="{mid}" x2="{x2:.1f}" y2="{mid}" '
                     'stroke="#1f2328" stroke-width="1.5"/>')
        for x in (x1, x2):
            parts.append(f'<line x1="{x:.1f}" y1="{mid - 5}" x2="{x:.1f}" y2="{mid + 5}" '
                         'stroke="#1f2328" stroke-width="1.5"/>')
        parts.append(f'<text x="{max(x2, left + w) + 6:.1f}" y="{y + bar - 6}">'
                     f'{escape(hours(central))}</text>')
    parts.append(f'<text x="{left}" y="12" class="axis">{unit}, central estimate '
                 '(whiskers: low–high)</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
