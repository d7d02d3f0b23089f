// The app's language (for the volunteer) and the form's language for one interview (the
// resident's), chosen apart.
import { h } from './dom.js';
import { LANGUAGES, language, setLanguage, t } from '../i18n.js';

const NAMES = { vi: 'Tiếng Việt', en: 'English', km: 'ភាសាខ្មែរ' };

export function languageSwitch() {
  return h('div', { class: 'lang-switch', role: 'group', 'aria-label': t('language') },
    LANGUAGES.map((lang) => h('button', {
      type: 'button',
      class: 'button chip',
      lang,
      'aria-pressed': String(lang === language()),
      onclick: () => setLanguage(lang),
    }, NAMES[lang])));
}

export function formLanguage(definition, chosen) {
  const languages = definition.languages ?? ['vi'];
  if (languages.includes(chosen)) return chosen;
  return languages.includes(language()) ? language() : definition.default_language ?? 'vi';
}

/** The definition with each text in `lang` where it has one; other texts stay as they are.
 * Texts are the objects with a Vietnamese string (`vi` is required in every text). */
export function inFormLanguage(definition, lang) {
  if (lang === language()) return definition;
  return JSON.parse(JSON.stringify(definition), (key, value) => (
    typeof value?.vi === 'string' && typeof value[lang] === 'string' ? value[lang] : value));
}

/** A select of the form's languages, or null when the form has one. */
export function formLanguageSelect(definition, current, onPick) {
  const languages = definition.languages ?? ['vi'];
  if (languages.length < 2) return null;
  const select = h('select', { class: 'form-lang', 'aria-label': t('form_language') },
    languages.map((lang) => h('option', { value: lang, lang, selected: lang === current }, NAMES[lang] ?? lang)));
  select.addEventListener('change', () => onPick(select.value));
  return select;
}
