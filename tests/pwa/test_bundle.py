"""The app's modules in one bundle, made by the server (server/pwa_host/bundle.py): the same
behaviour as separate modules, refusals that say why, and how the page and the worker get it
(no browser; node runs the bundle where it is installed)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from server.pwa_host.assets import module_graph
from server.pwa_host.bundle import BundleError, build, bundle, evaluation_order, read_graph
from server.pwa_host.slim import slim_js

ROOT = Path(__file__).resolve().parents[2]
GZIP = {"Accept-Encoding": "gzip"}
needs_node = pytest.mark.skipif(shutil.which("node") is None and not __import__("os").environ.get("CI"),
                                reason="node is not installed here")

# Separate modules whose output (evaluation order, values, identities) the bundle must repeat.
FIXTURE = {
    "js/main.js": """// The entry.
import { log, order } from './log.js';
import { double, TWICE as two, later } from './math.js';
import * as shapes from './shapes.js';
import './side.js';
import { area, Square as Box } from './reexport.js';

log(`main ${double(2)} ${two} ${shapes.kind} ${Object.keys(shapes).sort().join()}`);
log(`${area(new Box(3))} ${shapes.Square === Box} ${Object.isExtensible(shapes)} ${typeof shapes.hidden}`);
const text = "import { x } from './nope.js'; export default 1";
const pattern = /export\\s+let/;
log(`${text.length} ${pattern.test('export let')} ${`tpl ${'}'} import`} ${{ import: 1, export: 2 }.export}`);
later().then((value) => log(`later ${value} ${order.join(' ')}`));
""",
    "js/log.js": """export const order = [];
export function log(line) { console.log(line); }
export function mark(name) { order.push(name); }
""",
    "js/math.js": """import { mark } from './log.js';
mark('math');
export const TWICE = 2;
export function double(x) { return x * TWICE; }
export async function later() { return await Promise.resolve(TWICE + 1); }
""",
    "js/shapes.js": """import { mark } from './log.js';
