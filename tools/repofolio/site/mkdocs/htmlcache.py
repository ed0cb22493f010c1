"""The final HTML of notebook pages between builds: the fingerprints and the store.

A render is looked up under a key made of everything the template can see, in two parts:

- the **build** part, the same for every page of a build: the site configuration (every
  key, plugins' settings included), the template environment's filters, tests and globals,
  the code that renders (versions and file stamps of mkdocs, Jinja, MarkupSafe, the theme's
  package, every plugin's module and this toolkit's), and the theme's templates: every file
  of a template folder outside the installed packages (``custom_dir``: a template added there
  shadows the theme's), stamped; a folder of an installed package by its path (its package's
  version and stamp are in the code part);
- the **page** part: the template context of the page after every plugin's
  ``on_page_context``: the page (its content, table of contents, title, metadata, URLs,
  neighbours, file), the navigation (titles, URLs, metadata, active states), and any value
  a plugin added; and what is put in place of the prose (the notebook's body, named by its
  content, and the site's files its links resolve against). Values that cannot be
  fingerprinted exactly make the page uncacheable.

Cached renders are valid only under the build part they were made with (saved beside
them): when it changes, every render is made again. While a template of the theme's folders
reads ``pages`` (every page of the site) or ``build_date_utc`` (now), nothing is cached. No
mkdocs import: the template cache layer tells this module how to fingerprint mkdocs' own
objects (``refs``).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import inspect
import json
import os
import re
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

# `pages` (every page of the site, contents included) and `build_date_utc` (now): a render
# that reads them is not cached (Material reads neither). The words in a template's text are
# a hint; its parsed variables tell.
WHOLE_SITE = frozenset({"pages", "build_date_utc"})
WHOLE_SITE_HINT = re.compile(r"\b(pages|build_date_utc)\b")
UNHANDLED = object()
MAX_DEPTH = 40

Refs = Callable[[object, Callable[[object], object]], object]


class Uncacheable(Exception):
    """A value the render may depend on cannot be fingerprinted exactly."""


def digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint(value: object, refs: Refs) -> object:
    """A JSON value equal for equal inputs of a render; order kept where a template sees it.

    ``refs(value, recurse)`` fingerprints the objects of the types it knows (mkdocs' pages,
    files, navigation, plugins: it decides by type alone) or returns ``UNHANDLED``. Anything
    else is taken apart by type; a cycle, a too deep structure or an object without
    attributes raises Uncacheable.
    """
    stack: set[int] = set()

    def walk(value: object, depth: int) -> object:
        if value is None or isinstance(value, (str, bool, int)):
            return value
        if isinstance(value, float):
            return ["float", repr(value)]
        if depth > MAX_DEPTH:
            raise Uncacheable(f"nested deeper than {MAX_DEPTH}: {type(value).__qualname__}")
        if id(value) in stack:
            raise Uncacheable(f"a cycle through {type(value).__qualname__}")
        stack.add(id(value))
        try:
            # strings and numbers, most of what there is, without a call
            return shape(value, lambda v: v if type(v) in _PLAIN else walk(v, depth + 1))
        finally:
            stack.discard(id(value))

    def shape(value: Any, recurse: Callable[[object], object]) -> object:
        kind = _KINDS.get((type(value), refs))
        if kind is None:
            kind = _KINDS[type(value), refs] = _kind(value, refs)
        if kind == "refs":
            known = refs(value, recurse)
            if known is UNHANDLED:
                raise Uncacheable(f"refs left a {qualified(type(value))} half-handled")
            return known
        if kind == "map":  # insertion order: a template loops in that order
            return ["map", [[recurse(k), recurse(v)] for k, v in value.items()]]
        if kind == "list":
            return ["list", [recurse(v) for v in value]]
        if kind == "set":
            items = [recurse(v) for v in value]
            if all(type(v) is str for v in items):
                return ["set", sorted(items)]  # type: ignore[type-var]
            return ["set", sorted(json.dumps(v) for v in items)]
        if kind == "bytes":
            return ["bytes", hashlib.sha256(value).hexdigest()]
        if kind == "path":
            return ["path", os.fspath(value)]
        if kind == "time":  # datetime is a date
            return ["time", type(value).__name__, value.isoformat()]
        if kind == "re":
            return ["re", recurse(value.pattern), value.flags]
        if kind == "enum":
            return ["enum", qualified(type(value)), recurse(value.value)]
        if kind == "partial":
            return ["partial", recurse(value.func), recurse(value.args), recurse(value.keywords)]
        if kind == "module":
            return ["module", value.__name__, file_stamp(getattr(value, "__file__", None))]
        if kind == "code":
            return ["code", qualified(value)]
        attrs = getattr(value, "__dict__", None)
        if isinstance(attrs, dict):
            return ["object", qualified(type(value)), recurse(attrs)]
        slots = [s for cls in type(value).__mro__ for s in getattr(cls, "__slots__", ())]
        if slots:
            values = {s: getattr(value, s) for s in slots if hasattr(value, s)}
            return ["object", qualified(type(value)), recurse(values)]
        raise Uncacheable(f"cannot fingerprint a {qualified(type(value))}")

    return walk(value, 0)


_PLAIN = frozenset({str, int, bool, type(None)})
_KINDS: dict[tuple[type, Refs], str] = {}  # how values of a type are fingerprinted


def _kind(value: object, refs: Refs) -> str:
    if refs(value, lambda v: None) is not UNHANDLED:
        return "refs"
    if isinstance(value, Mapping):
        return "map"
    for kind, types_ in (
        ("list", (list, tuple)),
        ("set", (set, frozenset)),
        ("bytes", bytes),
        ("path", os.PathLike),
        ("time", (dt.date, dt.time)),
        ("re", re.Pattern),
        ("enum", enum.Enum),
        ("partial", functools.partial),
        ("module", types.ModuleType),
    ):
        if isinstance(value, types_):
            return kind
    if inspect.isroutine(value) or inspect.isclass(value):
        return "code"
    return "object"


def qualified(obj: object) -> str:
    module = getattr(obj, "__module__", None) or ""
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not name:
        raise Uncacheable(f"cannot name {type(obj).__qualname__}")
    return f"{module}.{name}"


def file_stamp(path: str | None) -> list[int] | None:
    """What tells a changed file: a write changes its mtime, any change its ctime."""
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size]


def code_stamp(modules: Iterable[types.ModuleType]) -> list[list[object]]:
    """Versions and file stamps of the modules whose code takes part in a render."""
    seen: dict[str, object] = {}
    for module in modules:
        name = module.__name__
        if name not in seen:
            version = vars(module).get("__version__")  # not markupsafe's deprecated hook
            seen[name] = [
                version if isinstance(version, str) else None,
                file_stamp(getattr(module, "__file__", None)),
            ]
    return sorted([name, value] for name, value in seen.items())


def _in_package(folder: str) -> bool:
    """A folder inside an installed package (its files change with the package's version)."""
    import site
    import sysconfig

    roots = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    roots.update(site.getsitepackages() if hasattr(site, "getsitepackages") else ())
    real = os.path.realpath(folder)
    return any(
        real == os.path.realpath(r) or real.startswith(os.path.realpath(r) + os.sep) for r in roots
    )


TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".j2", ".jinja", ".jinja2", ".txt")


