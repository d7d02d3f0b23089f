// Building DOM without innerHTML (answers are user text) and without inline styles (CSP).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of the main region and moves focus to its heading. */
export function mount(container, ...children) {
  container.replaceChildren();
  append(container, children);
  const heading = container.querySelector('h1, h2');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}

let liveRegion = null;

/** Says something to screen readers and shows a short toast. */
export function toast(message) {
  liveRegion ??= document.getElementById('toast');
  if (!liveRegion) return;
  liveRegion.textContent = message;
  liveRegion.classList.add('visible');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => liveRegion.classList.remove('visible'), 4000);
}

/** A modal confirmation; resolves true when the volunteer confirms. */
export function confirmDialog({ title, message, confirmLabel, cancelLabel, danger = false }) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' },
      h('h2', { id: 'dialog-title', text: title }),
      message ? h('p', { text: message }) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'button secondary', value: 'cancel', onclick: () => dialog.close('cancel') }, cancelLabel),
        h('button', { type: 'button', class: `button ${danger ? 'danger' : 'primary'}`, value: 'ok', onclick: () => dialog.close('ok') }, confirmLabel)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
