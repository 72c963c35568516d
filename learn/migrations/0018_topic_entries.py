import django.db.models.deletion
from django.db import migrations, models

# The entries of the topics already stored: every published article under each tag of
# a topic (the key's SQL as learn.models.TopicNameKey writes it), once.
FILL = """
INSERT INTO learn_topicentry (topic_id, article_id, published_on, published_time, no_index)
SELECT DISTINCT topic.id, article.id, article.published_on, article.published_time,
    article.no_index
FROM learn_article article
JOIN taggit_taggeditem item ON item.object_id = article.id AND item.content_type_id = (
    SELECT id FROM django_content_type WHERE app_label = 'learn' AND model = 'article'
)
JOIN taggit_tag tag ON tag.id = item.tag_id
JOIN learn_topic topic
    ON topic.key = REPLACE(REPLACE(LOWER(tag.name), '-', ' '), '_', ' ')
WHERE article.status = 'published'
"""


def count_topics(apps, schema_editor):
    # The model's own recount, as 0008 does for subjects: the counts' rule has one
    # owner. After FILL it finds the entries there, and creates the topics (and their
    # entries) of a database that had none yet.
    from taggit.models import Tag

    from learn.models import Topic

    Topic.objects.using(schema_editor.connection.alias).recount_tags(
        Tag.objects.using(schema_editor.connection.alias).values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0017_tagged_items_newest"),
    ]

    operations = [
        migrations.CreateModel(
            name="TopicEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("published_on", models.DateField()),
                ("published_time", models.TimeField()),
                ("no_index", models.BooleanField()),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="learn.article",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="learn.topic",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=[
                            "topic",
                            "-published_on",
                            "-article",
                            "published_time",
                            "no_index",
                        ],
                        name="learn_topicentry_newest",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("topic", "article"), name="learn_topicentry_unique"
                    )
                ],
            },
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RunPython(count_topics, migrations.RunPython.noop),
    ]
