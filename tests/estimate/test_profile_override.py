import pytest

from dupscan.errors import ConfigError
from dupscan.estimate import estimate, finding_seconds
from dupscan.profiles import load_profile


def _write(tmp_path, text):
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_partial_override_keeps_other_keys(tmp_path):
    path = _write(tmp_path, '[profile]\nname = "slow office"\n'
                            '[rates.composition_wpm]\ncentral = 15.0\nsource = "local study"\n')
    prof = load_profile(path)
    assert prof.name == "slow office"
    assert prof.rate("composition_wpm").central == 15.0
    assert prof.rate("composition_wpm").low == 25.0
    assert prof.rate("reading_wpm").central == 238.0
    assert finding_seconds("paraphrase", 10, 0.7, prof).central == pytest.approx(40 - 2.73)
    report = estimate([], [], profile=path)
    assert report.aggregates["totals"][0]["profile"] == "slow office"


@pytest.mark.parametrize(("text", "message"), [
    ("[rates.typing_wpm]\nlow = 1\ncentral = 1\nhigh = 1\n", "rates.typing_wpm is not a known key"),
    ("[speeds]\nx = 1\n", "unknown section"),
    ('[klm.K]\ncentral = "fast"\n', "klm.K.central must be a number"),
    ("[klm.K]\nlow = 0.5\ncentral = 0.28\nhigh = 0.6\n", "low <= central <= high"),
    ("[rates.reading_wpm]\nlow = 100\ncentral = 238\nhigh = 300\n", "low >= central >= high"),
    ("[rates.reading_wpm]\ncentral = 0\n", "above zero"),
    ("[reentry.retype_share]\nhigh = 1.5\n", "share"),
    ('[sequences]\npaste = "M X K"\n', "unknown operator"),
    ("[text]\nchars_per_word = -1\n", "zero or more"),
    ("[klm.K]\nlow = 0.1\nmedian = 0.2\n", "unknown key"),
    ("not toml = = =\n", "not valid TOML"),
])
def test_bad_profiles_name_file_and_key(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as info:
        load_profile(path)
    assert str(path) in str(info.value)


def test_missing_profile_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read profile"):
        load_profile(tmp_path / "nope.toml")
