"""Time profiles: the sourced figures the time model multiplies words by.

A profile is a TOML file. The default ships in this package
(``dupscan/profiles/default.toml``) and cites a source for every figure. A user
profile given with ``--profile FILE`` overrides some or all of its keys; unknown
keys, missing bands and values of the wrong type or order raise
:class:`~dupscan.errors.ConfigError` naming the file and the key.

>>> profile = load_profile()
>>> profile.rate("composition_wpm").central
19.0
>>> round(profile.klm_seconds("M P K", "central"), 2)
2.73
"""

from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Mapping

from dupscan.errors import ConfigError

__all__ = ["LEVELS", "Band", "Level", "Profile", "load_profile"]

Level = Literal["low", "central", "high"]
LEVELS: tuple[Level, ...] = ("low", "central", "high")

# section -> key -> "band" | "number" | "text" | "sequence"
_SCHEMA: dict[str, dict[str, str]] = {
    "profile": {"name": "text", "description": "text"},
    "rates": {"composition_wpm": "band", "transcription_wpm": "band", "reading_wpm": "band"},
    "klm": {"K": "band", "P": "band", "H": "band", "M": "band"},
    "sequences": {"paste": "sequence", "link": "sequence", "edit": "sequence",
                  "field": "sequence", "source": "text"},
    "text": {"chars_per_word": "number", "source": "text"},
    "reentry": {"retype_share": "band"},
    "audit": {"narrative_answer_words": "band", "structured_answer_words": "band"},
    "annualise": {"days_per_year": "number", "min_period_days": "number",
                  "working_weeks": "number", "source": "text"},
}
# bands that are speeds: the LOW time estimate uses the HIGHEST speed
_SPEEDS = {"composition_wpm", "transcription_wpm", "reading_wpm"}
_SHARES = {"retype_share"}


@dataclass(frozen=True, slots=True)
class Band:
    """One figure as the values used for the low, central and high estimate."""

    low: float
    central: float
    high: float
    source: str = ""

    def at(self, level: Level) -> float:
        """The value used for the estimate at ``level``."""
        return float(getattr(self, level))


@dataclass(frozen=True, slots=True)
class Profile:
    """A validated time profile (see :func:`load_profile`)."""

    name: str
    path: str
    data: Mapping[str, Mapping[str, Any]]

    def rate(self, key: str) -> Band:
        """A speed in words per minute (``composition_wpm`` ...)."""
        return self._band("rates", key)

    def band(self, section: str, key: str) -> Band:
        """Any band of the profile, e.g. ``band("reentry", "retype_share")``."""
        return self._band(section, key)

    def number(self, section: str, key: str) -> float:
        """A single number, e.g. ``number("text", "chars_per_word")``."""
        return float(self.data[section][key])

    def sequence(self, key: str) -> str:
        """A keystroke-level operator sequence such as ``"M P K"``."""
        return str(self.data["sequences"][key])

    def klm_seconds(self, sequence: str, level: Level) -> float:
        """Seconds for a sequence of KLM operators at ``level``."""
        return sum(self._band("klm", op).at(level) for op in sequence.split())

    def _band(self, section: str, key: str) -> Band:
        raw = self.data[section][key]
        return Band(float(raw["low"]), float(raw["central"]), float(raw["high"]),
                    str(raw.get("source", "")))


def _freeze(value: Any) -> Any:
    """Read-only views, so a cached profile cannot be changed by a caller."""
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    return value


def _read(path: Path | None) -> tuple[dict[str, Any], str]:
    if path is None:
        ref = resources.files("dupscan.profiles").joinpath("default.toml")
        return tomllib.loads(ref.read_text(encoding="utf-8")), "dupscan/profiles/default.toml"
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read profile ({exc.__class__.__name__}: {exc})") from exc
    try:
        return tomllib.loads(text), str(path)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where} must be a number, got {value!r}")
    if not value >= 0:  # also rejects NaN
        raise ConfigError(f"{where} must be zero or more, got {value!r}")
    return float(value)


