"""The answer as plain text (``Article.answer_text``, made by ``learn.rendering``), and
both search indexes rebuilt to read it rather than the Markdown; on SQLite also a trigram
table of the questions, where misspelt words find their corrections (on PostgreSQL the
trigram index of 0007 serves).

The SQL is written out as it was, not read from learn.search (see 0003).
"""

import importlib

import django.contrib.postgres.search
from django.db import migrations, models

import learn.search.postgres

# The term rules of 0002, unchanged.
TERMS = (
    ("C++", "cplusplus"),
    ("c++", "cplusplus"),
    ("C#", "csharp"),
    ("c#", "csharp"),
    ("F#", "fsharp"),
    ("f#", "fsharp"),
    (".NET", "dotnet"),
)
GIN_INDEX = "learn_article_search_vector_gin"
TRIGGERS = ("learn_article_fts_insert", "learn_article_fts_delete", "learn_article_fts_update")
# learn.search.sqlite.rebuild_statements() as it was, with the term rules of 0002.
SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS learn_article_fts USING fts5(question, keywords, answer_text, content='learn_article', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS learn_article_spelling USING fts5(question, content='learn_article', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS learn_article_fts_insert AFTER INSERT ON learn_article BEGIN INSERT INTO learn_article_fts(rowid, question, keywords, answer_text) VALUES (new.id, replace(replace(replace(replace(replace(replace(replace(new.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(new.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(new.answer_text, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet ')); INSERT INTO learn_article_spelling(rowid, question) VALUES (new.id, new.question); END",
    "CREATE TRIGGER IF NOT EXISTS learn_article_fts_delete AFTER DELETE ON learn_article BEGIN INSERT INTO learn_article_fts(learn_article_fts, rowid, question, keywords, answer_text) VALUES ('delete', old.id, replace(replace(replace(replace(replace(replace(replace(old.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(old.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(old.answer_text, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet ')); INSERT INTO learn_article_spelling(learn_article_spelling, rowid, question) VALUES ('delete', old.id, old.question); END",
    "CREATE TRIGGER IF NOT EXISTS learn_article_fts_update AFTER UPDATE OF question, keywords, answer_text ON learn_article BEGIN INSERT INTO learn_article_fts(learn_article_fts, rowid, question, keywords, answer_text) VALUES ('delete', old.id, replace(replace(replace(replace(replace(replace(replace(old.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(old.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(old.answer_text, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet ')); INSERT INTO learn_article_spelling(learn_article_spelling, rowid, question) VALUES ('delete', old.id, old.question); INSERT INTO learn_article_fts(rowid, question, keywords, answer_text) VALUES (new.id, replace(replace(replace(replace(replace(replace(replace(new.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(new.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(new.answer_text, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet ')); INSERT INTO learn_article_spelling(rowid, question) VALUES (new.id, new.question); END",
    "INSERT INTO learn_article_fts(learn_article_fts) VALUES ('delete-all')",
    "INSERT INTO learn_article_spelling(learn_article_spelling) VALUES ('delete-all')",
    "INSERT INTO learn_article_fts(rowid, question, keywords, answer_text) SELECT id, replace(replace(replace(replace(replace(replace(replace(learn_article.question, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(learn_article.keywords, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet '), replace(replace(replace(replace(replace(replace(replace(learn_article.answer_text, 'C++', ' cplusplus '), 'c++', ' cplusplus '), 'C#', ' csharp '), 'c#', ' csharp '), 'F#', ' fsharp '), 'f#', ' fsharp '), '.NET', ' dotnet ') FROM learn_article",
    "INSERT INTO learn_article_spelling(rowid, question) SELECT id, question FROM learn_article",
]


def drop_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in ("learn_article_fts", "learn_article_spelling"):
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


def drop_search_index(apps, schema_editor):
    """Reversed: the indexes this migration made, before its fields go."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    drop_sqlite_index(apps, schema_editor)


def create_0003_index(apps, schema_editor):
    """Reversed: the indexes of 0003 again, over the answer's Markdown."""
    importlib.import_module("learn.migrations.0003_article_search_index").create_search_index(
        apps, schema_editor
    )


def fill_answer_text(apps, schema_editor):
    # The renderer of today: the plain text is its output, whatever the answer's age.
    from learn.rendering import render

    Article = apps.get_model("learn", "Article")
    articles = Article.objects.using(schema_editor.connection.alias).only("pk", "answer")
    batch = []
    for article in articles.order_by("pk").iterator(chunk_size=500):
        article.answer_text = render(article.answer).text
        batch.append(article)
        if len(batch) == 500:
            Article.objects.bulk_update(batch, ["answer_text"])
            batch = []
    Article.objects.bulk_update(batch, ["answer_text"])


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON learn_article USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        for statement in SQLITE_INDEX:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0010_revision_origins"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_index, create_0003_index),
        migrations.RemoveField(model_name="article", name="search_vector"),
        migrations.AddField(
            model_name="article",
            name="answer_text",
            field=models.TextField(
                default="",
                editable=False,
                help_text="The answer as plain text: search reads it.",
            ),
        ),
        migrations.RunPython(fill_answer_text, migrations.RunPython.noop),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=learn.search.postgres.ArticleSearchVector(
                    terms=TERMS, answer="answer_text"
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
