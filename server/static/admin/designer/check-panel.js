// "Check": the draft is saved, then checked by the server with the publishing rules
// (every problem names its question: a click selects it) and compared with the previous
// version (what changed, and what breaks comparison with earlier rounds).
import { h, tr } from "./ui.js";

function warningList(warnings) {
  return h("ul", { class: "comparability-warnings" }, warnings.map((warning) =>
    h("li", { class: `warning-${warning.code}` }, warning.question ? h("code", {}, warning.question) : null,
      warning.question ? " " : null, tr(warning.message, warning.message_en || warning.message))));
}

function names(list) {
  return list.length ? list.map((name, i) => [i ? ", " : null, h("code", {}, name)]) : "—";
}

/** The panel's content for a validation result and the changes. onPick(questionName). */
export function checkResult({ validation, changes }, onPick) {
  const parts = [];
  if (validation.ok) {
    parts.push(h("p", { class: "check-ok" }, h("span", { class: "badge ok" }, "✓"), " ",
      tr("Không có lỗi: bản nháp xuất bản được.", "No problems: the draft can be published.")));
  } else {
    parts.push(h("p", { class: "flash error" }, tr(`Có ${validation.errors.length} lỗi cần sửa trước khi xuất bản:`, `${validation.errors.length} problem(s) to fix before publishing:`)),
      h("ol", { class: "draft-problems" }, validation.errors.map((error) => h("li", {},
        error.question
          ? h("button", { type: "button", class: "link problem-link", onclick: () => onPick(error.question) }, error.question)
          : h("code", {}, error.path || tr("phiếu", "form")),
        ": ", tr(error.message, error.message_en || error.message)))));
  }
  if (changes) {
    const changed = changes.changed ?? [];
    parts.push(h("h3", {}, changes.previous_version ? tr(`Thay đổi so với phiên bản ${changes.previous_version}`, `Changes since version ${changes.previous_version}`) : tr("Thay đổi", "Changes")));
    if (!changes.previous_version_id) {
      parts.push(h("p", { class: "muted" }, tr("Mẫu phiếu mới: chưa có phiên bản trước.", "A new form: there is no earlier version.")));
    } else {
      parts.push(h("dl", { class: "facts changes-summary" },
        h("dt", {}, tr("Thêm", "Added")), h("dd", {}, names(changes.added ?? [])),
        h("dt", {}, tr("Xóa", "Removed")), h("dd", {}, names(changes.removed ?? [])),
        h("dt", {}, tr("Sửa", "Changed")), h("dd", {}, changed.length ? changed.map((item, i) => [i ? ", " : null, h("code", {}, item.question), ` (${item.fields.join(", ")})`]) : "—")));
    }
    if (changes.warnings?.length) {
      parts.push(h("h3", {}, tr("Cảnh báo so sánh với các đợt trước", "Comparison with earlier rounds")), warningList(changes.warnings));
    }
  }
  return parts;
}
