// Who is logged in, their rounds and form versions. No DOM: the UI listens to 'change'.
import * as storage from './storage.js';
import { UNSYNCED } from './outbox.js';

export class LogoutRefused extends Error {
  constructor(count) {
    super(`${count} responses are not synced`);
    this.name = 'LogoutRefused';
    this.count = count;
  }
}

export function deviceName() {
  const ua = globalThis.navigator?.userAgent ?? '';
  const model = ua.match(/Android[^;)]*;\s*([^;)]+)/)?.[1] ?? (ua.includes('iPhone') ? 'iPhone' : 'Browser');
  return `Lắng Nghe PWA · ${model}`.slice(0, 80);
}

/** Open and upcoming rounds, from the server's list and today's clock (works offline). */
export function roundPhase(round, now = new Date()) {
  if (round.status === 'closed' || (round.closes_at && new Date(round.closes_at) <= now)) return 'closed';
  if (round.opens_at && new Date(round.opens_at) > now) return 'upcoming';
  if (round.status === 'draft') return 'upcoming';
  return 'open';
}

export class Session extends EventTarget {
  constructor(api) {
    super();
    this.api = api;
    this.token = null;
    this.user = null;
    this.rounds = [];
    this.needsLogin = false;
  }

  get loggedIn() {
    return Boolean(this.token && this.user);
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }

  async load() {
    [this.token, this.user] = await Promise.all([storage.getMeta('token'), storage.getMeta('user')]);
    this.rounds = (await storage.getMeta('assignments'))?.rounds ?? [];
    this.needsLogin = Boolean(await storage.getMeta('needs_login'));
    this.#changed();
  }

  async login(username, password) {
    await this.adoptLogin(await this.api.login(username.normalize('NFC').trim(), password, deviceName()));
  }

  /** Keeps a login the server gave ({token, expires_at, user}): a password or a sign-in card. */
  async adoptLogin(body) {
    const another = this.user && this.user.id !== body.user.id;
    // Separate keys, written at once: the volunteer is waiting for the home screen.
    await Promise.all([
      // Another volunteer on this phone: their rounds are not ours.
      ...(another ? [storage.deleteMeta('assignments'), storage.deleteMeta('assignments_etag')] : []),
      storage.setMeta('token', body.token),
      storage.setMeta('token_expires_at', body.expires_at ?? null),
      storage.setMeta('user', body.user),
      storage.deleteMeta('needs_login'),
    ]);
    if (another) this.rounds = [];
    this.token = body.token;
    this.user = body.user;
    this.needsLogin = false;
    this.#changed();
    try {
      await this.refresh(givenAssignments(body));
    } catch {
      // Logged in but the round list failed to load: the next refresh will fetch it.
    }
  }

  /** The login expired or was revoked: keep everything, ask for the password again. */
  async markLoginNeeded() {
    if (this.needsLogin) return;
    this.needsLogin = true;
    await storage.setMeta('needs_login', true);
    this.#changed();
  }

  /** Fetches rounds (ETag; or takes those the login answered with) and any form version not
   *  yet on the phone. The forms are fetched together, while the rounds are being stored: on
   *  a slow line each request is a round trip the volunteer waits for. */
  async refresh(given = null) {
    if (!this.loggedIn) return;
    let fresh = given;
    if (!fresh) {
      const etag = this.rounds.length ? await storage.getMeta('assignments_etag') : null;
      fresh = await this.api.assignments(etag);
    }
    let stored = null;
    if (fresh) {
      stored = Promise.all([
        storage.setMeta('assignments', fresh.body), storage.setMeta('assignments_etag', fresh.etag ?? null),
      ]);
      this.rounds = fresh.body.rounds;
    }
    const wanted = [...new Set(this.rounds.map((round) => round.form_version_id))];
    await Promise.all([stored, ...wanted.map((id) => this.#fetchForm(id))]);
    await storage.setMeta('assignments_checked_at', new Date().toISOString());
    this.#changed();
  }

  async #fetchForm(id) {
    if (await storage.getForm(id)) return;
    const body = await this.api.formVersion(id);
    await storage.putForm({ id, definition: body.definition ?? body, fetched_at: new Date().toISOString() });
  }

  async definition(formVersionId) {
    return (await storage.getForm(formVersionId))?.definition ?? null;
  }

  round(id) {
    return this.rounds.find((round) => round.id === id) ?? null;
  }

  unit(roundId, unitId) {
    return this.round(roundId)?.units?.find((unit) => unit.id === unitId) ?? null;
  }

  /** Refuses while unsynced answers exist that were not exported to a file. */
  async logout() {
    const unsynced = await storage.responsesInStates(UNSYNCED);
    const exported = new Set((await storage.getMeta('last_export'))?.uuids ?? []);
    const unsafe = unsynced.filter((record) => !exported.has(record.uuid));
    if (unsafe.length) throw new LogoutRefused(unsafe.length);
    try {
      await this.api.logout();
    } catch {
      // Offline: the token expires on its own; the phone forgets it now.
    }
    await storage.forgetSession();
    await storage.deleteMeta('needs_login');
    this.token = null;
    this.user = null;
    this.rounds = [];
    this.needsLogin = false;
    this.#changed();
  }
}

/** The assignments a login answer carries (a volunteer's), shaped as api.assignments() gives
 *  them; null when absent or malformed, and the phone asks for them instead. */
function givenAssignments(body) {
  const given = body?.assignments;
  if (!Array.isArray(given?.rounds)) return null;
  return { body: { rounds: given.rounds }, etag: given.etag ?? null };
}
