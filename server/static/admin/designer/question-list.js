// The list of questions: one cheap row per question, and only the rows in view are in the
// DOM (a form of 1,000 questions scrolls and edits without building 1,000 rows).
// Keyboard: arrows move through the list, Alt+Arrow up/down moves the question, Alt+Arrow
// right/left moves it into the group above / out of its group, arrow right/left alone
// opens / closes a group. Drag and drop moves with the mouse. The list is a listbox whose
// active option (aria-activedescendant) is the selected question.
import { flatten, samePath } from "./model.js";
import { h, tr } from "./ui.js";

export const ROW_HEIGHT = 36;
const OVERSCAN = 5;
const EDGE = 40; // px from the list's edge where dragging scrolls it

const TYPE_NAMES = {
  select_one: ["Chọn một", "Select one"], select_multiple: ["Chọn nhiều", "Select many"],
  likert: ["Thang đo", "Likert"], integer: ["Số nguyên", "Integer"], decimal: ["Số thập phân", "Decimal"],
  text: ["Chữ", "Text"], date: ["Ngày", "Date"], note: ["Ghi chú", "Note"], group: ["Nhóm", "Group"],
  calculate: ["Tính toán", "Calculate"],
};

export function typeName(type) {
  const names = TYPE_NAMES[type];
  return names ? tr(names[0], names[1]) : String(type);
}

/**
 * container: where the list goes. Callbacks: onSelect(path), onMove(from, toParent, index),
 * onKeyMove(path, direction), onOpen(path) (Enter: go to the editor), describe(question) ->
 * {label, flags: [{text, kind, title}]}.
 */
