import { h } from './dom.js';
import { LANGUAGES, language, setLanguage, t } from '../i18n.js';

const NAMES = { vi: 'Tiếng Việt', en: 'English' };

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
