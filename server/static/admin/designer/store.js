// Saving a draft: every edit is kept in localStorage at once (a closed tab or a lost
// connection loses nothing) and sent to the server after a pause (PUT with the revision it
// started from). When someone else saved in between, the server answers 409 and the store
// stops: the designer asks whether to load their version or keep this one as a copy;
// nothing is ever overwritten without that choice.
//
// States: "saved", "pending" (edits not sent yet), "saving", "retrying" (no connection or
// the server failing: tried again later), "conflict", "refused" (the server will not take
// this definition, e.g. too large), "signed_out".

const KEY_PREFIX = "lang-nghe:designer:";

export function backupKey(draftId) {
  return `${KEY_PREFIX}${draftId}`;
}

export function copyKey(draftId) {
  return `${KEY_PREFIX}${draftId}:copy`;
}

function readJson(storage, key) {
  try {
    const text = storage?.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * The unsaved edits kept for a draft, if they differ from what the server holds:
 * {definition, revision (the revision they started from), saved_at} or null.
 */
export function pendingBackup(storage, draftId, serverDefinition) {
  const backup = readJson(storage, backupKey(draftId));
  if (!backup || typeof backup.definition !== "object" || backup.definition === null) return null;
  if (JSON.stringify(backup.definition) === JSON.stringify(serverDefinition)) {
    storage.removeItem(backupKey(draftId));
    return null;
  }
  return backup;
}

export class DraftStore extends EventTarget {
  constructor({
    api, draftId, revision, definition, storage = globalThis.localStorage, debounceMs = 800, backupMs = 400,
    backupMaxMs = 3000, retryMs = [2000, 5000, 10000, 30000], timers = globalThis,
    now = () => new Date().toISOString(), clock = () => Date.now(),
  }) {
    super();
    Object.assign(this, { api, draftId, revision, storage, debounceMs, backupMs, backupMaxMs, retryMs, timers, now, clock });
    this.backupSince = 0;
    this.current = definition;
    this.saved = definition;
    this.state = "saved";
    this.problem = null;
    this.conflict = null;
    this.inFlight = null;
    this.failures = 0;
    this.saveTimer = null;
    this.backupTimer = null;
  }

  get dirty() {
    return this.current !== this.saved;
  }

  setState(state, problem = null) {
    this.state = state;
    this.problem = problem;
    this.dispatchEvent(new CustomEvent("status", { detail: { state, problem } }));
  }

  /** A new definition from the editor: kept locally soon, sent after a pause. */
  change(definition) {
    this.current = definition;
    if (this.state === "conflict") {
      this.scheduleBackup();
      return;
    }
    if (!this.dirty) {
      this.clearTimers();
      this.removeBackup();
      if (!this.inFlight) this.setState("saved");
      return;
    }
    this.scheduleBackup();
    if (this.state !== "retrying" || this.failures === 0) this.scheduleSave(this.debounceMs);
    if (this.state === "saved" || this.state === "refused") this.setState("pending");
  }

  clearTimers() {
    this.timers.clearTimeout(this.saveTimer);
    this.saveTimer = null;
  }

  scheduleSave(delay) {
    this.clearTimers();
    this.saveTimer = this.timers.setTimeout(() => {
      this.saveTimer = null;
      this.save();
    }, delay);
  }

  // After a pause in typing (writing a big form's JSON between two keystrokes would be felt),
  // but at least every few pauses' worth of time while typing goes on.
  scheduleBackup() {
    const now = this.clock();
    if (this.backupTimer !== null) {
      if (now - this.backupSince >= this.backupMaxMs) return;
      this.timers.clearTimeout(this.backupTimer);
    } else {
      this.backupSince = now;
    }
    this.backupTimer = this.timers.setTimeout(() => {
      this.backupTimer = null;
      this.writeBackup();
    }, this.backupMs);
  }

  writeBackup() {
    if (!this.dirty) return;
    try {
      this.storage?.setItem(backupKey(this.draftId), JSON.stringify({
        draft_id: this.draftId, revision: this.revision, saved_at: this.now(), definition: this.current,
      }));
    } catch {
      // Storage full or disabled: the server copy is the only one; the status says unsaved.
    }
  }

  removeBackup() {
    try {
      this.storage?.removeItem(backupKey(this.draftId));
    } catch {
      // nothing kept, nothing to remove
    }
  }

  /** Sends what is pending now (e.g. before publishing); resolves when saved or failed. */
  async flush() {
    if (this.backupTimer !== null) {
      this.timers.clearTimeout(this.backupTimer);
      this.backupTimer = null;
      this.writeBackup();
    }
    this.clearTimers();
    if (this.inFlight) await this.inFlight;
    if (this.dirty && this.state !== "conflict" && this.state !== "signed_out") await this.save();
    return this.state === "saved";
  }

  async save() {
    if (this.inFlight) {
      // One request at a time; what changed meanwhile goes right after.
      await this.inFlight;
      if (this.dirty && this.state !== "conflict") this.scheduleSave(0);
      return;
    }
    if (!this.dirty || this.state === "conflict") return;
    const definition = this.current;
    this.setState("saving");
    this.inFlight = this.send(definition);
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  async send(definition) {
    try {
      const reply = await this.api.save(this.revision, definition);
      this.revision = reply.revision;
      this.saved = definition;
      this.failures = 0;
      this.dispatchEvent(new CustomEvent("saved", { detail: { revision: reply.revision, updated_at: reply.updated_at } }));
      if (this.dirty) {
        this.setState("pending");
        this.scheduleSave(this.debounceMs);
      } else {
        this.removeBackup();
        this.setState("saved");
      }
    } catch (error) {
      this.failed(error);
    }
  }

  failed(error) {
    if (error.status === 409 && error.code === "draft_changed") {
      this.clearTimers();
      this.writeBackup();
      this.conflict = error.details;
      this.setState("conflict", error);
      this.dispatchEvent(new CustomEvent("conflict", { detail: error.details }));
    } else if (error.status === 401 || error.status === 403) {
      this.writeBackup();
      this.setState("signed_out", error);
    } else if (error.transient ?? error.status === 0) {
      const delay = this.retryMs[Math.min(this.failures, this.retryMs.length - 1)];
      this.failures += 1;
      this.setState("retrying", error);
      this.scheduleSave(delay);
    } else {
      this.setState("refused", error);
    }
  }

  /** Try again now (the connection is back). */
  retry() {
    if (this.state === "retrying" || this.state === "refused" || this.state === "signed_out") {
      this.failures = 0;
      this.scheduleSave(0);
    }
  }

  /** After a conflict: load the version on the server; returns it ({definition, revision, ...}). */
  async loadTheirs() {
    const draft = await this.api.load();
    this.adopt(draft);
    return draft;
  }

  /**
   * After a conflict: keep this version as a copy in localStorage (offered again later and
   * downloadable), then load theirs. Returns {copy, draft}.
   */
  async keepMineAsCopy() {
    const copy = { draft_id: this.draftId, revision: this.revision, saved_at: this.now(), definition: this.current };
    try {
      this.storage?.setItem(copyKey(this.draftId), JSON.stringify(copy));
    } catch {
      // the caller offers the download as well
    }
    const draft = await this.loadTheirs();
    return { copy, draft };
  }

  /** Makes a definition from the server the saved state (after loading theirs). */
  adopt(draft) {
    this.clearTimers();
    this.revision = draft.revision;
    this.current = draft.definition;
    this.saved = draft.definition;
    this.conflict = null;
    this.failures = 0;
    this.removeBackup();
    this.setState("saved");
  }

  /**
   * Replaces the server's version with this one, knowingly (after a conflict, or restoring
   * edits made before someone else saved): saves over `revision`.
   */
  async overwrite(definition, revision) {
    this.current = definition;
    this.revision = revision;
    this.conflict = null;
    this.state = "pending";
    await this.save();
  }

  static copyOf(storage, draftId) {
    return readJson(storage, copyKey(draftId));
  }

  static discardCopy(storage, draftId) {
    try {
      storage?.removeItem(copyKey(draftId));
    } catch {
      // nothing kept
    }
  }
}
