from django import template

from learn.dates import format_moment

register = template.Library()


@register.filter
def moment_date(value, pattern):
    """Format a date with a moment.js pattern: {{ day|moment_date:"MMM DD, YYYY" }}."""
    return format_moment(value, pattern)
