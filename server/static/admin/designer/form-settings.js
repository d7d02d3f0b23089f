// The "Form and report" tab: the form's title and description in every language, its
// languages, and the report metadata (the satisfaction index groups such as SIPAS's five,
// the "5 biết" conduct group, which answers count as satisfied).
import * as model from "./model.js";
import { textTable } from "./text-fields.js";
import { h, languageName, nextId, tr } from "./ui.js";

function reportOf(definition) {
  return definition.report && typeof definition.report === "object" ? definition.report : null;
}

export function formSettings(ctx) {
  const { definition } = ctx;
  const formLanguages = Array.isArray(definition.languages) ? definition.languages : [];
  const edit = ctx.edit;

  const texts = textTable({
    fields: [{ field: "title", value: definition.title, required: true }, { field: "description", value: definition.description, multiline: true }],
    languages: ctx.languages, formLanguages,
    onInput: (field, language, text) => edit((d) => model.setFormText(d, field, language, text), { coalesce: `form:${field}:${language}` }),
  });

  const languageBoxes = [...new Set([...ctx.languages, ...formLanguages])].map((language) => {
    const input = h("input", { type: "checkbox", checked: formLanguages.includes(language), disabled: language === "vi", dataset: { key: `language:${language}` } });
    input.addEventListener("change", () => edit((d) => {
      const current = Array.isArray(d.languages) ? d.languages : [];
      const languages = input.checked ? [...current.filter((l) => l !== language), language] : current.filter((l) => l !== language);
      return { ...d, languages };
    }, { rerender: true, structural: true, focus: `language:${language}` }));
    return h("label", { class: "choice check" }, input, ` ${languageName(language)} (${language})`);
  });
  const defaultSelect = h("select", { dataset: { key: "default_language" }, id: nextId("default-language") },
    formLanguages.map((language) => h("option", { value: language }, languageName(language))));
  defaultSelect.value = definition.default_language ?? "vi";
  defaultSelect.addEventListener("change", () => edit((d) => ({ ...d, default_language: defaultSelect.value })));

  return h("section", { class: "form-settings" },
    h("h2", {}, tr("Phiếu", "The form")),
    texts,
    h("fieldset", { class: "languages" }, h("legend", {}, tr("Ngôn ngữ của phiếu", "The form's languages")), languageBoxes,
      h("p", { class: "muted small" }, tr("Bản dịch còn thiếu chỉ được đánh dấu cho các ngôn ngữ của phiếu. Nhập chữ vào cột một ngôn ngữ sẽ thêm ngôn ngữ đó.", "Missing translations are marked only for the form's languages. Typing in a language's column adds that language."))),
    h("div", { class: "field-row" }, h("label", { for: defaultSelect.id }, tr("Ngôn ngữ mặc định", "Default language")), defaultSelect),
    reportSettings(ctx));
}

function groupRow(ctx, group, index, count, kind) {
  const edit = ctx.edit;
  const change = (fn) => edit((d) => model.updateReport(d, (report) => {
    if (kind === "conduct") return { ...report, conduct: fn({ ...report.conduct }) };
    const groups = [...report.groups];
    groups[index] = fn({ ...groups[index] });
    return { ...report, groups };
  }), { coalesce: `report:${kind}:${index}` });
  const keyInput = h("input", { type: "text", class: "code group-key", "aria-label": tr("Khóa nhóm", "Group key"), dataset: { key: `report:${kind}:${index}:key` } });
  keyInput.value = group.key ?? "";
  keyInput.addEventListener("input", () => change((g) => ({ ...g, key: keyInput.value })));
  const labels = ctx.languages.map((language) => {
    const input = h("input", {
      type: "text", class: `text-input lang-${language} group-label`, lang: language, dir: "auto",
      "aria-label": `${tr("Tên nhóm", "Group name")} (${languageName(language)})`, dataset: { key: `report:${kind}:${index}:${language}` },
    });
    input.value = group.label?.[language] ?? "";
    input.addEventListener("input", () => change((g) => {
      const label = { ...(g.label ?? {}) };
      if (input.value) label[language] = input.value;
      else delete label[language];
      return { ...g, label };
    }));
    return h("td", {}, input);
  });
  const move = (offset) => edit((d) => model.updateReport(d, (report) => {
    const groups = [...report.groups];
    const [moved] = groups.splice(index, 1);
    groups.splice(index + offset, 0, moved);
    return { ...report, groups };
  }), { rerender: true });
  const remove = () => edit((d) => model.updateReport(d, (report) => {
    if (kind === "conduct") {
      const next = { ...report };
      delete next.conduct;
      return next;
    }
    return { ...report, groups: report.groups.filter((_, i) => i !== index) };
  }), { rerender: true });
  return h("tr", { dataset: { group: group.key ?? "" } },
    h("td", {}, keyInput), labels,
    h("td", { class: "num" }, String((group.questions ?? []).length)),
    h("td", { class: "choice-actions" },
      kind === "group" ? h("button", { type: "button", class: "small", disabled: index === 0, "aria-label": tr("Lên", "Up"), onclick: () => move(-1) }, "↑") : null,
      kind === "group" ? h("button", { type: "button", class: "small", disabled: index === count - 1, "aria-label": tr("Xuống", "Down"), onclick: () => move(1) }, "↓") : null,
      h("button", { type: "button", class: "small danger", "aria-label": tr("Xóa nhóm", "Delete the group"), onclick: remove }, "×")));
}

