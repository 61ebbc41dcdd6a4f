from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Editors' desk"

    def ready(self):
        from allauth.account.signals import user_logged_in

        from .dashboard import register_panels
        from .edit_link import hint_staff_browser

        register_panels()
        # allauth's signal, unlike Django's, carries the response the cookie goes on.
        user_logged_in.connect(hint_staff_browser, dispatch_uid="desk-hint-staff-browser")
