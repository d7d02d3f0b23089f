// The kiosk screen: pair (one-time code) → one question with five faces → optional service
// and comment → thanks → reset. Ratings go to the outbox first and are sent when online.
import { backoffDelay, count, enqueue, pending, remove } from './queue.js';

const API = '/api/v1/kiosks';
const THANKS_MS = 4000;
const IDLE_SEND_MS = 20_000;     // a resident who taps a face and walks away still counts
const BATCH = 100;
const $ = (id) => document.getElementById(id);

let desk = JSON.parse(localStorage.getItem('kiosk.desk') || 'null');
let token = localStorage.getItem('kiosk.token');
let chosen = null;
let idleTimer = null;
let attempt = 0;
let retryTimer = null;
let sending = false;

function show(screen) {
  for (const id of ['pair-screen', 'rate-screen', 'thanks-screen']) $(id).hidden = id !== screen;
}

async function updateStatus(note = '') {
  const waiting = await count();
  $('status').textContent = `${waiting ? `Chờ gửi: ${waiting}` : 'Đã gửi hết'}${note ? ` · ${note}` : ''}`;
  $('status').dataset.pending = String(waiting);
}

function showDesk() {
  $('desk-name').textContent = `${desk.name} · ${desk.unit_name}`;
  const select = $('service');
  select.replaceChildren(new Option('— Không chọn —', ''));
  for (const service of desk.services) select.add(new Option(service, service));
  $('service-label').hidden = desk.services.length === 0;
}

function resetRating() {
  chosen = null;
  clearTimeout(idleTimer);
  $('extras').hidden = true;
  $('service').value = '';
  $('comment').value = '';
  document.querySelectorAll('.face').forEach((b) => b.setAttribute('aria-pressed', 'false'));
  guardInterval();
  show('rate-screen');
}

// The desk's minimum interval, on the tablet too: the faces wait until it has passed.
function guardInterval() {
  const last = Number(localStorage.getItem('kiosk.lastRatedAt') || 0);
  const waitMs = last + desk.min_interval_seconds * 1000 - Date.now();
  const faces = document.querySelectorAll('.face');
  faces.forEach((b) => { b.disabled = waitMs > 0; });
  $('wait').hidden = waitMs <= 0;
  if (waitMs > 0) setTimeout(guardInterval, waitMs);
}

function choose(score) {
  chosen = score;
  document.querySelectorAll('.face').forEach((b) => b.setAttribute('aria-pressed', String(Number(b.dataset.score) === score)));
  $('extras').hidden = false;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(submit, IDLE_SEND_MS);
}

async function submit() {
  if (chosen === null) return;
  clearTimeout(idleTimer);
  const rating = {
    client_uuid: crypto.randomUUID(), score: chosen, rated_at: new Date().toISOString(),
    service: $('service').value || null, comment: $('comment').value.trim() || null,
  };
  chosen = null;
  await enqueue(rating);
  localStorage.setItem('kiosk.lastRatedAt', String(Date.now()));
  show('thanks-screen');
  await updateStatus();
  flush();
  setTimeout(resetRating, THANKS_MS);
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flush, backoffDelay(attempt));
  attempt += 1;
}

function unpaired() {
  localStorage.removeItem('kiosk.token');
  token = null;
  show('pair-screen');
}

async function flush() {
  if (sending || !token) return;
  sending = true;
  try {
    for (;;) {
      const batch = (await pending()).slice(0, BATCH);
      if (!batch.length) { attempt = 0; break; }
      const response = await fetch(`${API}/device/ratings`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ ratings: batch }),
      });
      if (response.status === 401) { unpaired(); break; }
      const body = response.ok ? await response.json().catch(() => null) : null;
      // Success is our JSON with a result for what was sent, nothing less (a captive
      // portal also answers 200).
      const sent = new Set(batch.map((r) => r.client_uuid));
      const acknowledged = (body && Array.isArray(body.results) ? body.results : [])
        .filter((r) => sent.has(r.client_uuid)).map((r) => r.client_uuid);
      if (!acknowledged.length) { scheduleRetry(); break; }
      await remove(acknowledged);
      attempt = 0;
    }
  } catch {
    scheduleRetry();
  } finally {
    sending = false;
    await updateStatus();
  }
}

async function pair(event) {
  event.preventDefault();
  $('pair-error').textContent = '';
  try {
    const response = await fetch(`${API}/pair`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: $('pair-code').value }),
    });
    const body = await response.json();
    if (!response.ok) { $('pair-error').textContent = body.error.message; return; }
    token = body.token;
    desk = body.desk;
    localStorage.setItem('kiosk.token', token);
    localStorage.setItem('kiosk.desk', JSON.stringify(desk));
    $('pair-code').value = '';
    showDesk();
    resetRating();
    flush();
  } catch {
    $('pair-error').textContent = 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.';
  }
}

async function refreshDesk() {
  if (!token || !navigator.onLine) return;
  try {
    const response = await fetch(`${API}/device`, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401) { unpaired(); return; }
    if (response.ok) {
      desk = await response.json();
      localStorage.setItem('kiosk.desk', JSON.stringify(desk));
      if (!$('rate-screen').hidden && chosen === null) { showDesk(); guardInterval(); }
    }
  } catch { /* offline: keep the desk as it was */ }
}

function start() {
  $('pair-form').addEventListener('submit', pair);
  document.querySelectorAll('.face').forEach((b) => b.addEventListener('click', () => choose(Number(b.dataset.score))));
  $('send').addEventListener('click', submit);
  window.addEventListener('online', () => { attempt = 0; flush(); refreshDesk(); });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) flush(); });
  setInterval(flush, 30_000);
  if (token && desk) { showDesk(); resetRating(); refreshDesk(); flush(); } else show('pair-screen');
  updateStatus();
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register($('kiosk').dataset.sw, { scope: '/kiosk/' }).catch(() => {});
  }
}

start();
