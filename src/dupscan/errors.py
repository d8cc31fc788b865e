"""Exceptions raised by dupscan.

One base class, :class:`DupscanError`; each subclass is also the builtin a
caller would expect (an unreadable file is an ``OSError``, a bad option a
``ValueError``). Messages name the file or value and, where there is one, the fix.
Third-party errors are caught at the boundary and re-raised ``from`` the original.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DupscanError",
    "IngestError",
    "MissingExtraError",
    "SegmentError",
    "UnsafePathError",
]


class DupscanError(Exception):
    """Base class of every error dupscan raises on purpose."""


class IngestError(DupscanError, OSError):
    """A file could not be read: corrupt, encrypted, too large, wrong type ...

    ``path`` names the file and ``reason`` says why in one short phrase.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self):  # keep pickling (worker processes) lossless
        return (type(self), (self.path, self.reason))


class UnsafePathError(IngestError):
    """A path points outside the scan root (symlink or manifest entry)."""


class SegmentError(DupscanError, ValueError):
    """A document could not be split into fields."""


class ConfigError(DupscanError, ValueError):
    """An option, profile, manifest or ontology is invalid."""


class MissingExtraError(DupscanError, ImportError):
    """An optional dependency is not installed.

    The message names the extra to install, e.g. ``pip install 'dupscan[dask]'``.
    """

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{package} is not installed; install it with: pip install 'dupscan[{extra}]'"
        )

    def __reduce__(self):
        return (type(self), (self.package, self.extra))
