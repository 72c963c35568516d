from django.contrib import admin

from learn.models import Article, RelatedLink, Subject


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 0
    max_num = 5
    raw_id_fields = ["target"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["question", "subject", "status", "published_on"]
    list_filter = ["status", "subject"]
    list_select_related = ["subject"]
    search_fields = ["question", "slug"]
    raw_id_fields = ["subject"]
    readonly_fields = ["content_hash", "created_at", "updated_at"]
    inlines = [RelatedLinkInline]


@admin.register(RelatedLink)
class RelatedLinkAdmin(admin.ModelAdmin):
    list_display = ["article", "position", "target_url", "target"]
    raw_id_fields = ["article", "target"]
    search_fields = ["target_url", "target_title"]
