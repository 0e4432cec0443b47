"""The layering of docs/architecture.md ("Layers") holds: no module imports from a layer above its own;
and within gongkai.reports, no stage imports a later one (the package table of docs/reports.md).

The order is read from the document itself, so the text and the code cannot drift apart: moving
an app, or importing upwards, fails here until one of them is changed on purpose.
"""

import ast
import re
from pathlib import Path

import gongkai

PACKAGE = Path(gongkai.__file__).resolve().parent
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"
REPORTS = PACKAGE.parent / "docs" / "reports.md"


def documented_layers(text: str) -> tuple[list[set[str]], set[str]]:
    """([names of layer 1, of layer 2, …], the wiring) from the "### Layers" section."""
    section = text.split("### Layers", 1)[1].split("\n#", 1)[0]
    layers = [set(re.findall(r"`([\w.]+)`", line)) for line in section.splitlines() if re.match(r"\d+\. ", line)]
    wiring_line = next(line for line in section.splitlines() if line.startswith("Above every layer"))
    return layers, set(re.findall(r"`([\w.]+)`", wiring_line))


def unit_of(path: Path) -> str:
    """The app or shared module a file belongs to: gongkai/<unit>/… or gongkai/<unit>.py."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported_modules(source: str, *, package: str = "") -> set[str]:
    """The dotted names of the gongkai modules a module's source imports, wherever the import statement is."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # a relative import stays inside the importing package
                names.update([f"gongkai.{package}"] if package else [])
            elif node.module == "gongkai":
                names.update(f"gongkai.{alias.name}" for alias in node.names)
            else:
                names.add(node.module or "")
    return {name for name in names if name.startswith("gongkai.")}


def imported_units(source: str, *, package: str = "") -> set[str]:
    """The gongkai apps and shared modules a module's source imports."""
    return {name.split(".")[1] for name in imported_modules(source, package=package)}


def is_test_code(path: Path) -> bool:
    return "tests" in path.relative_to(PACKAGE).parts or path.name == "conftest.py"


def modules():
    return sorted(path for path in PACKAGE.rglob("*.py") if not is_test_code(path))


def test_the_import_reader_sees_every_form_of_import():
    source = """
import gongkai.workdays.calendar
from gongkai.orgs import access
from gongkai import errors
from . import sibling

def later():
    from gongkai.reports.filing import to_do
"""
    assert imported_units(source, package="staff") == {"workdays", "orgs", "errors", "staff", "reports"}


def test_every_app_and_shared_module_has_a_documented_place():
    layers, wiring = documented_layers(ARCHITECTURE.read_text(encoding="utf-8"))
    placed = set().union(*layers)
    assert len(placed) == sum(len(layer) for layer in layers), "a name is listed in two layers"
    units = {unit_of(path) for path in modules()} - {"__init__"}
    assert units - placed - wiring == set(), "add these to the layers of docs/architecture.md"
    assert (placed | wiring) - units == set(), "docs/architecture.md lists what does not exist"


def test_no_module_imports_from_its_own_layer_or_above():
    layers, wiring = documented_layers(ARCHITECTURE.read_text(encoding="utf-8"))
    level = {name: number for number, layer in enumerate(layers, start=1) for name in layer}
    upward = []
    for path in modules():
        unit = unit_of(path)
        if unit in wiring or unit == "__init__":
            continue
        for imported in imported_units(path.read_text(encoding="utf-8"), package=unit) - {unit}:
            if level.get(imported, len(layers) + 1) >= level[unit]:
                upward.append(f"{path.relative_to(PACKAGE.parent)} ({unit}, layer {level[unit]}) imports "
                              f"{imported} (layer {level.get(imported, 'wiring')})")
    assert upward == []


def test_each_stage_of_reports_imports_only_the_stages_before_it():
    # The stages in the order of the package table of docs/reports.md.
    stages = re.findall(r"^\| `(\w+)/` \|", REPORTS.read_text(encoding="utf-8"), re.M)
    assert {path.name for path in (PACKAGE / "reports").iterdir() if (path / "__init__.py").exists()} \
        - {"tests", "management", "migrations"} == set(stages)
    later = []
    for number, stage in enumerate(stages):
        for path in sorted((PACKAGE / "reports" / stage).rglob("*.py")):
            for name in imported_modules(path.read_text(encoding="utf-8")):
                parts = name.split(".")
                if parts[:2] == ["gongkai", "reports"] and len(parts) > 2 and parts[2] in stages[number + 1:]:
                    later.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert later == []
