"""Every field value and every truth text is what a reader of the file sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import load_jsonl
from .readers import norm, reader_text


@pytest.fixture(scope="module")
def seen(small_corpus: Path):  # type: ignore[no-untyped-def]
    cache: dict[str, str] = {}

    def get(doc: str) -> str:
        if doc not in cache:
            cache[doc] = norm(reader_text(small_corpus, doc))
        return cache[doc]

    return get


def test_every_field_text_is_visible(small_corpus: Path, seen) -> None:  # type: ignore[no-untyped-def]
    missing = []
    for row in load_jsonl(small_corpus / "fields.jsonl"):
        text = seen(row["doc"])
        for f in row["fields"]:
            if norm(f["text"]) not in text or norm(f["label"]) not in text:
                missing.append((row["doc"], f["label"]))
    assert missing == []


def test_every_truth_text_is_visible(small_corpus: Path, seen) -> None:  # type: ignore[no-untyped-def]
    items = load_jsonl(small_corpus / "truth.jsonl")
    assert items
    missing = [(t["kind"], side, t[side]["doc"]) for t in items for side in ("source", "target")
               if norm(t[side]["text"]) not in seen(t[side]["doc"])]
    assert missing == []


def test_truth_text_lies_inside_the_named_field(small_corpus: Path) -> None:
    fields = {row["doc"]: {f["label"]: f["text"] for f in row["fields"]}
              for row in load_jsonl(small_corpus / "fields.jsonl")}
    for t in load_jsonl(small_corpus / "truth.jsonl"):
        for side in ("source", "target"):
            ref = t[side]
            assert norm(ref["text"]) in norm(fields[ref["doc"]][ref["field"]]), (t["kind"], side, ref["doc"])


def test_guidance_is_not_part_of_field_values(small_corpus: Path) -> None:
    prompts = set()
    for template in (small_corpus / "templates").glob("*.md"):
        prompts |= {line[2:] for line in template.read_text(encoding="utf-8").splitlines() if line.startswith("> ")}
    assert len(prompts) > 40
    for row in load_jsonl(small_corpus / "fields.jsonl"):
        for f in row["fields"]:
            assert not any(p in f["text"] for p in prompts), (row["doc"], f["label"])


def test_every_format_is_read_back(small_corpus: Path) -> None:
    suffixes = {row["doc"].partition("#")[0].rsplit(".", 1)[-1] for row in load_jsonl(small_corpus / "fields.jsonl")}
    assert suffixes == {"txt", "md", "docx", "pdf", "html", "csv"}
