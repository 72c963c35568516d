from django.http import HttpResponse
from django.urls import path

from quicktakes.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The least a Django view can do: the ceiling for any page of the site."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare", bare), *site_urlpatterns]
