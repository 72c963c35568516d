from django.urls import path
from django.views.generic import RedirectView

from learn import views

app_name = "learn"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("learn/", views.SubjectListView.as_view(), name="subject_list"),
    path(
        "learn/<slug:subject>/",
        RedirectView.as_view(pattern_name="learn:article_list", permanent=True),
    ),
    path("learn/<slug:subject>/questions/", views.ArticleListView.as_view(), name="article_list"),
    path(
        "learn/<slug:subject>/questions/<slug:slug>",
        views.ArticleDetailView.as_view(),
        name="article_detail",
    ),
    # The source URLs have no trailing slash; the slashed form is the same page.
    path(
        "learn/<slug:subject>/questions/<slug:slug>/",
        RedirectView.as_view(
            pattern_name="learn:article_detail", permanent=True, query_string=True
        ),
    ),
]
