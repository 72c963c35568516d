import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from learn.dates import format_moment

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
