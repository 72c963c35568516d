"""Keep derived data current for writes that go through the ORM one object at a time
(an admin form, taggit's tag admin, the shell): topics as search text, subjects' and
topics' counts, and cached pages.

Bulk writes (imports, the editorial actions) say so themselves: no signal fires for them.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from learn.caching import content_changed
from learn.models import Article, RelatedArticle, RelatedLink, Subject, Topic, topic_name_key
from learn.related import MAX_RECOMPUTED, refresh_related

# Names on every page (the navigation, an article's topics): rare, and global.
NAMED_EVERYWHERE = (Subject, Tag)


@receiver(pre_save, sender=Article)
@receiver(pre_delete, sender=Article)
def drop_pages_an_article_leaves(sender, instance, **kwargs):
    """The lists an article is on before it moves, or is deleted with its topics."""
    if instance.pk is not None:
        content_changed(articles=[instance.pk])


# Connected per model: a receiver for every sender would turn each bulk delete (the
# stored related articles' rewrite) into a select and a delete.
@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=RelatedLink)
@receiver([post_save, post_delete], sender=Subject)
@receiver([post_save, post_delete], sender=Tag)
def drop_cached_pages(sender, instance, **kwargs):
    """A saved or deleted article, related link, subject or topic: its pages change.
    Redirects answer only where no page is (a 404 is never cached)."""
    if sender is Article:
        content_changed(articles=[instance.pk])
    elif sender is RelatedLink:
        content_changed(articles=[instance.article_id])
    elif sender in NAMED_EVERYWHERE:
        content_changed(everything=True)


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
def recount_subjects(sender, instance, **kwargs):
    """An article saved or deleted: its subject's stored counts, and those of the
    subject it was loaded with when an editor moved it."""
    Subject.objects.filter(pk__in={instance.subject_id, instance.loaded_subject_id}).recount()
    instance.loaded_subject_id = instance.subject_id


@receiver(post_save, sender=Article)
def store_related_articles(sender, instance, **kwargs):
    """An article saved: its related articles, and its place in others' lists."""
    related_changed([instance.pk])


@receiver(pre_delete, sender=Article)
def note_lists_an_article_leaves(sender, instance, **kwargs):
    instance.listed_by = list(
        RelatedArticle.objects.filter(target=instance)
        .order_by("-score")
        .values_list("article_id", flat=True)[:MAX_RECOMPUTED]
    )


@receiver(post_delete, sender=Article)
def refill_lists_an_article_left(sender, instance, **kwargs):
    related_changed(getattr(instance, "listed_by", ()))


def related_changed(article_ids):
    others = refresh_related(article_ids)
    if others:
        content_changed(related=others)


@receiver(m2m_changed, sender=TaggedItem)
def copy_topics_to_keywords(sender, instance, action, pk_set=None, **kwargs):
    """An article's tags edited through taggit update its ``keywords``, which the
    search index reads, and its related articles. The importer writes both itself."""
    if not isinstance(instance, Article):
        return
    if action == "pre_clear":
        # The topics it leaves, while they can still be read.
        content_changed(articles=[instance.pk])
    if action in {"post_add", "post_remove", "post_clear"}:
        instance.refresh_keywords()
        content_changed(articles=[instance.pk], topics=pk_set or ())
        related_changed([instance.pk])


@receiver(post_save, sender=Tag)
def rename_topic_in_keywords(sender, instance, created, **kwargs):
    """A topic renamed (in taggit's admin) is renamed in its articles' keywords too."""
    if not created:
        for article in Article.objects.filter(tags=instance).only("pk"):
            article.refresh_keywords()


@receiver(post_save, sender=Article)
def recount_topics(sender, instance, created, **kwargs):
    """An article saved: its topics' stored counts (its status or date may have changed).
    A new article has no topics until they are added (``count_topics_of_tags``)."""
    if not created:
        Topic.objects.recount_articles([instance.pk])


@receiver(pre_delete, sender=Article)
def remember_topics_of_deleted(sender, instance, **kwargs):
    instance.topics_before = list(instance.tags.values_list("pk", flat=True))


@receiver(post_delete, sender=Article)
def recount_topics_of_deleted(sender, instance, **kwargs):
    """An article deleted, with its tagged items: the topics it was counted in."""
    Topic.objects.recount_tags(getattr(instance, "topics_before", ()), articles=[instance.pk])


@receiver(m2m_changed, sender=TaggedItem)
def count_topics_of_tags(sender, instance, action, pk_set=None, **kwargs):
    """An article's tags added, removed or cleared: those topics' stored counts."""
    if not isinstance(instance, Article):
        return
    if action == "pre_clear":
        instance.topics_before = list(instance.tags.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        Topic.objects.recount_tags(pk_set or (), articles=[instance.pk])
    elif action == "post_clear":
        Topic.objects.recount_tags(getattr(instance, "topics_before", ()), articles=[instance.pk])


def _topic_key(tag) -> list[str]:
    return list(
        Tag.objects.filter(pk=tag.pk)
        .annotate(key=topic_name_key("name"))
        .values_list("key", flat=True)
    )


@receiver(pre_save, sender=Tag)
@receiver(pre_delete, sender=Tag)
def remember_topic_of_tag(sender, instance, **kwargs):
    instance.topic_keys_before = [] if instance.pk is None else _topic_key(instance)


@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
def recount_topic_of_tag(sender, instance, **kwargs):
    """A tag renamed or deleted (taggit's admin): the topic it left and the one it joined."""
    Topic.objects.recount_tags([instance.pk], keys=getattr(instance, "topic_keys_before", ()))
