"""The editor's "Picture from the library" dialog asks here: ready library pictures
matching what is typed, with their thumbnails, as JSON."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.views import View

from ..models import Picture
from ..renditions import thumbnail_url

SHOWN = 24


class PictureChoiceView(View):
    model_admin = None

    def get(self, request):
        if not request.user.has_perm("articles.view_picture"):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:100]
        pictures = Picture.objects.ready().filter(file_state="ready")
        if query:
            pictures = pictures.filter(
                Q(alt__icontains=query) | Q(caption__icontains=query) | Q(credit__icontains=query)
            )
        return JsonResponse(
            {
                "results": [
                    {
                        "id": picture.pk,
                        "thumbnail": thumbnail_url(picture.file, picture.file_renditions),
                        "alt": picture.alt,
                        "caption": picture.caption,
                        "credit": picture.credit,
                    }
                    for picture in pictures.order_by("-created_at", "-pk")[:SHOWN]
                ]
            }
        )
