import django.db.models.deletion
from django.db import migrations, models

from learn.links import site_links


def store_answer_links(apps, schema_editor):
    """The links of the answers rendered before this field existed, from their HTML."""
    Article = apps.get_model("learn", "Article")
    batch = []
    articles = Article.objects.filter(answer_html__contains="/learn/").only("pk", "answer_html")
    for article in articles.order_by("pk").iterator(chunk_size=500):
        if links := site_links(article.answer_html):
            article.answer_links = "\n".join(links)
            batch.append(article)
        if len(batch) == 500:
            Article.objects.bulk_update(batch, ["answer_links"])
            batch = []
    Article.objects.bulk_update(batch, ["answer_links"])


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0013_article_answer_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSource",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="source_file_data",
                        serialize=False,
                        to="learn.article",
                    ),
                ),
                ("data", models.BinaryField()),
            ],
        ),
        migrations.AddField(
            model_name="article",
            name="answer_links",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="The site paths (/learn/…) the answer links to, one a line, for the broken-links report.",
            ),
        ),
        migrations.AddField(
            model_name="importrun",
            name="article_ids",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The article of each file name kept in outcomes (not for a dry run's new ones).",
            ),
        ),
        migrations.AddField(
            model_name="importrun",
            name="diffs",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="What an import changed in each updated file (the first ones, each bounded).",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("answer_links", ""), _negated=True),
                fields=["id"],
                name="learn_article_answer_links",
            ),
        ),
        migrations.RunPython(store_answer_links, migrations.RunPython.noop),
    ]
