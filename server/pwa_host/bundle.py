"""The app's ES modules joined into one, by the server at start-up (no build step).

On a poor line (400 ms a request, six connections) and a slow phone, forty modules cost
more than their bytes: each is a request queued behind others, and the browser parses and
links each on its own. The bundle is one request, cached for ever under a versioned name.

Each module keeps its own function scope, evaluated in the order the browser would evaluate
it (dependencies first, in import order). Imports become reads from the dependency's
namespace object, made when the dependency has run; exports are collected into that object
(frozen) at the end. This keeps the modules' behaviour because our code follows a few rules,
checked here and refused with a clear error otherwise: no import cycle, no `export let/var`
(a binding that changes after export), no default export, no top-level await, no
`import.meta`, no dynamic import() of our own modules.

Lines are kept: line N of a module is the line after its marker (`// js/storage.js`) plus N.
"""

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from server.pwa_host.slim import mask_literals, slim_js

NAME_PREFIX = "__ln_"
_WORD = r"[A-Za-z_$][\w$]*"
_KEYWORD = re.compile(r"(?<![\w$.])(import|export)(?![\w$])")
_IMPORT = re.compile(r"import\s*(?:(?P<clause>[^'\"`;]*?)\s*from\s*)?(?P<quote>['\"])")
_EXPORT_DECLARATION = re.compile(
    rf"export\s+(?:async\s+function\b\s*\*?|function\b\s*\*?|class\b|const\b)\s*(?P<name>{_WORD})")
_EXPORT_LIST = re.compile(r"export\s*\{(?P<names>[^}]*)\}\s*(?:from\s*(?P<quote>['\"]))?")
_NAMESPACE = re.compile(rf"\*\s*as\s+(?P<name>{_WORD})")
_SPECIFIER = re.compile(rf"(?P<name>{_WORD})(?:\s+as\s+(?P<alias>{_WORD}))?")
_TOP_LEVEL_AWAIT = re.compile(r"(?<![\w$.])await(?![\w$])")


class BundleError(ValueError):
    """Something the bundler cannot keep the same as in separate modules."""


@dataclass(frozen=True)
class Import:
    source: str  # the module imported, relative to the root ("js/outbox.js")
    names: tuple[tuple[str, str], ...] = ()  # (exported name, local name)
    namespace: str | None = None  # `import * as storage`


@dataclass(frozen=True)
class Module:
    name: str
    imports: tuple[Import, ...]
    exports: tuple[tuple[str, str], ...]  # (exported name, expression in the module's scope)
    body: str  # slimmed, import and export syntax taken out, the same lines as the source


@dataclass(frozen=True)
class Bundle:
    name: str  # "js/app-<hash>.js", relative to the root
    text: str
    modules: tuple[str, ...]  # in evaluation order, the entry last


def _resolve(current: str, specifier: str) -> str:
    if not specifier.startswith(("./", "../")):
        raise BundleError(f"{current}: only relative imports can be bundled, not {specifier!r}")
    return posixpath.normpath(posixpath.join(posixpath.dirname(current), specifier))


def _specifiers(module: str, text: str) -> list[tuple[str, str]]:
    """`a, b as c,` -> [(a, a), (b, c)]."""
    found = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = _SPECIFIER.fullmatch(part)
        if not match:
            raise BundleError(f"{module}: cannot bundle the import/export list item {part!r}")
        found.append((match["name"], match["alias"] or match["name"]))
    return found


def _closing_quote(module: str, slim: str, masked: str, opening: int) -> tuple[str, int]:
    end = masked.find(masked[opening], opening + 1)
    if end < 0:
        raise BundleError(f"{module}: unterminated module specifier")
    return slim[opening + 1:end], end + 1


def _statement_end(masked: str, end: int) -> int:
    """Past the optional `;` after a statement."""
    match = re.compile(r"[ \t]*;").match(masked, end)
    return match.end() if match else end


def _blank(text: str) -> str:
    """What replaces a statement taken out: its line breaks, so lines stay where they were."""
    return "\n" * text.count("\n")


def _depths(masked: str) -> list[int]:
    """Nesting (brackets of any kind, template expressions included) at each position."""
    depths, depth = [], 0
    for char in masked:
        depths.append(depth)
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    return depths


