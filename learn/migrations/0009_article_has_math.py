from django.db import migrations, models


def mark_answers_with_math(apps, schema_editor):
    # What the renderer says from now on: the answer's HTML holds MathML.
    Article = apps.get_model("learn", "Article")
    Article.objects.filter(answer_html__contains="<math").update(has_math=True)


class Migration(migrations.Migration):

    dependencies = [
        ('learn', '0011_schedule_times'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='has_math',
            field=models.BooleanField(default=False, editable=False, help_text='The answer has math (MathML).'),
        ),
        migrations.RunPython(mark_answers_with_math, migrations.RunPython.noop),
    ]
