// The editor of the selected question: type and name, its texts in every language side by
// side, the options of its type, its conditions and its place in the report. Each input
// changes the definition directly (no save button: the draft saves itself).
import { choiceListEditor, PRESETS } from "./choice-lists.js";
import { conditionEditor } from "./condition-editor.js";
import * as model from "./model.js";
import { typeName } from "./question-list.js";
import { textTable } from "./text-fields.js";
import { h, labelText, nextId, tr, trm } from "./ui.js";

const NUMBER = /^-?([0-9]+\.?[0-9]*|\.[0-9]+)$/;

function field(labelText_, input, { hint = null, error = null } = {}) {
  const id = input.id || nextId("field");
  input.id = id;
  return h("div", { class: "field-row" }, h("label", { for: id }, labelText_), input,
    hint ? h("p", { class: "muted small" }, hint) : null, error);
}

function checkbox(text, checked, onChange, key) {
  const input = h("input", { type: "checkbox", checked, dataset: { key } });
  input.addEventListener("change", () => onChange(input.checked));
  return h("label", { class: "choice check" }, input, ` ${text}`);
}

/**
 * ctx: {definition, languages, formLanguages, edit(fn, options), duplicate(path),
 * remove(path), problems(name) -> [{message, message_en, path}]}.
 */
