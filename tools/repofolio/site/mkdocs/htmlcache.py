"""The final HTML of notebook pages between builds: the theme's template render, cached.

Rendering a page through Material's Jinja templates costs as much as the rest of a warm
build's work on it, and a notebook page's render is the same every build while nothing it
depends on changed. A render is looked up under a key made of everything the template can
see, in two parts:

- the **build** part, the same for every page of a build: the site configuration (every
  key, plugins' settings included), the template environment's filters, tests and globals,
  the code that renders (versions and file stamps of mkdocs, Jinja, MarkupSafe, the theme's
  package, every plugin's module and this toolkit's), and every theme template a render
  ever loaded: which file the theme's search path resolves its name to and that file's
  stamp (a template added to ``custom_dir`` that shadows the theme's is a change too);
- the **page** part: the template context of the page after every plugin's
  ``on_page_context``: the page (its content, table of contents, title, metadata, URLs,
  neighbours, file), the navigation (titles, URLs, metadata, active states), and any value
  a plugin added; and what the plugin puts in place of the prose (the notebook's body,
  named by its content, and the site's files its links resolve against). Values that
  cannot be fingerprinted exactly make the page uncacheable.

Cached renders are valid only under the build part they were made with (saved beside
them): when it changes, every render is made again. While a template that reads ``pages``
(every page of the site) or ``build_date_utc`` (now) is in use, nothing is cached. No mkdocs
import: the plugin tells this module how to fingerprint mkdocs' own objects (``refs``).
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


def resolve(searchpath: list[str], name: str) -> str | None:
    """The file a Jinja FileSystemLoader with this search path loads for ``name``."""
    import posixpath

    from jinja2.loaders import split_template_path

    try:
        pieces = split_template_path(name)
    except Exception:  # a name Jinja refuses ('..'): never a file
        return None
    for folder in searchpath:
        filename = posixpath.join(folder, *pieces)
        if os.path.isfile(filename):
            return filename
    return None


class HtmlCache:
    """Renders in ``folder/out/<page key>.html``, the build part in ``folder/index.json``.

    Use, per build: ``watch(searchpath)`` with the environment's loader; ``loaded(...)`` for
    each template the loader reads; ``start(build_part)`` once the build part is known (at the
    first notebook page); ``get``/``put`` per page, ``used(name)`` for each template a
    notebook page's render asks for (``rendering`` True); ``save()`` after the build (keeps
    this build's renders only).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.out = folder / "out"
        try:
            saved = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = {}
        saved = saved if isinstance(saved, dict) else {}
        templates = saved.get("templates")
        self.saved_templates: dict[str, Any] = templates if isinstance(templates, dict) else {}
        self.saved_build = saved.get("build")
        # name -> [its file or None, the file's stamp, reads the whole site]: the templates
        # notebook pages' renders used, in this build or before
        self.templates: dict[str, list[Any]] = {}
        self.loads: dict[str, list[Any]] = {}  # the same, for every template loaded this build
        self.build_part: object = None
        self.searchpath: list[str] = []
        self.variables: Callable[[str], Iterable[str]] = lambda source: WHOLE_SITE
        self.valid = False
        self.started = False
        self.rendering = False
        self.reads_whole_site = False
        self.existing: set[str] = set()
        self.used_renders: set[str] = set()
        self.used_templates: set[str] = set()  # by this build's renders
        self.hits = 0
        self.writes: list[str] = []  # renders of this build, in their pending files

    def watch(self, searchpath: list[str], variables: Callable[[str], Iterable[str]]) -> None:
        """The loader's search path; ``variables(source)``: the context variables it reads."""
        self.searchpath = list(searchpath)
        self.variables = variables

    def _reads_whole_site(self, source: str | None) -> bool:
        if not source or not WHOLE_SITE_HINT.search(source):
            return False
        try:
            return not WHOLE_SITE.isdisjoint(self.variables(source))
        except Exception:  # a template that does not parse: assume the worst
            return True

    def stamp(self, name: str) -> list[Any]:
        filename = resolve(self.searchpath, name)
        return [filename, file_stamp(filename)]

    def loaded(self, name: str, before: list[Any], source: str | None) -> None:
        """The loader read ``name`` (``source`` None: not found); ``before``: its stamp then.

        The stamp is taken before the read: a file changed meanwhile differs next build.
        """
        if name not in self.loads:
            self.loads[name] = [*before, source]  # the source parsed only if a render uses it

    def start(self, build_part: object) -> None:
        """Compare this build's part with the saved one: equal, the saved renders hold."""
        self.started = True
        self.build_part = build_part
        for name, old in self.saved_templates.items():
            self.templates[name] = self._template_entry(name, old)
        self.reads_whole_site = any(entry[2] for entry in self.templates.values())
        self.valid = self.saved_build == self._build_key()
        if self.valid:
            try:
                self.existing = set(os.listdir(self.out))
            except OSError:
                self.existing = set()

    def used(self, name: str) -> None:
        """A notebook page's render asked for the template ``name``."""
        if not self.rendering:
            return
        self.used_templates.add(name)
        if name not in self.templates:
            # as the loader met it this build; a template loaded before the loader was
            # watched (none in practice) is stamped now
            loaded = self.loads.get(name)
            if loaded is None:
                entry = self._template_entry(name)
            else:
                entry = [*loaded[:2], self._reads_whole_site(loaded[2])]
            self.templates[name] = entry
            self.reads_whole_site |= bool(entry[2])

    def _template_entry(self, name: str, old: object = None) -> list[Any]:
        filename, stamp = self.stamp(name)
        if isinstance(old, list) and len(old) == 3 and old[:2] == [filename, stamp]:
            return old
        source = ""
        if filename is not None:
            try:
                source = Path(filename).read_text(encoding="utf-8", errors="replace")
            except OSError:
                pass
        return [filename, stamp, self._reads_whole_site(source)]

    def _build_key(self) -> str:
        return digest([self.build_part, sorted(self.templates.items())])

    def get(self, key: str) -> str | None:
        name = f"{key}.html"
        if not self.valid or name not in self.existing:
            return None
        try:
            html = (self.out / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self.used_renders.add(name)
        self.hits += 1
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
        """Write this build's renders and the build part; drop renders no page used."""
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
        if not self.hits:  # every kept render is this build's: forget templates no longer used
            self.templates = {n: e for n, e in self.templates.items() if n in self.used_templates}
        index = {"build": self._build_key(), "templates": self.templates}
        write_if_changed(self.folder / "index.json", json.dumps(index, sort_keys=True))