def templates_part(searchpath: Iterable[str]) -> list[object]:
    """The theme's template folders as a render depends on them (see the module's doc)."""
    part: list[object] = []
    for folder in searchpath:
        if _in_package(folder):
            part.append(["package", folder])
            continue
        files = []
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(base, name)
                files.append([os.path.relpath(path, folder), file_stamp(path)])
        part.append(["folder", folder, files])
    return part


def reads_whole_site(
    searchpath: Iterable[str],
    variables: Callable[[str], Iterable[str]],
    static: Iterable[str] = (),
) -> bool:
    """Whether a template of these folders reads ``pages`` or ``build_date_utc``.

    ``variables(source)`` gives the context variables a template's source reads (Jinja's
    ``meta.find_undeclared_variables``); a template that does not parse counts as reading
    them. ``static``: the theme's templates rendered on their own, never by a page
    (``sitemap.xml``, which reads ``pages``; ``404.html``). Hidden folders (Material's
    ``.icons``) hold no templates.
    """
    skip = set(static)
    for folder in searchpath:
        for base, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                if not name.endswith(TEMPLATE_SUFFIXES):
                    continue
                rel = os.path.relpath(os.path.join(base, name), folder).replace(os.sep, "/")
                if rel in skip:
                    continue
                try:
                    with open(os.path.join(base, name), encoding="utf-8", errors="replace") as fh:
                        source = fh.read()
                except OSError:
                    continue
                if not WHOLE_SITE_HINT.search(source):
                    continue
                try:
                    if not WHOLE_SITE.isdisjoint(variables(source)):
                        return True
                except Exception:  # a template that does not parse: assume the worst
                    return True
    return False