export function questionEditor(ctx, path) {
  const { definition } = ctx;
  const question = path ? model.questionAt(definition, path) : null;
  if (!question) {
    return h("div", { class: "editor-empty" }, h("p", { class: "muted" },
      tr("Chọn một câu hỏi trong danh sách để sửa, hoặc thêm câu hỏi mới.", "Choose a question in the list to edit it, or add a new one.")));
  }
  const type = question.type;
  const name = question.name;
  const edit = (fn, options = {}) => ctx.edit(fn, options);
  const at = () => ctx.selection; // the path may change (a rename keeps it, a move does not happen here)

  // --- type and name ---
  const typeSelect = h("select", { id: nextId("type"), class: "question-type", dataset: { key: "type" } },
    model.QUESTION_TYPES.map((t) => h("option", { value: t }, `${typeName(t)} (${t})`)));
  typeSelect.value = type;
  typeSelect.addEventListener("change", () => {
    edit((d) => model.changeType(d, at(), typeSelect.value), { rerender: true, structural: true, focus: "type", coalesce: null });
  });

  const nameInput = h("input", { type: "text", id: nextId("name"), class: "question-name code", autocomplete: "off", spellcheck: "false", dataset: { key: "name" } });
  nameInput.value = name ?? "";
  const nameError = h("p", { class: "field-error", id: `${nameInput.id}-error`, role: "status" });
  nameInput.setAttribute("aria-describedby", nameError.id);
  nameInput.addEventListener("input", () => {
    const problem = model.nameProblem(ctx.definition, at(), nameInput.value);
    nameError.textContent = problem ? trm(problem) : "";
    nameInput.toggleAttribute("aria-invalid", Boolean(problem));
  });
  nameInput.addEventListener("change", () => {
    const next = nameInput.value;
    if (model.nameProblem(ctx.definition, at(), next)) {
      nameInput.value = name;
      nameError.textContent = "";
      nameInput.removeAttribute("aria-invalid");
      return;
    }
    edit((d) => {
      const { definition: renamed, references } = model.renameQuestion(d, at(), next);
      return {
        definition: renamed,
        message: references
          ? tr(`Đã đổi tên thành ${next} và cập nhật ${references} chỗ nhắc đến câu này.`, `Renamed to ${next}; ${references} reference(s) updated.`)
          : tr(`Đã đổi tên thành ${next}.`, `Renamed to ${next}.`),
      };
    }, { structural: true, focus: "name" });
  });

  const head = h("div", { class: "editor-head" },
    h("h2", { class: "editor-title" }, typeName(type), " ", h("code", {}, name)),
    h("div", { class: "toolbar editor-actions" },
      h("button", { type: "button", class: "small duplicate-question", onclick: () => ctx.duplicate(at()) }, tr("Nhân bản", "Duplicate")),
      h("button", { type: "button", class: "small danger delete-question", onclick: () => ctx.remove(at()) }, tr("Xóa", "Delete"))));

  const basics = h("div", { class: "field-grid-2" },
    field(tr("Loại câu hỏi", "Question type"), typeSelect),
    field(tr("Tên (mã) câu hỏi", "Question name (code)"), nameInput, {
      hint: tr("Dùng trong biểu thức: ${tên}. Đổi tên sẽ cập nhật các biểu thức nhắc đến câu này.", "Used in expressions as ${name}. Renaming updates the expressions that refer to it."),
      error: nameError,
    }));

  // --- texts ---
  const fields = [];
  if (type !== "calculate") fields.push({ field: "label", value: question.label, required: true, multiline: type === "note" });
  fields.push({ field: "hint", value: question.hint });
  if (model.ANSWERABLE_TYPES.has(type)) fields.push({ field: "constraint_message", value: question.constraint_message });
  const texts = h("section", { class: "editor-section texts" },
    h("h3", {}, tr("Nội dung theo ngôn ngữ", "Texts by language")),
    textTable({
      fields, languages: ctx.languages, formLanguages: ctx.formLanguages,
      onInput: (f, language, text) => edit((d) => model.setText(d, at(), f, language, text), { coalesce: `text:${f}:${language}` }),
    }));

  const sections = [head, basics, texts, optionsSection(ctx, question, edit, at)];
  // The conditions and the report are drawn in the frame after the top of the editor (they
  // are below the fold): choosing a question shows it at once. ctx.later runs them then.
  const conditions = h("section", { class: "editor-section conditions" }, h("h3", {}, tr("Điều kiện", "Conditions")));
  sections.push(conditions);
  ctx.later(() => conditions.append(
    conditionEditor({
      field: "relevant", text: question.relevant, definition, question,
      onChange: (text) => edit((d) => model.setProperty(d, at(), "relevant", text), { coalesce: "relevant" }),
    }),
    model.ANSWERABLE_TYPES.has(type) ? conditionEditor({
      field: "constraint", text: question.constraint, definition, question,
      onChange: (text) => edit((d) => model.setProperty(d, at(), "constraint", text), { coalesce: "constraint" }),
    }) : "",
    type === "group" ? h("p", { class: "muted small" }, tr("Điều kiện của nhóm áp dụng cho mọi câu trong nhóm.", "A group's condition applies to everything inside it.")) : ""));
  if (["likert", "select_one", "text"].includes(type)) {
    const report = h("section", { class: "editor-section report" }, h("h3", {}, tr("Báo cáo", "Report")));
    sections.push(report);
    ctx.later(() => report.append(...reportFields(ctx, question, edit)));
  }
  const problems = ctx.problems(name);
  if (problems.length) {
    sections.unshift(h("div", { class: "flash error question-problems", role: "alert" },
      h("strong", {}, tr("Lỗi khi kiểm tra:", "Problems found by the check:")),
      h("ul", {}, problems.map((problem) => h("li", {}, h("code", {}, problem.path), " ", tr(problem.message, problem.message_en || problem.message))))));
  }
  return h("div", { class: "question-editor", dataset: { name: name ?? "" } }, sections);
}

