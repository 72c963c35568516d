"""Related articles: the curated links first, then the articles sharing most topics."""

from django.db.models import Case, Count, IntegerField, Q, Value, When

from learn.models import Article

RELATED_LIMIT = 5


def computed_related(article, *, tag_ids, exclude=(), limit=RELATED_LIMIT) -> list[Article]:
    """Up to ``limit`` published articles most related to ``article``, in one query.

    Score: two points per shared topic, plus one for the same subject, so a shared topic
    outweighs the subject and the subject breaks ties; newest first among equals. Never
    ``article`` itself nor any id in ``exclude``.
    """
    if limit <= 0:
        return []
    shared = Count("tags", filter=Q(tags__in=tag_ids), distinct=True)
    same_subject = Case(
        When(subject_id=article.subject_id, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return list(
        Article.objects.published()
        .filter(Q(tags__in=tag_ids) | Q(subject_id=article.subject_id))
        .exclude(pk__in=[article.pk, *exclude])
        .annotate(relatedness=2 * shared + same_subject)
        .cards()
        .order_by("-relatedness", "-published_on", "-id")[:limit]
    )


def related_articles(article, curated: list[Article], tag_ids) -> list[Article]:
    """The curated related articles, filled up to RELATED_LIMIT with computed ones."""
    missing = RELATED_LIMIT - len(curated)
    computed = computed_related(
        article, tag_ids=tag_ids, exclude=[a.pk for a in curated], limit=missing
    )
    return [*curated, *computed]
