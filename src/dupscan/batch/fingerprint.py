"""Fingerprints of what a stored scan result depends on.

An index entry is reused only while the code of the stages, the blank
templates and the options that made it are unchanged; these functions turn
each into a short string that changes when it does.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

__all__ = ["code_digest", "code_fingerprint", "templates_fingerprint"]

_CODE_SUFFIXES = (".py", ".toml", ".json", ".npz", ".safetensors", ".txt", ".spacy")


def _files(root: Path, suffixes: tuple[str, ...] | None = None) -> Iterator[tuple[str, Path]]:
    """``(relative posix path, path)`` of the files under ``root`` ending in one of
    ``suffixes`` (all when None), in a fixed order; caches and hidden folders skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
        for name in sorted(filenames):
            if suffixes is None or name.endswith(suffixes):
                path = Path(dirpath) / name
                yield path.relative_to(root).as_posix(), path


def _tree(root: Path, suffixes: tuple[str, ...] | None = None) -> str:
    digest = hashlib.sha256()
    for rel, path in _files(root, suffixes):
        st = path.stat()
        digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Version plus size and time of every code and model file of the package."""
    import dupscan

    return f"{dupscan.__version__}:{_tree(Path(dupscan.__file__).parent, _CODE_SUFFIXES)}"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Version plus the content of every code and model file of the package.

    Unlike :func:`code_fingerprint` (sizes and times, cheap enough for every
    scan), equal on two machines that installed the same code at different
    times: it is how a scan checks that Dask workers elsewhere run its code.
    """
    import dupscan

    digest = hashlib.sha256()
    for rel, path in _files(Path(dupscan.__file__).parent, _CODE_SUFFIXES):
        digest.update(f"{rel}\0".encode())
        digest.update(path.read_bytes())
    return f"{dupscan.__version__}:{digest.hexdigest()}"


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