function optionsSection(ctx, question, edit, at) {
  const type = question.type;
  const parts = [];
  if (model.ANSWERABLE_TYPES.has(type)) {
    parts.push(checkbox(tr("Bắt buộc trả lời", "Answer required"), Boolean(question.required),
      (on) => edit((d) => model.setProperty(d, at(), "required", on)), "required"));
  }
  if (model.CHOICE_TYPES.has(type)) parts.push(choicesField(ctx, question, edit, at));
  if (type === "likert") {
    parts.push(checkbox(tr("Có lựa chọn “Không áp dụng” (giá trị na)", "Offer “Not applicable” (value na)"), Boolean(question.allow_na),
      (on) => edit((d) => model.setProperty(d, at(), "allow_na", on)), "allow_na"));
  }
  if (model.NUMBER_TYPES.has(type)) {
    const range = ["min", "max"].map((key) => {
      const input = h("input", { type: "text", inputmode: "decimal", class: "number-input", dataset: { key } });
      input.value = question[key] ?? "";
      const error = h("p", { class: "field-error", role: "status" });
      input.addEventListener("input", () => {
        const text = input.value.trim();
        if (text !== "" && !NUMBER.test(text)) {
          error.textContent = tr("Hãy nhập một số.", "Enter a number.");
          return;
        }
        error.textContent = "";
        edit((d) => model.setProperty(d, at(), key, text === "" ? undefined : Number(text)), { coalesce: key });
      });
      return field(key === "min" ? tr("Nhỏ nhất", "Minimum") : tr("Lớn nhất", "Maximum"), input, { error });
    });
    parts.push(h("div", { class: "field-grid-2" }, range));
  }
  if (type === "text") {
    parts.push(checkbox(tr("Cho viết nhiều dòng", "Several lines"), Boolean(question.multiline),
      (on) => edit((d) => model.setProperty(d, at(), "multiline", on)), "multiline"));
  }
  if (type === "calculate") {
    const input = h("input", { type: "text", class: "expr-text", spellcheck: "false", dataset: { key: "calculation" } });
    input.value = question.calculation ?? "";
    input.addEventListener("input", () => edit((d) => model.setProperty(d, at(), "calculation", input.value), { coalesce: "calculation" }));
    parts.push(field(tr("Biểu thức tính", "Calculation"), input));
  }
  const appearance = h("input", { type: "text", class: "code", dataset: { key: "appearance" } });
  appearance.value = question.appearance ?? "";
  appearance.addEventListener("input", () => edit((d) => model.setProperty(d, at(), "appearance", appearance.value), { coalesce: "appearance" }));
  parts.push(h("details", { class: "advanced" }, h("summary", {}, tr("Nâng cao", "Advanced")),
    field(tr("Hiển thị (appearance, theo XLSForm)", "Appearance (as in XLSForm)"), appearance)));
  return h("section", { class: "editor-section options" }, h("h3", {}, tr("Tùy chọn", "Options")), parts);
}

function choicesField(ctx, question, edit, at) {
  const lists = model.choiceLists(ctx.definition);
  const select = h("select", { class: "choice-list-select", dataset: { key: "choices" } },
    h("option", { value: "" }, tr("— chọn danh sách —", "— choose a list —")),
    Object.keys(lists).map((name) => h("option", { value: name }, `${name} (${lists[name].length})`)));
  if (question.choices && !(question.choices in lists)) select.append(h("option", { value: question.choices }, `${question.choices} ${tr("(không có)", "(missing)")}`));
  select.value = question.choices ?? "";
  select.addEventListener("change", () => edit((d) => model.setProperty(d, at(), "choices", select.value), { rerender: true, focus: "choices" }));
  const createList = (base, choices) => edit((d) => {
    const { definition, name } = model.addChoiceList(d, base, choices);
    return { definition: model.setProperty(definition, at(), "choices", name), message: tr(`Đã tạo danh sách ${name}.`, `List ${name} created.`) };
  }, { rerender: true, focus: "choices" });
  const presets = h("div", { class: "toolbar presets" },
    h("button", { type: "button", class: "small new-list", onclick: () => createList(question.name, [{ value: "1", label: { vi: "Lựa chọn 1" } }]) }, tr("+ Danh sách mới", "+ New list")),
    Object.entries(PRESETS).map(([key, preset]) => h("button", { type: "button", class: "small", dataset: { preset: key }, onclick: () => createList(key, preset.choices) }, `+ ${tr(...preset.name)}`)));
  // A list of its own is edited right here; a shared one (a scale used by many items) opens
  // on demand, so choosing one of those items stays quick.
  const users = question.choices && question.choices in lists ? model.listUsage(ctx.definition, question.choices) : [];
  let editor = null;
  if (users.length) {
    const own = users.length <= 1;
    editor = h("details", { class: "choice-list inline-list", open: own },
      h("summary", {}, tr("Sửa danh sách ", "Edit list "), h("code", {}, question.choices),
        own ? null : tr(` (dùng chung cho ${users.length} câu)`, ` (shared by ${users.length} questions)`)));
    // A folded list is drawn when it is opened.
    const draw = () => {
      if (!editor.querySelector(".choice-list-editor")) editor.append(choiceListEditor(ctx, question.choices));
    };
    if (own) draw();
    else editor.addEventListener("toggle", () => { if (editor.open) draw(); });
  }
  return h("div", { class: "choices-field" }, field(tr("Danh sách lựa chọn", "Choice list"), select), presets, editor);
}

