"""Reader pages cached whole for anonymous readers, all dropped by any content change.

Every cached page's key carries the current *pages version*; a change to what readers
see sets a new version when its transaction commits, so the next request renders
afresh. Pages also expire after PAGE_SECONDS, which bounds how late a change that
bypasses the hooks (a raw SQL fix, an article whose date arrives) can show.

Across several server processes the version must live in a shared cache: set
REDIS_URL in production (see the README); the default local-memory cache is per process.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.views.decorators.cache import cache_page

VERSION_KEY = "learn:pages-version"
PAGE_SECONDS = 300


def pages_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def pages_changed():
    """Every cached reader page is stale once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), None))


def cache_for_readers(view):
    """Cache a reader view's successful responses for visitors without a session.

    Anyone with a session (an editor, who may see drafts) always gets a fresh page.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        cached = cache_page(PAGE_SECONDS, key_prefix=f"pages-{pages_version()}")(view)
        return cached(request, *args, **kwargs)

    return wrapped
