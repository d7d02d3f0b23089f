// The designer: holds the draft being edited and ties the parts together. Every edit goes
// through edit(): the model makes a new definition, history records it, the store saves it,
// and only the views that show what changed are redrawn (one list row for a typed label,
// the visible rows for a move; the phone preview after a pause).
import { readExpression } from "./condition-builder.js";
import { checkResult } from "./check-panel.js";
import { choiceListsPanel } from "./choice-lists.js";
import { formSettings } from "./form-settings.js";
import { History } from "./history.js";
import * as model from "./model.js";
import { createPreview } from "./preview.js";
import { questionEditor } from "./question-editor.js";
import { createQuestionList, typeName } from "./question-list.js";
import { EXPRESSION_FIELDS, referencedNames } from "./references.js";
import { conflictBanner, copyNotice, download, restoreNotice, signedOutNotice, statusText } from "./save-notices.js";
import { DraftStore, pendingBackup } from "./store.js";
import { announce, h, labelText, setLiveRegion, tr, trm } from "./ui.js";

const ADDABLE = ["select_one", "select_multiple", "likert", "integer", "decimal", "text", "date", "note", "group", "calculate"];
const TABS = [
  ["question", "Câu hỏi", "Question"],
  ["lists", "Danh sách lựa chọn", "Choice lists"],
  ["form", "Phiếu và báo cáo", "Form and report"],
  ["check", "Kiểm tra", "Check"],
];

function afterPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

/**
 * root: the page's #designer element; draft: what GET /api/v1/form-drafts/<id> answered;
 * api: ./api.js; languages: the designer's languages (data-languages).
 */