function reportFields(ctx, question, edit) {
  const { type, name } = question;
  const role = model.reportRole(ctx.definition, name);
  const report = ctx.definition.report && typeof ctx.definition.report === "object" ? ctx.definition.report : {};
  const parts = [];
  if (type === "likert") {
    const groups = Array.isArray(report.groups) ? report.groups : [];
    const select = h("select", { class: "report-group", dataset: { key: "report-group" } },
      h("option", { value: "" }, tr("— không thuộc nhóm nào —", "— no group —")),
      groups.map((group) => h("option", { value: group.key }, `${labelText(group.label)} (${group.key})`)),
      report.conduct ? h("option", { value: report.conduct.key }, `${labelText(report.conduct.label)} (${report.conduct.key}) — ${tr("5 biết", "conduct")}`) : null);
    select.value = role.group ?? (role.conduct ? report.conduct.key : "");
    select.addEventListener("change", () => edit((d) => model.setReportGroup(d, name, select.value || null), { focus: "report-group" }));
    parts.push(field(tr("Nhóm chỉ số (SIPAS) trong báo cáo", "Index group (SIPAS) in the report"), select, {
      hint: groups.length || report.conduct ? null : tr("Chưa có nhóm: tạo nhóm ở thẻ “Phiếu và báo cáo”.", "No groups yet: add them in the “Form and report” tab."),
    }));
  }
  if (type === "likert" || type === "select_one") {
    parts.push(checkbox(tr("Câu đánh giá chung (overall)", "Overall rating (overall)"), role.overall,
      (on) => edit((d) => model.setReportSingle(d, "overall", name, on)), "report-overall"));
  }
  if (type === "select_one") {
    parts.push(checkbox(tr("So sánh với trước (trend)", "Compared with before (trend)"), role.trend,
      (on) => edit((d) => model.setReportSingle(d, "trend", name, on)), "report-trend"));
    parts.push(checkbox(tr("Phân tích kết quả theo câu này (breakdowns)", "Break results down by this question (breakdowns)"), role.breakdown,
      (on) => edit((d) => model.setReportListed(d, "breakdowns", name, on)), "report-breakdown"));
    const incident = role.incidents[0] ?? null;
    const choices = model.choiceLists(ctx.definition)[question.choices] ?? [];
    const valueSelect = h("select", { class: "incident-value", dataset: { key: "incident-value" } }, choices.map((choice) => h("option", { value: choice.value }, `${labelText(choice.label)} (${choice.value})`)));
    valueSelect.value = incident?.value ?? choices[0]?.value ?? "";
    const labelInput = h("input", { type: "text", class: "incident-label", dataset: { key: "incident-label" } });
    labelInput.value = incident?.label?.vi ?? "";
    const save = () => edit((d) => model.setIncident(d, name, valueSelect.value, labelInput.value ? { ...(incident?.label ?? {}), vi: labelInput.value } : null), { coalesce: "incident" });
    valueSelect.addEventListener("change", save);
    labelInput.addEventListener("input", save);
    parts.push(h("fieldset", { class: "incident" }, h("legend", {}, tr("Sự cố “3 không” (để trống nếu không phải)", "“3 không” incident (leave empty if not one)")),
      field(tr("Khi trả lời", "When the answer is"), valueSelect),
      field(tr("Tên sự cố trong báo cáo", "Incident name in the report"), labelInput)));
  }
  if (type === "text") {
    parts.push(checkbox(tr("Đưa vào phần ý kiến của báo cáo (comments)", "Include in the report's comments"), role.comment,
      (on) => edit((d) => model.setReportListed(d, "comments", name, on)), "report-comment"));
  }
  return parts;
}
