/* Sending what is in the outbox (outbox.js): an item goes into the outbox the moment Send is
 * pressed and leaves it only when the server has acknowledged it (or refused it for good, then
 * it is kept aside with the error and its text). The outbox is sent again after every
 * (re)connect and page load with the same client_id, which the server answers with the first
 * item, never a duplicate. While the socket is down nothing is emitted (socket.io would buffer
 * it and send it a second time next to the resend).
 */
var FINAL_ERRORS = ['validation', 'forbidden', 'conflict', 'not_found'];

/** Sends the items of `store` (roomStore) and shows their fate in `thread`. */
export function createSender(store, thread) {
  var upsert = thread.upsert;
  var showPending = thread.showPending;
  var live = null;
  var connected = false; // joined and caught up: emits go out now
  var generation = 0; // bumped on every disconnect
  var inflight = {}; // client_id -> generation it was sent in
  var sending = {}; // client_id -> promise of its answer
  var retryTimer = null;
  var retryDelay = 2000;

  /** Queue a new item or reply: stored first, shown as sending, sent when connected. */
  function queue(payload) {
    store.add(payload);
    showPending(payload, null, false);
    if (connected) send(payload);
  }

  /** Send one item; the promise settles when the server has answered (or the ack timed out). */
  function send(payload) {
    var cid = payload.client_id;
    if (inflight[cid] === generation) return sending[cid]; // already on its way on this connection
    var gen = (inflight[cid] = generation);
    return (sending[cid] = live.emit('submit_feedback', payload).then(function (ack) {
      if (ack && ack.ok && ack.feedback) {
        store.remove(cid);
        delete inflight[cid];
        upsert(ack.feedback);
        retryDelay = 2000;
        return;
      }
      var error = (ack && ack.error) || { code: 'unknown' };
      if (FINAL_ERRORS.indexOf(error.code) !== -1) {
        store.remove(cid);
        delete inflight[cid];
        store.addFailed(payload, error);
        showPending(payload, error, true);
        return;
      }
      // Lost or refused for now (timeout, rate limit, server trouble): it stays in the
      // outbox and goes again, after a pause or with the next connection.
      if (inflight[cid] !== gen) return; // a newer connection has taken over
      delete inflight[cid];
      if (!stillQueued(cid)) return;
      showPending(payload, error, false);
      scheduleRetry();
    }));
  }

  function stillQueued(clientId) {
    return store.outbox().some(function (entry) {
      return entry.payload.client_id === clientId;
    });
  }

  function scheduleRetry() {
    if (retryTimer !== null) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  /** Send everything in the outbox that is not already on its way. */
  function flush() {
    if (!connected || !live) return;
    store.outbox().forEach(function (entry) {
      send(entry.payload);
    });
  }

  return {
    queue: queue,
    /** My item was taken by the server (an ack or its event): it leaves the outbox. */
    confirmed: function (clientId) {
      store.remove(clientId);
      delete inflight[clientId];
      store.removeFailed(clientId);
    },
    connected: function () {
      return connected;
    },
    /** A live command (edit, withdraw, answer); the promise gives its ack. */
    emit: function (name, payload) {
      return live.emit(name, payload);
    },
    /** The connection exists (room.js). */
    attach: function (api) {
      live = api;
      api.socket.on('disconnect', function () {
        connected = false;
        generation++;
        inflight = {};
      });
    },
    /** Joined and caught up (first load and every reconnect): send what is waiting. */
    ready: function () {
      connected = true;
      retryDelay = 2000;
      flush();
    },
    /** The room has closed: send what waits once more, so each item is taken or refused. */
    settle: function () {
      connected = true;
      return Promise.all(store.outbox().map(function (entry) {
        return send(entry.payload);
      }));
    },
  };
}
