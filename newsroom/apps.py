from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with the desk's own site (newsroom.admin_site)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
