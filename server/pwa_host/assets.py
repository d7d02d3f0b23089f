"""The app shell the service worker precaches, and its version (hash of the contents)."""

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from server.pwa_host.slim import slim_js

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
    urls: list[str]
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
    urls = [SCOPE if name == "index.html" else SCOPE + name for name in files]
    result = Shell(version=digest.hexdigest()[:16], urls=urls, modules=module_graph(root))
    _cache.clear()
    _cache[stamp] = result
    return result


def render_worker(root: Path) -> str:
    current = shell(root)
    template = slim_js((root / WORKER_TEMPLATE).read_text(encoding="utf-8"))
    return (template
            .replace("'__SW_VERSION__'", json.dumps(current.version))
            .replace("['__SW_ASSETS__']", json.dumps(current.urls)))


def render_index(root: Path) -> str:
    """index.html with a modulepreload link for every module of the shell before the entry
    script: the browser fetches them all at once instead of one import level after another
    (about 30 modules, 6 levels deep: six round trips on a 400 ms line)."""
    current = shell(root)
    html = (root / INDEX).read_text(encoding="utf-8")
    links = "".join(f'<link rel="modulepreload" href="{name}">\n  '
                    for name in current.modules if name != ENTRY_MODULE)
    return html.replace(ENTRY_SCRIPT, links + ENTRY_SCRIPT, 1)
