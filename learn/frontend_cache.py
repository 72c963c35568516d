"""Front caches (Varnish, or a CDN that bans by surrogate key): told which keys a change
made stale, as Wagtail's ``frontend_cache`` tells its HTTP backends which URLs to purge.

``settings.FRONTEND_CACHE_URLS`` (the ``VARNISH_URLS`` variable) lists each Varnish's
address. :func:`ban_keys` sends every one of them ``BAN /`` requests naming the keys in
the ``X-Ban-Keys`` header, at most BATCH keys a request; ``quicktakes/varnish/
quicktakes.vcl`` turns each into a ban on ``obj.http.Surrogate-Key``, which only the
addresses in its ``purgers`` ACL may send. A Varnish that is down or refuses is logged,
never raised: the change is committed already, and pages that Varnish keeps expire by
their ``s-maxage``.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin
from urllib.request import Request, urlopen

from django.conf import settings

logger = logging.getLogger(__name__)

BAN_HEADER = "X-Ban-Keys"
# Keys per request: 500 keys (caching.MAX_KEYS) are four requests of headers under 4 KB.
BATCH = 150
# Seconds to wait for one Varnish: a save waits at most this long per request.
TIMEOUT = 2


def ban_keys(keys: list[str]) -> int:
    """Ban every page carrying any of ``keys`` in each configured front cache. Returns
    how many requests succeeded; failures are logged."""
    succeeded = 0
    for base in settings.FRONTEND_CACHE_URLS:
        for start in range(0, len(keys), BATCH):
            batch = keys[start : start + BATCH]
            request = Request(
                urljoin(base, "/"),
                method="BAN",
                headers={BAN_HEADER: " ".join(batch), "User-Agent": "QuickTakes-purge"},
            )
            try:
                with urlopen(request, timeout=TIMEOUT) as response:
                    response.read()
            except HTTPError as error:
                logger.error(
                    "Could not ban %d keys at %s: HTTP %d %s",
                    len(batch),
                    base,
                    error.code,
                    error.reason,
                )
            except (URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                logger.error("Could not ban %d keys at %s: %s", len(batch), base, reason)
            else:
                succeeded += 1
    return succeeded
