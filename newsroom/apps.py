from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with the desk's own site (newsroom.admin_site)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"

    def ready(self):
        super().ready()
        from django.contrib.auth.signals import user_login_failed

        from newsroom import signin

        user_login_failed.connect(signin.count_failure, dispatch_uid="newsroom.signin_failures")
