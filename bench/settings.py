"""The project's settings plus a bare view, so the benchmark can compare against it."""

from quicktakes.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
