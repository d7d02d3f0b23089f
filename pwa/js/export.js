// The outbox as a file: saved on one phone, imported on another or sent to an admin.
// Import is idempotent: a UUID already on the phone is left as it is.
import { QUEUED, REJECTED, SENDING, DRAFT } from './outbox.js';

export const EXPORT_FORMAT = 'lang-nghe-outbox';
export const EXPORT_VERSION = 1;

const EXPORTABLE = new Set([QUEUED, SENDING, REJECTED, DRAFT]);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function buildExport(records, { exportedAt, device = '', username = '' }) {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exported_at: exportedAt,
    device,
    username,
    responses: records.filter((r) => EXPORTABLE.has(r.state)).map((r) => ({
      uuid: r.uuid,
      state: r.state === SENDING ? QUEUED : r.state,
      round_id: r.round_id,
      form_version_id: r.form_version_id,
      unit_id: r.unit_id,
      user_id: r.user_id ?? null,
      started_at: r.started_at,
      completed_at: r.completed_at,
      answers: r.answers ?? {},
      errors: r.errors ?? [],
    })),
  };
}

export function exportFileName(exportedAt) {
  return `lang-nghe-phieu-${exportedAt.replace(/[:.]/g, '-').slice(0, 19)}.json`;
}

export class ImportError extends Error {
  constructor(code) {
    super(code);
    this.name = 'ImportError';
    this.code = code;
  }
}

/** Parses a file's text into records ready to store; throws ImportError('not_an_export'). */
export function parseExport(text, { now }) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError('not_an_export');
  }
  if (data?.format !== EXPORT_FORMAT || !Array.isArray(data.responses)) throw new ImportError('not_an_export');
  if (data.version > EXPORT_VERSION) throw new ImportError('newer_version');
  const seen = new Set();
  const records = [];
  for (const item of data.responses) {
    if (!item || !UUID_RE.test(item.uuid ?? '') || seen.has(item.uuid)) continue;
    if (typeof item.answers !== 'object' || item.answers === null) continue;
    seen.add(item.uuid);
    const finished = Boolean(item.completed_at);
    records.push({
      uuid: item.uuid,
      // Imported responses go to the queue again; the server's answer decides.
      state: finished ? QUEUED : DRAFT,
      round_id: item.round_id,
      form_version_id: item.form_version_id,
      unit_id: item.unit_id,
      user_id: null,
      started_at: item.started_at ?? null,
      completed_at: item.completed_at ?? null,
      updated_at: now,
      answers: item.answers,
      page: 0,
      errors: [],
      attempts: 0,
      imported: true,
    });
  }
  return records;
}