def read_module(name: str, source: str) -> Module:
    """One module's imports, exports and body, or a BundleError saying what cannot be bundled."""
    slim = slim_js(source)
    masked = mask_literals(slim)
    if NAME_PREFIX in masked:
        raise BundleError(f"{name}: the name prefix {NAME_PREFIX!r} is the bundler's own")
    depths = _depths(masked)
    for match in _TOP_LEVEL_AWAIT.finditer(masked):
        if depths[match.start()] == 0 and not _inside_function_at_top(masked, match.start()):
            raise BundleError(f"{name}: top-level await cannot be bundled (line {_line(slim, match.start())})")
    imports: list[Import] = []
    exports: list[tuple[str, str]] = []
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the slim text
    for match in _KEYWORD.finditer(masked):
        start, keyword = match.start(), match.group(1)
        where = f"{name}, line {_line(slim, start)}"
        after = masked[match.end():].lstrip()
        if keyword == "import" and after.startswith("."):
            raise BundleError(f"{where}: import.meta cannot be bundled")
        if keyword == "import" and after.startswith("("):
            argument = slim[match.end():].lstrip()[1:].lstrip()
            if argument[:1] in "'\"`" and argument[1:3] in ("./", "..") or argument[:1] not in "'\"`":
                raise BundleError(f"{where}: a dynamic import() of a module of the app cannot be bundled")
            continue
        if depths[start] != 0:
            continue  # a property named import/export, inside braces
        if any(edit_start <= start < edit_end for edit_start, edit_end, _ in edits):
            continue
        if keyword == "import":
            edits.append(_read_import(name, where, slim, masked, start, imports))
        else:
            edits.append(_read_export(name, where, slim, masked, start, imports, exports))
    body = slim
    for start, end, replacement in sorted(edits, reverse=True):
        body = body[:start] + replacement + body[end:]
    return Module(name, tuple(imports), tuple(exports), body)


def _inside_function_at_top(masked: str, position: int) -> bool:
    """An `await` at nesting 0 is still in a function when an arrow without braces holds it
    (`const f = async () => await g;`): the statement it belongs to has `=>` before it."""
    statement_start = max(masked.rfind(";", 0, position), masked.rfind("\n", 0, position))
    return "=>" in masked[statement_start + 1:position]


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _read_import(name, where, slim, masked, start, imports) -> tuple[int, int, str]:
    match = _IMPORT.match(masked, start)
    if not match:
        raise BundleError(f"{where}: cannot read this import")
    specifier, end = _closing_quote(name, slim, masked, match.start("quote"))
    end = _statement_end(masked, end)
    source = _resolve(name, specifier)
    clause = (match["clause"] or "").strip()
    if not clause:
        imports.append(Import(source))
    elif namespace := _NAMESPACE.fullmatch(clause):
        imports.append(Import(source, namespace=namespace["name"]))
    elif clause.startswith("{") and clause.endswith("}"):
        imports.append(Import(source, names=tuple(_specifiers(name, clause[1:-1]))))
    else:
        raise BundleError(f"{where}: only `import {{ a, b as c }}`, `import * as ns` and `import './x.js'` "
                          f"can be bundled (a default import cannot): {slim[start:end]!r}")
    return start, end, _blank(slim[start:end])


def _read_export(name, where, slim, masked, start, imports, exports) -> tuple[int, int, str]:
    if declaration := _EXPORT_DECLARATION.match(masked, start):
        exports.append((declaration["name"], declaration["name"]))
        keyword_end = re.compile(r"export\s+").match(masked, start).end()
        return start, keyword_end, ""
    if listed := _EXPORT_LIST.match(masked, start):
        pairs = _specifiers(name, listed["names"])
        end = listed.end()
        if listed["quote"]:
            specifier, end = _closing_quote(name, slim, masked, listed.start("quote"))
            source = _resolve(name, specifier)
            local = f"{NAME_PREFIX}reexport_{len(imports)}"
            imports.append(Import(source, namespace=local))
            exports.extend((alias, f"{local}.{original}") for original, alias in pairs)
        else:
            exports.extend((alias, original) for original, alias in pairs)
        end = _statement_end(masked, end)
        return start, end, _blank(slim[start:end])
    line_end = slim.find("\n", start)
    raise BundleError(f"{where}: only `export function/async function/class/const` and "
                      f"`export {{ a, b }}` can be bundled (not export let/var/default/*): "
                      f"{slim[start:line_end if line_end >= 0 else None]!r}")


