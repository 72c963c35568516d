from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "learn"
    verbose_name = "Learn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from learn import signals  # noqa: F401
