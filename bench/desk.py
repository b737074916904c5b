"""How fast the editors' desk (the admin article list) answers on a large newsroom.

DATABASE_URL=… python bench/generate.py 100000
DATABASE_URL=… python bench/desk.py
"""

import json

from common import setup_django, timed


def main() -> None:
    setup_django()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article

    call_command("migrate", verbosity=0)
    editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    editor.groups.add(Group.objects.get(name="Editor"))
    client = Client()
    client.force_login(editor)
    url = "/admin/articles/article/"
    from django.contrib import admin

    per_page = admin.site._registry[Article].list_per_page
    pages = min(500, -(-Article.objects.count() // per_page))
    cases = {
        "desk, first page": {},
        # Page 500 where there is one, else the last page.
        f"desk, page {pages}": {"p": str(pages)},
        "status=scheduled": {"status": "scheduled"},
        "status=review": {"status": "review"},
        "search 'minister'": {"q": "minister"},
        "section filter": {
            "section__id__exact": Article.objects.values_list("section", flat=True).first()
        },
    }
    results = {"articles": Article.objects.count()}
    for name, query in cases.items():

        def run(query=query):
            response = client.get(url, query)
            assert response.status_code == 200, response.status_code

        results[name] = timed(run, repeat=15)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
