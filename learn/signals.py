"""Keep derived data current where the database cannot: topics as search text."""

from django.db import connections
from django.db.models.signals import m2m_changed, post_migrate
from django.dispatch import receiver
from taggit.models import TaggedItem

from learn.models import Article
from learn.search import FTS_TABLE, sqlite_trigger_statements


@receiver(m2m_changed, sender=TaggedItem)
def copy_topics_to_keywords(sender, instance, action, **kwargs):
    """Tags edited through taggit (the admin, the shell) update ``Article.keywords``,
    which the search index reads. The importer writes both itself."""
    if isinstance(instance, Article) and action in {"post_add", "post_remove", "post_clear"}:
        keywords = ", ".join(instance.tags.order_by("name").values_list("name", flat=True))
        Article.objects.filter(pk=instance.pk).update(keywords=keywords)


@receiver(post_migrate)
def ensure_search_triggers(sender, using, **kwargs):
    """Re-create the SQLite search triggers if a table rebuild dropped them."""
    connection = connections[using]
    if sender.name != "learn" or connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        tables = {row.name for row in connection.introspection.get_table_list(cursor)}
        if FTS_TABLE in tables:
            for statement in sqlite_trigger_statements():
                cursor.execute(statement)
