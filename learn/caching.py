"""The reader page cache, and :func:`content_changed`, the one way to say content changed.

Every cached page carries *keys*, which say what it shows: each article on it (its own
page, a card in a list, a related article), a subject's or a topic's list, the subjects
with their counts, and ``all`` (the header's navigation is on every page). The same
keys name what a change touches: :func:`changed_keys` is the one place that turns a
change into keys, for this cache and for a front cache (Varnish, a CDN), which reads
them from each page's ``Surrogate-Key`` header.

Each write service calls :func:`content_changed` once, after its write and inside its
transaction (``learn.editorial``, ``learn.importer``, ``render_answers``), and
``learn.signals`` calls it for a single object saved or deleted through the ORM. The
keys' versions move when the transaction commits: a page stored under the old version
of any of its keys is never served again, and the other pages stay. Pages also expire
after PAGE_SECONDS, which bounds how late a change that bypasses both (a raw SQL fix)
can show, and never outlive the next scheduled publication (:func:`page_seconds`):
an article scheduled for 14:00 is on every page that lists it from 14:00, without a
worker.

The versions live in the cache, so every process must share it: the default is a
file-based cache in the project folder (one machine), REDIS_URL's for several.
"""

import hashlib
import time
from dataclasses import dataclass
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from taggit.models import TaggedItem

from learn.context_processors import NAV_CACHE_KEY, header, published_subjects
from learn.frontend_cache import ban_keys
from learn.lists import neighbours
from learn.models import Article, Subject, can_preview

PAGE_SECONDS = 300
EVERYTHING = "all"
# A change touching more keys than this (a large import) drops every page: one version
# moved instead of thousands, and most pages would be dropped anyway.
MAX_KEYS = 500
# Bumped before the keys of every change: a page rendered while one committed is not
# stored, since it may show the content from before.
CHANGES_KEY = "learn:changes"
# Query parameters a cached page may depend on; any other (utm_source, a random one)
# gets the same cached page, so that it cannot make every request render.
PAGE_QUERY = ("page",)
SURROGATE_KEY_HEADER = "Surrogate-Key"
# An article's page links the newer and older articles of its subject, and carries
# their keys; an article that comes between two needs their own pages dropped
# (neighbours_key), found by two indexed queries each for a change of up to this many
# articles. Beyond it (an import), those links may be stale until the pages expire.
NEIGHBOURS_OF = 20
# The navigation last purged for, to tell a change every page shows.
NAV_KEY = "learn:nav-purged"
# The next scheduled publication (a timestamp, or NO_PUBLICATION), read by every store.
NEXT_PUBLICATION_KEY = "learn:next-publication"
NO_PUBLICATION = "none"


def article_key(pk: int) -> str:
    return f"article-{pk}"


def subject_key(pk: int) -> str:
    """A subject's list pages."""
    return f"subject-{pk}"


def neighbours_key(pk: int) -> str:
    """An article's own page, which links the articles before and after it."""
    return f"beside-{pk}"


def topic_key(tag_pk: int) -> str:
    """The list pages of the topic that a tag belongs to."""
    return f"topic-{tag_pk}"


def related_key(pk: int) -> str:
    """An article's own page's list of related articles (learn.related)."""
    return f"related-{pk}"


# Home and /learn/: the subjects with their article counts.
SUBJECTS_KEY = "subjects"
# Home and the topics index: the topics with their article counts.
TOPICS_KEY = "topics"


