"""Fill a database with N synthetic English and Persian articles for the benchmarks.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python bench/generate.py 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/generate.py 100000

`make bench` runs it once per size (see bench/run.py). The database is migrated
first and must hold no articles; `--replace` deletes every article already there
(use it on a benchmark database only).

What it makes, in bulk inserts (no save(), no signals), then indexes for search
with articles.search.rebuild_index() and ANALYZEs (VACUUM ANALYZE on PostgreSQL):

- articles of 150 to 1,500 words (median about 550), 60 % English and 40 %
  Persian, with quotations, subheads and links; words follow a Zipf curve
  whose head is each language's real function words, so common words are as
  common as in real text and a topical word ("minister") is in about a third
  of the English articles;
- eight sections of unequal size, authors who write in one language, outside
  sources on about one story in eight, and about three tags a story drawn on a
  Zipf curve from a vocabulary of real topics and a long tail (one tag per 25
  articles, 120 to 4,000), a few of them still waiting for approval;
- statuses as on a live site (88 % published, a few scheduled, drafts, in review,
  archived), dates spread over three years, and a small pool of real pictures
  (with renditions) shared by three stories in four;
- the benchmark editor account (bench.common.EDITOR_USERNAME).
"""

import argparse
import itertools
import math
import random
import time
from contextlib import contextmanager
from datetime import timedelta

from common import ensure_editor, setup_django, steady_state
from words import (
    EN_FIRST,
    EN_FUNCTION,
    EN_LAST,
    EN_TAGS,
    EN_TOPICAL,
    FA_FIRST,
    FA_FUNCTION,
    FA_LAST,
    FA_SYLLABLES,
    FA_TAGS,
    FA_TOPICAL,
    SECTIONS,
    SOURCES,
    SYLLABLES,
)

SEED = 7
# Bump when the data changes: bench/run.py regenerates databases made by another version.
VERSION = 2

TAGS_PER_ARTICLE = {0: 3, 1: 12, 2: 22, 3: 25, 4: 18, 5: 12, 6: 8}  # how many: weight


def vocabulary(
    rng: random.Random, function: list[str], topical: list[str], syllables: list[str]
) -> list[str]:
    """4,000 words in frequency order: function words, then topics among made-up words.

    The topical words sit between ranks 100 and 1,000, so a query for one of them
    matches a realistic share of the archive, not every article.
    """
    made = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)})
    rng.shuffle(made)
    words = list(dict.fromkeys(function)) + made[:4000]
    for index, word in enumerate(topical):
        words.insert(100 + index * 900 // max(1, len(topical)), word)
    return words[:4000]


def zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative weights of ranks 1..count on a Zipf curve (for rng.choices)."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1)))


class Writer:
    """Headlines, summaries and bodies in one language, from its Zipf vocabulary."""

    def __init__(self, rng: random.Random, language: str):
        self.rng, self.language = rng, language
        if language == "fa":
            function = FA_FUNCTION
            self.words = vocabulary(rng, FA_FUNCTION, FA_TOPICAL, FA_SYLLABLES)
            self.names = [f"{a} {b}" for a in FA_FIRST for b in FA_LAST]
        else:
            function = EN_FUNCTION
            self.words = vocabulary(rng, EN_FUNCTION, EN_TOPICAL, SYLLABLES)
            self.names = [f"{a} {b}" for a in EN_FIRST for b in EN_LAST]
        self.weights = zipf_weights(len(self.words))
        # Headlines are content words.
        self.headline_words = [word for word in self.words if word not in set(function)]
        self.headline_weights = zipf_weights(len(self.headline_words))

    def _words(self, count: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.weights, k=count))

    def sentence(self) -> str:
        rng = self.rng
        text = self._words(rng.randint(8, 28))
        if len(text) > 90 and rng.random() < 0.5:  # a clause
            cut = text.find(" ", len(text) // 2)
            text = text[:cut] + ("،" if self.language == "fa" else ",") + text[cut:]
        return (text if self.language == "fa" else text[0].upper() + text[1:]) + "."

    def title(self) -> str:
        words = self.rng.choices(
            self.headline_words, cum_weights=self.headline_weights, k=self.rng.randint(6, 11)
        )
        text = " ".join(words)
        return text if self.language == "fa" else text[0].upper() + text[1:]

    def summary(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 2)))

    def paragraph(self) -> str:
        rng = self.rng
        text = " ".join(self.sentence() for _ in range(rng.randint(2, 4)))
        roll = rng.random()
        if roll < 0.25:  # a quotation, attributed
            who = rng.choice(self.names)
            quote = self.sentence()[:-1]
            if self.language == "fa":
                return f"<p>«{quote}»، {who} گفت. {text}</p>"
            return f"<p>“{quote},” said {who}. {text}</p>"
        if roll < 0.30:
            return f"<blockquote><p>{self.sentence()}</p></blockquote><p>{text}</p>"
        if roll < 0.40:  # a link in the text
            words = text.split(" ")
            at = rng.randrange(max(1, len(words) - 3))
            slug = rng.randrange(10**6)
            linked = " ".join(words[at : at + 3])
            words[at : at + 3] = [f'<a href="https://example.org/news/{slug}">{linked}</a>']
            return f"<p>{' '.join(words)}</p>"
        return f"<p>{text}</p>"

    def body(self) -> str:
        """150 to 1,500 words (log-normal, median about 550), subheads in long ones."""
        target = min(1500, max(150, int(self.rng.lognormvariate(math.log(550), 0.45))))
        parts, words = [], 0
        while words < target:
            if parts and len(parts) % 5 == 0 and target > 600:
                parts.append(f"<h2>{self.title()}</h2>")
            paragraph = self.paragraph()
            parts.append(paragraph)
            words += paragraph.count(" ") + 1
        return "\n".join(parts)


