// Choice lists: named lists of {value, label} shared by the questions that use them.
// Editing a list changes every question using it (the editor says which); presets give
// the usual scales in one click.
import * as model from "./model.js";
import { h, languageName, nextId, tr, trm } from "./ui.js";

export const PRESETS = {
  satisfaction: {
    name: ["Thang hài lòng 5 mức", "5-point satisfaction scale"],
    choices: [
      { value: "1", label: { vi: "Rất không hài lòng", en: "Very dissatisfied" } },
      { value: "2", label: { vi: "Không hài lòng", en: "Dissatisfied" } },
      { value: "3", label: { vi: "Bình thường", en: "Neither satisfied nor dissatisfied" } },
      { value: "4", label: { vi: "Hài lòng", en: "Satisfied" } },
      { value: "5", label: { vi: "Rất hài lòng", en: "Very satisfied" } },
    ],
  },
  yes_no: {
    name: ["Có / Không", "Yes / No"],
    choices: [
      { value: "yes", label: { vi: "Có", en: "Yes" } },
      { value: "no", label: { vi: "Không", en: "No" } },
    ],
  },
};

/**
 * The editor of one list: rename, its choices (value and a label per language), add,
 * reorder, remove. ctx: {definition, languages, formLanguages, edit(fn, options)}.
 */
export function choiceListEditor(ctx, listName) {
  const { definition } = ctx;
  const choices = model.choiceLists(definition)[listName] ?? [];
  const users = model.listUsage(definition, listName);
  const problems = model.choiceProblems(choices);
  const id = nextId("list");

  const nameInput = h("input", { type: "text", id: `${id}-name`, class: "list-name-input code", dataset: { key: `list:${listName}:name` } });
  nameInput.value = listName;
  const nameError = h("p", { class: "field-error", id: `${id}-name-error`, hidden: true });
  nameInput.setAttribute("aria-describedby", `${id}-name-error`);
  nameInput.addEventListener("change", () => {
    const next = nameInput.value.trim();
    const problem = model.listNameProblem(ctx.definition, next, listName);
    if (problem) {
      nameError.textContent = trm(problem);
      nameError.hidden = false;
      nameInput.value = listName;
      return;
    }
    nameError.hidden = true;
    ctx.edit((d) => model.renameChoiceList(d, listName, next), { structural: true, rerender: true, message: tr(`Đã đổi tên danh sách thành ${next}.`, `List renamed to ${next}.`) });
  });

  const head = h("tr", {}, h("th", { scope: "col" }, tr("Giá trị", "Value")),
    ctx.languages.map((language) => h("th", { scope: "col" }, languageName(language))),
    h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, tr("Thao tác", "Actions"))));
  const rows = choices.map((choice, index) => {
    const valueInput = h("input", {
      type: "text", class: "choice-value code", "aria-label": tr(`Giá trị của lựa chọn ${index + 1}`, `Value of choice ${index + 1}`),
      dataset: { key: `list:${listName}:${index}:value` },
    });
    valueInput.value = choice.value ?? "";
    valueInput.addEventListener("input", () => ctx.edit((d) => model.setChoiceValue(d, listName, index, valueInput.value), { coalesce: `choice:${listName}:${index}:value` }));
    const labelCells = ctx.languages.map((language) => {
      const input = h("input", {
        type: "text", class: `choice-label text-input lang-${language}`, lang: language, dir: "auto",
        "aria-label": tr(`Nhãn lựa chọn ${index + 1} (${languageName(language)})`, `Label of choice ${index + 1} (${languageName(language)})`),
        dataset: { key: `list:${listName}:${index}:${language}` },
      });
      input.value = choice.label?.[language] ?? "";
      const missing = Boolean(choice.label?.vi) && !input.value && language !== "vi" && ctx.formLanguages.includes(language);
      input.classList.toggle("missing", missing);
      if (missing) input.placeholder = tr("Chưa dịch", "Not translated");
      input.addEventListener("input", () => ctx.edit((d) => model.setChoiceText(d, listName, index, language, input.value), { coalesce: `choice:${listName}:${index}:${language}` }));
      return h("td", {}, input);
    });
    const move = (offset) => ctx.edit((d) => model.moveChoice(d, listName, index, offset), { rerender: true });
    return h("tr", { class: problems[index] ? "invalid" : null },
      h("td", {}, valueInput, problems[index] ? h("p", { class: "field-error" }, trm(problems[index])) : null),
      labelCells,
      h("td", { class: "choice-actions" },
        h("button", { type: "button", class: "small", disabled: index === 0, "aria-label": tr(`Đưa lựa chọn ${index + 1} lên`, `Move choice ${index + 1} up`), onclick: () => move(-1) }, "↑"),
        h("button", { type: "button", class: "small", disabled: index === choices.length - 1, "aria-label": tr(`Đưa lựa chọn ${index + 1} xuống`, `Move choice ${index + 1} down`), onclick: () => move(1) }, "↓"),
        h("button", { type: "button", class: "small danger", "aria-label": tr(`Xóa lựa chọn ${index + 1}`, `Delete choice ${index + 1}`), onclick: () => ctx.edit((d) => model.removeChoice(d, listName, index), { rerender: true }) }, "×")));
  });

  return h("div", { class: "choice-list-editor", dataset: { list: listName } },
    h("div", { class: "field-row" },
      h("label", { for: `${id}-name` }, tr("Tên danh sách", "List name")), nameInput, nameError),
    h("p", { class: "muted small list-usage" }, users.length
      ? tr(`Dùng cho ${users.length} câu hỏi: ${users.slice(0, 8).join(", ")}${users.length > 8 ? "…" : ""}. Sửa ở đây là sửa cho tất cả.`,
        `Used by ${users.length} question(s): ${users.slice(0, 8).join(", ")}${users.length > 8 ? "…" : ""}. A change here changes them all.`)
      : tr("Chưa câu hỏi nào dùng danh sách này.", "No question uses this list yet.")),
    h("table", { class: "choices-table" }, h("thead", {}, head), h("tbody", {}, rows)),
    h("div", { class: "toolbar" },
      h("button", { type: "button", class: "small add-choice", onclick: () => ctx.edit((d) => model.addChoice(d, listName), { rerender: true, focus: `list:${listName}:${choices.length}:vi` }) }, tr("+ Thêm lựa chọn", "+ Add a choice")),
      users.length ? null : h("button", {
        type: "button", class: "small danger delete-list",
        onclick: () => ctx.edit((d) => model.deleteChoiceList(d, listName), { structural: true, rerender: true, message: tr(`Đã xóa danh sách ${listName}.`, `List ${listName} deleted.`) }),
      }, tr("Xóa danh sách", "Delete the list"))));
}

