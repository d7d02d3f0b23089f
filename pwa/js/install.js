// Installing the app on the home screen: the browser's own prompt where it offers one
// (Chrome's `beforeinstallprompt`, caught as early as the page loads), else the platform to
// show a short guide for. No DOM of its own: the UI listens to 'change'.
export const installEvents = new EventTarget();
let deferredPrompt = null;
let installedNow = false;

if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (event) => {
    // Kept for our own button; the browser's mini-infobar would show at a bad moment.
    event.preventDefault();
    deferredPrompt = event;
    installEvents.dispatchEvent(new Event('change'));
  });
  window.addEventListener('appinstalled', () => {
    installedNow = true;
    deferredPrompt = null;
    installEvents.dispatchEvent(new Event('change'));
  });
}

/** Opened from the home screen icon (or just installed from this page). */
export function isInstalled(win = globalThis.window, nav = globalThis.navigator) {
  if (installedNow) return true;
  if (nav?.standalone === true) return true; // iOS Safari
  return Boolean(win?.matchMedia?.('(display-mode: standalone)').matches
    || win?.matchMedia?.('(display-mode: fullscreen)').matches);
}

/** Which guide fits this browser: 'ios' (Safari has no prompt), 'android', or null for both. */
export function guidePlatform(userAgent = globalThis.navigator?.userAgent ?? '') {
  if (/iPhone|iPad|iPod/.test(userAgent)) return 'ios';
  if (/Android/.test(userAgent)) return 'android';
  return null;
}

export function canPrompt() {
  return deferredPrompt !== null;
}

/** Shows the browser's install prompt; true when the volunteer accepted. */
export async function promptInstall() {
  const event = deferredPrompt;
  if (!event) return false;
  deferredPrompt = null;
  await event.prompt();
  const choice = await event.userChoice;
  installEvents.dispatchEvent(new Event('change'));
  return choice?.outcome === 'accepted';
}
