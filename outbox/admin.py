from django.contrib import admin

from .models import Email


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """What the site has sent and what waits for the mail server; read only.

    The texts stay out of the desk: a password reset's carries a working key.
    """

    list_display = ["subject", "recipients", "created_at", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    fields = readonly_fields = ["key", "from_email", "to", "subject", "created_at", "sent_at"]

    @admin.display(description="To")
    def recipients(self, email):
        return ", ".join(email.to)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