mark('shapes');
export class Square {
  constructor(side) { this.side = side; }
}
export const kind = 'square';
const hidden = 1;
function area(shape) {
  return shape.side ** 2 + hidden - 1;
}
export {
  area,
};
""",
    "js/side.js": "import { mark } from './log.js';\nmark('side');\n",
    "js/reexport.js": "export { area, Square } from './shapes.js';\nimport { mark } from './log.js';\nmark('reexport');\n",
}


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_dependencies_come_first_in_the_order_the_browser_runs_them(tmp_path):
    root = _write(tmp_path, FIXTURE)
    order = evaluation_order(read_graph(root, "js/main.js"), "js/main.js")
    assert order == ["js/log.js", "js/math.js", "js/shapes.js", "js/side.js", "js/reexport.js", "js/main.js"]


def test_imports_become_namespace_reads(tmp_path):
    text = build(_write(tmp_path, FIXTURE), "js/main.js").text
    assert "const { log, order } = __ln_js_log;" in text
    assert "const { double, TWICE: two, later } = __ln_js_math;" in text
    assert "const shapes = __ln_js_shapes;" in text
    assert "return Object.freeze({ __proto__: null, Square, kind, area });" in text
    assert "area: __ln_reexport_0.area" in text
    assert not re.search(r"^\s*(import|export)\b", text, re.MULTILINE)
    # Strings, regular expressions and templates that mention import/export are untouched.
    assert "\"import { x } from './nope.js'; export default 1\"" in text
    assert r"/export\s+let/" in text


@needs_node
def test_the_bundle_behaves_as_the_separate_modules(tmp_path):
    root = _write(tmp_path, {**FIXTURE, "package.json": json.dumps({"type": "module"})})
    made = build(root, "js/main.js")
    (root / made.name).write_text(made.text, encoding="utf-8")

    def run(name):
        done = subprocess.run(["node", str(root / name)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    separate = run("js/main.js")
    assert "later 3 math shapes side reexport" in separate
    assert run(made.name) == separate


def test_lines_stay_where_they_were_after_the_file_marker(tmp_path):
    made = build(_write(tmp_path, FIXTURE), "js/main.js")
    lines = made.text.splitlines()
    marker = lines.index("// js/shapes.js")
    source = FIXTURE["js/shapes.js"].splitlines()
    for number in (2, 4, 9):  # line N of the module is the marker's line + 1 + N
        assert lines[marker + 1 + number] == source[number - 1].strip()


def test_an_import_cycle_is_refused_with_the_cycle_named(tmp_path):
    root = _write(tmp_path, {
        "js/main.js": "import { a } from './a.js';\na();\n",
        "js/a.js": "import { b } from './b.js';\nexport function a() { return b; }\n",
        "js/b.js": "import { a } from './a.js';\nexport const b = 1;\n",
    })
    with pytest.raises(BundleError, match=r"import cycle.*js/a\.js -> js/b\.js -> js/a\.js"):
        build(root, "js/main.js")


@pytest.mark.parametrize(("source", "reason"), [
    ("export let count = 0;\n", "export let"),
    ("export var count = 0;\n", "export let"),
    ("export default function f() {}\n", "export let/var/default"),
    ("export * from './b.js';\n", "export let/var/default"),
    ("const data = await fetch('x');\n", "top-level await"),
    ("const here = import.meta.url;\n", "import.meta"),
    ("export function later() { return import('./b.js'); }\n", "dynamic import"),
    ("export const load = (name) => import(name);\n", "dynamic import"),
    ("import b from './b.js';\n", "a default import cannot"),
    ("import { nothing } from './b.js';\n", "imports 'nothing', which js/b.js does not export"),
    ("import { b } from 'lib';\n", "only relative imports"),
    ("const __ln_js_b = 1;\n", "the bundler's own"),
])
def test_what_cannot_stay_the_same_is_refused_with_the_reason(tmp_path, source, reason):
    root = _write(tmp_path, {"js/main.js": "import './a.js';\n", "js/a.js": source,
                             "js/b.js": "export const b = 1;\n"})
    with pytest.raises(BundleError, match=re.escape(reason)) as refused:
        build(root, "js/main.js")
    assert "js/a.js" in str(refused.value)


def test_await_inside_functions_and_a_remote_dynamic_import_are_fine(tmp_path):
    root = _write(tmp_path, {"js/main.js": (
        "export const f = async () => await g();\n"
        "async function g() { return await import('https://example.org/x.js'); }\n"
        "export { g };\n")})
    assert "async () => await g()" in build(root, "js/main.js").text


def test_every_module_of_the_app_is_in_the_bundle_in_a_valid_order():
    root = ROOT / "pwa"
    made = bundle(root, "js/main.js")
    assert set(made.modules) == set(module_graph(root))
    assert made.modules[-1] == "js/main.js"
    assert made.modules.index("js/strings.js") < made.modules.index("js/i18n.js") < made.modules.index("js/ui/login.js")
    for name in made.modules:
        assert f"\n// {name}\n" in made.text, name
    assert re.fullmatch(r"js/app-[0-9a-f]{16}\.js", made.name)


@needs_node
def test_the_app_bundle_parses_and_no_module_syntax_is_left(tmp_path):
    text = bundle(ROOT / "pwa", "js/main.js").text
    # As a module (how the page loads it) and as a plain script: a script refuses any
    # import or export statement the bundler left behind.
    for suffix in (".mjs", ".cjs"):
        target = tmp_path / f"app{suffix}"
        target.write_text(text, encoding="utf-8")
        check = subprocess.run(["node", "--check", str(target)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stderr


def test_the_app_bundle_keeps_each_module_line_for_line():
    root = ROOT / "pwa"
    lines = bundle(root, "js/main.js").text.splitlines()
    for name in ("js/outbox.js", "js/ui/login.js"):
        source = slim_js((root / name).read_text(encoding="utf-8")).splitlines()
        start = lines.index(f"// {name}") + 2
        kept = [i for i, line in enumerate(source) if line and not line.startswith(("import ", "export {"))]
        for index in kept:
            assert lines[start + index] == source[index].removeprefix("export "), (name, index + 1)


# --- how the page and the worker get it (the server) ---

class Reply:
    """A test-client reply read and closed at once."""

    def __init__(self, client, path, **headers):
        response = client.get(path, headers=headers)
        self.status_code, self.headers, self.data = response.status_code, response.headers, response.data
        response.close()

    def text(self):
        return self.data.decode()


@pytest.fixture
def pwa_copy(app, tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(ROOT / "pwa", copy)
    previous = app.config.get("PWA_ROOT")
    app.config["PWA_ROOT"] = str(copy)
    yield copy
    app.config["PWA_ROOT"] = previous


def _page_bundle(client) -> str:
    html = Reply(client, "/app/").text()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 1 and re.fullmatch(r'<script type="module" src="js/app-[0-9a-f]{16}\.js">', scripts[0])
    assert "modulepreload" not in html and "js/main.js" not in html
    return re.search(r'src="(js/app-[0-9a-f]{16}\.js)"', html).group(1)


def _worker_assets(client) -> list[str]:
    text = Reply(client, "/app/sw.js").text()
    return json.loads(re.search(r"const ASSETS = (\[.*?\]);", text).group(1))


def test_the_page_loads_exactly_one_versioned_bundle(app):
    client = app.test_client()
    name = _page_bundle(client)
    assert name == bundle(ROOT / "pwa", "js/main.js").name
    reply = Reply(client, f"/app/{name}")
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("text/javascript")
    assert reply.text() == bundle(ROOT / "pwa", "js/main.js").text
    # Another version's name is not this content.
    assert Reply(client, "/app/js/app-0123456789abcdef.js").status_code == 404


def test_the_bundle_is_gzipped_cached_for_ever_and_revalidates(app):
    client = app.test_client()
    name = _page_bundle(client)
    plain = Reply(client, f"/app/{name}")
    zipped = Reply(client, f"/app/{name}", **GZIP)
    for reply in (plain, zipped):
        assert reply.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Accept-Encoding" in reply.headers["Vary"]
    assert zipped.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert __import__("gzip").decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 3
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = Reply(client, f"/app/{name}", **GZIP, **{"If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert Reply(client, f"/app/{name}", **{"If-None-Match": plain.headers["ETag"]}).status_code == 304


def test_the_worker_precaches_what_the_page_loads_and_not_the_modules(app):
    client = app.test_client()
    name = _page_bundle(client)
    html = Reply(client, "/app/").text()
    assets = _worker_assets(client)
    loaded = {"/app/"} | {f"/app/{href}" for href in re.findall(r'(?:href|src)="([^"]+)"', html)}
    manifest = json.loads(Reply(client, "/app/manifest.webmanifest").text())
    loaded |= {f"/app/{icon['src']}" for icon in manifest["icons"]}
    assert set(assets) == loaded
    assert f"/app/{name}" in assets and "/app/app.css" in assets
    assert [asset for asset in assets if asset.endswith(".js")] == [f"/app/{name}"]
    for asset in assets:
        assert Reply(client, asset).status_code == 200, asset



def test_the_worker_comes_with_its_imports_in_one_script(app):
    worker = Reply(app.test_client(), "/app/sw.js").text()
    assert not re.search(r"^import\s*[{*'\"]", worker, re.MULTILINE)
    for name in ("js/storage.js", "js/api.js", "js/sync.js", "sw.js"):
        assert f"\n// {name}\n" in worker, name
    assert "'__SW_" not in worker


def test_any_module_changed_makes_a_new_bundle_and_a_new_worker(app, pwa_copy):
    client = app.test_client()
    first = _page_bundle(client)
    version = re.search(r'const VERSION = "(\w+)"', Reply(client, "/app/sw.js").text()).group(1)
    deep = pwa_copy / "js" / "backoff.js"  # imported by the sync engine, two levels down
    deep.write_text(deep.read_text(encoding="utf-8") + "\nexport const ADDED = 1;\n", encoding="utf-8")
    second = _page_bundle(client)
    assert second != first
    assert Reply(client, f"/app/{second}").status_code == 200
    assert Reply(client, f"/app/{first}").status_code == 404
    assert f"/app/{second}" in _worker_assets(client)
    assert re.search(r'const VERSION = "(\w+)"', Reply(client, "/app/sw.js").text()).group(1) != version
    # The worker bundles backoff.js too (through the sync engine).
    assert "ADDED" in Reply(client, "/app/sw.js").text()


def test_a_module_the_bundler_refuses_stops_the_app_at_start(tmp_path):
    from server import create_app

    copy = tmp_path / "pwa"
    shutil.copytree(ROOT / "pwa", copy)
    outbox = copy / "js" / "outbox.js"
    outbox.write_text("import './main.js';\n" + outbox.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(BundleError, match="import cycle"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "t", "SCHEDULER_ENABLED": False,
                    "PWA_ROOT": str(copy)})
