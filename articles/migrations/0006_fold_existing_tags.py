"""Give existing tags their folded name, merging spellings that mean one tag."""

import re
import unicodedata

from django.db import migrations

# A frozen copy of articles.text.fold as it was when this migration was written.
LETTERS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",
                         "\u0629": "\u0647", "\u0640": None})
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
ZERO_WIDTH = re.compile("[\u200b-\u200f\ufeff]")
DIACRITICS = re.compile("[\u064b-\u065f\u0670]")
SPACES = re.compile(r"\s+")


def fold(text):
    text = unicodedata.normalize("NFKC", text).translate(LETTERS).translate(DIGITS)
    text = DIACRITICS.sub("", ZERO_WIDTH.sub("", text))
    return SPACES.sub(" ", text).strip().casefold()


def fold_and_merge(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    TagRedirect = apps.get_model("articles", "TagRedirect")
    keep = {}
    # The most used spelling of each meaning stays; the others merge into it.
    tags = sorted(Tag.objects.all(), key=lambda t: (-TaggedArticle.objects.filter(tag=t).count(), t.pk))
    for tag in tags:
        key = fold(tag.name)[:100]
        if key not in keep:
            tag.folded_name = key
            tag.save(update_fields=["folded_name"])
            keep[key] = tag
            continue
        target = keep[key]
        already = TaggedArticle.objects.filter(tag=target).values("content_object_id")
        TaggedArticle.objects.filter(tag=tag, content_object_id__in=already).delete()
        TaggedArticle.objects.filter(tag=tag).update(tag=target)
        TagRedirect.objects.update_or_create(old_slug=tag.slug, defaults={"tag": target})
        tag.delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_tag_vocabulary")]

    operations = [migrations.RunPython(fold_and_merge, migrations.RunPython.noop)]
