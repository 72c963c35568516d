"""Paths no page can have are not found before anything looks them up; old reader URLs
answer with a permanent redirect to where their content lives now; with DEBUG on, a
missing page is still the site's 404 page."""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpResponsePermanentRedirect

from learn.paths import LEARN, may_be_served
from learn.redirects import find_redirect


class RefuseUnservablePathsMiddleware:
    """The site's 404 for a path no page can have (``learn.paths.may_be_served``), for
    every method, before static files, views, the admin or the redirect lookup see it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_be_served(request.path_info):
            raise Http404("No page has such a path.")
        return self.get_response(request)


class RedirectFallbackMiddleware:
    """Like django.contrib.redirects: consulted only when a /learn/ page is not found."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or not request.path.startswith(LEARN):
            return response
        new_path = find_redirect(request.path)
        if new_path is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{new_path}?{query}" if query else new_path)


class DebugNotFoundPageMiddleware:
    """With DEBUG on (``make run``), the site's 404 page for a missing reader page, where
    Django would show its technical page: handler404 (``learn.views.page_not_found``)
    answers only with DEBUG off, and the page, with its suggestions, is worth seeing in
    development. The admin's 404s stay technical. Not loaded at all with DEBUG off."""

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        # Here, not above: the views import what this module must not load (see
        # tests/test_middleware.py), and only development gets this far.
        from learn.views import is_admin_path, page_not_found

        response = self.get_response(request)
        if response.status_code != 404 or is_admin_path(request.path):
            return response
        return page_not_found(request)
