/* Collab live client: one Socket.IO connection per page, events handled once per seq,
 * resume after a reconnect, connection status, and small DOM helpers shared by
 * plenary.js, board.js and room.js.
 *
 * Strings never live here: every visible text comes from data-t-* attributes that the
 * templates fill with {{ _('...') }}. Server and user data only ever reach the DOM through
 * textContent.
 */
(function () {
  'use strict';

  var STORAGE_PREFIX = 'collab.lastSeq.';
  var ACK_TIMEOUT_MS = 15000;

  // ------------------------------------------------------------------ small helpers

  /** The page's live root: <div id="live" data-workshop-id=... data-t-...>. */
  function root() {
    return document.getElementById('live');
  }

  /** A translated text from data-t-<name> on the live root, with {placeholders} filled. */
  function t(name, vars) {
    var el = root();
    var text = (el && el.getAttribute('data-t-' + name)) || '';
    if (vars) {
      Object.keys(vars).forEach(function (key) {
        text = text.split('{' + key + '}').join(String(vars[key]));
      });
    }
    return text;
  }

  /** Parse a JSON data attribute; `fallback` when missing or broken. */
  function json(el, attr, fallback) {
    var raw = el && el.getAttribute(attr);
    if (!raw) return fallback;
    try {
      return JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }

  /** An integer data attribute, or null. */
  function int(el, attr) {
    var raw = el && el.getAttribute(attr);
    if (raw === null || raw === undefined || raw === '') return null;
    var n = parseInt(raw, 10);
    return isNaN(n) ? null : n;
  }

  /** Milliseconds since the epoch of an ISO timestamp, or null. */
  function parseTime(iso) {
    if (!iso) return null;
    var ms = Date.parse(iso);
    return isNaN(ms) ? null : ms;
  }

  /**
   * A moment (ms since the epoch) in the page's language and the reader's time zone, both
   * given by the server on <html lang data-time-zone>: the browser's own may differ.
   * `withDate` adds the date (for a tooltip).
   */
  function formatTime(ms, withDate) {
    var page = document.documentElement;
    var zone = page.getAttribute('data-time-zone') || undefined;
    var options = withDate ? { dateStyle: 'medium', timeStyle: 'short', timeZone: zone } : { hour: '2-digit', minute: '2-digit', timeZone: zone };
    try {
      return new Intl.DateTimeFormat(page.lang || undefined, options).format(new Date(ms));
    } catch (e) {
      return new Date(ms).toLocaleString(); // an unknown zone name: the browser's own
    }
  }

  /** 75 -> "1:15", 3725 -> "1:02:05". */
  function formatClock(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var ss = (s < 10 ? '0' : '') + s;
    if (h > 0) return h + ':' + (m < 10 ? '0' : '') + m + ':' + ss;
    return m + ':' + ss;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // ------------------------------------------------------------------ the server's clock

  /*
   * Every clock counts on the server's time: the deadlines (a round's ends_at, a talk's
   * started_at + limit) are the server's, and the viewer's computer clock may be minutes
   * off. The page says the server's time at render (data-server-now, ms on the live root),
   * every join ack says it again (`now`), and `now()` is the local clock moved by the
   * difference.
   */
  var clockOffset = 0;

  /** Take `serverMs` (ms since the epoch) as the server's time at this moment. */
  function syncClock(serverMs) {
    if (typeof serverMs === 'number' && isFinite(serverMs)) clockOffset = serverMs - Date.now();
  }

  /** The server's time now, in ms since the epoch. */
  function now() {
    return Date.now() + clockOffset;
  }

  syncClock(int(root(), 'data-server-now'));

  // One interval per page drives every clock, so they tick together.
  var tickers = [];
  var tickHandle = null;
  function onTick(fn) {
    tickers.push(fn);
    if (tickHandle === null) {
      tickHandle = window.setInterval(function () {
        tickers.forEach(function (f) {
          try {
            f(now());
          } catch (e) {
            if (window.console) console.error(e);
          }
        });
      }, 1000);
    }
    fn(now());
  }

  // ------------------------------------------------------------------ countdown

  /**
   * A clock counting down to an instant, written into `display` every second.
   * `announcer` (optional) is an aria-live region that gets a sentence at milestones only,
   * so a screen reader is told "5 minutes left" rather than every second.
   */
  function Countdown(display, options) {
    this.display = display;
    this.announcer = options && options.announcer;
    this.onZero = options && options.onZero;
    this.endsAt = null;
    this.lastAnnounced = null;
    this.zeroFired = false;
    var self = this;
    onTick(function (now) {
      self.render(now);
    });
  }

  var MILESTONES = [3600, 1800, 900, 600, 300, 120, 60, 30, 10];

  Countdown.prototype.set = function (endsAtMs) {
    this.endsAt = endsAtMs;
    this.lastAnnounced = null;
    this.zeroFired = false;
    this.render(now(), true);
  };

  Countdown.prototype.remaining = function (at) {
    if (this.endsAt === null) return null;
    return Math.max(0, Math.ceil((this.endsAt - (at || now())) / 1000));
  };

  Countdown.prototype.render = function (now, fresh) {
    if (!this.display) return;
    var left = this.remaining(now);
    if (left === null) {
      this.display.textContent = '–';
      this.display.removeAttribute('data-seconds');
      return;
    }
    this.display.textContent = formatClock(left);
    this.display.setAttribute('data-seconds', String(left));
    this.display.classList.toggle('is-low', left <= 60);
    if (this.announcer) {
      var milestone = null;
      if (fresh) milestone = left;
      else {
        for (var i = 0; i < MILESTONES.length; i++) {
          if (left === MILESTONES[i]) milestone = left;
        }
      }
      if (milestone !== null && milestone !== this.lastAnnounced && left > 0) {
        this.lastAnnounced = milestone;
        this.announcer.textContent = describeLeft(left);
      }
    }
    if (left === 0 && !this.zeroFired) {
      this.zeroFired = true;
      if (this.onZero) this.onZero();
    }
  };

  /** "12 minutes left" / "45 seconds left", from data-t-minutes-left / data-t-seconds-left. */
  function describeLeft(seconds) {
    if (seconds >= 120) return t('minutes-left', { minutes: Math.round(seconds / 60) });
    return t('seconds-left', { seconds: seconds });
  }

  // ------------------------------------------------------------------ the presenter's clock

  /**
   * The presenter's clock in `box` (its [data-talk-time] shows the text): the time left of a
   * presentation's limit, counted from the server's started_at. In the last minute it turns
   * amber (is-amber) and says so in words; past the limit it shows the time over (is-over).
   * It only warns: nothing ends for it. `announcer` (optional, aria-live) hears each change
   * of phase once.
   */
  function TalkClock(box, options) {
    this.box = box;
    this.time = box && box.querySelector('[data-talk-time]');
    this.announcer = options && options.announcer;
    this.endsAt = null;
    this.phase = null;
    var self = this;
    onTick(function (now) {
      self.render(now);
    });
  }

  /** Count for `presentation` ({started_at, limit_minutes}), or hide the clock (null). */
  TalkClock.prototype.set = function (presentation) {
    var started = presentation ? parseTime(presentation.started_at) : null;
    this.endsAt = started !== null && presentation.limit_minutes ? started + presentation.limit_minutes * 60000 : null;
    this.phase = null;
    this.render(now());
  };

  TalkClock.prototype.render = function (now) {
    if (!this.box) return;
    this.box.hidden = this.endsAt === null;
    if (this.endsAt === null) return;
    var left = Math.ceil((this.endsAt - now) / 1000);
    var phase = left > 60 ? 'left' : left > 0 ? 'amber' : 'over';
    var key = phase === 'amber' ? 'talk-last-minute' : 'talk-' + phase;
    this.time.textContent = t(key, { time: formatClock(Math.abs(left)) });
    this.box.classList.toggle('is-amber', phase === 'amber');
    this.box.classList.toggle('is-over', phase === 'over');
    this.box.setAttribute('data-phase', phase);
    // Said once as the phase changes, not on load: the text itself already says it.
    if (this.announcer && this.phase !== null && phase !== this.phase && phase !== 'left') {
      this.announcer.textContent = t('talk-' + phase + '-sr');
    }
    this.phase = phase;
  };

  // ------------------------------------------------------------------ presence and announcements

  /** Fill a <ul> with "Name · PARTNER" items; an empty list shows data-empty text. */
  function renderPresence(list, users, partnerNames) {
    if (!list) return;
    clear(list);
    var seen = {};
    (users || []).forEach(function (user) {
      if (seen[user.id]) return; // several tabs of one person count once
      seen[user.id] = true;
      var li = el('li', 'person');
      li.setAttribute('data-user-id', String(user.id));
      li.appendChild(el('span', 'person-name', user.name));
      var partner = user.partner_id !== null && user.partner_id !== undefined ? partnerNames[String(user.partner_id)] : null;
      li.appendChild(el('span', 'person-partner', partner || t('facilitator-label')));
      list.appendChild(li);
    });
    if (!list.firstChild) list.appendChild(el('li', 'empty', list.getAttribute('data-empty') || ''));
    var counter = list.id && document.querySelector('[data-count-for="' + list.id + '"]');
    if (counter) counter.textContent = String(Object.keys(seen).length);
  }

  /**
   * Show an announcement: a visible banner (the newest one, dismissable) and the list
   * (newest first). The list is the aria-live region, so it is read once. `to` (optional)
   * says whom a message to one room was for ("To this room only").
   */
  function showAnnouncement(payload, list, banner, to) {
    var from = payload.from && payload.from.name ? payload.from.name : '';
    var stamp = formatTime(now());
    // Already on the page as rendered (a reload resumes from an older seq): shown once.
    if (list && typeof payload.seq === 'number' && list.querySelector('[data-seq="' + payload.seq + '"]')) return;
    if (list) {
      var empty = list.querySelector('.empty');
      if (empty) list.removeChild(empty);
      var li = el('li', 'announcement');
      if (typeof payload.seq === 'number') li.setAttribute('data-seq', String(payload.seq));
      if (to) {
        li.appendChild(el('span', 'announcement-to', to));
        li.appendChild(document.createTextNode(' '));
      }
      li.appendChild(el('span', 'announcement-message', payload.message));
      li.appendChild(el('span', 'announcement-meta', from ? from + ' · ' + stamp : stamp));
      list.insertBefore(li, list.firstChild);
    }
    if (banner) {
      var text = banner.querySelector('[data-banner-text]');
      var meta = banner.querySelector('[data-banner-from]');
      var toLabel = banner.querySelector('[data-banner-to]');
      if (text) text.textContent = payload.message;
      if (meta) meta.textContent = from;
      if (toLabel) {
        toLabel.textContent = to || '';
        toLabel.hidden = !to;
      }
      banner.hidden = false;
    }
  }

  /** Wire the close button of an announcement banner once. */
  function wireBanner(banner) {
    if (!banner) return;
    var close = banner.querySelector('[data-dismiss]');
    if (close) {
      close.addEventListener('click', function () {
        banner.hidden = true;
      });
    }
  }

  /** A status line for the result of an action (ack errors, confirmations). */
  function report(line, ack, okText) {
    if (!line) return;
    line.classList.remove('is-error', 'is-ok');
    window.clearTimeout(line._clearTimer);
    if (ack && ack.ok) {
      line.textContent = okText || '';
      line.classList.add('is-ok');
      // A confirmation fades after a while; an error stays until the next action.
      line._clearTimer = window.setTimeout(function () {
        line.textContent = '';
      }, 8000);
    } else {
      var error = (ack && ack.error) || {};
      line.textContent = t('error', { message: error.message || error.code || t('unknown-error') });
      line.classList.add('is-error');
    }
  }

  // ------------------------------------------------------------------ the connection

  function storageKey(workshopId) {
    return STORAGE_PREFIX + workshopId;
  }

  function readStoredSeq(workshopId) {
    try {
      var raw = window.sessionStorage.getItem(storageKey(workshopId));
      var n = raw ? parseInt(raw, 10) : NaN;
      return isNaN(n) ? null : n;
    } catch (e) {
      return null; // storage disabled: memory only
    }
  }

  function writeStoredSeq(workshopId, seq) {
    try {
      window.sessionStorage.setItem(storageKey(workshopId), String(seq));
    } catch (e) {
      /* memory only */
    }
  }

  /**
   * Connect this page to the workshop.
   *
   * options:
   *   workshopId  (required)
   *   statusEl    element showing connecting / connected / reconnecting / offline
   *               (texts from data-t-status-* on the live root)
   *   join(live, first) -> Promise   sends join_workshop / join_room on every (re)connect
   *               and applies their acks; may resolve to a `last_seq` number
   *   onReady({first})               after join and the replay of missed events
   *
   * Returns {emit(name, payload) -> Promise<ack>, on(name, handler), replaying(), lastSeq()}.
   * Handlers get (payload, {replay: bool}) once per seq; events of another workshop and
   * seq already handled are dropped.
   */
  function connect(options) {
    var workshopId = Number(options.workshopId);
    var statusEl = options.statusEl || null;
    var handlers = {};
    var lastSeq = readStoredSeq(workshopId);
    // A fresh tab resumes from the moment the page was rendered (data-rendered-seq, when the
    // server provides it), so nothing that happened between the render and the join is missed.
    if (lastSeq === null) lastSeq = int(root(), 'data-rendered-seq');
    var replaying = false;
    var everReady = false;
    var generation = 0;

    if (typeof window.io !== 'function') {
      setStatus('offline');
      return null;
    }

    var socket = window.io({ transports: ['websocket', 'polling'] });

    function setStatus(state, detail) {
      if (!statusEl) return;
      statusEl.setAttribute('data-state', state);
      var label = statusEl.querySelector('[data-status-text]') || statusEl;
      label.textContent = t('status-' + state) + (detail ? ' ' + detail : '');
      var liveRoot = root();
      if (liveRoot) liveRoot.setAttribute('data-connection', state);
    }

    function remember(seq) {
      if (typeof seq !== 'number') return;
      if (lastSeq === null || seq > lastSeq) {
        lastSeq = seq;
        writeStoredSeq(workshopId, seq);
      }
    }

    // From a (re)connect until the resume ack, events are held back: the joins themselves
    // cause new events (presence) that must not move the resume point past what was missed,
    // and the replayed older events must not be applied after newer live ones.
    var catchingUp = false;
    var held = [];

    function dispatch(name, payload) {
      if (payload && typeof payload === 'object' && payload.workshop_id !== undefined && payload.workshop_id !== null &&
          Number(payload.workshop_id) !== workshopId) {
        return;
      }
      if (catchingUp && payload && typeof payload.seq === 'number') {
        held.push({ name: name, payload: payload });
        return;
      }
      deliver(name, payload, false);
    }

    function deliver(name, payload, replay) {
      if (payload && typeof payload.seq === 'number') {
        if (lastSeq !== null && payload.seq <= lastSeq) return; // already handled
        remember(payload.seq);
      }
      var meta = { replay: replay };
      (handlers[name] || []).concat(handlers['*'] || []).forEach(function (handler) {
        try {
          handler(payload, meta, name);
        } catch (e) {
          if (window.console) console.error('live handler for ' + name + ' failed', e);
        }
      });
    }

    /** Deliver what was held back, in seq order, each seq once. */
    function release() {
      var items = held.sort(function (a, b) {
        return a.payload.seq - b.payload.seq;
      });
      held = [];
      replaying = true;
      items.forEach(function (item) {
        deliver(item.name, item.payload, true);
      });
      replaying = false;
      catchingUp = false;
    }

    function emit(name, payload) {
      return new Promise(function (resolve) {
        socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, function (err, ack) {
          if (err) {
            resolve({ ok: false, error: { code: 'timeout', message: t('timeout') } });
          } else if (!ack || typeof ack !== 'object') {
            resolve({ ok: false, error: { code: 'bad_ack', message: t('unknown-error') } });
          } else {
            if (ack.ok && ack.now) syncClock(parseTime(ack.now)); // the join acks
            resolve(ack);
          }
        });
      });
    }

    var api = {
      socket: socket,
      emit: emit,
      on: function (name, handler) {
        (handlers[name] = handlers[name] || []).push(handler);
        return api;
      },
      replaying: function () {
        return replaying;
      },
      lastSeq: function () {
        return lastSeq;
      },
      remember: remember,
    };

    socket.onAny(dispatch);

    socket.on('connect', function () {
      var gen = ++generation;
      var first = !everReady;
      setStatus(first ? 'connecting' : 'reconnecting');
      catchingUp = true;
      replaying = true;
      Promise.resolve(options.join ? options.join(api, first) : null)
        .then(function (joinSeq) {
          if (gen !== generation) return null;
          // The join acks carry the state as of now; with nothing stored, that is our baseline.
          if (lastSeq === null && typeof joinSeq === 'number') remember(joinSeq);
          return emit('resume', { workshop_id: workshopId, after_seq: lastSeq === null ? 0 : lastSeq });
        })
        .then(function (ack) {
          if (gen !== generation) return;
          release();
          if (ack && ack.ok && typeof ack.last_seq === 'number') remember(ack.last_seq);
          if (ack && !ack.ok) {
            setStatus('error', (ack.error && ack.error.message) || '');
            return;
          }
          setStatus('connected');
          everReady = true;
          if (options.onReady) options.onReady({ first: first });
        })
        .catch(function (error) {
          if (gen !== generation) return;
          release();
          setStatus('error', (error && error.message) || '');
        });
    });

    socket.on('disconnect', function (reason) {
      generation++;
      replaying = false; // what is held stays held until the next resume releases it
      if (reason === 'io server disconnect') {
        // The server closed us (signed out elsewhere): do not hammer it, let the user reload.
        setStatus('offline');
      } else {
        setStatus('reconnecting');
      }
    });

    socket.on('connect_error', function () {
      setStatus(socket.active ? 'reconnecting' : 'offline');
    });

    setStatus('connecting');
    Live.connection = api; // one per page; tests and the console reach the socket through it
    return api;
  }

  // Rooms this tab has been in (sessionStorage: per tab, gone when it closes).
  var VISITED_PREFIX = 'collab.visitedRoom.';

  function visitedRoom(roomId) {
    try {
      return window.sessionStorage.getItem(VISITED_PREFIX + roomId) === '1';
    } catch (e) {
      return false;
    }
  }

  function markVisited(roomId) {
    try {
      window.sessionStorage.setItem(VISITED_PREFIX + roomId, '1');
    } catch (e) {
      /* then the plenary takes this tab to the room again: harmless */
    }
  }

  var Live = (window.Live = {
    visitedRoom: visitedRoom,
    markVisited: markVisited,
    connect: connect,
    t: t,
    json: json,
    int: int,
    parseTime: parseTime,
    formatTime: formatTime,
    formatClock: formatClock,
    describeLeft: describeLeft,
    Countdown: Countdown,
    TalkClock: TalkClock,
    onTick: onTick,
    now: now,
    el: el,
    clear: clear,
    renderPresence: renderPresence,
    showAnnouncement: showAnnouncement,
    wireBanner: wireBanner,
    report: report,
    root: root,
    connection: null,
  });
})();
