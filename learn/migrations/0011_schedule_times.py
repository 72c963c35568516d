import datetime

from django.db import migrations, models


def count_articles(apps, schema_editor):
    # The model's own recount: the counts' rule has one owner. It reads only columns
    # that every later schema keeps (subject, status, publication date and time,
    # no_index, updated_at, and the subjects' stored counts).
    from learn.models import Subject

    Subject.objects.using(schema_editor.connection.alias).all().recount()


class Migration(migrations.Migration):
    """Publication at a date and time: existing articles keep their meaning (the start
    of their date in the site's time zone), and subjects are recounted when the next
    scheduled moment comes, not its day."""

    dependencies = [
        ("learn", "0008_subject_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="published_time",
            field=models.TimeField(
                default=datetime.time(0, 0),
                help_text="In the site's time zone. Readers see the article from this moment.",
                verbose_name="publication time",
            ),
        ),
        migrations.RemoveField(
            model_name="subject",
            name="counts_due_on",
        ),
        migrations.AddField(
            model_name="subject",
            name="counts_due_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                editable=False,
                help_text="When a published article scheduled in the future comes out: recount then.",
                null=True,
            ),
        ),
        migrations.RunPython(count_articles, migrations.RunPython.noop),
    ]
