// Texts in every language side by side (vi, en, km): one row per field, one column per
// language; a missing translation is marked in its cell and named for screen readers.
// Khmer inputs carry lang="km" so the browser shapes them and picks a Khmer-capable font.
import { h, languageName, nextId, tr } from "./ui.js";

const FIELD_NAMES = {
  label: ["Nhãn", "Label"], hint: ["Gợi ý", "Hint"], constraint_message: ["Thông báo khi sai", "Message when invalid"],
  title: ["Tên phiếu", "Title"], description: ["Mô tả", "Description"],
};

export function fieldName(field) {
  const names = FIELD_NAMES[field];
  return names ? tr(names[0], names[1]) : field;
}

// Tall enough for the whole text, by a count of characters (sizing to the content would make
// the browser measure every field each time a question is shown).
const CHARACTERS_PER_LINE = 26;

function fitRows(textarea, least) {
  const lines = textarea.value.split("\n").reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / CHARACTERS_PER_LINE)), 0);
  const rows = Math.min(8, Math.max(least, lines));
  if (textarea.rows !== rows) textarea.rows = rows;
}

/**
 * A table of text inputs. fields: [{field, value: {vi, en, ...} | undefined, multiline,
 * required}]; languages: the designer's languages; formLanguages: the form's own (missing
 * translations are flagged only for those); onInput(field, language, text).
 */
export function textTable({ fields, languages, formLanguages, onInput, caption = null }) {
  const head = h("tr", {}, h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, tr("Nội dung", "Text"))),
    languages.map((language) => h("th", { scope: "col" },
      languageName(language), formLanguages.includes(language) ? null : h("span", { class: "muted small" }, ` ${tr("(chưa dùng)", "(not used yet)")}`))));
  const body = fields.map(({ field, value, multiline = false, required = false }) => {
    const current = { ...(value && typeof value === "object" ? value : {}) };
    const rowId = nextId(`text-${field}`);
    const cells = [];
    const mark = () => {
      for (const { language, input, flag } of cells) {
        const missing = Boolean(current.vi) && !current[language] && language !== "vi" && formLanguages.includes(language);
        input.classList.toggle("missing", missing);
        input.placeholder = missing ? tr("Chưa dịch", "Not translated") : "";
        flag.textContent = missing ? `${languageName(language)}: ${tr("thiếu bản dịch", "translation missing")}` : languageName(language);
        flag.className = missing ? "missing-flag" : "visually-hidden";
      }
    };
    const row = h("tr", { dataset: { field } },
      h("th", { scope: "row", id: rowId }, fieldName(field), required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
      languages.map((language) => {
        const cellId = nextId(`text-${field}-${language}`);
        // Textareas that grow with their text (long questions are read whole, not scrolled).
        const input = h("textarea", {
          id: cellId, class: `text-input lang-${language}`, lang: language, dir: "auto",
          rows: multiline ? 3 : 1,
          "aria-labelledby": `${rowId} ${cellId}-lang`, "aria-required": required && language === "vi" ? "true" : null,
          dataset: { key: `${field}:${language}` },
        });
        input.value = typeof current[language] === "string" ? current[language] : "";
        fitRows(input, multiline ? 3 : 1);
        const flag = h("span", { id: `${cellId}-lang` });
        cells.push({ language, input, flag });
        input.addEventListener("input", () => {
          fitRows(input, multiline ? 3 : 1);
          current[language] = input.value;
          onInput(field, language, input.value);
          mark();
        });
        return h("td", {}, input, flag);
      }));
    mark();
    return row;
  });
  return h("table", { class: "text-table" }, caption ? h("caption", {}, caption) : null, h("thead", {}, head), h("tbody", {}, body));
}
