from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/reports/", include(("learn.admin_reports", "reports"))),
    path("admin/", admin.site.urls),
    path("", include("learn.urls")),
]

# A missing page suggests the articles its slug's words find (learn.views.page_not_found).
handler404 = "learn.views.page_not_found"
# A database outage answers 503 with Retry-After rather than 500 (learn.views.server_error).
handler500 = "learn.views.server_error"