def tag_names(rng: random.Random, total: int) -> dict[str, list[str]]:
    """Tag names per language, most used first: real topics, then a long tail."""
    english = [*EN_TAGS]
    persian = [*FA_TAGS]
    while len(english) + len(persian) < total:
        if rng.random() < 0.6:
            words = rng.choices(SYLLABLES, k=rng.randint(2, 4))
            english.append("".join(words).capitalize() + rng.choice(["", " talks", " project"]))
        else:
            persian.append("".join(rng.choices(FA_SYLLABLES, k=rng.randint(2, 4))))
    return {"en": english, "fa": persian}


def pictures(rng: random.Random, count: int = 8) -> list[dict]:
    """A few real pictures with renditions, made through the app's pipeline; [] if it fails."""
    import io

    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from articles import images

    made = []
    try:
        for n in range(count):
            grain = Image.effect_noise((2400, 1600), 30 + n * 5).convert("RGB")
            sky = Image.linear_gradient("L").resize((2400, 1600)).convert("RGB")
            photo = Image.blend(sky, grain, 0.3 + n * 0.03)
            buffer = io.BytesIO()
            photo.save(buffer, "JPEG", quality=88)
            upload = SimpleUploadedFile(f"bench-{n}.jpg", buffer.getvalue())
            cleaned = images.clean_original(upload, name=f"bench-{n}.jpg")
            name = default_storage.save(f"articles/bench/{cleaned.name}", cleaned)
            renditions = images.make_renditions(
                default_storage, name, widths=images.ARTICLE_WIDTHS, social=True
            )
            made.append({"image": name, "image_renditions": renditions})
    except Exception as error:  # noqa: BLE001 - pictures are optional for the benchmark
        print(f"pictures skipped ({type(error).__name__}: {error})", flush=True)
        return []
    return made


def portray(authors: dict, pool: list[dict]) -> None:
    """Most bylines get a photo from the pool, as their pages show one: a library
    picture, or (older schemas) the author's own photo fields."""
    from articles.models import Author

    fields = {field.name for field in Author._meta.get_fields()}
    bylines = [author for group in authors.values() for author in group]
    for n, author in enumerate(bylines):
        if not pool or n % 4 == 3:  # a few without
            continue
        made = pool[n % len(pool)]
        photo = Author._meta.get_field("photo") if "photo" in fields else None
        if photo is not None and photo.is_relation and "picture" in made:
            Author.objects.filter(pk=author.pk).update(photo=made["picture"])
        elif "picture" in fields and "picture" in made:  # the library, before its rename
            Author.objects.filter(pk=author.pk).update(picture=made["picture"])
        elif photo is not None:
            picture = made.get("picture")
            Author.objects.filter(pk=author.pk).update(
                photo=picture.file.name if picture else made["image"],
                photo_renditions=picture.file_renditions if picture else made["image_renditions"],
            )


