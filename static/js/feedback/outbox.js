/* What a person typed and the server has not taken yet, kept in this browser (localStorage) so
 * that nothing is lost to a reload, a lost connection or a room that closed meanwhile:
 *
 * - collab.outbox.<place>: items sent or to send, until the server acknowledges them;
 * - collab.failed.<place>: items the server refused for good, kept with the error and text;
 * - collab.draft.<place>: what is typed in an open form, by form;
 *
 * where <place> is a room's id, or plenary-<workshop_id> for the plan presented in a plenary.
 *
 * Entries carry their author's user id: several people may share a browser.
 */
const OUTBOX = 'collab.outbox.';
const FAILED = 'collab.failed.';
const DRAFT = 'collab.draft.';

const memory = {}; // when localStorage is unavailable

function read(key, fallback) {
  try {
    const raw = window.localStorage.getItem(key);
    return raw ? JSON.parse(raw) : fallback;
  } catch (e) {
    return memory[key] || fallback;
  }
}

function write(key, value, empty) {
  memory[key] = value;
  try {
    if (empty) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(value));
  } catch (e) {
    /* memory only */
  }
}

function readList(key) {
  const list = read(key, []);
  return Array.isArray(list) ? list : [];
}

function writeList(key, list) {
  write(key, list, !list.length);
}

const mine = (userId) => (entry) => !!entry && !!entry.payload && entry.user_id === userId;
const other = (userId, clientId) => (entry) =>
  !(entry && entry.payload && entry.payload.client_id === clientId && entry.user_id === userId);

/** The outbox, refused items and drafts of one person in one room (or plenary). */
export function roomStore(place, userId) {
  const outboxKey = OUTBOX + place;
  const failedKey = FAILED + place;
  const draftKey = DRAFT + place;
  return {
    outbox: () => readList(outboxKey).filter(mine(userId)),
    add(payload) {
      writeList(outboxKey, readList(outboxKey).concat([{ user_id: userId, queued_at: new Date().toISOString(), payload }]));
    },
    remove(clientId) {
      const list = readList(outboxKey);
      const kept = list.filter(other(userId, clientId));
      if (kept.length !== list.length) writeList(outboxKey, kept);
    },
    failed: () => readList(failedKey).filter(mine(userId)),
    addFailed(payload, error) {
      const list = readList(failedKey).filter(other(userId, payload.client_id));
      writeList(failedKey, list.concat([{ user_id: userId, failed_at: new Date().toISOString(), payload, error }]));
    },
    removeFailed(clientId) {
      writeList(failedKey, readList(failedKey).filter(other(userId, clientId)));
    },
    drafts() {
      const all = read(draftKey, {});
      return all && typeof all === 'object' && !Array.isArray(all) ? all : {};
    },
    saveDraft(key, draft) {
      const all = this.drafts();
      if (draft) all[key] = Object.assign({}, draft, { user_id: userId });
      else delete all[key];
      write(draftKey, all, !Object.keys(all).length);
    },
  };
}

/** Every room (plenary) this browser keeps something of for `userId`: [{roomId, place, store}];
 * roomId is null for a plenary. */
export function roomsWithKept(userId) {
  const ids = new Set();
  try {
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i) || '';
      const prefix = [OUTBOX, FAILED, DRAFT].find((p) => key.indexOf(p) === 0);
      if (prefix) ids.add(key.slice(prefix.length));
    }
  } catch (e) {
    return [];
  }
  return Array.from(ids).map((place) => ({
    roomId: /^\d+$/.test(place) ? Number(place) : null, place, store: roomStore(place, userId),
  }));
}

export function uuid() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  // Pages served over plain http on a LAN are not a secure context: no randomUUID there.
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => (b < 16 ? '0' : '') + b.toString(16)).join('');
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
}
