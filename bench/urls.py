from django.http import HttpResponse
from django.urls import path

from learn import paths, views
from quicktakes.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The least a Django view can do: the ceiling for any page of the site."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare", bare),
    # The article page without the page cache: what the first reader after a change,
    # a crawler or an editor waits for.
    path("bench/rendered/" + paths.ARTICLE.route, views.ArticleDetailView.as_view()),
    *site_urlpatterns,
]
