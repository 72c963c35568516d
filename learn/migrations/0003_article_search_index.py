"""The search indexes: a GIN index over search_vector on PostgreSQL; on SQLite the FTS5
table, the triggers that keep it current, and every article indexed.

The SQL is written out as it was, not read from learn.search: this migration must keep
building what it built when the term rules change (a later migration changes them).
"""

from django.db import migrations

GIN_INDEX = "learn_article_search_vector_gin"
FTS_TABLE = "learn_article_fts"
TRIGGERS = ("learn_article_fts_insert", "learn_article_fts_delete", "learn_article_fts_update")
# learn.search.sqlite.rebuild_statements() as it was, with the term rules of 0002.
SQLITE_INDEX = [
    (
        "CREATE VIRTUAL TABLE IF NOT EXISTS learn_article_fts USING fts5(question, keywords, answer,"
        " content='learn_article', content_rowid='id',"
        " tokenize='porter unicode61 remove_diacritics 2')"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS learn_article_fts_insert AFTER INSERT ON learn_article"
        " BEGIN"
        " INSERT INTO learn_article_fts(rowid, question, keywords, answer)"
        " VALUES (new.id,"
        " replace(replace(replace(replace(replace(replace(replace(new.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(new.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(new.answer, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '));"
        " END"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS learn_article_fts_delete AFTER DELETE ON learn_article"
        " BEGIN"
        " INSERT INTO learn_article_fts(learn_article_fts, rowid, question, keywords, answer)"
        " VALUES ('delete', old.id,"
        " replace(replace(replace(replace(replace(replace(replace(old.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(old.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(old.answer, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '));"
        " END"
    ),
    (
        "CREATE TRIGGER IF NOT EXISTS learn_article_fts_update AFTER UPDATE OF question, keywords, answer ON learn_article"
        " BEGIN"
        " INSERT INTO learn_article_fts(learn_article_fts, rowid, question, keywords, answer)"
        " VALUES ('delete', old.id,"
        " replace(replace(replace(replace(replace(replace(replace(old.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(old.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(old.answer, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '));"
        " INSERT INTO learn_article_fts(rowid, question, keywords, answer)"
        " VALUES (new.id,"
        " replace(replace(replace(replace(replace(replace(replace(new.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(new.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(new.answer, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '));"
        " END"
    ),
    (
        "INSERT INTO learn_article_fts(learn_article_fts)"
        " VALUES ('delete-all')"
    ),
    (
        "INSERT INTO learn_article_fts(rowid, question, keywords, answer)"
        " SELECT id,"
        " replace(replace(replace(replace(replace(replace(replace(learn_article.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(learn_article.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '),"
        " replace(replace(replace(replace(replace(replace(replace(learn_article.answer, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet ')"
        " FROM learn_article"
    ),
]


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON learn_article USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        for statement in SQLITE_INDEX:
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
