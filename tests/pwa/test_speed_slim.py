"""The shell travels without comments: what is stripped, what must never be touched, and the
real modules still parse (no browser)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from server.pwa_host.assets import module_graph
from server.pwa_host.slim import slim_css, slim_js

ROOT = Path(__file__).resolve().parents[2]


def test_comments_and_indentation_go_line_breaks_stay():
    source = ("// Why this module exists.\n"
              "import { a } from './a.js'; // a trailing note\n"
              "/** A doc comment\n * over lines. */\n"
              "export function f(x) {\n"
              "    return x / 2; /* half */\n"
              "}\n")
    slim = slim_js(source)
    assert slim == "\nimport { a } from './a.js';\n\n\nexport function f(x) {\nreturn x / 2;\n}\n"
    assert slim.count("\n") == source.count("\n"), "line numbers in error reports stay right"


@pytest.mark.parametrize("code", [
    "const url = 'http://example.com/a'; const b = \"/* not a comment */\";",
    "const re = /\\/\\/[^/]*$/g; const s = 'x'.replace(/\\{(\\w+)\\}/g, (_, n) => n);",
    "if (/^[A-Za-z0-9_-]{20,128}$/.test(code)) go();",
    "const t = `a // b ${c ? '/* d */' : `e ${f}`} g`; const h = `line one\n    indented // kept`;",
    "return ratio = total / count / 2;",
    "const tag = x.match(/Android[^;)]*;\\s*([^;)]+)/)?.[1];",
    "const cls = /[/]/; const z = 1;",
])
def test_strings_templates_and_regular_expressions_are_left_alone(code):
    assert slim_js(code) == code


def test_css_comments_go_strings_stay():
    css = "/* Buttons */\n.a { content: \"/* kept */\"; }\n  .b { color: red; } /* red */\n"
    assert slim_css(css) == "\n.a { content: \"/* kept */\"; }\n.b { color: red; }\n"


@pytest.mark.skipif(shutil.which("node") is None and not __import__("os").environ.get("CI"),
                    reason="node is not installed here")
def test_every_module_of_the_shell_still_parses(tmp_path):
    root = ROOT / "pwa"
    for name in [*module_graph(root), "sw.js"]:
        source = (root / name).read_text(encoding="utf-8")
        slim = slim_js(source)
        assert slim.count("\n") == source.count("\n"), name
        target = tmp_path / (name.replace("/", "_") + ".mjs")
        target.write_text(slim, encoding="utf-8")
        check = subprocess.run(["node", "--check", str(target)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, (name, check.stderr)


def test_the_served_module_is_the_slim_one_and_revalidates(app):
    client = app.test_client()
    reply = client.get("/app/js/outbox.js")
    body = reply.get_data(as_text=True)
    etag = reply.headers["ETag"]
    reply.close()
    assert body == slim_js((ROOT / "pwa" / "js" / "outbox.js").read_text(encoding="utf-8"))
    assert "//" not in "".join(line.split("'")[0] for line in body.splitlines() if line.startswith("//"))
    again = client.get("/app/js/outbox.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    again.close()
