"""The app shell the service worker precaches, and its version (hash of the contents).

The page loads its modules as one bundle, and the worker comes with its imports bundled in
(server/pwa_host/bundle.py). The modules stay served one by one too: the source of a line
in a bundle, and the page of separate modules that bench/pwa.py --compare measures.
"""

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from server.pwa_host.bundle import bundle

SCOPE = "/app/"
SERVED_SUFFIXES = {".html", ".js", ".css", ".json", ".png", ".webmanifest", ".svg"}
WORKER_TEMPLATE = "sw.js"
NOT_SERVED = {WORKER_TEMPLATE}
ENTRY_MODULE = "js/main.js"
INDEX = "index.html"
# A static import or re-export: `import x from './a.js'`, `export { y } from '../b.js'`,
# `import './c.js'` (dynamic import() is left out: it loads later, when asked for).
STATIC_IMPORT = re.compile(r"""(?:\bfrom|^\s*import)\s*['"](\.{1,2}/[^'"]+)['"]""", re.MULTILINE)
ENTRY_SCRIPT = f'<script type="module" src="{ENTRY_MODULE}"></script>'


@dataclass(frozen=True)
class Shell:
    version: str
    # What the page loads and the worker precaches: the page, the bundle, styles, icons.
    urls: list[str]
    # The entry module's bundle (relative to root, "js/app-<hash>.js"); its URL never
    # changes content, so it is cached for ever.
    bundle: str = ""
    # Every module the entry module loads, directly or not, in the order found (relative to root).
    modules: tuple[str, ...] = ()


def servable(root: Path, relative: str) -> bool:
    path = Path(relative)
    return (
        relative not in NOT_SERVED
        and path.suffix in SERVED_SUFFIXES
        and not any(part.startswith(".") for part in path.parts)
    )


def _shell_files(root: Path) -> list[str]:
    files = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and servable(root, relative):
            files.append(relative)
    return files


def module_graph(root: Path, entry: str = ENTRY_MODULE) -> tuple[str, ...]:
    """The modules reached from `entry` by static imports, breadth first, entry first."""
    found, queue = [entry], [entry]
    while queue:
        current = queue.pop(0)
        path = root / current
        if not path.is_file():
            continue
        for target in STATIC_IMPORT.findall(path.read_text(encoding="utf-8")):
            name = posixpath.normpath(posixpath.join(posixpath.dirname(current), target))
            if name not in found and servable(root, name) and (root / name).is_file():
                found.append(name)
                queue.append(name)
    return tuple(found)


_cache: dict[tuple, Shell] = {}


def shell(root: Path) -> Shell:
    """Asset URLs and a version that changes whenever any of them (or the worker) changes."""
    files = _shell_files(root)
    # Stat-keyed cache: hashing runs again only when a file changed.
    stamp = tuple((name, (root / name).stat().st_mtime_ns, (root / name).stat().st_size)
                  for name in [*files, WORKER_TEMPLATE])
    if stamp in _cache:
        return _cache[stamp]
    digest = hashlib.sha256()
    for name in [*files, WORKER_TEMPLATE]:
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256((root / name).read_bytes()).digest())
    app_bundle = bundle(root, ENTRY_MODULE).name
    # Not the modules one by one: the page runs the bundle (and the worker's imports are
    # bundled into its script, which the browser keeps itself).
    page_files = [name for name in files if not name.endswith(".js")] + [app_bundle]
    urls = [SCOPE if name == INDEX else SCOPE + name for name in page_files]
    result = Shell(version=digest.hexdigest()[:16], urls=urls, bundle=app_bundle, modules=module_graph(root))
    _cache.clear()
    _cache[stamp] = result
    return result


def render_worker(root: Path) -> str:
    """The worker with its imports bundled in, as the page's modules are: one request to
    install it rather than a few levels of imports, each a round trip on a slow line."""
    current = shell(root)
    template = bundle(root, WORKER_TEMPLATE).text
    return (template
            .replace("'__SW_VERSION__'", json.dumps(current.version))
            .replace("['__SW_ASSETS__']", json.dumps(current.urls))
            .replace("'__SW_BUNDLE__'", json.dumps(SCOPE + current.bundle)))


def render_index(root: Path) -> str:
    """index.html running the bundle instead of the entry module: one request for the app's
    code (about 40 modules: a queue of requests on a 400 ms line, and as many modules for a
    slow phone to parse and link)."""
    current = shell(root)
    html = (root / INDEX).read_text(encoding="utf-8")
    if ENTRY_SCRIPT not in html:
        raise ValueError(f"{INDEX} has no {ENTRY_SCRIPT!r} to replace with the bundle")
    return html.replace(ENTRY_SCRIPT, f'<script type="module" src="{current.bundle}"></script>', 1)


def render_index_with_preloads(root: Path) -> str:
    """The page as it was before the bundle (bench/pwa.py --compare): the entry module with a
    modulepreload link for every module of the shell, fetched at once rather than one import
    level after another."""
    current = shell(root)
    html = (root / INDEX).read_text(encoding="utf-8")
    links = "".join(f'<link rel="modulepreload" href="{name}">\n  '
                    for name in current.modules if name != ENTRY_MODULE)
    return html.replace(ENTRY_SCRIPT, links + ENTRY_SCRIPT, 1)