def evaluation_order(modules: dict[str, Module], entry: str) -> list[str]:
    """Dependencies before the modules that import them, in import order (the order the
    browser evaluates separate modules in); an import cycle is refused."""
    order: list[str] = []
    state: dict[str, str] = {}  # "visiting" or "done"

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = path[path.index(name):] + [name]
            raise BundleError("import cycle, which the bundle cannot keep: " + " -> ".join(cycle))
        state[name] = "visiting"
        for imported in modules[name].imports:
            visit(imported.source, [*path, name])
        state[name] = "done"
        order.append(name)

    visit(entry, [])
    return order


def _variable(name: str) -> str:
    return NAME_PREFIX + re.sub(r"[^\w$]", "_", name.removesuffix(".js"))


def read_graph(root: Path, entry: str) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    queue = [entry]
    while queue:
        name = queue.pop(0)
        if name in modules:
            continue
        path = root / name
        if not path.is_file():
            raise BundleError(f"{name} is imported but does not exist")
        modules[name] = read_module(name, path.read_text(encoding="utf-8"))
        queue.extend(imported.source for imported in modules[name].imports)
    return modules


def _check_names(modules: dict[str, Module], order: list[str]) -> None:
    variables: dict[str, str] = {}
    for name in order:
        other = variables.setdefault(_variable(name), name)
        if other != name:
            raise BundleError(f"{name} and {other} would share the bundle's name {_variable(name)}")
        exported = {alias for alias, _ in modules[name].exports}
        if len(exported) != len(modules[name].exports):
            raise BundleError(f"{name} exports a name twice")
        for imported in modules[name].imports:
            offered = {alias for alias, _ in modules[imported.source].exports}
            for wanted, _ in imported.names:
                if wanted not in offered:
                    raise BundleError(f"{name} imports {wanted!r}, which {imported.source} does not export")


def _header(module: Module) -> str:
    reads = []
    for imported in module.imports:
        source = _variable(imported.source)
        if imported.namespace:
            reads.append(f"const {imported.namespace} = {source};")
        elif imported.names:
            names = ", ".join(local if local == wanted else f"{wanted}: {local}"
                              for wanted, local in imported.names)
            reads.append(f"const {{ {names} }} = {source};")
    return f"const {_variable(module.name)} = (() => {{ {' '.join(reads)}".rstrip()


def _footer(module: Module) -> str:
    entries = ", ".join(local if local == alias else f"{alias}: {local}" for alias, local in module.exports)
    # A namespace like the browser's: no prototype, read-only.
    return f"return Object.freeze({{ __proto__: null{', ' if entries else ''}{entries} }});\n}})();\n"


def build(root: Path, entry: str) -> Bundle:
    modules = read_graph(root, entry)
    order = evaluation_order(modules, entry)
    _check_names(modules, order)
    parts = [f"// The app's modules in one, made by the server from {entry} (server/pwa_host/bundle.py).\n"
             "// Line N of a module is the line after its marker plus N.\n"]
    for name in order:
        module = modules[name]
        body = module.body if module.body.endswith("\n") else module.body + "\n"
        parts.append(f"// {name}\n{_header(module)}\n{body}{_footer(module)}")
    text = "".join(parts)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Bundle(name=f"{posixpath.dirname(entry)}/app-{digest}.js", text=text, modules=tuple(order))


_cache: dict[tuple, Bundle] = {}


def bundle(root: Path, entry: str) -> Bundle:
    """The bundle of `entry`, made again only when a JavaScript file under the root changed."""
    stamp = (str(root), entry, *((str(path), path.stat().st_mtime_ns, path.stat().st_size)
                                 for path in sorted(root.rglob("*.js"))))
    if stamp not in _cache:
        result = build(root, entry)
        if len(_cache) > 8:  # old versions: the page's and the worker's bundles are kept
            _cache.clear()
        _cache[stamp] = result
    return _cache[stamp]
