"""The shape the code keeps: reads and writes apart, each rule in one place, small modules.

These read the source, so they fail the moment someone takes a shortcut.
"""

import ast
import re
from pathlib import Path

import pytest

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
WRITES = {"articles.services", "articles.tagging", "articles.workflow", "articles.images"}
READERS = [
    "views.py",
    "previews.py",
    "archives.py",
    "feeds.py",
    "sitemaps.py",
    "filters.py",
    "structured_data.py",
    "context_processors.py",
    "renditions.py",
    *(f"selectors/{path.name}" for path in (ARTICLES / "selectors").glob("*.py")),
    "search.py",
    *(f"api/{path.name}" for path in (ARTICLES / "api").glob("*.py")),
    *(f"templatetags/{path.name}" for path in (ARTICLES / "templatetags").glob("*.py")),
]


def source_files():
    return [p for p in ARTICLES.rglob("*.py") if "migrations" not in p.parts]


def imported(path: Path, *, module_level_only: bool = False) -> set[str]:
    """Absolute names of the articles modules a file imports."""
    tree = ast.parse(path.read_text())
    package = ".".join(path.relative_to(ARTICLES.parent).with_suffix("").parts[:-1])
    nodes = tree.body if module_level_only else ast.walk(tree)
    names = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("articles")}


@pytest.mark.parametrize("name", READERS)
def test_reader_modules_import_only_reads(name):
    assert not imported(ARTICLES / name) & WRITES


def test_models_never_load_the_picture_pipeline_or_the_services():
    forbidden = WRITES | {"articles.search", "articles.forms"}
    for path in [*(ARTICLES / "models").glob("*.py"), ARTICLES / "fields.py"]:
        assert not imported(path, module_level_only=True) & forbidden, path.name


def test_the_publication_rule_is_written_once():
    rule = re.compile(r"publish_at__lte|status=Article\.Status\.PUBLISHED|status=\"published\"")
    places = [p.name for p in source_files() if rule.search(p.read_text())]
    assert places == ["articles.py"]  # articles/models/articles.py: ArticleQuerySet


def test_the_tag_visibility_rule_is_written_once():
    rule = re.compile(r"approved=True|\.approved\b(?! =)")
    places = sorted(
        str(p.relative_to(ARTICLES))
        for p in source_files()
        if p.name not in {"tagging.py"} and rule.search(p.read_text())
    )
    # The rule itself (models/tags.py); tagging only writes the field; the desk shows it.
    assert places == ["models/tags.py"]


def test_no_module_is_too_long_to_hold_in_mind():
    long = {
        str(p.relative_to(ARTICLES)): n
        for p in source_files()
        if (n := len(p.read_text().splitlines())) > 400
    }
    assert long == {}


def test_test_modules_share_helpers_through_factories_not_each_other():
    tests = Path(__file__).resolve().parent
    for path in tests.rglob("test_*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not re.match(r"tests(\.e2e)?\.test_", node.module), (path.name, node.module)


def test_the_readmes_architecture_map_names_files_that_exist():
    """The map in the README stays true: every file or folder it names is there, and
    every name it gives a file (`TRANSITIONS`, `published()`…) is in that file."""
    root = ARTICLES.parent
    readme = (root / "README.md").read_text()
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`((?:articles|newsroom|templates|tests)/[\w/.]*)`", section)
    assert len(named) >= 15, "the map names the files of the rules"
    missing = [path for path in named if not (root / path).exists()]
    assert not missing, f"the README's architecture map names missing files: {missing}"

    # "`articles/workflow.py` — the `TRANSITIONS` registry": the name is in that file.
    pairs = re.findall(
        r"`((?:articles|newsroom)/[\w/.]+\.py)` — [^`|]*`([\w.]+)(?:\(\))?`", section
    )
    assert pairs
    for path, name in pairs:
        last = name.rsplit(".", 1)[-1]
        assert re.search(rf"\b{re.escape(last)}\b", (root / path).read_text()), (path, name)
