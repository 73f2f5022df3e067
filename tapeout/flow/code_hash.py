"""Which of tapeout's own files a stage depends on: the import closure of its module, plus data files.

The closure is found statically: every `import`/`from ... import` of a `tapeout` module anywhere in a
module (function-level imports included, since stages import their heavy parts lazily) is followed,
transitively. Import statements are found by a regular-expression scan (a full parse of ~190 files
cost 1 s per no-op run; the scan costs a few milliseconds). Two kinds of module are not followed:
the flow framework (`tapeout.flow`, `tapeout.errors`: how stages are run, not what they compute;
config values are hashed by value) and other stages' own `stage` modules (a stage imports them only
for their artefact declarations).

Data files travel with their package: a package directory in the closure contributes every non-Python
file below it that is not inside a sub-package (e.g. `tech/data/tap130.lib` with `tapeout.tech`,
`verify/properties/*.sv` with `tapeout.verify`).

A stage's digest is computed once per process (`code_digest`) and kept: the code a process runs is the
code it imported, so a later edit on disk is not what this process executes and should not be
reported as such; an explore worker imports and hashes once, and every trial forked from it reuses
that digest instead of listing and stat-ing ~100 files per stage again. A new process (the next
`tapeout run`, the next `tapeout explore`) hashes afresh and sees every edit. `forget()` drops the
cached digests (for tests that edit files within one process).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from tapeout.resources import package_path

PACKAGE_ROOT = package_path("tapeout", "")
FRAMEWORK = ("tapeout.flow", "tapeout.errors", "tapeout.resources")


@lru_cache(maxsize=None)
def module_file(name: str) -> Path | None:
    """The source file of tapeout module `name` (a package's __init__.py), or None."""
    parts = name.split(".")[1:]
    base = PACKAGE_ROOT.joinpath(*parts)
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    return None


def _is_package(name: str) -> bool:
    f = module_file(name)
    return f is not None and f.name == "__init__.py"


def _imports(path: Path, name: str) -> tuple[str, ...]:
    stat = path.stat()
    return _imports_cached(str(path), name, stat.st_size, stat.st_mtime_ns)


_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)", re.MULTILINE)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)", re.MULTILINE)


@lru_cache(maxsize=None)
def _imports_cached(path: str, name: str, size: int, mtime_ns: int) -> tuple[str, ...]:
    """Modules named by the import statements of a file, at any indentation (a regular-expression scan:
    as complete as a parse for this code base, conservative for text that only looks like an import)."""
    text = Path(path).read_text(encoding="utf-8")
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    found = []
    for match in _IMPORT.finditer(text):
        found.extend(m.strip().split()[0] for m in match.group(1).split(","))
    for match in _FROM_IMPORT.finditer(text):
        module, names = match.group(1), match.group(2).strip("() \t")
        level = len(module) - len(module.lstrip("."))
        if level:
            base = package.split(".")
            base = base[: len(base) - level + 1]
            module = ".".join(base + ([module.lstrip(".")] if module.lstrip(".") else []))
        found.append(module)
        for item in names.replace("\n", " ").split(","):
            word = item.strip().split(" ")[0]
            if word.isidentifier():
                found.append(f"{module}.{word}")  # `from pkg import module`
    return tuple(m for m in found if m == "tapeout" or m.startswith("tapeout."))


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts) + 1)]


def import_closure(module: str, exclude: frozenset[str] = frozenset()) -> set[str]:
    """Every tapeout module `module` may import, directly or not (framework and `exclude` not followed)."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen or name in exclude or name.startswith(FRAMEWORK) or name == "tapeout":
            continue
        path = module_file(name)
        if path is None:
            continue
        seen.add(name)
        todo.extend(_with_parents(name)[1:-1])  # parent packages' __init__ run on import
        todo.extend(_imports(path, name))
    return seen


def data_files(packages: set[str]) -> list[Path]:
    """Non-Python files of the given package directories, outside their sub-packages."""
    files = []
    for pkg in packages:
        folder = module_file(pkg).parent
        for path in folder.rglob("*"):
            if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            inner = path.parent
            while inner != folder and not (inner / "__init__.py").exists():
                inner = inner.parent
            if inner == folder:
                files.append(path)
    return sorted(files)


def code_digest(module: str, exclude: frozenset[str] = frozenset()) -> dict[str, str]:
    """sha256 of each source and data file `module` depends on, by path relative to the package; computed
    once per process (see the module's docstring)."""
    return dict(_code_digest_once(module, frozenset(exclude)))


def forget() -> None:
    """Drop every cached digest and file lookup, so the next `code_digest` reads the files again."""
    for cached in (_code_digest_once, module_file, _imports_cached, _file_digest_cached):
        cached.cache_clear()


@lru_cache(maxsize=None)
def _code_digest_once(module: str, exclude: frozenset[str]) -> tuple[tuple[str, str], ...]:
    modules = import_closure(module, exclude)
    packages = {m for m in modules if _is_package(m)}
    files = sorted({module_file(m) for m in modules} | set(data_files(packages)))
    return tuple((p.relative_to(PACKAGE_ROOT).as_posix(), _file_digest(p)) for p in files)


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest_cached(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=None)
def _file_digest_cached(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
