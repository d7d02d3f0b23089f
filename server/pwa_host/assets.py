"""The app shell the service worker precaches, and its version (hash of the contents)."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

SCOPE = "/app/"
SERVED_SUFFIXES = {".html", ".js", ".css", ".json", ".png", ".webmanifest", ".svg"}
WORKER_TEMPLATE = "sw.js"
NOT_SERVED = {WORKER_TEMPLATE}


@dataclass(frozen=True)
class Shell:
    version: str
    urls: list[str]


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
    result = Shell(version=digest.hexdigest()[:16], urls=urls)
    _cache.clear()
    _cache[stamp] = result
    return result


def render_worker(root: Path) -> str:
    current = shell(root)
    template = (root / WORKER_TEMPLATE).read_text(encoding="utf-8")
    return (template
            .replace("'__SW_VERSION__'", json.dumps(current.version))
            .replace("['__SW_ASSETS__']", json.dumps(current.urls)))
