/* The plenary page: the presentation in the plenary (started by a facilitator, followed by
 * everyone through presenting.js, with feedback.js on its plan), current round and its clock,
 * presence, announcements, and the move into my breakout room when the facilitator opens the
 * rooms (or moves my partner). */
(function () {
  'use strict';

  var root = window.Live && Live.root();
  if (!root || root.getAttribute('data-page') !== 'plenary') return;

  var workshopId = Live.int(root, 'data-workshop-id');
  var myPartnerIds = Live.json(root, 'data-my-partner-ids', []).map(Number);
  var partnerNames = Live.json(root, 'data-partner-names', {});
  var roomUrl = root.getAttribute('data-room-url') || '/rooms/';
  // The room the page was rendered with (its name is on the page already).
  var renderedRoomId = Live.int(root, 'data-my-room-id');

  var state = {
    roundId: Live.int(root, 'data-round-id'),
    status: root.getAttribute('data-round-status') || null,
    endsAt: Live.parseTime(root.getAttribute('data-ends-at')),
    roomNames: {},
    assignments: {}, // round id -> my room id
    closingUntil: null,
    moving: false,
  };
  if (state.roundId && renderedRoomId) state.assignments[state.roundId] = renderedRoomId;

  var $ = function (sel) {
    return root.querySelector(sel);
  };
  var roundBox = $('[data-round]');
  var noRound = $('[data-no-round]');
  var roundName = $('[data-round-name]');
  var roundBadge = $('[data-round-badge]');
  var myRoomLink = document.getElementById('my-room-link');
  var myRoomName = $('[data-my-room-name]');
  var movingNote = document.getElementById('moving');
  var presenceList = document.getElementById('plenary-presence');
  var announcements = document.getElementById('announcements');
  var banner = document.getElementById('announcement-banner');
  var closingBanner = document.getElementById('closing-banner');
  var closingText = closingBanner.querySelector('[data-closing-text]');
  var closingSr = closingBanner.querySelector('[data-closing-sr]');

  if (myRoomName && myRoomName.textContent && renderedRoomId) state.roomNames[renderedRoomId] = myRoomName.textContent;

  // ------------------------------------------------------------------ the presentation in the plenary

  // The page shows the plan of the presentation it was rendered with; another one is loaded.
  var renderedPresentation = Live.int(root, 'data-presentation-id');
  var feedback = Live.roomFeedback || null;
  var presentStatus = document.getElementById('room-status');
  var presentation = renderedPresentation === null ? null : Live.presenting({
    isFacilitator: root.getAttribute('data-facilitator') === 'true',
    myPartnerIds: myPartnerIds,
    partnerNames: partnerNames,
    statusLine: presentStatus,
    feedback: function () {
      return feedback;
    },
  });
  var reloadWanted = false;

  /** Load the page again for another presentation (after any replay: the join told what runs now). */
  function loadPresentation() {
    if (live && live.replaying()) {
      reloadWanted = true;
      return;
    }
    if (state.moving) return;
    state.moving = true;
    presentStatus.textContent = Live.t('plenary-started');
    window.location.reload();
  }

  function showPresentation(pr, scroll) {
    if (pr && pr.id !== renderedPresentation) loadPresentation();
    else if (presentation) presentation.apply(pr, { scroll: scroll });
  }

  var presentForm = document.getElementById('present-form');
  if (presentForm) {
    presentForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var choice = presentForm.elements.plan_id;
      var option = choice.options[choice.selectedIndex];
      var minutes = parseInt(presentForm.elements.limit_minutes.value, 10);
      if (!option || isNaN(minutes) || !presentForm.elements.limit_minutes.checkValidity()) {
        presentForm.elements.limit_minutes.focus();
        return;
      }
      var button = presentForm.querySelector('button[type="submit"]');
      button.disabled = true;
      live.emit('start_presentation', {
        workshop_id: workshopId, partner_id: Live.int(option, 'data-partner-id'), plan_id: Number(choice.value), limit_minutes: minutes,
      }).then(function (ack) {
        button.disabled = false;
        Live.report(presentStatus, ack);
        if (ack.ok) loadPresentation();
      });
    });
  }

  var clock = new Live.Countdown(document.getElementById('round-clock'), {
    announcer: document.getElementById('round-clock-announcer'),
  });
  clock.set(state.endsAt);

  Live.wireBanner(banner);

  Live.onTick(function (now) {
    if (state.closingUntil === null) return;
    var left = Math.max(0, Math.ceil((state.closingUntil - now) / 1000));
    closingText.textContent = Live.t('closing', { seconds: left });
  });

  function active() {
    return state.roundId !== null && (state.status === 'open' || state.status === 'closing');
  }

  function myRoomId() {
    return state.roundId !== null ? state.assignments[state.roundId] || null : null;
  }

  function render() {
    roundBox.hidden = !active();
    noRound.hidden = active();
    if (state.status) {
      roundBadge.className = 'badge status-' + state.status;
      roundBadge.textContent = Live.t('round-' + state.status) || state.status;
    }
    var room = myRoomId();
    if (room && active()) {
      myRoomLink.hidden = false;
      myRoomLink.setAttribute('href', roomUrl + room);
      myRoomName.textContent = state.roomNames[room] || '';
    } else {
      myRoomLink.hidden = true;
    }
    if (state.status !== 'closing') {
      state.closingUntil = null;
      closingBanner.hidden = true;
    }
  }

  /**
   * Go to my room (never while replaying) unless this tab has been in it already: someone who
   * came back to the plenary on purpose stays, with the link; a late joiner is taken there
   * like everyone else.
   */
  function decide() {
    if (live && live.replaying()) return;
    var room = myRoomId();
    if (!state.moving && active() && room && !Live.visitedRoom(room)) {
      state.moving = true;
      movingNote.hidden = false;
      window.location.assign(roomUrl + room);
    }
  }

  function applyRound(round) {
    if (!round) return;
    state.roundId = round.id;
    state.status = round.status;
    state.endsAt = Live.parseTime(round.ends_at);
    clock.set(state.endsAt);
    if (roundName) roundName.textContent = round.name || '';
    (round.rooms || []).forEach(function (room) {
      state.roomNames[room.id] = room.name;
      (room.partner_ids || []).forEach(function (pid) {
        if (myPartnerIds.indexOf(Number(pid)) !== -1 && !state.assignments[round.id]) {
          state.assignments[round.id] = room.id;
        }
      });
    });
  }

  var live = Live.connect({
    workshopId: workshopId,
    statusEl: document.getElementById('live-status'),
    join: function (api, first) {
      return api.emit('join_workshop', { workshop_id: workshopId }).then(function (ack) {
        if (!ack.ok) throw new Error((ack.error && ack.error.message) || 'join_workshop');
        if (ack.presence) Live.renderPresence(presenceList, ack.presence.users, partnerNames);
        var rounds = (ack.workshop && ack.workshop.rounds) || [];
        var current = null;
        rounds.forEach(function (r) {
          if (r.status === 'open' || r.status === 'closing') current = r;
        });
        if (current) {
          applyRound(current);
          if (ack.my_room_id) state.assignments[current.id] = ack.my_room_id;
        } else if (state.roundId !== null && rounds.length) {
          // The round the page showed has closed in the meantime.
          rounds.forEach(function (r) {
            if (r.id === state.roundId) state.status = r.status;
          });
        }
        render();
        showPresentation(ack.presentation || null, first);
        return typeof ack.last_seq === 'number' ? ack.last_seq : null;
      });
    },
    onReady: function (info) {
      render();
      decide();
      if (reloadWanted) loadPresentation();
      else if (feedback) feedback.ready(info);
    },
  });
  if (!live) return;
  if (presentation) presentation.attach(live);
  if (feedback) feedback.attach(live);

  live.on('presentation_started', function (p, meta) {
    // A replay is older news: the join's ack told what the plenary shows now.
    if (p.presentation && p.presentation.room_id === null && !(meta && meta.replay)) showPresentation(p.presentation, true);
  });

  live.on('presence', function (p) {
    if (p.room_id === null || p.room_id === undefined) Live.renderPresence(presenceList, p.users, partnerNames);
  });

  live.on('round_opened', function (p) {
    applyRound(p.round);
    render();
    decide();
  });

  live.on('room_assigned', function (p) {
    state.assignments[p.round_id] = p.room_id;
    render();
    decide();
  });

  live.on('timer', function (p) {
    if (p.round_id !== state.roundId) return;
    state.endsAt = Live.parseTime(p.ends_at);
    clock.set(state.endsAt);
  });

  live.on('round_closing', function (p) {
    if (p.round_id !== state.roundId) return;
    state.status = 'closing';
    render();
    // Without ends_at in the event, a replayed countdown restarts from its full length: a little
    // long, never short; a finished one is followed by round_closed in the same replay.
    state.closingUntil = Live.parseTime(p.ends_at) || Live.now() + Number(p.seconds || 0) * 1000;
    closingText.textContent = Live.t('closing', { seconds: p.seconds });
    closingBanner.hidden = false;
    closingSr.textContent = Live.t(p.by === 'time' ? 'closing-sr-time' : 'closing-sr', { seconds: p.seconds });
  });

  live.on('round_closed', function (p) {
    if (p.round_id !== state.roundId) return;
    state.status = 'closed';
    render();
  });

  // Shown everywhere the workshop's status is (the header badge of the page).
  live.on('workshop_ended', function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-workshop-status]'), function (badge) {
      badge.className = 'badge status-ended';
      badge.textContent = Live.t('workshop-ended');
    });
  });

  live.on('announcement', function (p) {
    if (p.room_id !== undefined && p.room_id !== null) return; // a message to one room is shown there
    Live.showAnnouncement(p, announcements, banner);
  });

  render();
})();
