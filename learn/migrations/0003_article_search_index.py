from django.db import migrations

from learn.search import FTS_TABLE, sqlite_fts_statements

GIN_INDEX = "learn_article_search_vector_gin"
TRIGGERS = ("learn_article_fts_insert", "learn_article_fts_delete", "learn_article_fts_update")


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON learn_article USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        for statement in sqlite_fts_statements():
            schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    elif vendor == "sqlite":
        for trigger in TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0002_article_keywords_search_vector"),
    ]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
