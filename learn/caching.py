"""Reader pages cached whole for readers, all dropped by any content change.

Every cached page's key carries the current *pages version*. :func:`content_changed` is
the one way to say that what readers see has changed: each write service calls it
once, after its write and inside its transaction (``learn.editorial``,
``learn.import_runs``, ``render_answers``), and ``learn.signals`` calls it for a single
object saved or deleted through the ORM (an admin form, the shell). The new version is
set when the transaction commits, so no request in between can cache the old page
under it. Pages also expire after PAGE_SECONDS, which bounds how late a change that
bypasses both (a raw SQL fix, an article whose date arrives) can show.

Across several server processes the version must live in a shared cache: set
REDIS_URL in production (see the README); the default local-memory cache is per process.
"""

import time
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.views.decorators.cache import cache_page

from learn.models import can_preview

VERSION_KEY = "learn:pages-version"
PAGE_SECONDS = 300


def pages_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed():
    """Reader-visible content changed: every cached reader page is stale once the
    current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), None))


def cache_for_readers(view):
    """Cache a reader view's successful responses for everyone who sees what readers see.

    Those who may preview drafts (``can_preview``) always get a fresh page. The test is
    the user of a real session, never a cookie's presence: a made-up or expired session
    cookie gets the cached page like any reader, or anyone could make every request
    render.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if can_preview(request.user):
            return view(request, *args, **kwargs)
        cached = cache_page(PAGE_SECONDS, key_prefix=f"pages-{pages_version()}")(view)
        return cached(request, *args, **kwargs)

    return wrapped
