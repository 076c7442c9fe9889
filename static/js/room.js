/* A breakout room: both plans (tabs), starting a presentation (presenting.js follows it),
 * presence, the room's clock and closing countdown, announcements, and the moves that take
 * people elsewhere (moved to another room, round closed). */
(function () {
  'use strict';

  var root = window.Live && Live.root();
  if (!root || root.getAttribute('data-page') !== 'room') return;

  var workshopId = Live.int(root, 'data-workshop-id');
  var roomId = Live.int(root, 'data-room-id');
  var roundId = Live.int(root, 'data-round-id');
  var renderedStatus = root.getAttribute('data-round-status');
  var plenaryUrl = root.getAttribute('data-plenary-url');
  var roomUrl = root.getAttribute('data-room-url') || '/rooms/';
  var partnerNames = Live.json(root, 'data-partner-names', {});
  var myPartnerIds = Live.json(root, 'data-my-partner-ids', []).map(Number);
  var isFacilitator = root.getAttribute('data-facilitator') === 'true';
  var roundWasLive = renderedStatus === 'open' || renderedStatus === 'closing' || renderedStatus === 'pending';

  var takeover = document.getElementById('takeover');
  var takeoverText = takeover.querySelector('[data-takeover-text]');
  var statusLine = document.getElementById('room-status');
  var presenceList = document.getElementById('room-presence');
  var announcements = document.getElementById('announcements');
  var banner = document.getElementById('announcement-banner');
  var closingBanner = document.getElementById('closing-banner');
  var closingText = closingBanner.querySelector('[data-closing-text]');
  var closingSr = closingBanner.querySelector('[data-closing-sr]');
  var handLine = document.getElementById('hand-line');
  var handToggle = document.getElementById('raise-hand');
  var tabs = Array.prototype.slice.call(root.querySelectorAll('[role="tab"]'));
  var feedback = Live.roomFeedback || null; // feedback.js: items, forms and the outbox

  var state = {
    closingUntil: null,
    leaving: false,
    movedTo: null, // a room_assigned for this round naming another room
    closed: false, // the round closed (maybe while this page was offline)
    pendingStart: null, // {planId, button} waiting for "take over?"
    endedMine: null, // when my presentation was ended by someone else's event
  };

  Live.wireBanner(banner);
  Live.markVisited(roomId);

  var clock = new Live.Countdown(document.getElementById('round-clock'), {
    announcer: document.getElementById('round-clock-announcer'),
  });
  clock.set(Live.parseTime(root.getAttribute('data-ends-at')));

  /** While the room closes, say so if text is typed and not sent: it is kept, not lost. */
  var closingUnsent = closingBanner.querySelector('[data-closing-unsent]');
  function warnUnsent() {
    if (closingUnsent) closingUnsent.hidden = !(feedback && feedback.unsent());
  }

  Live.onTick(function (now) {
    if (state.closingUntil === null) return;
    warnUnsent();
    var left = Math.max(0, Math.ceil((state.closingUntil - now) / 1000));
    closingText.textContent = left > 0 ? Live.t('closing', { seconds: left }) : Live.t('closing-now');
    closingBanner.setAttribute('data-seconds', String(left));
  });

  // ------------------------------------------------------------------ plans and sections

  function panel(planId) {
    return document.getElementById('plan-' + planId);
  }

  function selectPlan(planId, focusTab) {
    tabs.forEach(function (tab) {
      var on = Live.int(tab, 'data-plan-id') === Number(planId);
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
      var p = panel(tab.getAttribute('data-plan-id'));
      if (p) p.hidden = !on;
      if (on && focusTab) tab.focus();
    });
  }

  tabs.forEach(function (tab, index) {
    tab.addEventListener('click', function () {
      selectPlan(tab.getAttribute('data-plan-id'), false);
    });
    tab.addEventListener('keydown', function (event) {
      var next = null;
      if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = tabs[(index + 1) % tabs.length];
      else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = tabs[(index - 1 + tabs.length) % tabs.length];
      else if (event.key === 'Home') next = tabs[0];
      else if (event.key === 'End') next = tabs[tabs.length - 1];
      if (next) {
        event.preventDefault();
        selectPlan(next.getAttribute('data-plan-id'), true);
      }
    });
  });

  // A link to a section (#plan-3-monitoring) opens its plan.
  if (window.location.hash) {
    var target = document.getElementById(window.location.hash.slice(1));
    if (target && target.classList.contains('plan-section')) selectPlan(target.getAttribute('data-plan-id'), false);
  }

  // ------------------------------------------------------------------ the presentation

  var presentation = Live.presenting({
    isFacilitator: isFacilitator,
    myPartnerIds: myPartnerIds,
    partnerNames: partnerNames,
    statusLine: statusLine,
    feedback: function () {
      return feedback;
    },
    selectPlan: selectPlan,
    onEnded: function (pr) {
      if (!isFacilitator && presentation.canDrive(pr)) state.endedMine = Date.now();
    },
  });
  var canDrive = presentation.canDrive;

  function report(ack, okText) {
    Live.report(statusLine, ack, okText);
  }

  function start(planId, button) {
    button.disabled = true;
    live.emit('start_presentation', { room_id: roomId, plan_id: planId }).then(function (ack) {
      button.disabled = false;
      report(ack, Live.t('started'));
      if (ack.ok && ack.presentation) presentation.apply(ack.presentation, { scroll: true });
    });
  }

  root.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-action]');
    if (button) {
      var action = button.getAttribute('data-action');
      if (action === 'start') {
        var planId = Live.int(button, 'data-plan-id');
        var current = presentation.current();
        if (current && !canDrive(current)) {
          // Someone else is presenting: ask first, nobody loses the floor by a stray click.
          state.pendingStart = { planId: planId, button: button };
          takeoverText.textContent = Live.t('takeover-ask', { partner: partnerNames[String(current.presenter_partner_id)] || '' });
          takeover.hidden = false;
          takeover.querySelector('[data-action="takeover-yes"]').focus();
        } else {
          start(planId, button);
        }
      } else if (action === 'takeover-yes' && state.pendingStart) {
        takeover.hidden = true;
        start(state.pendingStart.planId, state.pendingStart.button);
        state.pendingStart = null;
      } else if (action === 'takeover-no') {
        takeover.hidden = true;
        if (state.pendingStart) state.pendingStart.button.focus();
        state.pendingStart = null;
      } else if (action === 'lower-hand') {
        setHand(false, button);
      }
    }
  });

  // ------------------------------------------------------------------ asking for help

  /** Show the room's hand (or none) and set the toggle's pressed state to match. */
  function applyHand(hand) {
    if (window.Hands) Hands.show(handLine, hand);
    if (handToggle) handToggle.setAttribute('aria-pressed', hand ? 'true' : 'false');
  }

  function setHand(up, button) {
    button.disabled = true;
    live.emit(up ? 'raise_hand' : 'lower_hand', { room_id: roomId }).then(function (ack) {
      button.disabled = false;
      report(ack, Live.t(up ? 'hand-raised' : 'hand-lowered'));
      if (ack.ok) applyHand(up ? ack : null);
    });
  }

  if (handToggle) {
    handToggle.addEventListener('click', function () {
      setHand(handToggle.getAttribute('aria-pressed') !== 'true', handToggle);
    });
  }

  // ------------------------------------------------------------------ leaving the room

  function leave(url, textKey) {
    if (state.leaving) return;
    state.leaving = true;
    statusLine.classList.remove('is-error');
    statusLine.textContent = Live.t(textKey);
    window.location.assign(url);
  }

  function decide() {
    if (live.replaying()) return;
    if (state.closed) closeDown();
    else if (state.movedTo && state.movedTo !== roomId) leave(roomUrl + state.movedTo, 'moving');
  }

  /** The round is over: what waits in the outbox is sent (or shown as refused) first. */
  function closeDown() {
    if (state.leaving || !roundWasLive) return;
    var settled = feedback ? feedback.settle() : Promise.resolve();
    settled.then(function () {
      leave(plenaryUrl, 'closed');
    });
  }

  // ------------------------------------------------------------------ the connection

  var live = Live.connect({
    workshopId: workshopId,
    statusEl: document.getElementById('live-status'),
    join: function (api, first) {
      return api
        .emit('join_workshop', { workshop_id: workshopId })
        .then(function (ack) {
          if (!ack.ok) throw new Error((ack.error && ack.error.message) || 'join_workshop');
          var rounds = (ack.workshop && ack.workshop.rounds) || [];
          rounds.forEach(function (r) {
            if (r.id !== roundId) return;
            // Reloaded after being moved: the server knows my room for the open round.
            if (!isFacilitator && roundWasLive && ack.my_room_id && ack.my_room_id !== roomId &&
                (r.status === 'open' || r.status === 'closing')) state.movedTo = ack.my_room_id;
            // Closed while this page was offline: follow it to the plenary, do not join.
            if (roundWasLive && r.status === 'closed') state.closed = true;
          });
          if (state.closed) return { ok: true, closed: true, last_seq: ack.last_seq };
          return api.emit('join_room', { room_id: roomId });
        })
        .then(function (ack) {
          if (!ack.ok) throw new Error((ack.error && ack.error.message) || 'join_room');
          if (ack.closed) return typeof ack.last_seq === 'number' ? ack.last_seq : null;
          if (ack.presence) Live.renderPresence(presenceList, ack.presence.users, partnerNames);
          if (ack.room && ack.room.hand !== undefined) applyHand(ack.room.hand);
          presentation.apply(ack.presentation || null, { scroll: first });
          return typeof ack.last_seq === 'number' ? ack.last_seq : null;
        });
    },
    onReady: function (info) {
      decide();
      if (feedback && !state.leaving && !state.closed) feedback.ready(info);
    },
  });
  if (!live) return;
  presentation.attach(live);
  if (feedback) feedback.attach(live);

  live.on('presence', function (p) {
    if (p.room_id === roomId) Live.renderPresence(presenceList, p.users, partnerNames);
  });

  live.on('presentation_started', function (p, meta) {
    var pr = p.presentation;
    if (!pr || (pr.room_id !== undefined && pr.room_id !== roomId)) return;
    // My presentation was ended by this one (a take-over comes as ended + started together).
    var tookOver = state.endedMine !== null && Date.now() - state.endedMine < 5000 && !canDrive(pr);
    state.endedMine = null;
    presentation.apply(pr, { scroll: true });
    if (tookOver && !(meta && meta.replay)) {
      statusLine.classList.add('is-error');
      statusLine.textContent = Live.t('taken-over', { partner: partnerNames[String(pr.presenter_partner_id)] || '' });
    }
  });

  live.on('timer', function (p) {
    if (p.round_id === roundId) clock.set(Live.parseTime(p.ends_at));
  });

  live.on('round_closing', function (p) {
    if (p.round_id !== roundId) return;
    var seconds = Number(p.seconds || 0);
    state.closingUntil = Live.parseTime(p.ends_at) || Live.now() + seconds * 1000;
    clock.set(state.closingUntil);
    closingText.textContent = Live.t('closing', { seconds: seconds });
    closingBanner.setAttribute('data-seconds', String(seconds));
    closingBanner.hidden = false;
    closingSr.textContent = Live.t(p.by === 'time' ? 'closing-sr-time' : 'closing-sr', { seconds: seconds });
    warnUnsent();
  });

  live.on('round_closed', function (p) {
    if (p.round_id !== roundId) return;
    state.closed = true;
    closeDown();
  });

  // A partner joined or left this room: the plans shown follow who sits here now.
  live.on('room_changed', function (p, meta) {
    if (p.room_id !== roomId || state.leaving || (meta && meta.replay)) return;
    var shown = Array.prototype.map.call(root.querySelectorAll('.room-plan'), function (panel) {
      return Live.int(panel, 'data-partner-id');
    });
    var same = (p.partner_ids || []).every(function (id) {
      return shown.indexOf(id) !== -1;
    }) && shown.every(function (id) {
      return (p.partner_ids || []).indexOf(id) !== -1;
    });
    if (same || (!isFacilitator && !(p.partner_ids || []).some(function (id) {
      return myPartnerIds.indexOf(id) !== -1;
    }))) return; // nothing to redraw, or I am the one moving out (room_assigned takes me)
    state.leaving = true;
    window.location.reload(); // drafts and the outbox are stored: nothing typed is lost
  });

  live.on('room_assigned', function (p) {
    if (p.round_id !== roundId) return;
    state.movedTo = p.room_id;
    decide();
  });

  live.on('hand_raised', function (p, meta) {
    if (p.room_id !== roomId) return;
    applyHand(p);
    if (!(meta && meta.replay)) report({ ok: true }, Live.t('hand-raised'));
  });

  live.on('hand_lowered', function (p) {
    if (p.room_id === roomId) applyHand(null);
  });

  live.on('announcement', function (p) {
    // A message to one room: this room's, never another's (a partner hears its rooms wherever it is).
    if (p.room_id !== undefined && p.room_id !== null && p.room_id !== roomId) return;
    Live.showAnnouncement(p, announcements, banner, p.room_id ? Live.t('to-this-room') : null);
  });
})();