export function createDesigner(root, { draft, api, languages, storage = globalThis.localStorage }) {
  const draftId = draft.id;
  let definition = draft.definition;
  let selection = null;
  let tab = "question";
  let problemsByName = new Map();
  const history = new History({ definition, selection });
  const store = new DraftStore({ api, draftId, revision: draft.revision, definition, storage });
  const formLanguages = () => (Array.isArray(definition.languages) ? definition.languages : []);

  // --- the page -------------------------------------------------------------------------
  const live = h("div", { class: "visually-hidden", role: "status", "aria-live": "polite", id: "designer-live" });
  setLiveRegion(live);

  const typeSelect = h("select", { id: "designer-add-type", class: "add-type" },
    ADDABLE.map((type) => h("option", { value: type }, typeName(type))));
  const addButton = h("button", { type: "button", class: "primary add-question", onclick: () => add(typeSelect.value, "after") }, tr("Thêm", "Add"));
  const addInsideButton = h("button", { type: "button", class: "add-inside", hidden: true, onclick: () => add(typeSelect.value, "inside") }, tr("Thêm vào nhóm", "Add inside the group"));
  const undoButton = h("button", { type: "button", class: "undo", disabled: true, onclick: () => undo(), "aria-keyshortcuts": "Control+Z" }, tr("Hoàn tác", "Undo"));
  const redoButton = h("button", { type: "button", class: "redo", disabled: true, onclick: () => redo(), "aria-keyshortcuts": "Control+Shift+Z" }, tr("Làm lại", "Redo"));
  const statusEl = h("span", { class: "save-status", role: "status", dataset: { state: "saved" } });
  const checkButton = h("button", { type: "button", class: "check-draft", onclick: () => check() }, tr("Kiểm tra", "Check"));
  const toolbar = h("div", { class: "designer-bar", role: "toolbar", "aria-label": tr("Công cụ thiết kế", "Designer tools") },
    h("div", { class: "bar-group" }, h("label", { for: typeSelect.id, class: "plain" }, tr("Loại câu hỏi", "Question type")), typeSelect, addButton, addInsideButton),
    h("div", { class: "bar-group" }, undoButton, redoButton),
    h("div", { class: "bar-group" }, statusEl, checkButton));
  const notices = h("div", { class: "designer-notices" });

  const listPane = h("section", { class: "designer-list-pane", "aria-label": tr("Danh sách câu hỏi", "Question list") });
  const tabButtons = TABS.map(([key, vi, en]) => h("button", {
    type: "button", role: "tab", id: `designer-tab-${key}`, class: "designer-tab", "aria-controls": "designer-panel",
    "aria-selected": String(key === tab), tabindex: key === tab ? "0" : "-1", dataset: { tab: key },
    onclick: () => showTab(key),
  }, tr(vi, en)));
  const tabList = h("div", { class: "designer-tabs", role: "tablist", "aria-label": tr("Phần sửa", "Editing") }, tabButtons);
  tabList.addEventListener("keydown", (event) => {
    const index = TABS.findIndex(([key]) => key === tab);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    showTab(TABS[(index + step + TABS.length) % TABS.length][0]);
    tabButtons.find((button) => button.dataset.tab === tab).focus();
  });
  const panel = h("div", { class: "designer-panel", id: "designer-panel", role: "tabpanel", tabindex: "-1" });
  const editorPane = h("section", { class: "designer-editor-pane", "aria-label": tr("Sửa", "Edit") }, tabList, panel);
  const previewPane = h("section", { class: "designer-preview-pane", "aria-label": tr("Xem trước", "Preview") },
    h("h2", { class: "pane-title" }, tr("Xem trước", "Preview")));

  // The bar and the notices (conflict, restore) stay in view while the page scrolls.
  root.replaceChildren(h("div", { class: "designer-top" }, toolbar, notices),
    h("div", { class: "designer-body" }, listPane, editorPane, previewPane), live);
  root.classList.add("designer-ready");

  const list = createQuestionList(listPane, {
    onSelect: (path) => select(path),
    onOpen: (path) => { select(path); focusKey("label:vi") || panel.focus(); },
    onMove: (from, toParent, index) => move(() => model.moveQuestion(definition, from, toParent, index)),
    onKeyMove: (path, direction) => move(() => model.moveByKey(definition, path, direction), true),
    describe,
  });
  const preview = createPreview(previewPane, { languages });

  // What the editing panels need.
  const ctx = {
    get definition() { return definition; },
    get selection() { return selection; },
    get formLanguages() { return formLanguages(); },
    languages,
    edit,
    duplicate,
    remove,
    problems: (name) => problemsByName.get(name) ?? [],
    later: (fn) => fn(),
  };

  // --- the list's rows --------------------------------------------------------------------
  function describe(question) {
    const flags = [];
    if (question.relevant) flags.push({ kind: "logic", text: tr("đk", "if"), title: tr(`Hiện khi: ${question.relevant}`, `Shown when: ${question.relevant}`) });
    if (EXPRESSION_FIELDS.some((field) => typeof question[field] === "string" && readExpression(question[field]).status === "error")) {
      flags.push({ kind: "error", text: "⚠", title: tr("Biểu thức sai cú pháp", "An expression does not parse") });
    }
    const missing = [...new Set(model.missingTranslations(question, formLanguages()).map((m) => m.language))];
    if (missing.length) flags.push({ kind: "missing", text: `${tr("thiếu", "missing")} ${missing.join(", ")}`, title: tr(`Thiếu bản dịch: ${missing.join(", ")}`, `Missing translations: ${missing.join(", ")}`) });
    const problems = problemsByName.get(question.name);
    if (problems?.length) flags.push({ kind: "error", text: `⚠ ${problems.length}`, title: problems.map((p) => tr(p.message, p.message_en)).join("\n") });
    return { label: labelText(question.label) || (question.type === "calculate" ? question.calculation ?? "" : ""), flags };
  }

  // --- editing --------------------------------------------------------------------------
  function showError(message) {
    notices.querySelector(".edit-error")?.remove();
    const note = h("p", { class: "flash error edit-error", role: "alert" }, message,
      h("button", { type: "button", class: "link dismiss", onclick: () => note.remove() }, tr(" (đóng)", " (close)")));
    notices.append(note);
    announce(message);
  }

  /**
   * fn(definition) returns the next definition, or {definition, selection, message}.
   * options: coalesce (typing into one field makes one undo step), structural (names or
   * places changed: redraw the list), rerender (redraw the panel), focus (the data-key of
   * the input to focus after a redraw), message (announced).
   */
  function edit(fn, { coalesce = null, structural = false, rerender = false, focus = null, message = null, keepPanel = false } = {}) {
    let result;
    try {
      result = fn(definition);
    } catch (error) {
      if (error instanceof model.ModelError) {
        showError(trm(error.messages));
        return false;
      }
      throw error;
    }
    if (!result) return false;
    const wrapped = result.definition && typeof result.definition === "object";
    const next = wrapped ? result.definition : result;
    const nextSelection = wrapped && result.selection !== undefined ? result.selection : selection;
    if (next === definition && model.samePath(nextSelection, selection)) return false;
    notices.querySelector(".edit-error")?.remove();
    const key = coalesce ? `${model.pathKey(selection ?? [])}:${coalesce}` : null;
    history.push({ definition: next, selection: nextSelection }, { coalesce: key });
    apply(next, nextSelection, { structural, rerender, focus, keepPanel });
    store.change(next);
    const said = (wrapped && result.message) || message;
    if (said) announce(said);
    return true;
  }

  function apply(next, nextSelection, { structural = true, rerender = false, focus = null, keepPanel = false } = {}) {
    const selectionMoved = !model.samePath(nextSelection, selection);
    const languagesChanged = next.languages !== definition.languages;
    definition = next;
    selection = nextSelection;
    if (structural) list.setDefinition(definition, selection);
    else {
      if (selection) list.setContent(definition, selection);
      if (languagesChanged) list.redraw();
    }
    if (selectionMoved) list.select(selection);
    // A text in a new language adds it to the form: the panel then marks that language's gaps.
    if (!keepPanel && (structural || rerender || selectionMoved || languagesChanged)) renderPanel(focus);
    preview.update(definition);
    updateToolbar();
  }

  function select(path) {
    if (tab !== "question") showTab("question", { render: false });
    if (model.samePath(path, selection)) {
      renderPanel();
      return;
    }
    history.seal();
    selection = path;
    history.replace({ definition, selection });
    list.select(path);
    renderPanel();
    updateToolbar();
    // The preview shows pages of questions: for a group, the page of its first question.
    const question = path ? model.flatten({ questions: [model.questionAt(definition, path)] })
      .map((row) => row.question).find((q) => q.type !== "group") : null;
    if (question) preview.showQuestion(question.name);
  }

  function placeDescription(path, of = definition) {
    const question = model.questionAt(of, path);
    const parent = path.length > 1 ? model.questionAt(of, path.slice(0, -1)) : null;
    const siblings = model.childrenOf(of, path.slice(0, -1)).length;
    const where = parent ? tr(`trong nhóm ${parent.name}`, `in group ${parent.name}`) : tr("ở cấp ngoài cùng", "at the top level");
    return tr(`${question.name}: vị trí ${path[path.length - 1] + 1} trên ${siblings}, ${where}.`,
      `${question.name}: position ${path[path.length - 1] + 1} of ${siblings}, ${where}.`);
  }

  function move(compute, fromKeyboard = false) {
    let result;
    try {
      result = compute();
    } catch (error) {
      if (error instanceof model.ModelError) {
        announce(trm(error.messages));
        return;
      }
      throw error;
    }
    if (!result) {
      announce(tr("Không chuyển được theo hướng đó.", "It cannot move that way."));
      return;
    }
    // The same question, somewhere else: its editor stays as it is (edits find it by the
    // selection, which follows it).
    edit(() => ({ definition: result.definition, selection: result.path }), { structural: true, keepPanel: tab === "question" });
    announce(tr("Đã chuyển ", "Moved ") + placeDescription(result.path));
    if (fromKeyboard) list.focus();
  }

  function add(type, mode) {
    const options = !selection ? {} : mode === "inside" ? { inside: selection } : { after: selection };
    edit((d) => {
      const { definition: next, path } = model.addQuestion(d, type, options);
      return { definition: next, selection: path, message: tr(`Đã thêm ${typeName(type)}: `, `Added ${typeName(type)}: `) + placeDescription(path, next) };
    }, { structural: true });
    // After the new question is on screen: focusing now would lay the page out once more first.
    afterPaint(() => focusKey(type === "calculate" ? "calculation" : "label:vi"));
  }

  function duplicate(path) {
    edit((d) => {
      const { definition: next, path: copyPath } = model.duplicateQuestion(d, path);
      const name = model.questionAt(next, copyPath).name;
      return { definition: next, selection: copyPath, message: tr(`Đã nhân bản thành ${name}.`, `Duplicated as ${name}.`) };
    }, { structural: true });
  }

  function remove(path) {
    const question = model.questionAt(definition, path);
    if (!question) return;
    const names = new Set(model.flatten({ questions: [question] }).map((row) => row.question.name));
    const inside = names.size - 1;
    // The expressions elsewhere that name it (or what is inside it): they would show errors.
    const users = model.flatten(definition).filter((row) => !names.has(row.question.name))
      .flatMap((row) => EXPRESSION_FIELDS
        .filter((field) => [...referencedNames(row.question[field])].some((name) => names.has(name)))
        .map((field) => `${row.question.name} (${field})`));
    if (inside || users.length) {
      const lines = [tr(`Xóa ${question.name}?`, `Delete ${question.name}?`)];
      if (inside) lines.push(tr(`Nhóm này có ${inside} câu bên trong; chúng cũng bị xóa.`, `This group holds ${inside} question(s); they go too.`));
      if (users.length) lines.push(tr(`Các biểu thức sau nhắc đến nó và sẽ báo lỗi: ${users.join(", ")}`, `These expressions refer to it and will show an error: ${users.join(", ")}`));
      if (!window.confirm(lines.join("\n"))) return;
    }
    edit((d) => {
      const { definition: next } = model.deleteQuestion(d, path);
      const siblings = model.childrenOf(next, path.slice(0, -1));
      const index = path[path.length - 1];
      const after = siblings.length ? [...path.slice(0, -1), Math.min(index, siblings.length - 1)] : path.length > 1 ? path.slice(0, -1) : null;
      return { definition: next, selection: after, message: tr(`Đã xóa ${question.name}. Bấm Hoàn tác để lấy lại.`, `${question.name} deleted. Undo brings it back.`) };
    }, { structural: true });
  }

  function restore(state, message) {
    if (!state) return;
    const focus = document.activeElement?.dataset?.key ?? null;
    definition = state.definition;
    selection = state.selection;
    list.setDefinition(definition, selection);
    list.select(selection);
    renderPanel(focus);
    preview.update(definition);
    store.change(definition);
    updateToolbar();
    announce(message);
  }

  function undo() {
    restore(history.undo(), tr("Đã hoàn tác.", "Undone."));
  }

  function redo() {
    restore(history.redo(), tr("Đã làm lại.", "Redone."));
  }

  // --- the panel --------------------------------------------------------------------------
  function showTab(key, { render = true } = {}) {
    tab = key;
    for (const button of tabButtons) {
      const on = button.dataset.tab === key;
      button.setAttribute("aria-selected", String(on));
      button.tabIndex = on ? 0 : -1;
    }
    panel.setAttribute("aria-labelledby", `designer-tab-${key}`);
    if (render) renderPanel();
  }

  function focusKey(key) {
    if (!key) return false;
    const target = panel.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!target) return false;
    target.focus({ preventScroll: true });
    // Typing goes on where it was: at the end of the text (a redraw mid-word, e.g. when a
    // text in a new language joins it to the form).
    const typed = target instanceof HTMLTextAreaElement
      || (target instanceof HTMLInputElement && ["text", "search"].includes(target.type));
    if (typed) target.setSelectionRange(target.value.length, target.value.length);
    return true;
  }

  let lastCheck = null;

  let panelShows = null; // what the panel shows: the question's path or the tab, to keep its scroll
  let panelScroll = 0; // its scroll position, as the scroll events told it (reading it would cost a layout)
  panel.addEventListener("scroll", () => { panelScroll = panel.scrollTop; }, { passive: true });

  let panelDrawing = 0;

  function renderPanel(focus = null) {
    const keep = focus ?? (panel.contains(document.activeElement) ? document.activeElement?.dataset?.key : null);
    // What the panel draws after the first frame (ctx.later); dropped if it is redrawn first.
    const drawing = ++panelDrawing;
    const later = [];
    ctx.later = (fn) => later.push(fn);
    const shows = tab === "question" ? `question:${model.pathKey(selection ?? [])}` : tab;
    // Reading or setting the scroll position makes the browser lay the page out at once:
    // only when the same thing is drawn again (a type change, undo) is it worth keeping.
    const scroll = shows === panelShows ? panelScroll : 0;
    panelShows = shows;
    let content;
    if (tab === "question") content = questionEditor(ctx, selection);
    else if (tab === "lists") content = choiceListsPanel(ctx);
    else if (tab === "form") content = formSettings(ctx);
    else content = h("section", { class: "check-panel" }, h("h2", {}, tr("Kiểm tra bản nháp", "Check the draft")),
      lastCheck ? checkResult(lastCheck, (name) => pickProblem(name))
        : h("p", { class: "muted" }, tr("Bấm “Kiểm tra” để kiểm tra bản nháp bằng đúng các quy tắc khi xuất bản.", "Press “Check” to check the draft with the very rules of publishing.")));
    panel.replaceChildren(content);
    if (scroll || panelScroll) panel.scrollTop = scroll;
    panelScroll = scroll;
    if (keep) focusKey(keep);
    if (later.length) {
      afterPaint(() => {
        if (drawing !== panelDrawing) return;
        for (const fn of later) fn();
        if (keep && !panel.contains(document.activeElement)) focusKey(keep);
        if (scroll) panel.scrollTop = scroll;
      });
    }
  }

  function pickProblem(name) {
    const path = model.findPath(definition, name);
    if (path) {
      select(path);
      list.focus();
    }
  }

  async function check() {
    showTab("check", { render: false });
    panel.replaceChildren(h("p", { class: "muted", role: "status" }, tr("Đang lưu và kiểm tra…", "Saving and checking…")));
    const saved = await store.flush();
    if (!saved) {
      renderPanel();
      showError(tr("Chưa lưu được bản nháp nên chưa kiểm tra được.", "The draft is not saved, so it cannot be checked yet."));
      return;
    }
    try {
      const [validation, changes] = await Promise.all([api.validate(), api.changes()]);
      lastCheck = { validation, changes };
      problemsByName = new Map();
      for (const error of validation.errors) {
        if (!error.question) continue;
        problemsByName.set(error.question, [...(problemsByName.get(error.question) ?? []), error]);
      }
      list.redraw();
      renderPanel();
      announce(validation.ok ? tr("Không có lỗi.", "No problems.") : tr(`Có ${validation.errors.length} lỗi.`, `${validation.errors.length} problem(s).`));
    } catch (error) {
      renderPanel();
      showError(trm(error.messages ?? { vi: String(error), en: String(error) }));
    }
  }

  function updateToolbar() {
    undoButton.disabled = !history.canUndo;
    redoButton.disabled = !history.canRedo;
    const question = selection ? model.questionAt(definition, selection) : null;
    const isGroup = question?.type === "group";
    addInsideButton.hidden = !isGroup;
    addButton.textContent = isGroup ? tr("Thêm sau nhóm", "Add after the group") : selection ? tr("Thêm sau câu này", "Add after this one") : tr("Thêm", "Add");
  }

  // --- saving ------------------------------------------------------------------------------
  store.addEventListener("status", (event) => {
    const { state } = event.detail;
    statusEl.dataset.state = state;
    statusEl.textContent = statusText(state, store);
    notices.querySelector(".signed-out")?.remove();
    if (state === "signed_out") notices.append(signedOutNotice(store));
  });
  store.addEventListener("conflict", (event) => {
    notices.querySelector(".conflict")?.remove();
    notices.prepend(conflictBanner(event.detail, { onLoadTheirs: () => loadTheirs(false), onKeepMine: () => loadTheirs(true) }));
  });
  statusEl.textContent = statusText("saved", store);
  const copyName = `${draft.form_name ?? "form"}-draft-${draftId}-copy.json`;

  async function loadTheirs(keepMine) {
    try {
      const mine = definition;
      const result = keepMine ? await store.keepMineAsCopy() : { draft: await store.loadTheirs() };
      notices.querySelector(".conflict")?.remove();
      history.reset({ definition: result.draft.definition, selection: null });
      selection = null;
      definition = result.draft.definition;
      restore(history.present, tr(`Đã tải bản nháp lần sửa ${result.draft.revision}.`, `Loaded revision ${result.draft.revision}.`));
      if (keepMine) {
        download(copyName, mine);
        offerCopy(result.copy);
      }
    } catch (error) {
      showError(trm(error.messages ?? { vi: String(error), en: String(error) }));
    }
  }

  function offerCopy(copy) {
    notices.querySelector(".kept-copy")?.remove();
    const note = copyNotice(copy, {
      onDownload: () => download(copyName, copy.definition),
      onUse: () => {
        if (!window.confirm(tr("Thay bản nháp hiện tại bằng bản sao của bạn? (Hoàn tác được)", "Replace the current draft with your copy? (You can undo.)"))) return;
        note.remove();
        edit(() => ({ definition: copy.definition, selection: null, message: tr("Đã dùng bản sao của bạn.", "Your copy is in use.") }), { structural: true });
      },
      onDiscard: () => {
        DraftStore.discardCopy(storage, draftId);
        note.remove();
      },
    });
    notices.append(note);
  }

  function offerRestore(backup) {
    const note = restoreNotice(backup, {
      revision: store.revision, updatedBy: draft.updated_by,
      onRestore: () => {
        note.remove();
        edit(() => ({ definition: backup.definition, selection: null, message: tr("Đã khôi phục các thay đổi chưa lưu.", "Unsaved changes restored.") }), { structural: true });
      },
      onDiscard: () => {
        store.removeBackup();
        note.remove();
        announce(tr("Đã bỏ.", "Discarded."));
      },
    });
    notices.append(note);
  }

  // --- the page around the designer ------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (typing || !(event.ctrlKey || event.metaKey)) return;
    const key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) { event.preventDefault(); undo(); }
    else if ((key === "z" && event.shiftKey) || key === "y") { event.preventDefault(); redo(); }
  });

  window.addEventListener("beforeunload", (event) => {
    if (store.dirty || store.state === "saving") {
      store.writeBackup();
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pagehide", () => store.writeBackup());
  window.addEventListener("online", () => store.retry());

  // Publishing reads the saved draft: save first.
  const publishUrl = root.dataset.publish;
  if (publishUrl) {
    for (const link of document.querySelectorAll(`a[href="${CSS.escape(publishUrl)}"]`)) {
      link.addEventListener("click", async (event) => {
        event.preventDefault();
        if (await store.flush()) window.location.assign(link.href);
        else showError(tr("Chưa lưu được bản nháp: hãy thử lại trước khi xuất bản.", "The draft is not saved yet: try again before publishing."));
      });
    }
  }

  // --- start ---------------------------------------------------------------------------
  list.setDefinition(definition, selection);
  const first = model.flatten(definition)[0];
  if (first) select(first.path);
  else renderPanel();
  preview.update(definition);
  updateToolbar();
  const backup = pendingBackup(storage, draftId, definition);
  if (backup) offerRestore(backup);
  const copy = DraftStore.copyOf(storage, draftId);
  if (copy) offerCopy(copy);

  return { store, history, list, preview, get definition() { return definition; }, select, edit, undo, redo };
}
