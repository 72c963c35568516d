"""Old reader URLs answer with a permanent redirect to where their content lives now."""

from django.http import HttpResponsePermanentRedirect

from learn.paths import LEARN
from learn.redirects import find_redirect


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
