from django_comments_xtd.models import XtdComment


class WorkbenchEntry(XtdComment):
    """The workbench's entry in the desk's app list; it holds nothing of its own.

    The desk lists models, so the way in to a page that is not a change list is
    a model whose change list sends the moderator on (admin.WorkbenchEntryAdmin).
    """

    class Meta:
        proxy = True
        verbose_name = "workbench"
        verbose_name_plural = "workbench"
        default_permissions = ()
