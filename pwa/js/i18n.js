// The app's language: Vietnamese first, English second. `?lang=en` opens in English.
import { STRINGS } from './strings.js';

export const LANGUAGES = ['vi', 'en'];
export const i18nEvents = new EventTarget();
let current = 'vi';

function stored() {
  try {
    return globalThis.localStorage?.getItem('lang') ?? null;
  } catch {
    return null;
  }
}

export function initLanguage(search = globalThis.location?.search ?? '') {
  const fromUrl = new URLSearchParams(search).get('lang');
  const chosen = [fromUrl, stored()].find((lang) => LANGUAGES.includes(lang)) ?? 'vi';
  setLanguage(chosen, { silent: true });
  return chosen;
}

export function language() {
  return current;
}

/** `persist: false` (the form designer's preview) changes the strings only: the stored
 * choice and the page's lang stay as they are. */
export function setLanguage(lang, { silent = false, persist = true } = {}) {
  if (!LANGUAGES.includes(lang)) return;
  current = lang;
  if (persist) {
    try {
      globalThis.localStorage?.setItem('lang', lang);
    } catch {
      // Private mode: the choice lasts for this visit only.
    }
    if (globalThis.document) document.documentElement.lang = lang;
  }
  if (!silent) i18nEvents.dispatchEvent(new Event('change'));
}

/** A UI string; `{name}` placeholders are filled from params. */
export function t(key, params = {}) {
  const table = STRINGS[current] ?? STRINGS.vi;
  let text = table[key] ?? STRINGS.vi[key] ?? key;
  if (current === 'en' && params.n === 1 && table[`${key}_one`]) text = table[`${key}_one`];
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? `{${name}}`));
}

/** The label of a form element in the current language ({vi, en} or a plain string). */
export function pick(label) {
  if (label == null) return '';
  if (typeof label === 'string') return label.normalize('NFC');
  return String(label[current] ?? label.vi ?? Object.values(label)[0] ?? '').normalize('NFC');
}

export function formatDateTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const locale = current === 'vi' ? 'vi-VN' : 'en-GB';
  const sameDay = new Date().toDateString() === date.toDateString();
  const time = date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return sameDay ? time : `${time} ${date.toLocaleDateString(locale, { day: '2-digit', month: '2-digit' })}`;
}

export function formatDate(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleDateString(current === 'vi' ? 'vi-VN' : 'en-GB', { day: '2-digit', month: '2-digit', year: 'numeric' });
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '?';
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  // Seen in settings: a phone's quota read "10240.2 MB".
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
