/* A breakout room: both plans (tabs), the presenter's controls, following the presenter,
 * presence, the room's clock and closing countdown, announcements, and the moves that
 * take people elsewhere (moved to another room, round closed). */
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

  var follow = document.getElementById('follow');
  var presenting = document.getElementById('presenting');
  var presentingText = presenting.querySelector('[data-presenting-text]');
  var nobody = document.getElementById('nobody-presenting');
  var jump = document.getElementById('jump');
  var driving = document.getElementById('driving');
  var followLabel = follow.closest('label');
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
  var reducedMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  var feedback = Live.roomFeedback || null; // feedback.js: items, forms and the outbox

  var state = {
    presentation: null,
    closingUntil: null,
    leaving: false,
    movedTo: null, // a room_assigned for this round naming another room
    closed: false, // the round closed (maybe while this page was offline)
    pendingStart: null, // {planId, button} waiting for "take over?"
    endedMine: null, // when my presentation was ended by someone else's event
  };

  Live.wireBanner(banner);
  Live.markVisited(roomId);

  // Sections scroll to just below the sticky bar, whose height changes with an announcement or
  // the closing banner: a fixed margin would hide the heading of the section on screen.
  var sticky = root.querySelector('.room-sticky');
  if (sticky && window.ResizeObserver) {
    new ResizeObserver(function () {
      document.documentElement.style.setProperty('--sticky-height', sticky.offsetHeight + 'px');
    }).observe(sticky);
  }

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

  function sectionsOf(planId) {
    var p = panel(planId);
    return p ? Array.prototype.slice.call(p.querySelectorAll('.plan-section')) : [];
  }

  function section(planId, key) {
    var found = null;
    sectionsOf(planId).forEach(function (s) {
      if (s.getAttribute('data-section-key') === key) found = s;
    });
    return found;
  }

  function sectionTitle(planId, key) {
    var s = section(planId, key);
    var title = s && s.querySelector('[data-section-title]');
    return title ? title.textContent : key;
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

  function reveal(planId, key) {
    selectPlan(planId, false);
    var s = section(planId, key);
    if (s) s.scrollIntoView({ behavior: reducedMotion ? 'auto' : 'smooth', block: 'start' });
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

  function canDrive(pr) {
    return !!pr && (isFacilitator || myPartnerIds.indexOf(Number(pr.presenter_partner_id)) !== -1);
  }

  /** Show a presentation (or none): highlight, controls, the "is presenting" line; follow it. */
  function applyPresentation(pr, options) {
    var scroll = options && options.scroll;
    state.presentation = pr;
    Array.prototype.forEach.call(root.querySelectorAll('.plan-section.is-current'), function (s) {
      s.classList.remove('is-current');
      s.querySelector('[data-on-screen-badge]').hidden = true;
    });
    Array.prototype.forEach.call(root.querySelectorAll('.toc a[aria-current]'), function (a) {
      a.removeAttribute('aria-current');
    });
    Array.prototype.forEach.call(root.querySelectorAll('.room-plan'), function (p) {
      var mine = !!pr && pr.plan_id === Live.int(p, 'data-plan-id');
      var start = p.querySelector('[data-action="start"]');
      if (start) start.hidden = mine;
      p.classList.toggle('is-presented', mine);
    });
    driving.hidden = !canDrive(pr);
    // The presenter moves everyone, themselves included: following is for the others.
    followLabel.hidden = canDrive(pr);
    if (canDrive(pr)) {
      var list = sectionsOf(pr.plan_id);
      var at = list.indexOf(section(pr.plan_id, pr.section_key));
      driving.querySelector('[data-action="prev"]').disabled = at <= 0;
      driving.querySelector('[data-action="next"]').disabled = at === -1 || at >= list.length - 1;
    }
    nobody.hidden = !!pr;
    if (!pr) {
      presenting.hidden = true;
      jump.hidden = true;
      return;
    }
    var s = section(pr.plan_id, pr.section_key);
    if (s) {
      s.classList.add('is-current');
      s.querySelector('[data-on-screen-badge]').hidden = false;
    }
    var link = root.querySelector('.toc a[data-plan-id="' + pr.plan_id + '"][data-section-key="' + cssEscape(pr.section_key) + '"]');
    if (link) link.setAttribute('aria-current', 'true');
    presentingText.textContent = Live.t('presenting', {
      partner: partnerNames[String(pr.presenter_partner_id)] || '',
      section: sectionTitle(pr.plan_id, pr.section_key),
    });
    presenting.hidden = false;
    // Someone writing feedback is not pulled away (nor their plan tab switched) by the presenter.
    var writing = !!feedback && feedback.busy();
    jump.hidden = (follow.checked && !writing) || canDrive(pr);
    if (scroll && (follow.checked || canDrive(pr)) && !writing) reveal(pr.plan_id, pr.section_key);
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, '\\$&');
  }

  follow.addEventListener('change', function () {
    var pr = state.presentation;
    jump.hidden = follow.checked || !pr;
    if (follow.checked && pr) reveal(pr.plan_id, pr.section_key);
  });

  jump.addEventListener('click', function () {
    var pr = state.presentation;
    if (pr) reveal(pr.plan_id, pr.section_key);
  });

  // ------------------------------------------------------------------ presenter actions

  function report(ack, okText) {
    Live.report(statusLine, ack, okText);
  }

  function showSection(key) {
    var pr = state.presentation;
    if (!canDrive(pr) || !key || key === pr.section_key) return;
    live.emit('show_section', { presentation_id: pr.id, section_key: key }).then(function (ack) {
      if (!ack.ok) return report(ack);
      statusLine.textContent = '';
      // The event follows; showing it now keeps the presenter's page snappy.
      if (state.presentation && state.presentation.id === pr.id) {
        applyPresentation(merge(state.presentation, { section_key: key }), { scroll: true });
      }
    });
  }

  function merge(a, b) {
    var out = {};
    Object.keys(a).forEach(function (k) {
      out[k] = a[k];
    });
    Object.keys(b).forEach(function (k) {
      out[k] = b[k];
    });
    return out;
  }

  function step(delta) {
    var pr = state.presentation;
    if (!pr) return;
    var list = sectionsOf(pr.plan_id);
    var at = list.indexOf(section(pr.plan_id, pr.section_key));
    var next = list[at + delta];
    if (next) showSection(next.getAttribute('data-section-key'));
  }

  function start(planId, button) {
    button.disabled = true;
    live.emit('start_presentation', { room_id: roomId, plan_id: planId }).then(function (ack) {
      button.disabled = false;
      report(ack, Live.t('started'));
      if (ack.ok && ack.presentation) applyPresentation(ack.presentation, { scroll: true });
    });
  }

  root.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-action]');
    if (button) {
      var action = button.getAttribute('data-action');
      if (action === 'start') {
        var planId = Live.int(button, 'data-plan-id');
        var current = state.presentation;
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
      } else if (action === 'next') {
        step(1);
      } else if (action === 'prev') {
        step(-1);
      } else if (action === 'lower-hand') {
        setHand(false, button);
      } else if (action === 'end' && state.presentation) {
        var id = state.presentation.id;
        button.disabled = true;
        live.emit('end_presentation', { presentation_id: id }).then(function (ack) {
          button.disabled = false;
          report(ack, Live.t('ended'));
          if (ack.ok && state.presentation && state.presentation.id === id) applyPresentation(null);
        });
      }
      return;
    }
    // The presenter clicking a section in the table of contents shows it to everyone.
    var link = event.target.closest('.toc a[data-section-key]');
    var pr = state.presentation;
    if (link && pr && canDrive(pr) && Live.int(link, 'data-plan-id') === pr.plan_id) {
      showSection(link.getAttribute('data-section-key'));
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
          applyPresentation(ack.presentation || null, { scroll: first });
          return typeof ack.last_seq === 'number' ? ack.last_seq : null;
        });
    },
    onReady: function (info) {
      decide();
      if (feedback && !state.leaving && !state.closed) feedback.ready(info);
    },
  });
  if (!live) return;
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
    applyPresentation(pr, { scroll: true });
    if (tookOver && !(meta && meta.replay)) {
      statusLine.classList.add('is-error');
      statusLine.textContent = Live.t('taken-over', { partner: partnerNames[String(pr.presenter_partner_id)] || '' });
    }
  });

  live.on('section_shown', function (p) {
    var pr = state.presentation;
    if (pr && pr.id === p.presentation_id) applyPresentation(merge(pr, { section_key: p.section_key }), { scroll: true });
  });

  live.on('presentation_ended', function (p) {
    if (!state.presentation || state.presentation.id !== p.presentation_id) return;
    if (!isFacilitator && canDrive(state.presentation)) state.endedMine = Date.now();
    applyPresentation(null);
  });

  live.on('timer', function (p) {
    if (p.round_id === roundId) clock.set(Live.parseTime(p.ends_at));
  });

  live.on('round_closing', function (p) {
    if (p.round_id !== roundId) return;
    var seconds = Number(p.seconds || 0);
    state.closingUntil = Live.parseTime(p.ends_at) || Date.now() + seconds * 1000;
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
