from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LearnConfig(AppConfig):
    name = "learn"
    verbose_name = "Learn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from learn import history, signals  # noqa: F401
        from learn.search.sqlite import recreate_triggers

        post_migrate.connect(recreate_triggers, sender=self)
