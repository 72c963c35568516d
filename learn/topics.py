"""Topics: an article's ``page_keywords`` as taggit tags, read as reader-facing pages.

Tags are case-insensitive already; a topic also joins the spellings that differ only in
hyphens, underscores or spaces ("Big-O", "big O", "big_o"). A topic is known by the
smallest slug among its tags. A topic with fewer than THIN_TOPIC published articles is
thin: its page carries noindex and it stays out of the sitemap.
"""

from django.db.models import CharField, Count, Exists, F, Min, OuterRef, Value
from django.db.models.functions import Lower, Replace
from taggit.models import Tag, TaggedItem

from learn.models import Article

THIN_TOPIC = 2


def topic_key(name_field: str):
    """SQL for the spelling-insensitive key of a tag name."""
    expression = Lower(F(name_field))
    for separator in ("-", "_"):
        expression = Replace(expression, Value(separator), Value(" "), output_field=CharField())
    return expression


def topic_tags(slug: str) -> list[Tag]:
    """The tags of the topic that ``slug`` names, smallest slug first; empty if none."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        return []
    key = Tag.objects.filter(pk=tag.pk).annotate(key=topic_key("name")).values("key")
    return list(Tag.objects.annotate(key=topic_key("name")).filter(key=key[:1]).order_by("slug"))


def topic_articles(tags: list[Tag]):
    """Published articles filed under any of ``tags``, newest first."""
    return (
        Article.objects.published()
        .filter(tags__in=tags)
        .distinct()
        .cards()
        .order_by("-published_on", "-id")
    )


def indexable_topics():
    """Rows of (slug, article count) for every topic with at least THIN_TOPIC published
    articles, in one aggregate query over the tagged items."""
    published = Article.objects.published().filter(pk=OuterRef("object_id"))
    return (
        TaggedItem.objects.filter(content_type__model="article", content_type__app_label="learn")
        .filter(Exists(published))
        .annotate(key=topic_key("tag__name"))
        .values("key")
        .annotate(slug=Min("tag__slug"), articles=Count("object_id", distinct=True))
        .filter(articles__gte=THIN_TOPIC)
        .values_list("slug", "articles")
        .order_by("slug")
    )