class HtmlCache:
    """Renders in ``folder/out/<page key>.html``, the build's key in ``folder/index.json``.

    Per build: ``start(build_key, whole_site)`` once the build part is known (at the first
    notebook page); ``get``/``put`` per page; ``save()`` after the build (keeps this build's
    renders only). ``whole_site(build_key)`` tells, from the saved index when the build part
    is the saved one, whether a template reads the whole site.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.out = folder / "out"
        try:
            saved = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = {}
        saved = saved if isinstance(saved, dict) else {}
        self.saved_build = saved.get("build")
        self.saved_whole_site = saved.get("whole_site")
        self.build_key: str | None = None
        self.whole_site = False
        self.valid = False
        self.started = False
        self.existing: set[str] = set()
        self.used_renders: set[str] = set()
        self.writes: list[str] = []  # renders of this build, in their pending files

    def known_whole_site(self, build_key: str) -> bool | None:
        """The saved verdict on the templates, when they are the saved build's."""
        if build_key == self.saved_build and isinstance(self.saved_whole_site, bool):
            return self.saved_whole_site
        return None

    def start(self, build_key: str, whole_site: bool) -> None:
        self.started = True
        self.build_key = build_key
        self.whole_site = whole_site
        self.valid = build_key == self.saved_build
        if self.valid:
            try:
                self.existing = set(os.listdir(self.out))
            except OSError:
                self.existing = set()

    def get(self, key: str) -> str | None:
        name = f"{key}.html"
        if not self.valid or name not in self.existing:
            return None
        try:
            html = (self.out / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self.used_renders.add(name)
        return html

    def put(self, key: str, html: str) -> None:
        """Keep a render: written now beside the others, under its name only by save()
        (a build that fails saves nothing: its renders were made under a build part the
        index does not hold)."""
        name = f"{key}.html"
        self.used_renders.add(name)
        pending = self.out / f"{name}.pending"
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            pending.write_text(html, encoding="utf-8")
        except OSError:
            return
        self.writes.append(name)

    def save(self) -> None:
        """Write this build's renders and the build's key; drop renders no page used."""
        if not self.started:
            return
        from repofolio.fsio import write_if_changed

        for name in self.writes:
            try:
                os.replace(self.out / f"{name}.pending", self.out / name)
            except OSError:
                self.used_renders.discard(name)
        try:
            names = os.listdir(self.out)
        except OSError:
            names = []
        for name in names:
            if name not in self.used_renders:
                try:
                    os.unlink(self.out / name)
                except OSError:
                    pass
        index = {"build": self.build_key, "whole_site": self.whole_site}
        write_if_changed(self.folder / "index.json", json.dumps(index, sort_keys=True))