def _check_band(key: str, raw: Any, where: str, *, partial: bool) -> None:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table with low, central and high")
    unknown = set(raw) - {"low", "central", "high", "source"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; "
                          "a band has low, central, high and source")
    for level in LEVELS:
        if level in raw:
            _number(raw[level], f"{where}.{level}")
        elif not partial:
            raise ConfigError(f"{where}.{level} is missing")
    if partial and not all(level in raw for level in LEVELS):
        return
    low, central, high = (float(raw[lv]) for lv in LEVELS)
    if key in _SPEEDS:
        if min(low, central, high) <= 0:
            raise ConfigError(f"{where}: a speed must be above zero")
        if not low >= central >= high:
            raise ConfigError(f"{where}: a speed needs low >= central >= high "
                              "(the low time estimate uses the fastest speed)")
    elif not low <= central <= high:
        raise ConfigError(f"{where}: needs low <= central <= high")
    if key in _SHARES and high > 1:
        raise ConfigError(f"{where}: a share must lie between 0 and 1")


def _validate(data: Mapping[str, Any], origin: str, *, complete: bool) -> None:
    for section, body in data.items():
        if section not in _SCHEMA:
            raise ConfigError(f"{origin}: unknown section [{section}]; "
                              f"expected one of {sorted(_SCHEMA)}")
        if not isinstance(body, dict):
            raise ConfigError(f"{origin}: [{section}] must be a table")
        for key, value in body.items():
            kind = _SCHEMA[section].get(key)
            where = f"{origin}: {section}.{key}"
            if kind is None:
                raise ConfigError(f"{where} is not a known key; expected one of "
                                  f"{sorted(_SCHEMA[section])}")
            if kind == "band":
                _check_band(key, value, where, partial=not complete)
            elif kind == "number":
                _number(value, where)
            elif kind == "text" and not isinstance(value, str):
                raise ConfigError(f"{where} must be a string")
            elif kind == "sequence":
                if not isinstance(value, str) or not value.split():
                    raise ConfigError(f"{where} must be a string of KLM operators like 'M P K'")
                bad = sorted(set(value.split()) - set(_SCHEMA["klm"]))
                if bad:
                    raise ConfigError(f"{where}: unknown operator(s) {bad}; use K, P, H, M")
    if complete:
        for section, keys in _SCHEMA.items():
            for key, kind in keys.items():
                if kind in ("band", "number", "sequence") and key not in data.get(section, {}):
                    raise ConfigError(f"{origin}: {section}.{key} is missing")


def load_profile(path: str | os.PathLike[str] | None = None) -> Profile:
    """Load the default profile, overridden by the keys of ``path`` if given (cached).

    See :func:`_load_profile`; the result is cached by path, size and modification time,
    so a scan that costs each case separately reads the file once.
    """
    if path is None:
        return _cached(None, 0, 0)
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read profile ({exc.__class__.__name__}: {exc})") \
            from exc
    return _cached(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _cached(path: str | None, mtime_ns: int, size: int) -> Profile:
    del mtime_ns, size  # part of the cache key only
    return _load_profile(path)


def _load_profile(path: str | Path | None = None) -> Profile:
    """Load the default profile, overridden by the keys of ``path`` if given.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with some or all of the default profile's keys.

    Returns
    -------
    Profile

    Raises
    ------
    ConfigError
        The file cannot be read, is not TOML, or has an unknown key or a bad value.
    """
    base, origin = _read(None)
    _validate(base, origin, complete=True)
    if path is None:
        return Profile(str(base["profile"]["name"]), origin, _freeze(base))
    override, origin = _read(Path(path))
    _validate(override, origin, complete=False)
    merged = copy.deepcopy(base)
    for section, body in override.items():
        for key, value in body.items():
            if isinstance(value, dict) and isinstance(merged[section].get(key), dict):
                merged[section][key] = {**merged[section][key], **value}
            else:
                merged[section][key] = value
    _validate(merged, origin, complete=True)
    name = str(override.get("profile", {}).get("name", Path(path).stem))
    return Profile(name, origin, _freeze(merged))
