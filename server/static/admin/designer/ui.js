// Small shared pieces of the designer's interface: building DOM (the volunteer app's own
// helper, no innerHTML), the console's language, and the live region for announcements.
export { h } from "../../../app/js/ui/dom.js";

/** The console's language (the page's lang, set by the server from ?lang= / the cookie). */
export function consoleLanguage() {
  return document.documentElement.lang === "en" ? "en" : "vi";
}

/** Vietnamese or English, as the console shows. */
export function tr(vi, en) {
  return consoleLanguage() === "en" ? en : vi;
}

/** A {vi, en} message in the console's language. */
export function trm(message) {
  if (!message) return "";
  return consoleLanguage() === "en" ? (message.en || message.vi) : (message.vi || message.en);
}

let liveRegion = null;

export function setLiveRegion(element) {
  liveRegion = element;
}

/** Says something to screen reader users (e.g. where a moved question went). */
export function announce(message) {
  if (!liveRegion) return;
  // A change of text is what gets read: clear first so the same message is read again.
  liveRegion.textContent = "";
  requestAnimationFrame(() => { liveRegion.textContent = message; });
}

export const LANGUAGE_NAMES = {
  vi: { vi: "Tiếng Việt", en: "Vietnamese" },
  en: { vi: "Tiếng Anh", en: "English" },
  km: { vi: "Tiếng Khmer", en: "Khmer" },
};

export function languageName(code) {
  return LANGUAGE_NAMES[code] ? trm(LANGUAGE_NAMES[code]) : code;
}

/** The text of a {vi, en, ...} label for lists and selects: Vietnamese, else any. */
export function labelText(label) {
  if (!label || typeof label !== "object") return "";
  return String(label[consoleLanguage()] || label.vi || Object.values(label)[0] || "");
}

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}
