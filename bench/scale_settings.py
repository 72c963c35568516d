"""`make bench-scale`: the benchmark's settings with no cache at all, so that every
request costs what the first reader's after a change does."""

from bench.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Pages are measured in process, without collectstatic's manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
