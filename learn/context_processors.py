"""Template context every page needs: the subjects in the header's navigation."""

import functools

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from learn.models import Article, Subject
from learn.paths import subject_path

# Named for its shape: a cache filled by the previous release holds names and slugs only.
NAV_CACHE_KEY = "learn:nav-subjects-with-paths"
# Short enough that a new subject or a newly published article shows within a minute,
# long enough that a busy site asks the database once a minute, not once a page.
NAV_CACHE_SECONDS = 60
# The header's row shows the largest subjects (wide screens; fewer on narrower ones, see
# site.css) and the current one; every subject is in its "All subjects" menu.
ROW_SUBJECTS = 6


def published_subjects() -> list[dict]:
    """Name, slug, path and article count of each subject with published articles, by
    name (``nav_subjects`` and the header assume this order): one query. The path is
    built here, once, not by a ``{% url %}`` per subject on every page."""
    subjects = list(
        Subject.objects.filter(Exists(Article.objects.published().filter(subject=OuterRef("pk"))))
        .order_by("name")
        .values("name", "slug", "live_articles")
    )
    for subject in subjects:
        subject["path"] = subject_path(subject["slug"])
    return subjects


def nav_subjects():
    """``published_subjects``, cached."""
    subjects = cache.get(NAV_CACHE_KEY)
    if subjects is None:
        # Imported here: learn.caching reads this module's published_subjects.
        from learn.caching import page_seconds

        subjects = published_subjects()
        cache.set(NAV_CACHE_KEY, subjects, page_seconds(NAV_CACHE_SECONDS))
    return subjects


def row_subjects(subjects, current=None) -> list[dict]:
    """The header row's subjects: the ROW_SUBJECTS largest (by name among equals), in
    name order, then the subject with slug ``current`` when it is not among them."""
    largest = sorted(subjects, key=lambda subject: (-subject["live_articles"], subject["name"]))
    slugs = {subject["slug"] for subject in largest[:ROW_SUBJECTS]}
    row = [subject for subject in subjects if subject["slug"] in slugs]
    if current and current not in slugs:
        row += [subject for subject in subjects if subject["slug"] == current]
    return row


def header(subjects) -> tuple:
    """What the header shows of ``subjects`` on every page: each subject's name and slug,
    and which are in its row. Counts that change neither change no page's header."""
    return (
        tuple((subject["name"], subject["slug"]) for subject in subjects),
        tuple(subject["slug"] for subject in row_subjects(subjects)),
    )


def subject_navigation(request):
    """``nav_subjects`` for the header and its row (``row_subjects``), looked up at most
    once per request and only if used; ``subject_nav``, the header's navigation as
    HTML."""
    match = request.resolver_match
    current = match.kwargs.get("subject") if match else None
    view = match.view_name if match else None
    subjects = SimpleLazyObject(nav_subjects)
    row = SimpleLazyObject(lambda: row_subjects(subjects, current))
    return {
        "nav_subjects": subjects,
        "nav_row": row,
        # Called by the template where it shows it, so that a page without the header
        # reads no subjects.
        "subject_nav": lambda: navigation(subjects, row, current, view),
    }


def navigation(subjects, row, current, view) -> str:
    """The header's navigation (templates/includes/subject_nav.html) for the subjects,
    the row's and the page's (its current subject's slug and its view's name)."""
    return _navigation(
        tuple((subject["name"], subject["slug"]) for subject in subjects),
        tuple(subject["slug"] for subject in row),
        current,
        view,
    )


# Navigations kept rendered, by what they show: a site has a few, one per subject and
# kind of page. Rendering one cost a page 0.4 ms of its 2.8 (SQLite, 40 subjects).
NAVIGATIONS_KEPT = 256


@functools.lru_cache(maxsize=NAVIGATIONS_KEPT)
def _navigation(subjects: tuple, row: tuple, current, view) -> str:
    listed = [{"name": name, "slug": slug, "path": subject_path(slug)} for name, slug in subjects]
    by_slug = {subject["slug"]: subject for subject in listed}
    return render_to_string(
        "includes/subject_nav.html",
        {
            "nav_subjects": listed,
            "nav_row": [by_slug[slug] for slug in row],
            "current": current,
            "view": view,
        },
    )
