"""Reports in the editors' admin: the broken-links report (``learn.link_report``)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path

from learn.link_report import broken_answer_links, dangling_related_links

PER_PAGE = 100
KINDS = {
    "related": "Related links that dangle",
    "answers": "Links in answers that answer 404",
}


def broken_links(request):
    """Links readers would follow to nothing, a page at a time, each with the article
    to fix: related links without a target (``?kind=related``, the default) or links
    in answers to site paths no page answers (``?kind=answers``). Anyone who may view
    articles may see it."""
    if not request.user.has_perm("learn.view_article"):
        raise PermissionDenied
    kind = request.GET.get("kind")
    if kind not in KINDS:
        kind = "related"
    links = dangling_related_links() if kind == "related" else broken_answer_links()
    page = Paginator(links, PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "admin/learn/broken_links.html",
        {
            **admin.site.each_context(request),
            "title": "Broken links",
            "kind": kind,
            "kinds": KINDS,
            "heading": KINDS[kind],
            "page": page,
        },
    )


urlpatterns = [
    path("broken-links/", admin.site.admin_view(broken_links), name="broken_links"),
]
