// Saving a draft (server/static/admin/designer/store.js): local copy at once, PUT after a
// pause with the revision, a 409 stops everything and asks, lost connections retry.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError } from "../../server/static/admin/designer/api.js";
import { DraftStore, backupKey, copyKey, pendingBackup } from "../../server/static/admin/designer/store.js";

function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map();
  return {
    setTimeout(fn, ms) { const id = next++; pending.set(id, { at: now + ms, fn }); return id; },
    clearTimeout(id) { pending.delete(id); },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = until;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => { items.set(key, String(value)); },
    removeItem: (key) => { items.delete(key); },
    items,
  };
}

function fakeServer(revision = 1) {
  const server = { revision, definition: { questions: [] }, saves: [], failWith: null, who: "Trần Văn Hai" };
  server.api = {
    async save(rev, definition) {
      server.saves.push({ rev, definition });
      if (server.failWith) throw server.failWith;
      if (rev !== server.revision) {
        throw new ApiError(409, "draft_changed", { vi: "Đã đổi", en: "Changed" },
          { current_revision: server.revision, updated_by: server.who, updated_at: "2026-01-01T00:00:00Z" });
      }
      server.revision += 1;
      server.definition = definition;
      return { revision: server.revision, updated_at: "2026-01-01T00:00:00Z" };
    },
    async load() {
      return { id: 7, revision: server.revision, definition: server.definition };
    },
  };
  return server;
}

function setup({ revision = 1 } = {}) {
  const timers = fakeTimers();
  const storage = memoryStorage();
  const server = fakeServer(revision);
  const initial = { questions: [] };
  const store = new DraftStore({ api: server.api, draftId: 7, revision, definition: initial, storage, timers, debounceMs: 800, backupMs: 250, retryMs: [2000, 5000] });
  const states = [];
  store.addEventListener("status", (event) => states.push(event.detail.state));
  return { timers, storage, server, store, states, initial };
}

test("edits are kept locally at once and sent once after a pause, with the revision", async () => {
  const { timers, storage, server, store, states } = setup();
  const a = { questions: [{ name: "a" }] };
  const b = { questions: [{ name: "b" }] };
  store.change(a);
  await timers.advance(300);
  assert.deepEqual(JSON.parse(storage.getItem(backupKey(7))).definition, a);
  store.change(b);
  await timers.advance(700);
  assert.equal(server.saves.length, 0);
  await timers.advance(200);
  assert.equal(server.saves.length, 1);
  assert.deepEqual(server.saves[0], { rev: 1, definition: b });
  assert.equal(store.revision, 2);
  assert.equal(store.state, "saved");
  assert.equal(storage.getItem(backupKey(7)), null);
  assert.deepEqual(states, ["pending", "saving", "saved"]);
});

test("undoing back to what is saved is not a change", async () => {
  const { timers, server, store, initial } = setup();
  store.change({ questions: [1] });
  store.change(initial);
  await timers.advance(2000);
  assert.equal(server.saves.length, 0);
  assert.equal(store.state, "saved");
});

