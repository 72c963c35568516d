"""The "Editors" group: everything the editorial admin needs, and nothing about users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
PERMISSIONS = {
    "learn": {
        "article": ["add", "change", "delete", "view"],
        "subject": ["add", "change", "delete", "view"],
        "relatedlink": ["add", "change", "delete", "view"],
        "redirect": ["add", "change", "delete", "view"],
        "importrun": ["add", "view"],
    },
    "taggit": {
        "tag": ["add", "change", "delete", "view"],
        "taggeditem": ["add", "change", "delete", "view"],
    },
}


def create_editors(apps, schema_editor):
    # Permissions are normally created after migrate; a fresh database needs them now.
    # create_permissions skips an app without models_module, which migration state lacks.
    for app_label in PERMISSIONS:
        app_config = apps.get_app_config(app_label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(
        Permission.objects.get(
            content_type__app_label=app_label,
            content_type__model=model,
            codename=f"{action}_{model}",
        )
        for app_label, models in PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    )


def delete_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0002_redirect_importrun"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_editors, delete_editors)]
