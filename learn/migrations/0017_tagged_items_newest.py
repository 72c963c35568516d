from django.db import migrations

# learn.related reads a topic's newest articles, a bounded number, from this index; the
# tagged items are taggit's table, not this app's, so the index is written out here.
NEWEST_INDEX = (
    "CREATE INDEX learn_taggeditem_newest ON taggit_taggeditem "
    "(tag_id, content_type_id, object_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0016_related_articles"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(NEWEST_INDEX, "DROP INDEX learn_taggeditem_newest"),
    ]
