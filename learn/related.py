"""Related articles: the curated links first, then the articles sharing most topics."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from taggit.models import TaggedItem

from learn.models import Article

RELATED_LIMIT = 5


def computed_related(article, *, tag_ids, exclude=(), limit=RELATED_LIMIT) -> list[Article]:
    """Up to ``limit`` published articles most related to ``article``.

    Score: two points per shared topic, plus one for the same subject, so a shared topic
    outweighs the subject and the subject breaks ties; newest first among equals. Never
    ``article`` itself nor any id in ``exclude``.

    At most three small queries, whatever the number of candidates: the topic index
    gives the articles sharing topics, their cards are scored in Python, and only when
    too few share a topic are the newest of the same subject read.
    Scanning every article of the subject and its tags in one aggregate query cost a
    page several milliseconds on a corpus of only 3,000 articles.
    """
    if limit <= 0:
        return []
    skip = {article.pk, *exclude}
    shared = dict(
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), tag_id__in=tag_ids
        )
        .values("object_id")
        .annotate(count=Count("tag_id"))
        .values_list("object_id", "count")
    )
    candidates = Article.objects.published().cards().filter(pk__in=shared.keys() - skip)
    scored = sorted(
        candidates,
        key=lambda a: (
            2 * shared[a.pk] + (a.subject_id == article.subject_id),
            a.published_on,
            a.pk,
        ),
        reverse=True,
    )[:limit]
    if len(scored) < limit:
        scored += (
            Article.objects.published()
            .cards()
            .filter(subject_id=article.subject_id)
            .exclude(pk__in=skip | {a.pk for a in scored})
            .order_by("-published_on", "-id")[: limit - len(scored)]
        )
    return scored


def related_articles(article, curated: list[Article], tag_ids) -> list[Article]:
    """The curated related articles, filled up to RELATED_LIMIT with computed ones."""
    missing = RELATED_LIMIT - len(curated)
    computed = computed_related(
        article, tag_ids=tag_ids, exclude=[a.pk for a in curated], limit=missing
    )
    return [*curated, *computed]