/** The "Choice lists" tab: every list, new list, presets. */
export function choiceListsPanel(ctx) {
  const lists = Object.keys(model.choiceLists(ctx.definition));
  const create = (base, choices) => ctx.edit((d) => {
    const { definition, name } = model.addChoiceList(d, base, choices);
    return { definition, message: tr(`Đã tạo danh sách ${name}.`, `List ${name} created.`) };
  }, { structural: true, rerender: true });
  return h("section", { class: "choice-lists-panel" },
    h("h2", {}, tr("Danh sách lựa chọn", "Choice lists")),
    h("p", { class: "muted" }, tr("Một danh sách dùng chung được cho nhiều câu hỏi (ví dụ thang hài lòng).", "One list can serve many questions (e.g. the satisfaction scale).")),
    h("div", { class: "toolbar" },
      h("button", { type: "button", class: "small", onclick: () => create("list", [{ value: "1", label: { vi: "Lựa chọn 1" } }]) }, tr("+ Danh sách mới", "+ New list")),
      Object.entries(PRESETS).map(([key, preset]) => h("button", { type: "button", class: "small", onclick: () => create(key, preset.choices) },
        `+ ${tr(...preset.name)}`))),
    lists.length ? lists.map((name) => h("details", { class: "choice-list", open: lists.length <= 3, dataset: { list: name } },
      h("summary", {}, h("code", {}, name), ` (${(model.choiceLists(ctx.definition)[name] ?? []).length})`),
      choiceListEditor(ctx, name)))
      : h("p", { class: "muted" }, tr("Chưa có danh sách nào.", "No lists yet.")));
}
