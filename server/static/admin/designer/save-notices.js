// What the designer says about saving: the status next to the tools, and the notices when
// someone else saved in between (a conflict), when edits from an earlier visit were not
// saved (restore), when this admin's version was kept as a copy, when the session ended.
import { h, tr, trm } from "./ui.js";

export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "vi-VN",
    { hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit" });
}

/** Saves a definition as a JSON file (the admin's own copy of their version). */
export function download(filename, data) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const STATUS = {
  saved: (store) => tr(`Đã lưu (lần sửa ${store.revision})`, `Saved (revision ${store.revision})`),
  pending: () => tr("Có thay đổi chưa lưu…", "Unsaved changes…"),
  saving: () => tr("Đang lưu…", "Saving…"),
  retrying: () => tr("Chưa lưu được (mất kết nối?) — thay đổi được giữ trên máy này, sẽ thử lại",
    "Not saved (connection lost?) — changes are kept on this computer; trying again"),
  conflict: () => tr("Chưa lưu: có người khác vừa lưu bản nháp", "Not saved: someone else saved the draft"),
  refused: (store) => tr("Không lưu được: ", "Could not save: ") + trm(store.problem?.messages),
  signed_out: () => tr("Phiên đăng nhập đã hết — thay đổi được giữ trên máy này", "Your session has ended — changes are kept on this computer"),
};

export function statusText(state, store) {
  return STATUS[state](store);
}

export function signedOutNotice(store) {
  return h("p", { class: "flash error signed-out", role: "alert" }, statusText("signed_out", store), " ",
    h("a", { href: `/login?next=${encodeURIComponent(location.pathname)}` }, tr("Đăng nhập lại", "Log in again")));
}

/** Someone else saved since: never overwritten silently; the admin chooses. */
export function conflictBanner(details, { onLoadTheirs, onKeepMine }) {
  const who = details.updated_by || tr("một người khác", "someone else");
  const when = formatTime(details.updated_at);
  return h("div", { class: "notice conflict", role: "alert" },
    h("p", {}, h("strong", {}, tr(`${who} đã lưu bản nháp này lúc ${when} (lần sửa ${details.current_revision}) trong khi bạn đang sửa.`,
      `${who} saved this draft at ${when} (revision ${details.current_revision}) while you were editing.`))),
    h("p", {}, tr("Thay đổi của bạn chưa được lưu lên máy chủ và không ghi đè bản của họ. Chọn một cách:",
      "Your changes are not saved to the server and did not overwrite theirs. Choose:")),
    h("div", { class: "toolbar" },
      h("button", { type: "button", class: "load-theirs", onclick: onLoadTheirs }, tr("Tải bản của họ (bỏ thay đổi của tôi)", "Load theirs (drop my changes)")),
      h("button", { type: "button", class: "primary keep-mine", onclick: onKeepMine }, tr("Giữ bản của tôi thành bản sao, rồi tải bản của họ", "Keep mine as a copy, then load theirs"))));
}

/** This admin's version, kept after a conflict: download it again, use it, or let it go. */
export function copyNotice(copy, { onDownload, onUse, onDiscard }) {
  return h("div", { class: "notice kept-copy", role: "status" },
    h("p", {}, tr(`Bản của bạn (lúc ${formatTime(copy.saved_at)}) được giữ làm bản sao trên máy này và đã tải xuống thành tệp JSON.`,
      `Your version (at ${formatTime(copy.saved_at)}) is kept as a copy on this computer and was downloaded as a JSON file.`)),
    h("div", { class: "toolbar" },
      h("button", { type: "button", class: "small", onclick: onDownload }, tr("Tải tệp lần nữa", "Download again")),
      h("button", { type: "button", class: "small use-copy", onclick: onUse }, tr("Dùng bản sao này thay bản hiện tại", "Use this copy instead")),
      h("button", { type: "button", class: "small link", onclick: onDiscard }, tr("Bỏ bản sao", "Discard the copy"))));
}

/** Edits from an earlier visit that never reached the server (a closed tab, no connection). */
export function restoreNotice(backup, { revision, updatedBy, onRestore, onDiscard }) {
  const newer = backup.revision !== revision;
  const by = updatedBy ? tr(`, bởi ${updatedBy}`, `, by ${updatedBy}`) : "";
  return h("div", { class: "notice restore", role: "alert" },
    h("p", {}, h("strong", {}, tr(`Có thay đổi chưa lưu trên máy này từ lúc ${formatTime(backup.saved_at)}.`,
      `There are unsaved changes on this computer from ${formatTime(backup.saved_at)}.`))),
    newer ? h("p", {}, tr(`Bản nháp đã được lưu lại sau đó (lần sửa ${revision}${by}): khôi phục sẽ thay bản đó bằng bản trên máy này.`,
      `The draft was saved again since (revision ${revision}${by}): restoring replaces that version with this one.`)) : null,
    h("div", { class: "toolbar" },
      h("button", { type: "button", class: "primary restore-backup", onclick: onRestore }, tr("Khôi phục", "Restore")),
      h("button", { type: "button", class: "discard-backup", onclick: onDiscard }, tr("Bỏ đi", "Discard"))));
}
