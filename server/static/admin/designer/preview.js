// The live phone preview: the draft rendered by the volunteer app's own modules (the form
// view of pwa/js/ui/form.js, the question widgets of inputs.js, the logic engine of
// form-logic.js; imported, not copied) in a 360×740 screen beside the editor.
// The app's stylesheet is applied inside a shadow root, so it styles the phone and nothing
// else; its ":root" and "body" rules are pointed at the phone, and the tablet layout is
// dropped (the admin's wide window is not the phone's).
import { setLanguage } from "../../../app/js/i18n.js";
import { formView } from "../../../app/js/ui/form.js";
import { inLanguage } from "./preview-language.js";
import { testAnswers } from "./test-answers.js";
import { h, languageName, tr } from "./ui.js";

const APP_CSS = new URL("../../../app/app.css", import.meta.url);
const APP_LANGUAGES = new Set(["vi", "en"]); // the app's own strings (buttons) exist in these
const UPDATE_MS = 250;

let sheetPromise = null;

/** The app's stylesheet, adapted to live in a shadow root (CSSOM only, no inline styles). */
function phoneSheet() {
  sheetPromise ??= fetch(APP_CSS, { credentials: "same-origin" }).then((response) => response.text()).then((text) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    for (let i = sheet.cssRules.length - 1; i >= 0; i -= 1) {
      const rule = sheet.cssRules[i];
      if (rule instanceof CSSMediaRule && /min-width/.test(rule.conditionText ?? rule.media.mediaText)) {
        sheet.deleteRule(i);
      } else if (rule instanceof CSSStyleRule) {
        const selector = rule.selectorText;
        if (selector === ":root" || selector === "html") {
          rule.selectorText = ":host";
          // The phone is zoomed to the app's 18 px root size instead (designer.css).
          rule.style.removeProperty("font-size");
        } else if (/^body\b/.test(selector)) {
          rule.selectorText = selector.replace(/^body/, ".phone-body");
        }
      }
    }
    return sheet;
  });
  return sheetPromise;
}

/**
 * container: where the preview goes; languages: the designer's languages.
 * Returns {update(definition), showQuestion(name)}.
 */
export function createPreview(container, { languages }) {
  let definition = null;
  let language = languages[0] ?? "vi";
  let answers = {};
  let page = 0;
  let jumpTo = null;
  let seed = 0;
  let timer = null;
  let view = null;

  const host = h("div", { class: "phone-screen", "aria-label": tr("Xem trước trên điện thoại", "Phone preview"), role: "region" });
  const shadow = host.attachShadow({ mode: "open" });
  // The form's language on what shows it (Khmer is shaped and voiced as Khmer).
  const screen = h("div", { class: "phone-body", lang: language });
  shadow.append(screen);
  phoneSheet().then((sheet) => { shadow.adoptedStyleSheets = [sheet]; render(); }).catch(() => {});

  const status = h("p", { class: "preview-status muted small", role: "status" });
  const languageButtons = languages.map((code) => h("button", {
    type: "button", class: "small preview-language", "aria-pressed": String(code === language),
    dataset: { language: code },
    onclick: () => {
      language = code;
      for (const button of languageButtons) button.setAttribute("aria-pressed", String(button.dataset.language === code));
      screen.lang = code;
      render();
    },
  }, languageName(code)));
  const fill = h("button", {
    type: "button", class: "small fill-answers",
    onclick: () => {
      if (!definition) return;
      seed += 1;
      answers = testAnswers(definition, { seed, language });
      page = 0;
      jumpTo = null;
      render();
      status.textContent = tr(`Đã điền ${Object.keys(answers).length} câu trả lời thử.`, `Filled ${Object.keys(answers).length} test answers.`);
    },
  }, tr("Điền câu trả lời thử", "Fill with test answers"));
  const reset = h("button", {
    type: "button", class: "small reset-answers",
    onclick: () => {
      answers = {};
      page = 0;
      render();
      status.textContent = tr("Đã xóa các câu trả lời.", "Answers cleared.");
    },
  }, tr("Xóa câu trả lời", "Clear answers"));

  container.append(
    h("div", { class: "preview-controls" },
      h("div", { class: "preview-languages", role: "group", "aria-label": tr("Ngôn ngữ xem trước", "Preview language") }, languageButtons),
      h("div", { class: "preview-actions" }, fill, reset)),
    h("div", { class: "phone" }, host),
    status);

  function render() {
    if (!definition) return;
    setLanguage(APP_LANGUAGES.has(language) ? language : "vi", { silent: true, persist: false });
    const shown = inLanguage(definition, language);
    try {
      view = formView(shown, {
        answers, page, jumpTo, wide: false,
        onChange: (next, nextPage) => { answers = next; page = nextPage; jumpTo = null; },
        onLeave: async (direction) => { showEnd(direction); },
        scrollTop: () => { host.scrollTop = 0; },
      });
    } catch (error) {
      // A draft may be anything while it is edited (e.g. a logic cycle): say so in the phone.
      screen.replaceChildren(h("div", { class: "main" }, h("div", { class: "screen" },
        h("p", { class: "notice warn" }, tr("Chưa xem trước được: ", "Cannot preview yet: "), String(error.message)))));
      return;
    }
    // The chosen question may be hidden by its condition with the answers given so far.
    if (jumpTo && view.pages.length && !view.pages[view.page]?.names.includes(jumpTo)) {
      status.textContent = tr(`${jumpTo} đang ẩn vì điều kiện hiển thị với các câu trả lời hiện tại.`, `${jumpTo} is hidden by its condition with the current answers.`);
    } else if (jumpTo) status.textContent = "";
    jumpTo = null;
    page = view.page;
    const title = typeof shown.title === "object" && shown.title ? shown.title.vi : "";
    screen.replaceChildren(h("div", { class: "main" }, h("div", { class: "screen form-screen" },
      h("div", { class: "form-head" }, h("h1", { class: "form-title" }, title || tr("(chưa có tên phiếu)", "(no title yet)")), view.progress, view.progressText),
      view.body,
      view.pages.length ? h("div", { class: "form-nav" }, view.backButton, view.nextButton)
        : h("p", { class: "notice" }, tr("Phiếu chưa có câu hỏi nào để hiện.", "The form has no question to show yet.")))));
    view.show(false);
  }

  function showEnd(direction) {
    if (direction < 0) return;
    screen.replaceChildren(h("div", { class: "main" }, h("div", { class: "screen" },
      h("h1", {}, tr("Hết phiếu", "End of the form")),
      h("p", {}, tr(`Người thu phiếu sẽ xem lại ${Object.keys(answers).length} câu trả lời rồi gửi.`, `The volunteer now reviews ${Object.keys(answers).length} answers and sends them.`)),
      h("button", { type: "button", class: "button secondary", onclick: () => { page = 0; render(); } }, tr("Về đầu phiếu", "Back to the start")))));
  }

  return {
    element: host,
    /** The draft changed: redraw after a pause (typing stays fast). */
    update(next) {
      definition = next;
      clearTimeout(timer);
      timer = setTimeout(render, UPDATE_MS);
    },
    /** Shows the page holding a question (the one selected in the designer). */
    showQuestion(name) {
      if (!definition || !name) return;
      jumpTo = name;
      clearTimeout(timer);
      timer = setTimeout(render, UPDATE_MS);
    },
    get answers() { return answers; },
    get language() { return language; },
  };
}