def changed_keys(
    *, articles=(), subjects=(), topics=(), related=(), everything=False
) -> list[str]:
    """The keys of every page that shows a change to ``articles``, ``subjects``' or
    ``topics``' lists (tag ids), or to the related articles of ``related``' pages, as the
    database is now.

    An article's change reaches its own page, every page showing its card, its
    subject's and topics' lists (its place in them may have moved) and the subject
    counts. A subject or topic named here is one whose list changed otherwise: where an
    article was before it moved or lost the topic.
    """
    articles, subjects, topics = set(articles), set(subjects), set(topics)
    related = set(related) - articles
    if everything or len(articles) + len(related) > MAX_KEYS or navigation_changed():
        return [EVERYTHING]
    if articles:
        subjects.update(
            Article.objects.filter(pk__in=articles).values_list("subject_id", flat=True)
        )
        topics.update(
            TaggedItem.objects.filter(
                content_type__app_label="learn",
                content_type__model="article",
                object_id__in=articles,
            ).values_list("tag_id", flat=True)
        )
    # The pages of the articles next to them in their subjects' lists.
    beside = neighbour_ids(articles) if len(articles) <= NEIGHBOURS_OF else set()
    keys = [
        *map(article_key, sorted(articles)),
        *map(neighbours_key, sorted(beside)),
        *map(subject_key, sorted(subjects)),
        *map(topic_key, sorted(topics)),
        *map(related_key, sorted(related)),
    ]
    if articles or subjects:
        keys.append(SUBJECTS_KEY)
    if articles or topics:
        keys.append(TOPICS_KEY)
    return [EVERYTHING] if len(keys) > MAX_KEYS else keys


def neighbour_ids(articles) -> set[int]:
    """The articles whose page links one of the published ``articles`` as its newer or
    older neighbour (``learn.lists.neighbours``)."""
    found = set()
    for article in (
        Article.objects.published().filter(pk__in=articles).only("subject_id", "published_on")
    ):
        found.update(a.pk for a in neighbours(article) if a is not None)
    return found


def navigation_changed() -> bool:
    """Whether the header's subjects (on every page) differ from those of the last
    change: an article published in an empty subject, the last one of a subject
    unpublished, a subject entering the row of the largest."""
    shown = header(published_subjects())
    if cache.get(NAV_KEY) == shown:
        return False
    cache.set(NAV_KEY, shown, None)
    return True


def content_changed(
    *, articles=(), subjects=(), topics=(), related=(), everything=False
) -> list[str]:
    """Reader-visible content changed: the pages it touches (:func:`changed_keys`) are
    stale once the current transaction commits (at once outside a transaction).

    ``articles``: ids of articles written (created, edited, published, moved, deleted:
    call it before a delete). ``subjects``, ``topics``: ids of subjects and tags whose
    lists changed beyond those articles' current ones. ``related``: ids of articles whose
    stored related articles changed (their own page only). ``everything``: a change every
    page shows (a subject's name in the navigation). Returns the keys.
    """
    keys = changed_keys(
        articles=articles,
        subjects=subjects,
        topics=topics,
        related=related,
        everything=everything,
    )
    if keys:
        transaction.on_commit(lambda: purge(keys))
    return keys


def page_seconds(limit: int = PAGE_SECONDS) -> float:
    """How long something reader-visible stored now may stand: ``limit`` seconds, or
    less, up to the next scheduled publication, when it would start to be stale.

    The moment is the subjects' stored ``counts_due_at`` (which every writer keeps by
    recounting), itself cached until then or until the next change.
    """
    now = time.time()
    moment = cache.get(NEXT_PUBLICATION_KEY)
    if moment is None or (moment != NO_PUBLICATION and moment <= now):
        due = Subject.objects.next_publication()
        moment = NO_PUBLICATION if due is None else due.timestamp()
        timeout = PAGE_SECONDS if due is None else min(PAGE_SECONDS, moment - now)
        cache.set(NEXT_PUBLICATION_KEY, moment, timeout)
    if moment == NO_PUBLICATION:
        return limit
    # Never rounded up: nothing is kept past the moment (0 keeps nothing).
    return max(0.0, min(limit, moment - now))


