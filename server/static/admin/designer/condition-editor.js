// The condition editor of `relevant` and `constraint`: builder rows (question, comparison,
// value, combined with and / or) above the expression as text. Both edit the same thing:
// the builder writes text (the original text while it shows the same condition), typing
// text re-reads the builder. An expression the builder cannot show stays text, untouched;
// one that does not parse shows the engine's error where it is.
import { parse, references } from "../../../app/js/form-logic-expr.js";
import {
  CURRENT, NO_VALUE, emptyModel, modelProblem, openCondition,
} from "./condition-builder.js";
import { CHOICE_TYPES, flatten } from "./model.js";
import { h, labelText, nextId, tr, trm } from "./ui.js";

const OPERATOR_NAMES = {
  "=": ["bằng", "is"], "!=": ["khác", "is not"], "<": ["nhỏ hơn", "is less than"],
  "<=": ["nhỏ hơn hoặc bằng", "is at most"], ">": ["lớn hơn", "is greater than"],
  ">=": ["lớn hơn hoặc bằng", "is at least"], selected: ["có chọn", "includes"],
  not_selected: ["không chọn", "does not include"], answered: ["đã trả lời", "is answered"],
  not_answered: ["chưa trả lời", "is not answered"],
};
const SYMBOLS = { "=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥" };

function operatorLabel(operator) {
  const [vi, en] = OPERATOR_NAMES[operator] ?? [operator, operator];
  return SYMBOLS[operator] ? `${tr(vi, en)} (${SYMBOLS[operator]})` : tr(vi, en);
}

function operatorsFor(type) {
  if (type === "select_multiple") return ["selected", "not_selected", "answered", "not_answered"];
  if (type === "select_one" || type === "likert" || type === "text") return ["=", "!=", "answered", "not_answered"];
  return ["=", "!=", "<", "<=", ">", ">=", "answered", "not_answered"];
}

const ANSWER_TYPES = new Set(["select_one", "select_multiple", "likert", "integer", "decimal", "text", "date", "calculate"]);
const NUMBER_INPUT = /^-?([0-9]+\.?[0-9]*|\.[0-9]+)$/;

const FIELD_TEXT = {
  relevant: {
    legend: ["Hiện khi (điều kiện hiển thị)", "Show when (relevant)"],
    none: ["Luôn hiện. Thêm điều kiện để chỉ hiện khi cần.", "Always shown. Add a condition to show it only when needed."],
  },
  constraint: {
    legend: ["Ràng buộc câu trả lời", "Answer constraint"],
    none: ["Không có ràng buộc.", "No constraint."],
  },
};

/**
 * field: "relevant" or "constraint"; text: its expression (or undefined); definition and
 * question: the form and the question being edited; onChange(text) stores the new text
 * ("" removes it).
 */
