import json
from urllib.parse import urlencode

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from learn import paths
from learn.dates import format_moment

register = template.Library()


@register.filter
def moment_date(value, pattern):
    """Format a date with a moment.js pattern: {{ day|moment_date:"MMM DD, YYYY" }}."""
    return format_moment(value, pattern)


@register.simple_tag
def named_path(name):
    """``{% url name %}`` for a route that takes no arguments, reversed once per process
    (learn.paths.named_path): {% named_path 'learn:home' %}."""
    return paths.named_path(name)


# The characters that could end a <script> element or open an HTML comment in it.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value):
    """Render a dict as an inert <script type="application/ld+json"> element.

    Escaped as django.utils.html.json_script escapes (<, >, &), and ASCII-only so that
    U+2028 and U+2029 cannot end a line of script.
    """
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=True).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))


@register.simple_tag(takes_context=True)
def page_links(context, page):
    """The numbered links of a list's ``page``: the first and last pages and two either
    side of the current one, with a gap ("…") where numbers are left out, as
    ``Paginator.get_elided_page_range`` gives them; each (number, query) or (None, None)."""
    query, path = context.get("query"), context["request"].path
    subject = context.get("subject_filter")
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append((None, None))
        else:
            links.append((number, path + page_query(number, query, subject)))
    return links


def page_query(number, query=None, subject=None) -> str:
    """The query string of page ``number`` of a list (of search results for ``query``, in
    the subject ``subject``): the first page has no ``page``, as its canonical URL."""
    params = {"q": query} if query else {}
    if subject:
        params["subject"] = subject
    if number > 1:
        params["page"] = number
    return "?" + urlencode(params) if params else ""


@register.simple_tag(takes_context=True)
def page_href(context, number):
    """The URL of page ``number`` of the list being shown."""
    return context["request"].path + page_query(
        number, context.get("query"), context.get("subject_filter")
    )
