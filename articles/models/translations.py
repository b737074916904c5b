"""An article and the same story in the other language (Article.translation).

The link is one field, set on either article; each page then leads to the other,
and search engines are told they are one story (hreflang), once both are public.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import editions


class Translatable:
    """What an Article knows of its translation; the field itself is Article.translation."""

    @property
    def edition(self) -> editions.Edition:
        """The edition the article belongs to: the one of its language."""
        return editions.of(self.language)

    def counterpart(self) -> "Translatable | None":
        """The same story in the other language, linked from either side."""
        if self.translation_id:
            return self.translation
        try:
            return self.translated_by
        except type(self).DoesNotExist:
            return None

    def language_versions(self) -> list["Translatable"]:
        """This article and its translation, when readers can see both; else nothing."""
        other = self.counterpart()
        if other is None or other.language == self.language:
            return []  # a pair left in one language (one side's language changed) is no pair
        if not (self.is_published() and other.is_published()):
            return []
        return sorted([self, other], key=lambda article: article.language != "en")

    def clean(self):
        super().clean()
        other = self.translation
        if other is None:
            named_by = self.counterpart_elsewhere()
            if named_by is not None and named_by.language == self.language:
                raise ValidationError(
                    {
                        "language": _(
                            "“%(other)s” names this article as its translation, so it must "
                            "stay in the other language; unlink it there first."
                        )
                        % {"other": named_by.title}
                    }
                )
            return
        if other.pk == self.pk or other.language == self.language:
            raise ValidationError(
                {"translation": _("A translation is the story in the other language.")}
            )
        # From the database: assigning the field has already told `other` it is ours.
        linked = (
            type(self)
            .objects.filter(Q(pk=other.translation_id) | Q(translation_id=other.pk))
            .exclude(pk=self.pk)
            .first()
        )
        if linked is not None:
            raise ValidationError(
                {
                    "translation": _("“%(title)s” is already linked to “%(other)s”.")
                    % {"title": other.title, "other": linked.title}
                }
            )
        mine = self.counterpart_elsewhere()
        if mine is not None and mine.pk != other.pk:
            raise ValidationError(
                {
                    "translation": _(
                        "“%(other)s” already names this article as its translation; "
                        "unlink it there first."
                    )
                    % {"other": mine.title}
                }
            )

    def counterpart_elsewhere(self) -> "Translatable | None":
        """The article that names this one as its translation, if any."""
        if self.pk is None:
            return None
        return type(self).objects.filter(translation_id=self.pk).exclude(pk=self.pk).first()