export function conditionEditor({ field, text, definition, question, onChange }) {
  let condition = openCondition(text ?? "");
  let model = structuredClone(condition.reading.model ?? emptyModel());
  let shownKey = null;

  // The questions a row can name, worked out when a row is first drawn (most questions have
  // no condition: a 1,000-question form should not pay for 1,000 options per editor).
  let candidates = null;
  const byName = new Map();
  const known = () => {
    if (!candidates) {
      candidates = flatten(definition).map((row) => row.question)
        .filter((q) => ANSWER_TYPES.has(q.type) && (field === "constraint" || q.name !== question.name));
      for (const q of candidates) byName.set(q.name, q);
    }
    return candidates;
  };
  const subjectType = (name) => (name === CURRENT ? question.type : (known(), byName.get(name)?.type ?? null));

  // One list of question options, cloned into each row's select.
  let questionOptions = null;
  const optionsFragment = () => {
    if (!questionOptions) {
      questionOptions = document.createDocumentFragment();
      if (field === "constraint") questionOptions.append(h("option", { value: CURRENT }, tr("(câu này) .", "(this question) .")));
      for (const q of known()) {
        questionOptions.append(h("option", { value: q.name }, `${q.name} — ${labelText(q.label).slice(0, 60)}`));
      }
    }
    return questionOptions;
  };

  const legendText = FIELD_TEXT[field].legend;
  const id = nextId(`cond-${field}`);
  const rowsEl = h("div", { class: "cond-rows" });
  const combinator = h("select", { class: "cond-combinator", "aria-label": tr("Cách kết hợp các điều kiện", "How the conditions combine") },
    h("option", { value: "and" }, tr("tất cả đều đúng (và)", "all are true (and)")),
    h("option", { value: "or" }, tr("một trong số đó đúng (hoặc)", "any is true (or)")));
  const combinatorWrap = h("label", { class: "cond-combinator-wrap plain" }, tr("Thỏa mãn: ", "Match: "), combinator);
  const addButton = h("button", { type: "button", class: "cond-add small" }, tr("+ Thêm điều kiện", "+ Add a condition"));
  const noneNote = h("p", { class: "muted cond-none" }, tr(...FIELD_TEXT[field].none));
  const textOnlyNote = h("p", { class: "cond-text-only notice" },
    tr("Biểu thức này được viết tay và bộ dựng điều kiện không hiển thị được: nó được giữ nguyên đúng như đã viết. Sửa nó ở ô dạng chữ bên dưới.",
      "This hand-written expression cannot be shown in the condition builder: it is kept exactly as written. Edit it as text below."));
  // A textarea: what was typed on several lines stays on several lines.
  const textInput = h("textarea", {
    id: `${id}-text`, class: "expr-text", spellcheck: "false", autocomplete: "off", rows: "1",
    "aria-describedby": `${id}-error`, dataset: { key: `${field}:text` },
  });
  textInput.value = text ?? "";
  const fit = () => { textInput.rows = Math.min(8, Math.max(1, textInput.value.split("\n").length, Math.ceil(textInput.value.length / 70))); };
  fit();
  const errorEl = h("div", { class: "expr-error", id: `${id}-error`, role: "status" });
  const builderEl = h("div", { class: "cond-builder" }, noneNote, textOnlyNote, combinatorWrap, rowsEl, addButton);

  const element = h("fieldset", { class: `condition condition-${field}`, dataset: { field } },
    h("legend", {}, tr(...legendText)),
    builderEl,
    h("label", { class: "plain expr-label", for: `${id}-text` }, tr("Biểu thức (dạng chữ)", "Expression (as text)")),
    textInput, errorEl);

  function rowProblemAt(index) {
    const problem = modelProblem(model);
    return problem && problem.row === index ? problem : null;
  }

  function valueEditor(row, index) {
    const type = subjectType(row.question);
    const target = row.question === CURRENT ? question : (known(), byName.get(row.question));
    const label = tr(`Giá trị của điều kiện ${index + 1}`, `Value of condition ${index + 1}`);
    if (NO_VALUE.has(row.operator)) return h("span", { class: "cond-value-none" });
    if (target && CHOICE_TYPES.has(type)) {
      const list = definition.choice_lists?.[target.choices] ?? [];
      const choices = list.map((choice) => [String(choice.value), labelText(choice.label)]);
      if (type === "likert" && target.allow_na && !choices.some(([value]) => value === "na")) choices.push(["na", tr("Không áp dụng", "Not applicable")]);
      const select = h("select", { class: "cond-value", "aria-label": label },
        row.value === null || row.value === "" ? h("option", { value: "" }, tr("— chọn —", "— choose —")) : null,
        choices.map(([value, text]) => h("option", { value }, `${text} (${value})`)));
      const current = row.value === null ? "" : String(row.value);
      if (current && !choices.some(([value]) => value === current)) {
        select.append(h("option", { value: current }, `${current} ${tr("(không có trong danh sách)", "(not in the list)")}`));
      }
      select.value = current;
      select.addEventListener("change", () => {
        model.rows[index] = { ...model.rows[index], value: select.value };
        builderChanged();
      });
      return select;
    }
    const numeric = type === "integer" || type === "decimal";
    const input = h("input", {
      type: type === "date" ? "date" : "text", class: "cond-value", "aria-label": label,
      inputmode: numeric ? "decimal" : null, autocomplete: "off",
    });
    input.value = row.value === null ? "" : String(row.value);
    input.addEventListener("input", () => {
      let value = input.value;
      if (numeric || typeof row.value === "number") {
        const trimmed = value.trim();
        value = NUMBER_INPUT.test(trimmed) ? Number(trimmed) : trimmed === "" ? "" : Number.NaN;
      }
      model.rows[index] = { ...model.rows[index], value };
      builderChanged({ rerender: false });
    });
    return input;
  }

  function renderRow(row, index) {
    const questionSelect = h("select", { class: "cond-question", "aria-label": tr(`Câu hỏi của điều kiện ${index + 1}`, `Question of condition ${index + 1}`) },
      h("option", { value: "" }, tr("— chọn câu hỏi —", "— choose a question —")));
    questionSelect.append(optionsFragment().cloneNode(true));
    if (row.question && !questionSelect.querySelector(`option[value="${CSS.escape(row.question)}"]`)) {
      questionSelect.append(h("option", { value: row.question }, `${row.question} ${tr("(không có câu này)", "(no such question)")}`));
    }
    questionSelect.value = row.question ?? "";
    questionSelect.addEventListener("change", () => {
      const name = questionSelect.value;
      const operators = operatorsFor(subjectType(name));
      const operator = operators.includes(model.rows[index].operator) ? model.rows[index].operator : operators[0];
      model.rows[index] = { question: name, operator, value: NO_VALUE.has(operator) ? null : "" };
      builderChanged();
    });
    const operators = operatorsFor(subjectType(row.question));
    if (!operators.includes(row.operator)) operators.unshift(row.operator); // never hide what is written
    const operatorSelect = h("select", { class: "cond-operator", "aria-label": tr(`Phép so sánh của điều kiện ${index + 1}`, `Comparison of condition ${index + 1}`) },
      operators.map((operator) => h("option", { value: operator }, operatorLabel(operator))));
    operatorSelect.value = row.operator;
    operatorSelect.addEventListener("change", () => {
      const operator = operatorSelect.value;
      const previous = model.rows[index];
      const value = NO_VALUE.has(operator) ? null : previous.value ?? "";
      model.rows[index] = { ...previous, operator, value };
      builderChanged();
    });
    const remove = h("button", {
      type: "button", class: "cond-remove small", "aria-label": tr(`Bỏ điều kiện ${index + 1}`, `Remove condition ${index + 1}`),
      onclick: () => {
        model.rows.splice(index, 1);
        builderChanged();
      },
    }, "×");
    const prefix = index === 0 ? tr("Khi", "When") : model.combinator === "or" ? tr("hoặc", "or") : tr("và", "and");
    const problem = rowProblemAt(index);
    return h("div", { class: `cond-row${problem ? " invalid" : ""}`, dataset: { row: String(index) } },
      h("span", { class: "cond-prefix" }, prefix), questionSelect, operatorSelect, valueEditor(row, index), remove,
      problem ? h("p", { class: "cond-row-error" }, trm(problem.message)) : null);
  }

  function renderBuilder() {
    const status = condition.reading.status;
    const editable = condition.editable;
    shownKey = JSON.stringify([status, model]);
    noneNote.hidden = !(editable && model.rows.length === 0);
    textOnlyNote.hidden = status !== "text";
    combinatorWrap.hidden = !editable || model.rows.length < 2;
    combinator.value = model.combinator;
    addButton.hidden = !editable;
    rowsEl.hidden = !editable;
    rowsEl.replaceChildren(...(editable ? model.rows.map(renderRow) : []));
  }

  function renderError() {
    const reading = condition.reading;
    errorEl.replaceChildren();
    textInput.removeAttribute("aria-invalid");
    element.classList.remove("has-error");
    if (reading.status === "error") {
      const { position } = reading.error;
      const source = textInput.value;
      textInput.setAttribute("aria-invalid", "true");
      element.classList.add("has-error");
      errorEl.append(
        h("p", { class: "expr-error-message" }, trm(reading.error.message)),
        h("code", { class: "expr-error-where", "aria-hidden": "true" }, source.slice(0, position),
          h("mark", {}, source.slice(position, position + 1) || " "), source.slice(position + 1)));
      return;
    }
    const warnings = [];
    if (reading.status !== "empty") {
      const ast = parse(textInput.value);
      const known = new Set(flatten(definition).map((row) => row.question.name));
      for (const name of references(ast)) {
        if (!known.has(name)) warnings.push(tr(`Không có câu hỏi \${${name}}.`, `There is no question \${${name}}.`));
      }
      if (field === "relevant" && textInput.value.includes(".") && JSON.stringify(ast).includes('["cur"]')) {
        warnings.push(tr("Dấu '.' chỉ dùng được trong ràng buộc.", "'.' can only be used in a constraint."));
      }
    }
    if (warnings.length) errorEl.append(...warnings.map((warning) => h("p", { class: "expr-warning" }, warning)));
  }

  function builderChanged({ rerender = true } = {}) {
    const problem = modelProblem(model);
    if (!problem) {
      const next = condition.textFor(model);
      if (next !== textInput.value) {
        textInput.value = next;
        fit();
        onChange(next);
      }
    }
    if (rerender) renderBuilder();
    else {
      // Typing a value: mark the row's problem without rebuilding the row (keeps focus).
      for (const rowEl of rowsEl.querySelectorAll(".cond-row")) {
        const index = Number(rowEl.dataset.row);
        const rowProblem = problem && problem.row === index ? problem : null;
        rowEl.classList.toggle("invalid", Boolean(rowProblem));
        let message = rowEl.querySelector(".cond-row-error");
        if (rowProblem && !message) {
          message = h("p", { class: "cond-row-error" });
          rowEl.append(message);
        }
        if (message) {
          if (rowProblem) message.textContent = trm(rowProblem.message);
          else message.remove();
        }
      }
    }
    renderError();
  }

  combinator.addEventListener("change", () => {
    model.combinator = combinator.value;
    builderChanged();
  });

  addButton.addEventListener("click", () => {
    const previous = model.rows[model.rows.length - 1];
    const name = previous?.question ?? (field === "constraint" ? CURRENT : "");
    const operator = operatorsFor(subjectType(name))[0];
    model.rows.push({ question: name, operator, value: NO_VALUE.has(operator) ? null : "" });
    builderChanged();
    rowsEl.querySelector(".cond-row:last-child select")?.focus();
  });

  textInput.addEventListener("input", () => {
    fit();
    const typed = textInput.value;
    onChange(typed);
    // What is typed is the new original: kept as typed unless the builder changes it.
    condition = openCondition(typed);
    const next = structuredClone(condition.reading.model ?? emptyModel());
    if (JSON.stringify([condition.reading.status, next]) !== shownKey || !condition.editable) {
      model = next;
      renderBuilder();
    }
    renderError();
  });

  renderBuilder();
  renderError();
  return element;
}
