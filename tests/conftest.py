"""Settings for the whole suite."""

from hypothesis import HealthCheck, settings

# Property tests are judged by what they find, not how fast examples are drawn: on a
# loaded CI machine drawing can be slow enough for Hypothesis to stop a test that would
# pass. Tests that set their own health checks keep them.
settings.register_profile("dupscan", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dupscan")
