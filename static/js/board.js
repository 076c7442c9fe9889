/* The facilitator's board: opens rounds, watches every room live (presence, what is on
 * screen, time left, raised hands), extends, broadcasts or messages one room, moves
 * partners and closes rounds. */
(function () {
  'use strict';

  var root = window.Live && Live.root();
  if (!root || root.getAttribute('data-page') !== 'board') return;

  var workshopId = Live.int(root, 'data-workshop-id');
  var partnerNames = Live.json(root, 'data-partner-names', {});
  var sectionTitles = Live.json(root, 'data-section-titles', {});
  var roundId = Live.int(root, 'data-round-id');
  var planApi = root.getAttribute('data-plan-api');
  var statusLine = document.getElementById('board-status');
  var plenaryPresence = document.getElementById('plenary-presence');
  var announcements = document.getElementById('announcements');
  var closingBanner = document.getElementById('closing-banner');
  var closingText = closingBanner && closingBanner.querySelector('[data-closing-text]');
  var badge = root.querySelector('[data-round-badge]');
  var handsAnnouncer = document.getElementById('hands-announcer');
  var presentations = {}; // presentation id -> {room_id, plan_id, presenter_partner_id, section_key, started_at, limit_minutes}
  var closingUntil = null;
  var reloading = false;

  var clock = new Live.Countdown(document.getElementById('round-clock'), {
    announcer: document.getElementById('round-clock-announcer'),
  });
  clock.set(Live.parseTime(root.getAttribute('data-ends-at')));

  Live.onTick(function (now) {
    if (closingUntil === null || !closingText) return;
    var left = Math.max(0, Math.ceil((closingUntil - now) / 1000));
    closingText.textContent = Live.t('closing', { seconds: left });
  });

  function say(ack, okText) {
    Live.report(statusLine, ack, okText);
  }

  function reload(reasonKey) {
    if (reloading) return;
    reloading = true;
    if (reasonKey) say({ ok: true }, Live.t(reasonKey));
    window.location.reload();
  }

  function card(roomId) {
    return root.querySelector('.board-room[data-room-id="' + Number(roomId) + '"]');
  }

  /** Run an action: disable its control while waiting, then show the ack in the status line. */
  function act(control, name, payload, okText, then) {
    if (control) control.disabled = true;
    return live.emit(name, payload).then(function (ack) {
      if (control) control.disabled = false;
      say(ack, typeof okText === 'function' ? okText(ack) : okText);
      if (ack.ok && then) then(ack);
      return ack;
    });
  }

  // ------------------------------------------------------------------ what a room shows

  var talkClocks = {}; // room id -> Live.TalkClock of its presenter

  function setOnScreen(roomId, info) {
    var c = card(roomId);
    if (!c) return;
    if (!talkClocks[roomId]) talkClocks[roomId] = new Live.TalkClock(c.querySelector('[data-talk-clock]'));
    talkClocks[roomId].set(info);
    var line = c.querySelector('[data-on-screen]');
    if (!info) {
      line.textContent = Live.t('nothing-on-screen');
      line.setAttribute('data-section-key', '');
      line.removeAttribute('data-plan-id');
      line.classList.remove('is-live');
      return;
    }
    var titles = sectionTitles[String(info.plan_id)];
    if (!titles) {
      loadTitles(info.plan_id, roomId);
      titles = {};
    }
    var partner = partnerNames[String(info.presenter_partner_id)] || '';
    line.textContent = Live.t('on-screen', { partner: partner, section: titles[info.section_key] || info.section_key });
    line.setAttribute('data-section-key', info.section_key || '');
    line.setAttribute('data-plan-id', String(info.plan_id));
    line.classList.add('is-live');
  }

  /** Section titles of a plan, from the plans API, once per plan; then redraw the room. */
  var titleRequests = {};
  function loadTitles(planId, roomId) {
    var key = String(planId);
    if (titleRequests[key] || !window.fetch || !planApi) return;
    titleRequests[key] = window
      .fetch(planApi + encodeURIComponent(key), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (plan) {
        if (!plan || !plan.sections) return;
        var titles = {};
        plan.sections.forEach(function (s) {
          titles[s.key] = s.title;
        });
        sectionTitles[key] = titles;
        Object.keys(presentations).forEach(function (id) {
          var pr = presentations[id];
          if (String(pr.plan_id) === key) setOnScreen(pr.room_id, pr);
        });
      })
      .catch(function () {
        /* keys stay as they are */
      });
  }

  // ------------------------------------------------------------------ raised hands

  function roomName(roomId) {
    var c = card(roomId);
    return c ? c.getAttribute('data-room-name') : '';
  }

  /** Show a room's hand (or none) on its card; a new one is also said aloud. */
  function setHand(roomId, hand, announce) {
    var c = card(roomId);
    if (!c || !window.Hands) return;
    Hands.show(c.querySelector('[data-hand-box]'), hand);
    c.classList.toggle('has-hand', !!hand);
    if (announce && hand && handsAnnouncer) handsAnnouncer.textContent = Live.t('hand-up', { room: roomName(roomId) });
  }

  // ------------------------------------------------------------------ the connection

  var live = Live.connect({
    workshopId: workshopId,
    statusEl: document.getElementById('live-status'),
    join: function (api) {
      return api.emit('join_workshop', { workshop_id: workshopId }).then(function (ack) {
        if (!ack.ok) throw new Error((ack.error && ack.error.message) || 'join_workshop');
        if (ack.presence) Live.renderPresence(plenaryPresence, ack.presence.users, partnerNames);
        // Rooms of the current round, if the server tells their state (optional addition).
        (ack.rooms || []).forEach(function (room) {
          if (room.presence) Live.renderPresence(document.getElementById('presence-' + room.id), room.presence.users, partnerNames);
          if (room.presentation) {
            presentations[room.presentation.id] = room.presentation;
            setOnScreen(room.id, room.presentation);
          }
          if (room.hand !== undefined) setHand(room.id, room.hand, false);
        });
        return typeof ack.last_seq === 'number' ? ack.last_seq : null;
      });
    },
  });
  if (!live) return;

  live.on('presence', function (p) {
    if (p.room_id === null || p.room_id === undefined) {
      Live.renderPresence(plenaryPresence, p.users, partnerNames);
    } else {
      Live.renderPresence(document.getElementById('presence-' + p.room_id), p.users, partnerNames);
    }
  });

  live.on('presentation_started', function (p) {
    var pr = p.presentation;
    if (!pr) return;
    presentations[pr.id] = {
      room_id: pr.room_id, plan_id: pr.plan_id, presenter_partner_id: pr.presenter_partner_id, section_key: pr.section_key,
      started_at: pr.started_at, limit_minutes: pr.limit_minutes,
    };
    setOnScreen(pr.room_id, presentations[pr.id]);
  });

  live.on('section_shown', function (p) {
    var pr = presentations[p.presentation_id];
    var roomId = p.room_id !== undefined && p.room_id !== null ? p.room_id : pr && pr.room_id;
    if (!roomId) return;
    if (!pr) {
      pr = presentations[p.presentation_id] = { room_id: roomId, plan_id: p.plan_id, presenter_partner_id: p.presenter_partner_id };
    }
    pr.section_key = p.section_key;
    setOnScreen(roomId, pr);
  });

  live.on('presentation_ended', function (p) {
    var pr = presentations[p.presentation_id];
    var roomId = p.room_id !== undefined && p.room_id !== null ? p.room_id : pr && pr.room_id;
    delete presentations[p.presentation_id];
    if (roomId) setOnScreen(roomId, null);
  });

  // ------------------------------------------------------------------ feedback counts

  // The page was rendered with the counts up to this seq (when the server says which):
  // replayed events up to it are already counted.
  var renderedSeq = Live.int(root, 'data-rendered-seq');
  var counted = {}; // feedback id -> {room_id, criterion} while counted, false once withdrawn

  function alreadyInPage(p) {
    return renderedSeq !== null && typeof p.seq === 'number' && p.seq <= renderedSeq;
  }

  function bump(roomId, criterion, delta) {
    var c = card(roomId);
    if (!c) return;
    var total = c.querySelector('[data-feedback-count]');
    total.textContent = String(Math.max(0, (parseInt(total.textContent, 10) || 0) + delta));
    var chip = c.querySelector('[data-criterion-counts] [data-criterion="' + (criterion || '_none').replace(/["\\]/g, '') + '"]');
    if (!chip) return;
    var count = chip.querySelector('[data-crit-count]');
    var n = Math.max(0, (parseInt(count.textContent, 10) || 0) + delta);
    count.textContent = String(n);
    chip.classList.toggle('is-zero', n === 0);
  }

  live.on('feedback_added', function (p) {
    var fb = p.feedback;
    if (!fb || fb.parent_id !== null && fb.parent_id !== undefined) return; // replies are not items of the round
    if (counted[fb.id] !== undefined || alreadyInPage(p) || fb.status === 'withdrawn') return;
    counted[fb.id] = { room_id: fb.room_id, criterion: fb.criterion || null };
    bump(fb.room_id, fb.criterion, 1);
  });

  live.on('feedback_updated', function (p) {
    var fb = p.feedback;
    if (!fb || fb.parent_id !== null && fb.parent_id !== undefined) return;
    var known = counted[fb.id];
    if (known === false) return; // withdrawn already
    if (fb.status === 'withdrawn') {
      if (known) bump(known.room_id, known.criterion, -1);
      else if (!alreadyInPage(p)) bump(fb.room_id, fb.criterion, -1);
      counted[fb.id] = false;
      return;
    }
    // The author changed the criterion of an item counted here: move it.
    if (known && known.criterion !== (fb.criterion || null)) {
      bump(known.room_id, known.criterion, -1);
      bump(fb.room_id, fb.criterion, 1);
      known.criterion = fb.criterion || null;
    }
  });

  live.on('timer', function (p) {
    if (p.round_id !== roundId) return;
    clock.set(Live.parseTime(p.ends_at));
  });

  live.on('round_opened', function (p) {
    if (p.round && p.round.id !== roundId) reload('opened');
  });

  live.on('round_closing', function (p) {
    if (p.round_id !== roundId) return;
    if (badge) {
      badge.className = 'badge status-closing';
      badge.textContent = Live.t('round-closing');
    }
    if (!closingBanner) return;
    closingUntil = Live.parseTime(p.ends_at) || Live.now() + Number(p.seconds || 0) * 1000;
    closingText.textContent = Live.t('closing', { seconds: p.seconds });
    closingBanner.hidden = false;
  });

  live.on('workshop_ended', function () {
    reload('workshop-ended');
  });

  live.on('round_closed', function (p) {
    if (p.round_id === roundId) reload('round-closed-reload');
  });

  live.on('hand_raised', function (p, meta) {
    setHand(p.room_id, p, !(meta && meta.replay));
  });

  live.on('hand_lowered', function (p) {
    setHand(p.room_id, null, false);
  });

  live.on('announcement', function (p) {
    var to = p.room_id !== undefined && p.room_id !== null ? Live.t('to-room', { room: roomName(p.room_id) }) : null;
    Live.showAnnouncement(p, announcements, null, to);
  });

  // ------------------------------------------------------------------ controls

  Array.prototype.forEach.call(root.querySelectorAll('[data-action="open-round"]'), function (button) {
    button.addEventListener('click', function () {
      var id = Live.int(button, 'data-round-id');
      act(button, 'open_round', { round_id: id }, Live.t('opened'), function () {
        reload();
      });
    });
  });

  var extend = document.getElementById('extend-round');
  if (extend) {
    extend.addEventListener('click', function () {
      var minutes = Live.int(extend, 'data-minutes') || 5;
      act(extend, 'extend_round', { round_id: roundId, minutes: minutes }, Live.t('extended', { minutes: minutes }), function (ack) {
        var ends = ack.ends_at || (ack.round && ack.round.ends_at);
        if (ends) clock.set(Live.parseTime(ends));
      });
    });
  }

  var closeForm = document.getElementById('close-form');
  if (closeForm) {
    closeForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var seconds = parseInt(closeForm.elements.countdown_s.value, 10);
      if (isNaN(seconds) || seconds < 0) seconds = 60;
      act(closeForm.querySelector('button'), 'close_round', { round_id: roundId, countdown_s: seconds }, Live.t('closing-started', { seconds: seconds }));
    });
  }

  var broadcastForm = document.getElementById('broadcast-form');
  if (broadcastForm) {
    broadcastForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var field = broadcastForm.elements.message;
      var message = field.value.trim();
      if (!message) {
        field.focus();
        return;
      }
      act(broadcastForm.querySelector('button'), 'broadcast', { workshop_id: workshopId, message: message }, Live.t('broadcast-sent'), function () {
        field.value = '';
      });
    });
  }

  // A room's own message form; "Message this room" next to a raised hand opens it.
  root.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-action="lower-hand"], button[data-action="message-room"]');
    if (!button) return;
    var roomId = Live.int(button, 'data-room-id');
    if (button.getAttribute('data-action') === 'lower-hand') {
      act(button, 'lower_hand', { room_id: roomId }, Live.t('hand-answered', { room: roomName(roomId) }), function () {
        setHand(roomId, null, false);
      });
      return;
    }
    var details = card(roomId) && card(roomId).querySelector('[data-room-message]');
    if (!details) return;
    details.open = true;
    details.querySelector('textarea').focus();
  });

  Array.prototype.forEach.call(root.querySelectorAll('[data-message-room-form]'), function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var field = form.elements.message;
      var message = field.value.trim();
      if (!message) {
        field.focus();
        return;
      }
      var roomId = Live.int(form, 'data-room-id');
      act(form.querySelector('button'), 'message_room', { room_id: roomId, message: message },
        Live.t('room-message-sent', { room: roomName(roomId) }), function () {
          field.value = '';
        });
    });
  });

  // Ending the workshop asks for a tick first: it cannot be undone from the board.
  var endForm = document.getElementById('end-workshop-form');
  if (endForm) {
    endForm.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!endForm.elements.confirm.checked) {
        endForm.elements.confirm.focus();
        return;
      }
      act(endForm.querySelector('button'), 'end_workshop', { workshop_id: workshopId }, Live.t('workshop-ended'));
    });
  }

  var moveForm = document.getElementById('move-form');
  if (moveForm) {
    moveForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var partnerId = parseInt(moveForm.elements.partner_id.value, 10);
      var roomSelect = moveForm.elements.to_room_id;
      var toRoomId = parseInt(roomSelect.value, 10);
      var roomName = roomSelect.options[roomSelect.selectedIndex].textContent;
      var partner = partnerNames[String(partnerId)] || String(partnerId);
      act(moveForm.querySelector('button'), 'move_partner', { round_id: roundId, partner_id: partnerId, to_room_id: toRoomId },
        Live.t('moved', { partner: partner, room: roomName }), function () {
          var chip = root.querySelector('.room-partners [data-partner-id="' + partnerId + '"]');
          var target = card(toRoomId);
          if (target) {
            if (!chip) {
              chip = Live.el('li', 'chip', partner);
              chip.setAttribute('data-partner-id', String(partnerId));
            }
            target.querySelector('[data-room-partners]').appendChild(chip);
          }
        });
    });
  }

  // New round form: show only the fields of the chosen pairing mode.
  var newRound = document.getElementById('new-round-form');
  if (newRound) {
    var panels = newRound.querySelectorAll('[data-mode-panel]');
    var showMode = function () {
      var checked = newRound.querySelector('input[name="mode"]:checked');
      var mode = checked ? checked.value : 'auto';
      Array.prototype.forEach.call(panels, function (panel) {
        var on = panel.getAttribute('data-mode-panel') === mode;
        panel.hidden = !on;
        Array.prototype.forEach.call(panel.querySelectorAll('select, input'), function (field) {
          field.disabled = !on;
        });
      });
    };
    Array.prototype.forEach.call(newRound.querySelectorAll('input[name="mode"]'), function (radio) {
      radio.addEventListener('change', showMode);
    });
    showMode();
  }
})();