test("a colleague's save in between: 409, nothing overwritten, the edits kept, the choice asked", async () => {
  const { timers, storage, server, store } = setup();
  server.revision = 5; // someone saved revisions 2..5 meanwhile
  const conflicts = [];
  store.addEventListener("conflict", (event) => conflicts.push(event.detail));
  const mine = { questions: [{ name: "mine" }] };
  store.change(mine);
  await timers.advance(1000);
  assert.equal(store.state, "conflict");
  assert.deepEqual(conflicts, [{ current_revision: 5, updated_by: "Trần Văn Hai", updated_at: "2026-01-01T00:00:00Z" }]);
  assert.deepEqual(JSON.parse(storage.getItem(backupKey(7))).definition, mine);
  // More edits do not send anything until the admin chooses.
  store.change({ questions: [{ name: "mine, more" }] });
  await timers.advance(60000);
  assert.equal(server.saves.length, 1);
  assert.equal(await store.flush(), false);
  assert.equal(server.saves.length, 1);
  // Keep mine as a copy, load theirs.
  const { copy, draft } = await store.keepMineAsCopy();
  assert.deepEqual(copy.definition, { questions: [{ name: "mine, more" }] });
  assert.deepEqual(DraftStore.copyOf(storage, 7).definition, copy.definition);
  assert.equal(storage.getItem(copyKey(7)) !== null, true);
  assert.equal(draft.revision, 5);
  assert.equal(store.revision, 5);
  assert.equal(store.state, "saved");
  assert.equal(store.dirty, false);
  // Then an edit saves over revision 5, not over anyone else's.
  store.change({ questions: [{ name: "next" }] });
  await timers.advance(1000);
  assert.equal(server.saves.at(-1).rev, 5);
  assert.equal(server.revision, 6);
});

test("no connection: retried later with a growing pause, nothing lost", async () => {
  const { timers, storage, server, store } = setup();
  server.failWith = new ApiError(0, "network", { vi: "Mất kết nối", en: "No connection" });
  const edit = { questions: [{ name: "offline" }] };
  store.change(edit);
  await timers.advance(1000);
  assert.equal(store.state, "retrying");
  assert.deepEqual(JSON.parse(storage.getItem(backupKey(7))).definition, edit);
  await timers.advance(2000);
  assert.equal(server.saves.length, 2);
  await timers.advance(4000);
  assert.equal(server.saves.length, 2); // the next wait is 5 s
  server.failWith = null;
  await timers.advance(1000);
  assert.equal(server.saves.length, 3);
  assert.equal(store.state, "saved");
  assert.equal(storage.getItem(backupKey(7)), null);
});

test("a refused definition waits for the next edit; an ended session keeps the edits", async () => {
  const { timers, server, store, storage } = setup();
  server.failWith = new ApiError(413, "draft_too_large", { vi: "Quá lớn", en: "Too large" });
  store.change({ questions: [1] });
  await timers.advance(1000);
  assert.equal(store.state, "refused");
  await timers.advance(60000);
  assert.equal(server.saves.length, 1);
  server.failWith = new ApiError(401, "signed_out", { vi: "Hết phiên", en: "Signed out" });
  store.change({ questions: [2] });
  await timers.advance(1000);
  assert.equal(store.state, "signed_out");
  assert.deepEqual(JSON.parse(storage.getItem(backupKey(7))).definition, { questions: [2] });
});

test("edits made while a save is in flight go right after it", async () => {
  const { timers, server, store } = setup();
  let release;
  const slow = server.api.save;
  server.api.save = (...args) => new Promise((resolve) => { release = () => resolve(slow(...args)); });
  store.change({ questions: [1] });
  await timers.advance(900);
  assert.equal(store.state, "saving");
  store.change({ questions: [2] });
  server.api.save = slow;
  release();
  await timers.advance(0);
  await timers.advance(900);
  assert.deepEqual(server.definition, { questions: [2] });
  assert.equal(store.revision, 3);
  assert.equal(store.state, "saved");
});

test("on open, a local copy that differs from the server is offered; an equal one is dropped", () => {
  const storage = memoryStorage();
  const server = { questions: [{ name: "a" }] };
  storage.setItem(backupKey(7), JSON.stringify({ revision: 3, saved_at: "x", definition: { questions: [{ name: "b" }] } }));
  assert.deepEqual(pendingBackup(storage, 7, server).definition, { questions: [{ name: "b" }] });
  storage.setItem(backupKey(7), JSON.stringify({ revision: 3, saved_at: "x", definition: server }));
  assert.equal(pendingBackup(storage, 7, server), null);
  assert.equal(storage.getItem(backupKey(7)), null);
  storage.setItem(backupKey(7), "not json");
  assert.equal(pendingBackup(storage, 7, server), null);
});
