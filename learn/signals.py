"""Keep derived data current where the database cannot: topics as search text, and
the version that cached reader pages are keyed by."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from learn.caching import pages_changed
from learn.models import Article, Redirect, RelatedLink, Subject

READER_VISIBLE = (Article, Subject, RelatedLink, Redirect, Tag)


@receiver(post_save)
@receiver(post_delete)
def drop_cached_pages(sender, **kwargs):
    """A saved or deleted article, subject, link, redirect or topic: pages change."""
    if sender in READER_VISIBLE:
        pages_changed()


@receiver(m2m_changed, sender=TaggedItem)
def copy_topics_to_keywords(sender, instance, action, **kwargs):
    """Tags edited through taggit (the admin, the shell) update ``Article.keywords``,
    which the search index reads. The importer writes both itself."""
    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        pages_changed()
        keywords = ", ".join(instance.tags.order_by("name").values_list("name", flat=True))
        Article.objects.filter(pk=instance.pk).update(keywords=keywords)
