import { h, mount } from './dom.js';
import { t } from '../i18n.js';
import { languageSwitch } from './language-switch.js';

export function renderLogin(container, ctx) {
  const { session } = ctx;
  const error = h('p', { class: 'form-error', id: 'login-error', role: 'alert' });
  const username = h('input', {
    id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'none',
    spellcheck: 'false', required: true, value: session.user?.username ?? '',
  });
  const password = h('input', {
    id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
  });
  const submit = h('button', { type: 'submit', class: 'button primary block' }, t('login_button'));

  const form = h('form', { class: 'card stack', novalidate: true, 'aria-describedby': 'login-error' },
    h('div', { class: 'field' }, h('label', { for: 'username' }, t('username')), username),
    h('div', { class: 'field' }, h('label', { for: 'password' }, t('password')), password),
    error,
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!username.value.trim() || !password.value) {
      error.textContent = t('login_missing');
      return;
    }
    submit.disabled = true;
    submit.textContent = t('logging_in');
    try {
      await session.login(username.value, password.value);
      ctx.onLoggedIn();
    } catch (failure) {
      error.textContent = loginErrorText(failure);
      password.select();
    } finally {
      submit.disabled = false;
      submit.textContent = t('login_button');
    }
  });

  mount(container,
    h('div', { class: 'screen narrow' },
      h('div', { class: 'brand' }, h('img', { src: 'icons/icon-192.png', alt: '', width: 72, height: 72 }),
        h('h1', {}, 'Lắng Nghe')),
      session.needsLogin ? h('p', { class: 'notice' }, t('login_again_note')) : h('p', { class: 'lead' }, t('login_intro')),
      form,
      languageSwitch(ctx)));
  (username.value ? password : username).focus();
}

function loginErrorText(failure) {
  if (failure?.kind === 'network') return t('login_offline');
  if (failure?.status === 401 || failure?.status === 400 || failure?.status === 403) return t('login_wrong');
  if (failure?.status === 429) return t('login_throttled');
  return t('login_failed');
}
