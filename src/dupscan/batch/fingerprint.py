"""Fingerprints of what a stored scan result depends on.

An index entry is reused only while the code of the stages, the blank
templates and the options that made it are unchanged; these functions turn
each into a short string that changes when it does.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

__all__ = ["code_fingerprint", "templates_fingerprint"]

_CODE_SUFFIXES = (".py", ".toml", ".json", ".npz", ".safetensors", ".txt", ".spacy")


def _tree(root: Path, suffixes: tuple[str, ...] | None = None) -> str:
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
        for name in sorted(filenames):
            if suffixes is not None and not name.endswith(suffixes):
                continue
            path = Path(dirpath) / name
            st = path.stat()
            digest.update(f"{path.relative_to(root).as_posix()}\0{st.st_size}\0"
                          f"{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Version plus size and time of every code and model file of the package."""
    import dupscan

    return f"{dupscan.__version__}:{_tree(Path(dupscan.__file__).parent, _CODE_SUFFIXES)}"


def templates_fingerprint(templates: str | os.PathLike[str] | None) -> str:
    """Names, sizes and times of the blank templates (empty when there are none)."""
    if templates is None:
        return ""
    path = Path(templates)
    if not path.exists():
        return f"missing:{path}"
    if path.is_file():
        st = path.stat()
        return f"{path.name}:{st.st_size}:{st.st_mtime_ns}"
    return _tree(path)
