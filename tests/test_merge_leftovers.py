"""No file of the project keeps a merge's conflict markers: a template rendering 「<<<<<<< HEAD」 to
the public passed every other test once, so the markers are looked for directly."""

import re
from pathlib import Path

import gongkai

ROOT = Path(gongkai.__file__).resolve().parent.parent
# "=======" alone is also a Markdown heading underline, so only the two outer markers are looked for.
MARKER = re.compile(r"^(<{7} |>{7} )", re.MULTILINE)
SUFFIXES = {".py", ".html", ".md", ".txt", ".toml", ".cfg", ".css", ".js", ".json", ".sh", ".yml", ".yaml"}


def project_files():
    for folder in ("gongkai", "docs", "tests", "bench", "scripts", ".ci"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and (path.suffix in SUFFIXES or path.parent.name in {"scripts", ".ci"}):
                yield path
    yield from ROOT.glob("*.md")
    yield ROOT / "pyproject.toml"


def test_no_conflict_markers_are_left_in_the_project():
    leftovers = [str(path.relative_to(ROOT)) for path in project_files()
                 if MARKER.search(path.read_text(encoding="utf-8", errors="replace"))]
    assert leftovers == []


def test_the_check_finds_a_marker():
    assert MARKER.search("<li>a</li>\n<<<<<<< HEAD\n<li>b</li>\n=======\n<li>c</li>\n>>>>>>> branch\n")
    assert not MARKER.search("标题\n=======\n正文 <<<<<<< 不在行首")