function reportSettings(ctx) {
  const report = reportOf(ctx.definition);
  const edit = ctx.edit;
  const addGroup = h("button", {
    type: "button", class: "small add-report-group",
    onclick: () => edit((d) => model.addReportGroup(d, { vi: tr("Nhóm mới", "New group") }).definition, { rerender: true, focus: `report:group:${(report?.groups ?? []).length}:key` }),
  }, tr("+ Thêm nhóm chỉ số", "+ Add an index group"));
  const addConduct = report?.conduct ? null : h("button", {
    type: "button", class: "small add-conduct",
    onclick: () => edit((d) => model.updateReport(d, (r) => ({ ...r, conduct: { key: "five_knows", label: { vi: "Thực hiện “5 biết”" }, questions: [] } })), { rerender: true }),
  }, tr("+ Thêm nhóm “5 biết”", "+ Add the “5 biết” group"));
  if (!report) {
    return h("section", { class: "report-settings" }, h("h2", {}, tr("Báo cáo", "Report")),
      h("p", { class: "muted" }, tr("Phiếu chưa có thông tin báo cáo. Thêm nhóm chỉ số (ví dụ 5 nhóm SIPAS) để báo cáo tính tỷ lệ hài lòng theo nhóm.", "The form has no report metadata yet. Add index groups (e.g. SIPAS's five) so the report computes satisfaction per group.")),
      h("div", { class: "toolbar" }, addGroup));
  }
  const satisfied = h("input", { type: "text", class: "code", id: nextId("satisfied"), dataset: { key: "satisfied_values" } });
  satisfied.value = (report.satisfied_values ?? []).join(", ");
  satisfied.addEventListener("input", () => edit((d) => model.updateReport(d, (r) => ({
    ...r, satisfied_values: satisfied.value.split(",").map((value) => value.trim()).filter(Boolean),
  })), { coalesce: "satisfied" }));
  const na = h("input", { type: "text", class: "code", id: nextId("na"), dataset: { key: "not_applicable_value" } });
  na.value = report.not_applicable_value ?? "";
  na.addEventListener("input", () => edit((d) => model.updateReport(d, (r) => {
    const next = { ...r };
    if (na.value.trim()) next.not_applicable_value = na.value.trim();
    else delete next.not_applicable_value;
    return next;
  }), { coalesce: "na" }));
  const groups = Array.isArray(report.groups) ? report.groups : [];
  const head = h("tr", {}, h("th", { scope: "col" }, tr("Khóa", "Key")),
    ctx.languages.map((language) => h("th", { scope: "col" }, `${tr("Tên", "Name")} (${languageName(language)})`)),
    h("th", { scope: "col", class: "num" }, tr("Số câu", "Items")), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, tr("Thao tác", "Actions"))));
  return h("section", { class: "report-settings" },
    h("h2", {}, tr("Báo cáo", "Report")),
    h("div", { class: "field-grid-2" },
      h("div", { class: "field-row" }, h("label", { for: satisfied.id }, tr("Các mức tính là hài lòng", "Points counted as satisfied")), satisfied,
        h("p", { class: "muted small" }, tr("Giá trị cách nhau bởi dấu phẩy, ví dụ 4, 5", "Values separated by commas, e.g. 4, 5"))),
      h("div", { class: "field-row" }, h("label", { for: na.id }, tr("Giá trị “Không áp dụng”", "“Not applicable” value")), na)),
    h("h3", {}, tr("Nhóm chỉ số (SIPAS)", "Index groups (SIPAS)")),
    h("p", { class: "muted small" }, tr("Mỗi câu thang đo được xếp vào nhóm ở phần “Báo cáo” của câu hỏi.", "Each likert item is put in a group in its “Report” section.")),
    h("table", { class: "data compact report-groups" }, h("thead", {}, head),
      h("tbody", {}, groups.map((group, index) => groupRow(ctx, group, index, groups.length, "group")),
        report.conduct ? groupRow(ctx, report.conduct, 0, 1, "conduct") : null)),
    h("div", { class: "toolbar" }, addGroup, addConduct));
}
