// One draft, one tab: a second tab opening the same draft gets `null` and says so.
// Web Locks where available; otherwise a BroadcastChannel ping between tabs.

const held = new Map();

export async function lockDraft(uuid) {
  const name = `lang-nghe-draft:${uuid}`;
  if (globalThis.navigator?.locks?.request) {
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    const granted = await new Promise((resolve) => {
      navigator.locks.request(name, { ifAvailable: true }, (lock) => {
        resolve(Boolean(lock));
        return lock ? released : undefined;
      });
    });
    if (!granted) return null;
    const handle = { release: () => { held.delete(uuid); release(); } };
    held.set(uuid, handle);
    return handle;
  }
  return lockByChannel(uuid);
}

async function lockByChannel(uuid) {
  if (typeof BroadcastChannel !== 'function') return { release() {} };
  const channel = new BroadcastChannel('lang-nghe-drafts');
  const busy = await new Promise((resolve) => {
    const onMessage = (event) => {
      if (event.data?.type === 'held' && event.data.uuid === uuid) resolve(true);
    };
    channel.addEventListener('message', onMessage);
    channel.postMessage({ type: 'who-holds', uuid });
    setTimeout(() => resolve(false), 150);
  });
  if (busy) {
    channel.close();
    return null;
  }
  channel.onmessage = (event) => {
    if (event.data?.type === 'who-holds' && event.data.uuid === uuid) channel.postMessage({ type: 'held', uuid });
  };
  const handle = { release: () => { held.delete(uuid); channel.close(); } };
  held.set(uuid, handle);
  return handle;
}
