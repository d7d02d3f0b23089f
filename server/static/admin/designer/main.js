// The form designer's entry point (server/templates/admin/forms/editor.html loads it).
// The page works without it (a JSON textarea); with it, the designer replaces that fallback
// once the draft is loaded and can be shown.
import { createApi } from "./api.js";
import { createDesigner } from "./designer.js";
import { designable } from "./model.js";
import { h, tr, trm } from "./ui.js";

const STYLESHEET = new URL("../designer.css", import.meta.url);

function loadStylesheet() {
  return new Promise((resolve) => {
    if (document.querySelector(`link[href="${STYLESHEET.pathname}"]`)) {
      resolve();
      return;
    }
    const link = h("link", { rel: "stylesheet", href: STYLESHEET.pathname });
    link.addEventListener("load", resolve);
    link.addEventListener("error", resolve);
    document.head.append(link);
  });
}

function notice(root, message) {
  root.prepend(h("p", { class: "flash error designer-unavailable", role: "alert" }, message));
}

// The no-JavaScript fallback holds the whole definition in a textarea: laying that out again
// (for every style change while the designer loads) costs seconds on a big form. It leaves
// the page at once and comes back only if the designer cannot open.
function setFallbackAside(root) {
  const fallback = root.querySelector("[data-designer-fallback]");
  if (!fallback) return () => {};
  const placeholder = document.createComment("designer fallback");
  fallback.replaceWith(placeholder);
  return () => placeholder.replaceWith(fallback);
}

async function start() {
  const root = document.getElementById("designer");
  if (!root) return;
  const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const languages = (root.dataset.languages || "vi,en,km").split(",").map((code) => code.trim()).filter(Boolean);
  const api = createApi(root.dataset.api, { csrfToken });
  const restoreFallback = setFallbackAside(root);
  const loading = h("p", { class: "muted designer-loading", role: "status" }, tr("Đang mở trình thiết kế…", "Opening the designer…"));
  root.prepend(loading);
  let draft;
  try {
    [draft] = await Promise.all([api.load(), loadStylesheet()]);
  } catch (error) {
    loading.remove();
    restoreFallback();
    notice(root, tr("Không mở được trình thiết kế: ", "The designer could not open: ") + trm(error.messages ?? { vi: String(error), en: String(error) })
      + tr(" Bạn vẫn sửa được bản nháp dạng JSON bên dưới.", " You can still edit the draft as JSON below."));
    return;
  }
  if (!designable(draft.definition)) {
    loading.remove();
    restoreFallback();
    notice(root, tr("Bản nháp này có cấu trúc mà trình thiết kế không hiển thị được; hãy sửa dạng JSON bên dưới.", "This draft has a shape the designer cannot show; edit it as JSON below."));
    return;
  }
  loading.remove();
  document.body.classList.add("designer-page");
  // Reachable for the browser tests and bench/designer.py (e.g. "is everything saved?").
  window.formDesigner = createDesigner(root, { draft, api, languages });
  document.dispatchEvent(new CustomEvent("designer:ready"));
}

start();
