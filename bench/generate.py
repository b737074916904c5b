"""Fill a database with N synthetic articles for the benchmarks.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python bench/generate.py 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python bench/generate.py 100000

The database is migrated first; earlier benchmark articles are replaced.
"""

import argparse
import itertools
import random
import time
from datetime import timedelta

from common import setup_django

EN_WORDS = [
    "talks",
    "nuclear",
    "agreement",
    "sanctions",
    "minister",
    "oil",
    "prices",
    "market",
    "election",
    "council",
    "water",
    "drought",
    "reservoir",
    "climate",
    "heat",
    "football",
    "derby",
    "cinema",
    "festival",
    "satellite",
    "launch",
    "science",
    "research",
    "hospital",
    "health",
    "budget",
    "inflation",
    "currency",
    "bank",
    "tehran",
    "moscow",
    "vienna",
    "delegation",
    "envoy",
    "parliament",
    "court",
    "ruling",
    "farmers",
    "harvest",
    "grain",
    "port",
    "shipping",
    "rail",
    "corridor",
    "energy",
    "gas",
    "pipeline",
    "summit",
    "spokesperson",
    "analysts",
    "residents",
    "officials",
    "report",
    "survey",
    "data",
]
FA_WORDS = [
    "مذاکرات",
    "توافق",
    "هسته\u200cای",
    "تحریم",
    "وزیر",
    "نفت",
    "قیمت",
    "بازار",
    "انتخابات",
    "شورا",
    "آب",
    "خشکسالی",
    "سد",
    "اقلیم",
    "گرما",
    "فوتبال",
    "دربی",
    "سینما",
    "جشنواره",
    "ماهواره",
    "پرتاب",
    "علم",
    "پژوهش",
    "بیمارستان",
    "سلامت",
    "بودجه",
    "تورم",
    "ارز",
    "بانک",
    "تهران",
    "مسکو",
    "وین",
    "هیئت",
    "مجلس",
    "دادگاه",
    "کشاورزان",
    "برداشت",
    "گندم",
    "بندر",
    "کشتیرانی",
    "ریلی",
    "انرژی",
    "گاز",
]


SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "te",
    "su",
    "no",
    "vi",
    "da",
    "pe",
    "ri",
    "zo",
    "ba",
    "fe",
    "gu",
    "ha",
    "ji",
    "mo",
    "ne",
    "pa",
    "qu",
    "si",
    "tu",
    "we",
    "xa",
    "yo",
]
FA_SYLLABLES = [
    "با",
    "ری",
    "نو",
    "سا",
    "مه",
    "دی",
    "کو",
    "لا",
    "تی",
    "پر",
    "شا",
    "گل",
    "زی",
    "نا",
    "فر",
]


def vocabulary(rng: random.Random, topical: list[str], syllables: list[str]) -> list[str]:
    """4,000 words in Zipf order: a few very common, most rare, as in real text.

    The topical words sit between ranks 60 and 1,000, so a query for one of them
    matches a realistic share of the archive, not every article.
    """
    made = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)})
    rng.shuffle(made)
    words = made[:4000]
    for index, word in enumerate(topical):
        words.insert(60 + index * 940 // max(1, len(topical)), word)
    return words[:4000]


def sampler(rng: random.Random, words: list[str]):
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    cumulative = list(itertools.accumulate(weights))

    def sentence(length: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=length))

    return sentence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Author, Section, Tag, TaggedArticle

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    english = sampler(rng, vocabulary(rng, EN_WORDS, SYLLABLES))
    persian = sampler(rng, vocabulary(rng, FA_WORDS, FA_SYLLABLES))
    Article.objects.filter(slug__startswith="bench-").delete()
    sections = [
        Section.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Bench {n}"})[0]
        for n in range(6)
    ]
    authors = [
        Author.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Writer {n}"})[0]
        for n in range(40)
    ]
    tags = [
        Tag.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Topic {n}"})[0]
        for n in range(400)
    ]
    now = timezone.now()
    batch = 2000
    for start in range(0, args.count, batch):
        rows = []
        for n in range(start, min(start + batch, args.count)):
            is_persian = rng.random() < 0.4
            sentence = persian if is_persian else english
            status = rng.choices(["published", "draft", "review", "archived"], [85, 8, 4, 3])[0]
            publish_at = now - timedelta(minutes=rng.randint(-3000, 60 * 24 * 365 * 3))
            rows.append(
                Article(
                    title=sentence(rng.randint(6, 12)).capitalize(),
                    slug=f"bench-{n}",
                    summary=sentence(25),
                    body="".join(f"<p>{sentence(40)}.</p>" for _ in range(5)),
                    language="fa" if is_persian else "en",
                    section=rng.choice(sections),
                    status=status,
                    publish_at=publish_at if status != "draft" else None,
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(rows)
            through = Article.authors.through
            through.objects.bulk_create(
                [through(article_id=a.pk, author_id=rng.choice(authors).pk) for a in created]
            )
            TaggedArticle.objects.bulk_create(
                [
                    TaggedArticle(content_object_id=a.pk, tag_id=tag.pk)
                    for a in created
                    for tag in rng.sample(tags, 3)
                ]
            )
        print(f"{start + len(rows)} articles", flush=True)
    from articles import search

    # bulk_create skips save() and its signals: index everything once at the end.
    started = time.perf_counter()
    indexed = search.rebuild_index()
    print(f"indexed {indexed} articles in {time.perf_counter() - started:.0f} s", flush=True)
    from django.db import connection

    # Planner statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE keeps them
    # on a live site; right after a bulk load they describe an empty table.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
