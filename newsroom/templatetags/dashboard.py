from django import template

from newsroom.dashboard import panels_for

register = template.Library()


@register.inclusion_tag("admin/dashboard/panels.html", takes_context=True)
def dashboard_panels(context):
    """The front page's panels the signed-in user may see (newsroom/dashboard.py)."""
    return {"panels": panels_for(context["request"])}
