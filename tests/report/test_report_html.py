import base64
import hashlib
import json
import re
from html.parser import HTMLParser

from dupscan.report import render, write_reports
from dupscan.report.diff import word_diff
from dupscan.report.html import json_block

from report_sample import XSS, build_report

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section",
    "h1", "h2", "h3", "p", "div", "span", "ol", "li", "table", "thead", "tbody", "tr", "th",
    "td", "a", "input", "select", "option", "label", "details", "summary", "mark", "figure",
    "figcaption", "svg", "rect", "text", "line", "title", "script", "code",
}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.scripts = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append([dict(attrs), ""])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1][1] += data


def _parse(page):
    parser = _Tags()
    parser.feed(page)
    return parser


def test_record_text_stays_inert(annual_report):
    page = render(annual_report, "html")
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "{{ 7*7 }}" in page and "{% raw %}" in page  # template syntax in data is not run
    parsed = _parse(page)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "src" not in attrs and "style" not in attrs
        if "href" in attrs:
            assert attrs["href"].startswith("#")
    assert [a.get("type") for a, _ in parsed.scripts] == ["application/json", None]
    assert page.count("</script>") == 2


def test_no_external_urls_and_csp_hashes_match(annual_report):
    page = render(annual_report, "html")
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    assert "@import" not in page and "url(" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "unsafe" not in csp
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    for body in (style, script):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_json_data_block_cannot_break_out():
    block = str(json_block({"x": "</script><script>alert(1)</script> & \u2028"}))
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["x"].startswith("</script>")


def test_data_block_parses(annual_report):
    page = render(annual_report, "html")
    parsed = _parse(page)
    data = json.loads(parsed.scripts[0][1])
    assert data["schema"] == "dupscan.report-data/1"
    assert [c["id"] for c in data["cases"]] == ["C001", "C002"]


def test_headline_charts_recommendations_and_sections(annual_report):
    page = render(annual_report, "html")
    for section in ("headline", "recommendations", "charts", "pairs", "fields", "prefill",
                    "stock", "cases", "skipped", "method"):
        assert f'id="{section}"' in page
    assert page.count("<svg") == 2
    assert "Reclaimable a year" in page and "Per worker a week (12 staff)" in page
    assert ("Prefill &#39;Background&#39; in the child and family assessment from the contact "
            "referral") in page
    assert "Link &#39;Entry&#39; in the chronology to the child and family assessment&#39;s" in page
    assert "corrupt zip: bad CRC" in page
    assert "Karat" in page and "Brysbaert" in page  # sourced figures are shown
    assert "@media print" in page


def test_drilldown_highlights_copied_words(report):
    page = render(report, "html")
    assert page.count('<details class="case"') == 2
    assert "<mark>" in page
    assert "<mark>arrived at school with a bruise on his cheek and said</mark>" in page


def test_html_is_deterministic_and_redactable(report, tmp_path):
    assert render(report, "html") == render(report, "html")
    red = render(report, "html", redact=True)
    assert "Okafor" not in red and "0113 496 0000" not in red and "[name]" in red
    assert "Excerpts are redacted" in red
    paths = write_reports(report, tmp_path, ["html"], redact=True)
    assert paths["html"].read_text("utf-8") == red


def test_word_diff_segments_rebuild_the_text():
    src = "Liam said Dad hit him.  Mum was out."
    tgt = "On Monday Liam said his father hit him. Mum was out!"
    s, t = word_diff(src, tgt)
    assert "".join(x for x, _ in s) == src and "".join(x for x, _ in t) == tgt
    assert [x for x, m in t if m] == ["Liam said", "hit him. Mum was out!"]


def test_empty_report_renders():
    from dupscan.estimate import estimate

    page = render(estimate([], []), "html")
    assert "No re-entry found" in page and page.rstrip().endswith("</html>")


def test_big_report_caps_the_drilldown():
    from dupscan.estimate import estimate
    from dupscan.model import Finding, Form, Span

    forms = [Form("a", "c/a", "C", "x", "2024-01-01", ()), Form("b", "c/b", "C", "y",
                                                                "2024-02-01", ())]
    findings = [Finding("C", "exact", 1.0, 8, Span("a", "c/a", "f", i, i + 5, "one two three"),
                        Span("b", "c/b", "g", i, i + 5, "one two three")) for i in range(100)]
    page = render(estimate(forms, findings), "html")
    assert page.count('<div class="pair">') == 60
    assert "40 more findings in this case" in page


def test_long_tables_are_capped_with_a_pointer_to_the_csv():
    from dupscan.estimate import estimate
    from dupscan.model import Finding, Form, Span
    from dupscan.report.html import MAX_TABLE_ROWS

    forms = [Form("a", "c/a", "C", "x", "2024-01-01", ()), Form("b", "c/b", "C", "y",
                                                                "2024-02-01", ())]
    n = MAX_TABLE_ROWS + 100
    findings = [Finding("C", "exact", 1.0, 8, Span("a", "c/a", f"field {i}", i, i + 5, "a b"),
                        Span("b", "c/b", "g", i, i + 5, "a b")) for i in range(n)]
    page = render(estimate(forms, findings), "html")
    assert f"Showing the first {MAX_TABLE_ROWS} of {n:,} rows" in page
    assert "aggregates_field_pair.csv" in page
