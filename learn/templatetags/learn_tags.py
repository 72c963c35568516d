import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from learn.dates import format_moment
from learn.paths import subject_path

register = template.Library()


@register.filter
def moment_date(value, pattern):
    """Format a date with a moment.js pattern: {{ day|moment_date:"MMM DD, YYYY" }}."""
    return format_moment(value, pattern)


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
def subject_nav(context):
    """The header's subject navigation (``nav_subjects``), the current subject marked:
    built here rather than by a template loop with a ``{% url %}`` per subject, which
    was most of an uncached article page's rendering time."""
    request = context["request"]
    match = request.resolver_match
    view_name = match.view_name if match else None
    current = match.kwargs.get("subject") if match else None
    here = ' aria-current="page"' if view_name == "learn:subject_list" else ""
    items = [
        format_html(
            '<li><a href="{}"{}>All subjects</a></li>',
            reverse("learn:subject_list"),
            mark_safe(here),
        )
    ]
    mark = ' aria-current="page"' if view_name == "learn:article_list" else ' aria-current="true"'
    for subject in context.get("nav_subjects", ()):
        items.append(
            format_html(
                '<li><a href="{}"{}>{}</a></li>',
                subject_path(subject["slug"]),
                mark_safe(mark if subject["slug"] == current else ""),
                subject["name"],
            )
        )
    return format_html(
        '<nav class="subject-nav" aria-label="Subjects">\n  <ul class="wrap">\n    {}\n'
        "  </ul>\n</nav>",
        mark_safe("\n    ".join(items)),
    )
