"""Template context every page needs: the subjects in the header's navigation."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from learn.models import Article, Subject

NAV_CACHE_KEY = "learn:nav-subjects"
# Short enough that a new subject or a newly published article shows within a minute,
# long enough that a busy site asks the database once a minute, not once a page.
NAV_CACHE_SECONDS = 60


def published_subjects() -> list[dict]:
    """Name and slug of each subject with published articles, by name: one query."""
    return list(
        Subject.objects.filter(Exists(Article.objects.published().filter(subject=OuterRef("pk"))))
        .order_by("name")
        .values("name", "slug")
    )


def nav_subjects():
    """``published_subjects``, cached."""
    subjects = cache.get(NAV_CACHE_KEY)
    if subjects is None:
        # Imported here: learn.caching reads this module's published_subjects.
        from learn.caching import page_seconds

        subjects = published_subjects()
        cache.set(NAV_CACHE_KEY, subjects, page_seconds(NAV_CACHE_SECONDS))
    return subjects


def subject_navigation(request):
    """``nav_subjects`` for the header, looked up at most once per request and only if used."""
    return {"nav_subjects": SimpleLazyObject(nav_subjects)}
