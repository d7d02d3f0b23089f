// "Keep responses safe": the install button where the browser offers one, a short guide
// with drawings otherwise (Android Chrome, iOS Safari). Shown until the app is installed or
// the browser has granted persistent storage.
import { h } from './dom.js';
import { t } from '../i18n.js';
import { canPrompt, guidePlatform, installEvents, isInstalled, promptInstall } from '../install.js';
import { requestPersistence } from './settings.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

/** A phone outline with the button to press marked: the ⋮ menu at the top (Android) or the
 *  share square in the bottom bar (iOS). Presentation attributes only: no inline style. */
function phoneDrawing(platform) {
  const mark = platform === 'ios'
    ? svg('g', { class: 'install-mark' },
      svg('rect', { x: 25, y: 62, width: 10, height: 10, rx: 1.5, fill: 'none', 'stroke-width': 1.6 }),
      svg('path', { d: 'M30 66 V56 M26.5 59.5 L30 56 L33.5 59.5', fill: 'none', 'stroke-width': 1.6 }))
    : svg('g', { class: 'install-mark' },
      svg('circle', { cx: 47, cy: 12, r: 1.6 }), svg('circle', { cx: 47, cy: 17, r: 1.6 }),
      svg('circle', { cx: 47, cy: 22, r: 1.6 }));
  const ring = platform === 'ios'
    ? svg('circle', { class: 'install-ring', cx: 30, cy: 64, r: 11, fill: 'none', 'stroke-width': 2 })
    : svg('circle', { class: 'install-ring', cx: 47, cy: 17, r: 8, fill: 'none', 'stroke-width': 2 });
  return svg('svg', { viewBox: '0 0 60 84', width: 60, height: 84, 'aria-hidden': 'true', class: 'install-drawing' },
    svg('rect', { class: 'install-phone', x: 4, y: 2, width: 52, height: 80, rx: 8, fill: 'none', 'stroke-width': 2 }),
    svg('rect', { class: 'install-screen', x: 9, y: platform === 'ios' ? 8 : 26, width: 42, height: platform === 'ios' ? 44 : 48, rx: 2 }),
    mark, ring);
}

function guide(platform) {
  const steps = [1, 2, 3].map((n) => h('li', {}, t(`install_${platform}_${n}`)));
  return h('div', { class: 'install-guide', dataset: { platform } },
    phoneDrawing(platform),
    h('div', {}, h('h3', {}, t(`install_${platform}`)), h('ol', {}, steps)));
}

async function persisted() {
  try {
    return (await globalThis.navigator?.storage?.persisted?.()) === true;
  } catch {
    return false;
  }
}

/** The card, or null when there is nothing to do. `onDone` re-renders the home screen. */
export async function installCard(onDone) {
  if (isInstalled() || await persisted()) return null;
  const platform = guidePlatform();
  const platforms = platform ? [platform] : ['android', 'ios'];
  const button = h('button', {
    type: 'button', class: 'button primary block', id: 'install-app',
    onclick: async () => {
      if (await promptInstall()) await requestPersistence().catch(() => null);
      onDone();
    },
  }, t('install_button'));
  const details = h('details', { class: 'install-details' },
    h('summary', {}, t('install_guide')), platforms.map(guide));
  const card = h('section', { class: 'card install-card', id: 'install-card', 'aria-labelledby': 'install-title' },
    h('h2', { id: 'install-title' }, t('install_title')),
    h('p', { class: 'meta' }, t('install_text')),
    button, details);
  const update = () => {
    button.hidden = !canPrompt();
    if (isInstalled()) card.remove();
  };
  const onChange = () => {
    // Mounted before any change can come; once the screen is gone, so is the listener.
    if (!card.isConnected) installEvents.removeEventListener('change', onChange);
    else update();
  };
  update();
  installEvents.addEventListener('change', onChange);
  return card;
}
