"""A full-text index of the questions alone (PostgreSQL), which a common word's search
takes its candidates from when the questions hold enough of them
(learn.search.postgres._candidates): the whole index's bitmap of every match grows with
the corpus.

The SQL is written out as it was, with the term rules of 0002 (see 0003); the query
writes the same expression (``learn.search.postgres.question_vector``), which a test
checks by the plan. SQLite ranks through FTS5 and needs none.
"""

from django.db import migrations

INDEX = "learn_article_question_search"
CREATE = (
    f'CREATE INDEX "{INDEX}" ON "learn_article" USING gin ((to_tsvector(\'english\'::regconfig, '
    'COALESCE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE("question", '
    "'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), "
    "'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), ''))))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0019_subject_list_index_only"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