export function createQuestionList(container, { onSelect, onMove, onKeyMove, onOpen, describe }) {
  let rows = [];
  let definition = null;
  let selection = null;
  let activeIndex = -1;
  let dragFrom = null;
  let dropTarget = null;
  const collapsed = new Set(); // group names
  const rendered = new Map(); // row index -> element

  const inner = h("div", { class: "qlist-inner" });
  const windowEl = h("div", { class: "qlist-window" });
  inner.append(windowEl);
  const list = h("div", {
    class: "qlist", role: "listbox", tabindex: "0", id: "designer-question-list",
    "aria-label": tr("Câu hỏi của phiếu", "The form's questions"),
    "aria-describedby": "designer-list-help",
  }, inner);
  const help = h("p", { id: "designer-list-help", class: "qlist-help muted" },
    tr("Mũi tên lên/xuống: chọn câu. Alt + mũi tên lên/xuống: chuyển câu. Alt + mũi tên phải/trái: vào / ra khỏi nhóm. Enter: sửa.",
      "Up/down arrows: choose a question. Alt + up/down: move it. Alt + right/left: into / out of a group. Enter: edit."));
  const empty = h("p", { class: "qlist-empty muted", hidden: true },
    tr("Phiếu chưa có câu hỏi. Chọn loại câu hỏi rồi bấm “Thêm”.", "No questions yet. Choose a type and press “Add”."));
  const search = h("input", {
    type: "search", class: "qlist-search", id: "designer-find", autocomplete: "off",
    placeholder: tr("Tìm câu hỏi (tên hoặc nội dung)…", "Find a question (name or text)…"),
    "aria-label": tr("Tìm câu hỏi", "Find a question"),
  });
  // Enter: the next question whose name or Vietnamese label holds the text.
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const wanted = search.value.trim().toLowerCase();
    if (!wanted) return;
    const all = flatten(definition);
    const start = selection ? all.findIndex((row) => samePath(row.path, selection)) + 1 : 0;
    const matches = (row) => String(row.question.name ?? "").toLowerCase().includes(wanted)
      || String(row.question.label?.vi ?? "").toLowerCase().includes(wanted);
    for (let step = 0; step < all.length; step += 1) {
      const row = all[(start + step) % all.length];
      if (matches(row)) {
        onSelect(row.path);
        return;
      }
    }
  });
  container.append(search, list, empty, help);

  const isCollapsed = (question) => collapsed.has(question.name);

  // The list's scroll position and height as the browser last told them (scroll events, a
  // ResizeObserver): reading them after a change would make it lay the page out at once.
  let scrollTop = 0;
  let viewHeight = 600;
  new ResizeObserver(([entry]) => {
    viewHeight = entry.contentRect.height || viewHeight;
    render();
  }).observe(list);
  // The rows for the new position are drawn at once; the scroll itself is applied just before
  // the next frame, with the rest of the changes (setting it now would lay the page out twice).
  let scrollPending = false;
  const scrollTo = (top) => {
    scrollTop = Math.max(0, Math.min(top, rows.length * ROW_HEIGHT - viewHeight));
    if (scrollPending) return;
    scrollPending = true;
    requestAnimationFrame(() => {
      scrollPending = false;
      list.scrollTop = scrollTop;
    });
  };

  function setDefinition(next, nextSelection = selection) {
    definition = next;
    rows = flatten(definition, isCollapsed);
    selection = nextSelection;
    // A selected question inside a closed group opens it.
    if (selection && !rows.some((row) => samePath(row.path, selection))) {
      let opened = false;
      for (let depth = 1; depth < selection.length; depth += 1) {
        const ancestor = rows.find((row) => samePath(row.path, selection.slice(0, depth)));
        if (ancestor && collapsed.delete(ancestor.question.name)) opened = true;
      }
      if (opened) rows = flatten(definition, isCollapsed);
    }
    activeIndex = selection ? rows.findIndex((row) => samePath(row.path, selection)) : -1;
    const height = `${rows.length * ROW_HEIGHT}px`;
    if (inner.style.height !== height) inner.style.height = height;
    if (empty.hidden !== rows.length > 0) empty.hidden = rows.length > 0;
    if (list.hidden !== (rows.length === 0)) list.hidden = rows.length === 0;
    rendered.clear();
    render(true);
    updateActive();
  }

  function render(force = false) {
    const top = scrollTop;
    const height = viewHeight;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    if (!force && windowEl.dataset.first === String(first) && windowEl.dataset.last === String(last)) return;
    windowEl.dataset.first = String(first);
    windowEl.dataset.last = String(last);
    windowEl.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    const keep = new Map();
    const children = [];
    for (let index = first; index < last; index += 1) {
      const element = (!force && rendered.get(index)) || buildRow(index);
      keep.set(index, element);
      children.push(element);
    }
    rendered.clear();
    for (const [index, element] of keep) rendered.set(index, element);
    // Only what changed moves: after an insert or a move most rows stay where they are.
    const current = windowEl.children;
    children.forEach((element, i) => {
      if (current[i] !== element) windowEl.insertBefore(element, current[i] ?? null);
    });
    while (current.length > children.length) current[current.length - 1].remove();
  }

  // Rows already drawn, by question: the model keeps an unchanged question the same object,
  // so after a move or an insert most rows are reused with a new position, not rebuilt.
  let built = new WeakMap();

  function buildRow(index) {
    const { question, depth, path } = rows[index];
    const old = built.get(question);
    if (old && old.depth === depth) {
      const element = old.element;
      if (element.dataset.index !== String(index)) {
        element.id = `qrow-${index}`;
        element.dataset.index = String(index);
        element.setAttribute("aria-posinset", String(index + 1));
      }
      if (element.getAttribute("aria-setsize") !== String(rows.length)) element.setAttribute("aria-setsize", String(rows.length));
      const selected = samePath(path, selection);
      if (element.classList.contains("selected") !== selected) {
        element.classList.toggle("selected", selected);
        element.setAttribute("aria-selected", String(selected));
      }
      return element;
    }
    const element = drawRow(index);
    built.set(question, { element, depth });
    return element;
  }

  function drawRow(index) {
    const { question, depth, path } = rows[index];
    const isGroup = question.type === "group";
    const info = describe(question);
    const row = h("div", {
      class: `qrow depth-${Math.min(depth, 8)} type-${question.type}${info.flags.some((f) => f.kind === "error") ? " has-error" : ""}`,
      id: `qrow-${index}`, role: "option", draggable: "true",
      "aria-selected": String(samePath(path, selection)),
      "aria-setsize": String(rows.length), "aria-posinset": String(index + 1),
      dataset: { index: String(index), name: String(question.name ?? "") },
    },
    h("span", { class: "qrow-handle", "aria-hidden": "true" }, "⠿"),
    isGroup ? h("button", {
      type: "button", class: "qrow-toggle", tabindex: "-1",
      "aria-label": collapsed.has(question.name) ? tr("Mở nhóm", "Open the group") : tr("Đóng nhóm", "Close the group"),
      "aria-expanded": String(!collapsed.has(question.name)),
      onclick: (event) => { event.stopPropagation(); toggle(question.name); },
    }, collapsed.has(question.name) ? "▸" : "▾") : h("span", { class: "qrow-toggle-space", "aria-hidden": "true" }),
    h("span", { class: "qrow-type" }, typeName(question.type)),
    h("span", { class: "qrow-name" }, String(question.name ?? "")),
    h("span", { class: "qrow-label" }, info.label),
    h("span", { class: "qrow-flags" }, info.flags.map((flag) => h("span", { class: `flag flag-${flag.kind}`, title: flag.title ?? null }, flag.text))));
    if (samePath(path, selection)) row.classList.add("selected");
    return row;
  }

  function toggle(name, open = null) {
    const isOpen = !collapsed.has(name);
    if (open === isOpen) return;
    if (isOpen) collapsed.add(name);
    else collapsed.delete(name);
    const group = rows.find((row) => row.question.name === name);
    if (group) built.delete(group.question);
    setDefinition(definition, selection);
  }

  function updateActive() {
    if (activeIndex >= 0) list.setAttribute("aria-activedescendant", `qrow-${activeIndex}`);
    else list.removeAttribute("aria-activedescendant");
  }

  /** Re-draws one row (an edit of that question); the others stay as they are. */
  function refreshRow(path) {
    const index = rows.findIndex((row) => samePath(row.path, path));
    if (index < 0) return;
    rows[index] = { ...rows[index], question: questionAtRow(path) };
    const old = rendered.get(index);
    if (!old) return;
    const fresh = buildRow(index);
    if (fresh !== old) old.replaceWith(fresh);
    rendered.set(index, fresh);
  }

  function questionAtRow(path) {
    let questions = definition.questions ?? [];
    let question = null;
    for (const i of path) {
      question = questions[i];
      questions = question?.questions ?? [];
    }
    return question;
  }

  /** Updates the definition for an edit that changed no question's place or name. */
  function setContent(next, path) {
    definition = next;
    refreshRow(path);
  }

  function select(path, { scroll = true } = {}) {
    if (path && !rows.some((row) => samePath(row.path, path))) {
      setDefinition(definition, path); // inside a closed group: open it
      if (scroll) scrollToActive();
      return;
    }
    selection = path;
    const previous = activeIndex;
    activeIndex = path ? rows.findIndex((row) => samePath(row.path, path)) : -1;
    for (const index of [previous, activeIndex]) {
      const element = rendered.get(index);
      if (!element) continue;
      const on = index === activeIndex;
      element.classList.toggle("selected", on);
      element.setAttribute("aria-selected", String(on));
    }
    if (scroll) scrollToActive();
    updateActive();
  }

  function scrollToActive() {
    if (activeIndex < 0) return;
    const top = activeIndex * ROW_HEIGHT;
    if (top < scrollTop) scrollTo(top);
    else if (top + ROW_HEIGHT > scrollTop + viewHeight) scrollTo(top + ROW_HEIGHT - viewHeight);
    render();
  }

  list.addEventListener("scroll", () => {
    if (scrollPending) return; // ours, about to land
    scrollTop = list.scrollTop;
    render();
  }, { passive: true });

  list.addEventListener("click", (event) => {
    const row = event.target.closest(".qrow");
    if (!row) return;
    const index = Number(row.dataset.index);
    onSelect(rows[index].path);
    list.focus({ preventScroll: true });
  });

  list.addEventListener("dblclick", (event) => {
    const row = event.target.closest(".qrow");
    if (row) onOpen(rows[Number(row.dataset.index)].path);
  });

  const MOVES = { ArrowUp: "up", ArrowDown: "down", ArrowRight: "in", ArrowLeft: "out" };

  list.addEventListener("keydown", (event) => {
    if (!rows.length) return;
    const current = activeIndex >= 0 ? activeIndex : 0;
    if (event.altKey && MOVES[event.key]) {
      event.preventDefault();
      if (activeIndex >= 0) onKeyMove(rows[activeIndex].path, MOVES[event.key]);
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const go = (index) => {
      event.preventDefault();
      const target = Math.max(0, Math.min(rows.length - 1, index));
      onSelect(rows[target].path);
    };
    const pageSize = Math.max(1, Math.floor(viewHeight / ROW_HEIGHT) - 1);
    switch (event.key) {
      case "ArrowDown": go(activeIndex < 0 ? 0 : current + 1); break;
      case "ArrowUp": go(current - 1); break;
      case "PageDown": go(current + pageSize); break;
      case "PageUp": go(current - pageSize); break;
      case "Home": go(0); break;
      case "End": go(rows.length - 1); break;
      case "ArrowRight":
      case "ArrowLeft": {
        const row = rows[current];
        if (row?.question.type === "group") {
          event.preventDefault();
          toggle(row.question.name, event.key === "ArrowRight");
        }
        break;
      }
      case "Enter":
        if (activeIndex >= 0) {
          event.preventDefault();
          onOpen(rows[activeIndex].path);
        }
        break;
      default:
    }
  });

  // --- drag and drop ---------------------------------------------------------------------

  function clearDropMark() {
    for (const element of windowEl.querySelectorAll(".drop-before, .drop-after, .drop-inside")) {
      element.classList.remove("drop-before", "drop-after", "drop-inside");
    }
  }

  // Where a drop at clientY would put the question: {index, where} or null.
  function targetAt(clientY) {
    const box = inner.getBoundingClientRect();
    const y = clientY - box.top;
    if (y >= rows.length * ROW_HEIGHT) return { index: rows.length - 1, where: "end" };
    const index = Math.max(0, Math.min(rows.length - 1, Math.floor(y / ROW_HEIGHT)));
    const within = (y - index * ROW_HEIGHT) / ROW_HEIGHT;
    const row = rows[index];
    if (row.question.type === "group") return { index, where: within < 0.3 ? "before" : "inside" };
    return { index, where: within < 0.5 ? "before" : "after" };
  }

  function placeOf(target) {
    if (target.where === "end") return { parent: [], index: (definition.questions ?? []).length };
    const { path } = rows[target.index];
    if (target.where === "inside") return { parent: path, index: 0 };
    const index = path[path.length - 1] + (target.where === "after" ? 1 : 0);
    return { parent: path.slice(0, -1), index };
  }

  list.addEventListener("dragstart", (event) => {
    const row = event.target.closest?.(".qrow");
    if (!row) return;
    dragFrom = rows[Number(row.dataset.index)].path;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.name);
    row.classList.add("dragging");
  });

  list.addEventListener("dragover", (event) => {
    if (!dragFrom) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const box = list.getBoundingClientRect();
    if (event.clientY < box.top + EDGE) scrollTo(scrollTop - ROW_HEIGHT / 2);
    else if (event.clientY > box.bottom - EDGE) scrollTo(scrollTop + ROW_HEIGHT / 2);
    const target = targetAt(event.clientY);
    if (dropTarget && target && dropTarget.index === target.index && dropTarget.where === target.where) return;
    dropTarget = target;
    clearDropMark();
    const element = rendered.get(target.index);
    if (element) element.classList.add(target.where === "end" ? "drop-after" : `drop-${target.where}`);
  });

  list.addEventListener("dragleave", (event) => {
    if (!list.contains(event.relatedTarget)) clearDropMark();
  });

  list.addEventListener("drop", (event) => {
    if (!dragFrom || !dropTarget) return;
    event.preventDefault();
    const from = dragFrom;
    const place = placeOf(dropTarget);
    dragFrom = null;
    dropTarget = null;
    clearDropMark();
    onMove(from, place.parent, place.index);
  });

  list.addEventListener("dragend", () => {
    dragFrom = null;
    dropTarget = null;
    clearDropMark();
    for (const element of windowEl.querySelectorAll(".dragging")) element.classList.remove("dragging");
  });

  return {
    element: list,
    setDefinition,
    setContent,
    select,
    refreshRow,
    focus: () => list.focus({ preventScroll: true }),
    get rows() { return rows; },
    redraw: () => { built = new WeakMap(); rendered.clear(); render(true); },
    isCollapsed: (name) => collapsed.has(name),
  };
}

