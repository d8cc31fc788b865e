"""What the hostile corpus shares: the secret outside the root and the good text."""

from __future__ import annotations

from pathlib import Path

__all__ = ["GOOD_TEXT", "MiB", "SECRET_MARKER", "secret_file"]

SECRET_MARKER = "SECRET-MARKER-7f3a9c"
MiB = 1024 * 1024

#: narrative shared by the good files of case C1 (so a scan must find it re-entered)
GOOD_TEXT = ("The family home was warm and tidy during the visit. "
             "Ava showed the social worker her bedroom and her new bicycle. "
             "Mum said that the school had raised concerns about attendance this term.")


def secret_file(outside: Path) -> Path:
    """A file outside the scan root whose content must never be read."""
    outside.mkdir(parents=True, exist_ok=True)
    path = outside / "secret.txt"
    if not path.exists():
        path.write_text(f"{SECRET_MARKER}\nroot:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return path
