"""Indexes for the admin's article list at a million rows.

The "has dangling links" filter reads a partial index of the unresolved links. On
PostgreSQL, the list's search (``icontains`` on question and slug) goes through trigram
indexes on the ``UPPER(...)`` expression Django's ``icontains`` compares; SQLite scans,
which stays cheap at its sizes.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_COLUMNS = ("question", "slug")


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX learn_article_{column}_trgm ON learn_article "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX learn_article_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0006_long_slugs"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="relatedlink",
            index=models.Index(
                condition=models.Q(("target__isnull", True)),
                fields=["article"],
                name="learn_relatedlink_dangling",
            ),
        ),
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
