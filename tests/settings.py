"""Settings for the test suite: the project's own, with a throwaway secret key."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# The suite's cache, apart from the one a development server in this folder uses.
os.environ.setdefault(
    "CACHE_DIR", os.path.join(tempfile.gettempdir(), f"quicktakes-tests-{os.getpid()}")
)

from quicktakes.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Serve static files from the app folders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