@contextmanager
def own_timestamps(model):
    """Let bulk_create keep the created/updated times we set (auto_now would overwrite)."""
    fields = [model._meta.get_field(name) for name in ("created_at", "updated_at")]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def generate(count: int, *, seed: int = SEED, replace: bool = False) -> dict:
    """Fill the configured database; returns what was made and how long each step took."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from articles import search
    from articles.models import Article, Author, Section, Source, Tag, TaggedArticle, tag_key
    from articles.text import slugify_unicode

    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    existing = Article.objects.count()
    if existing and not replace:
        raise SystemExit(f"The database holds {existing} articles; --replace deletes them all.")
    if existing:
        Article.objects.all().delete()
        Tag.objects.all().delete()
    timings["migrate"] = time.perf_counter() - started

    started = time.perf_counter()
    rng = random.Random(seed)
    writers = {"en": Writer(rng, "en"), "fa": Writer(rng, "fa")}
    sections = []
    for position, (name, _share) in enumerate(SECTIONS):
        section, _ = Section.objects.get_or_create(
            slug=slugify_unicode(name), defaults={"name": name, "position": position}
        )
        sections.append(section)
    section_weights = [share for _name, share in SECTIONS]
    sources = [
        Source.objects.get_or_create(
            slug=slugify_unicode(name), defaults={"name": name, "homepage": f"https://{domain}/"}
        )[0]
        for name, domain in SOURCES
    ]
    author_count = min(80, max(12, count // 1500))
    authors = {}
    for language, writer in writers.items():
        names = rng.sample(writer.names, author_count // 2)
        authors[language] = [
            Author.objects.get_or_create(
                slug=f"{slugify_unicode(name)}-{language}", defaults={"name": name}
            )[0]
            for name in names
        ]
    author_weights = zipf_weights(author_count // 2, 0.8)
    names = tag_names(rng, min(4000, max(120, count // 25)))
    tags, seen = {}, set()
    for language, language_names in names.items():
        rows = []
        for rank, name in enumerate(language_names):
            key, slug = tag_key(name), slugify_unicode(name)
            if key in seen or slug in seen:
                continue
            seen |= {key, slug}
            # A few long-tail tags are reporters' proposals, waiting for an editor.
            approved = rank < 60 or rng.random() > 0.01
            rows.append(Tag(name=name, slug=slug, folded_name=key, approved=approved))
        tags[language] = Tag.objects.bulk_create(rows)
    tag_weights = {lang: zipf_weights(len(found), 0.9) for lang, found in tags.items()}
    fields = {field.name for field in Article._meta.get_fields()}
    pool = pictures(rng) if count and ({"image", "picture"} & fields) else []
    if pool and "picture" in fields:  # the picture library: each picture one record, reused
        from articles.models import Picture

        pool = [
            {
                "picture": Picture.objects.create(
                    file=made["image"],
                    file_renditions=made["image_renditions"],
                    alt=writers["en"].title(),
                    credit=rng.choice(writers["en"].names),
                )
            }
            for made in pool
        ]
    portray(authors, pool)
    timings["setup"] = time.perf_counter() - started

    now = timezone.now()
    three_years = 60 * 24 * 365 * 3
    slugs: set[str] = set()
    texts = inserts = 0.0
    batch = 2000
    with own_timestamps(Article):
        for start in range(0, count, batch):
            began = time.perf_counter()
            rows, extras = [], []
            for _n in range(start, min(start + batch, count)):
                language = "fa" if rng.random() < 0.4 else "en"
                writer = writers[language]
                status = rng.choices(["published", "draft", "review", "archived"], [88, 6, 3, 3])[0]
                # A few published stories are scheduled for the next three days.
                ahead = rng.random() < 0.003
                minutes = -rng.randint(1, 4320) if ahead else rng.randint(1, three_years)
                publish_at = now - timedelta(minutes=minutes)
                created_at = publish_at - timedelta(minutes=rng.randint(10, 2880))
                edited_later = rng.random() < 0.1
                updated_at = min(
                    now,
                    publish_at
                    + timedelta(
                        minutes=rng.randint(600, 9000) if edited_later else rng.randint(0, 4)
                    ),
                )
                title = writer.title()
                base = slugify_unicode(title, max_bytes=90) or "article"
                slug, suffix = base, 2
                while slug in slugs:
                    slug, suffix = f"{base}-{suffix}", suffix + 1
                slugs.add(slug)
                source = rng.choice(sources) if rng.random() < 0.12 else None
                picture = rng.choice(pool) if pool and rng.random() < 0.75 else {}
                article = Article(
                    title=title,
                    slug=slug,
                    summary=writer.summary(),
                    body=writer.body(),
                    language=language,
                    section=rng.choices(sections, section_weights)[0],
                    source=source,
                    source_url=f"https://{SOURCES[sources.index(source)][1]}/news/{rng.randrange(10**7)}"
                    if source
                    else "",
                    is_featured=status == "published" and rng.random() < 0.005,
                    status=status,
                    publish_at=None if status == "draft" else publish_at,
                    created_at=created_at
                    if status != "draft"
                    else now - timedelta(minutes=minutes),
                    updated_at=updated_at
                    if status != "draft"
                    else now - timedelta(minutes=minutes),
                    **picture,
                    **(
                        {"image_alt": writer.title(), "image_credit": rng.choice(writer.names)}
                        if picture and "image" in picture
                        else {}
                    ),
                )
                byline = rng.choices(authors[language], cum_weights=author_weights, k=3)
                how_many = rng.choices([1, 2, 3], [85, 13, 2])[0]
                chosen = rng.choices(
                    tags[language],
                    cum_weights=tag_weights[language],
                    k=rng.choices(list(TAGS_PER_ARTICLE), list(TAGS_PER_ARTICLE.values()))[0],
                )
                rows.append(article)
                extras.append(({a.pk for a in byline[:how_many]}, {t.pk for t in chosen}))
            texts += time.perf_counter() - began
            began = time.perf_counter()
            with transaction.atomic():
                created = Article.objects.bulk_create(rows)
                through = Article.authors.through
                through.objects.bulk_create(
                    [
                        through(article_id=article.pk, author_id=author_id)
                        for article, (author_ids, _tag_ids) in zip(created, extras, strict=True)
                        for author_id in author_ids
                    ]
                )
                TaggedArticle.objects.bulk_create(
                    [
                        TaggedArticle(content_object_id=article.pk, tag_id=tag_id)
                        for article, (_author_ids, tag_ids) in zip(created, extras, strict=True)
                        for tag_id in tag_ids
                    ]
                )
            inserts += time.perf_counter() - began
            print(f"  {start + len(rows)} articles", flush=True)
    timings["write text"], timings["insert"] = texts, inserts

    # bulk_create skips save() and services: index everything once, in one transaction
    # (on SQLite a statement outside one is a transaction and a disk sync of its own).
    started = time.perf_counter()
    with transaction.atomic():
        indexed = search.rebuild_index()
    timings["search index"] = time.perf_counter() - started
    started = time.perf_counter()
    ensure_editor()
    steady_state()
    timings["analyze"] = time.perf_counter() - started
    return {
        "articles": count,
        "indexed": indexed,
        "tags": sum(len(found) for found in tags.values()),
        "pictures": len(pool),
        "seconds": {step: round(value, 1) for step, value in timings.items()},
        "vendor": connection.vendor,
        "version": VERSION,
        "seed": seed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--replace", action="store_true", help="delete existing articles first")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    setup_django(collect_static=False)
    started = time.perf_counter()
    summary = generate(args.count, seed=args.seed, replace=args.replace)
    summary["seconds"]["total"] = round(time.perf_counter() - started, 1)
    if args.json:
        import json

        print("BENCH_JSON " + json.dumps(summary), flush=True)
    else:
        for step, seconds in summary["seconds"].items():
            print(f"{step:>14}: {seconds:7.1f} s")


if __name__ == "__main__":
    main()