def purge(keys: list[str]) -> None:
    """Move the versions of ``keys``: every page carrying one is stale, here and, once
    banned, in the front caches (``learn.frontend_cache``), which fetch it again from a
    page cache that no longer holds it."""
    cache.delete(NEXT_PUBLICATION_KEY)
    cache.set(CHANGES_KEY, _new_version(), None)
    cache.set_many({_version_key(key): _new_version() for key in keys}, None)
    if EVERYTHING in keys:
        cache.delete(NAV_CACHE_KEY)
    ban_keys(keys)


def _new_version() -> int:
    # Unique enough across processes; versions are only ever compared for equality.
    return time.time_ns()


def _version_key(key: str) -> str:
    return f"learn:key:{key}"


def key_versions(keys: list[str]) -> dict[str, int]:
    """The current version of each key, starting one for a key the cache lost: a page
    stored under a lost version then no longer matches."""
    names = {_version_key(key): key for key in keys}
    found = cache.get_many(names)
    for name in names.keys() - found.keys():
        cache.add(name, _new_version(), None)
        found[name] = cache.get(name)
    return {names[name]: version for name, version in found.items()}


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    content_type: str
    keys: dict[str, int]
    etag: str
    last_modified: int
    # When it stops being served (a timestamp): shared caches may keep it until then.
    expires: float = 0.0

    def seconds_left(self) -> int:
        return max(0, round(self.expires - time.time()))

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type)
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified)
        response[SURROGATE_KEY_HEADER] = " ".join(self.keys)
        return response


def page_cache_key(request) -> str:
    query = "&".join(
        f"{name}={value}" for name in PAGE_QUERY for value in request.GET.getlist(name)
    )
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return "learn:page:" + hashlib.sha256(url.encode()).hexdigest()


def cached_page(key: str) -> CachedPage | None:
    """The page stored under ``key`` if none of its keys has moved since."""
    page = cache.get(key)
    if page is None or key_versions(list(page.keys)) != page.keys:
        return None
    return page


def store_page(
    key: str, response, page_keys: list[str], changes_before
) -> tuple[CachedPage, bool]:
    """Keep a rendered page under its keys' current versions, unless a change committed
    while it was rendered, until PAGE_SECONDS or the next scheduled publication; and say
    whether it was kept."""
    seconds = page_seconds()
    page = CachedPage(
        content=response.content,
        content_type=response["Content-Type"],
        keys=key_versions([EVERYTHING, *page_keys]),
        etag=f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
        last_modified=int(time.time()),
        expires=time.time() + seconds,
    )
    current = cache.get(CHANGES_KEY) == changes_before
    if current:
        cache.set(key, page, seconds)
    return page, current


def cache_for_readers(view):
    """Cache a reader view's pages for everyone who sees what readers see.

    Those who may preview drafts (``can_preview``) always get a fresh page, kept out of
    shared caches. The test is the user of a real session, never a cookie's presence: a
    made-up or expired session cookie gets the cached page like any reader, or anyone
    could make every request render.

    Readers' pages carry an ``ETag`` and ``Last-Modified`` and answer a conditional
    request with 304; browsers revalidate each time, shared caches may keep a page as
    long as this cache does (PAGE_SECONDS, less before a scheduled publication). The
    view lists what its page shows as ``cache_keys`` in its context.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if can_preview(request.user):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
        else:
            response = reader_response(request, view, args, kwargs)
        # The same on a hit and a miss: who asks decides whether the cache is used.
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped


def reader_response(request, view, args, kwargs):
    key = page_cache_key(request)
    page = cached_page(key)
    current = True
    if page is None:
        changes_before = cache.get(CHANGES_KEY)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200 or response.streaming:
            return response
        context = getattr(response, "context_data", None) or {}
        page, current = store_page(key, response, context.get("cache_keys", []), changes_before)
    response = page.response()
    # A page rendered while a change committed may show what was before it, and its ban
    # may reach a front cache before the page does: no shared cache keeps it.
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        must_revalidate=True,
        s_maxage=page.seconds_left() if current else 0,
    )
    return get_conditional_response(
        request, etag=page.etag, last_modified=page.last_modified, response=response
    )
