"""Settings and fixtures for the whole suite."""

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]

# Property tests are judged by what they find, not how fast examples are drawn: on a
# loaded CI machine drawing can be slow enough for Hypothesis to stop a test that would
# pass. Tests that set their own health checks keep them.
settings.register_profile("dupscan", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dupscan")


@pytest.fixture
def repo_script():
    """Load a script of the repository (``benchmarks/``, ``models/``) as a module, from its
    path relative to the repository's root."""
    def load(relative: str):
        path = REPO / relative
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return load


@pytest.fixture(scope="session")
def generated_corpus(tmp_path_factory):
    """``make(cases, seed)``: a synthetic corpus (``dupscan generate``), made once per test
    session for each ``(cases, seed)``. Tests that change files copy it first."""
    made: dict[tuple[int, int], Path] = {}

    def make(cases: int, seed: int) -> Path:
        if (cases, seed) not in made:
            from dupscan.synth import generate

            root = tmp_path_factory.mktemp(f"corpus-{cases}-{seed}") / "c"
            generate(root, cases=cases, seed=seed)
            made[(cases, seed)] = root
        return made[(cases, seed)]
    return make
