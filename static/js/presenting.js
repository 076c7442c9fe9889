/* Following a presentation, in a room or in the plenary: the section on screen is marked and
 * brought into view (unless the reader stopped following, or is writing feedback), the
 * presenter's controls (previous, next, end, a section picked in the contents), and the
 * presenter's clock. room.js and plenary.js each make one for their page:
 *
 *   Live.presenting({isFacilitator, myPartnerIds, partnerNames, statusLine, feedback,
 *                    selectPlan(planId, focusTab), onEnded(presentation)})
 *   -> {apply(presentation|null, {scroll}), current(), canDrive(presentation), attach(live)}
 *
 * The markup is templates/live/_presentation_bar.html and the plan panels of
 * templates/live/_plan_panel.html, inside the page's #live root.
 */
(function () {
  'use strict';

  if (!window.Live) return;

  Live.presenting = function (options) {
    var root = Live.root();
    var myPartnerIds = options.myPartnerIds || [];
    var partnerNames = options.partnerNames || {};
    var statusLine = options.statusLine;
    var selectPlan = options.selectPlan || function () {};
    var reducedMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    var follow = document.getElementById('follow');
    var followLabel = follow.closest('label');
    var presenting = document.getElementById('presenting');
    var presentingText = presenting.querySelector('[data-presenting-text]');
    var nobody = document.getElementById('nobody-presenting');
    var jump = document.getElementById('jump');
    var driving = document.getElementById('driving');
    var clock = new Live.TalkClock(document.getElementById('talk-clock'), {
      announcer: document.getElementById('talk-clock-announcer'),
    });
    var live = null;
    var shown = null;

    // Sections scroll to just below the sticky bar, whose height changes with an announcement or
    // the closing banner: a fixed margin would hide the heading of the section on screen.
    var sticky = root.querySelector('.room-sticky');
    if (sticky && window.ResizeObserver) {
      new ResizeObserver(function () {
        document.documentElement.style.setProperty('--sticky-height', sticky.offsetHeight + 'px');
      }).observe(sticky);
    }

    function feedback() {
      return options.feedback ? options.feedback() : null;
    }

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

    function cssEscape(value) {
      return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, '\\$&');
    }

    function reveal(planId, key) {
      selectPlan(planId, false);
      var s = section(planId, key);
      if (s) s.scrollIntoView({ behavior: reducedMotion ? 'auto' : 'smooth', block: 'start' });
    }

    function canDrive(pr) {
      return !!pr && (options.isFacilitator || myPartnerIds.indexOf(Number(pr.presenter_partner_id)) !== -1);
    }

    /** Show a presentation (or none): highlight, controls, the "is presenting" line, the clock; follow it. */
    function apply(pr, how) {
      var scroll = how && how.scroll;
      shown = pr;
      clock.set(pr);
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
      var writing = !!feedback() && feedback().busy();
      jump.hidden = (follow.checked && !writing) || canDrive(pr);
      if (scroll && (follow.checked || canDrive(pr)) && !writing) reveal(pr.plan_id, pr.section_key);
    }

    function moved(pr, key) {
      var out = {};
      Object.keys(pr).forEach(function (k) {
        out[k] = pr[k];
      });
      out.section_key = key;
      return out;
    }

    follow.addEventListener('change', function () {
      jump.hidden = follow.checked || !shown;
      if (follow.checked && shown) reveal(shown.plan_id, shown.section_key);
    });

    jump.addEventListener('click', function () {
      if (shown) reveal(shown.plan_id, shown.section_key);
    });

    function showSection(key) {
      var pr = shown;
      if (!live || !canDrive(pr) || !key || key === pr.section_key) return;
      live.emit('show_section', { presentation_id: pr.id, section_key: key }).then(function (ack) {
        if (!ack.ok) return Live.report(statusLine, ack);
        statusLine.textContent = '';
        // The event follows; showing it now keeps the presenter's page snappy.
        if (shown && shown.id === pr.id) apply(moved(shown, key), { scroll: true });
      });
    }

    function step(delta) {
      if (!shown) return;
      var list = sectionsOf(shown.plan_id);
      var next = list[list.indexOf(section(shown.plan_id, shown.section_key)) + delta];
      if (next) showSection(next.getAttribute('data-section-key'));
    }

    root.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-action]');
      if (button) {
        var action = button.getAttribute('data-action');
        if (action === 'next') step(1);
        else if (action === 'prev') step(-1);
        else if (action === 'end' && shown && live) {
          var id = shown.id;
          button.disabled = true;
          live.emit('end_presentation', { presentation_id: id }).then(function (ack) {
            button.disabled = false;
            Live.report(statusLine, ack, Live.t('ended'));
            if (ack.ok && shown && shown.id === id) apply(null);
          });
        }
        return;
      }
      // The presenter clicking a section in the table of contents shows it to everyone.
      var link = event.target.closest('.toc a[data-section-key]');
      if (link && shown && canDrive(shown) && Live.int(link, 'data-plan-id') === shown.plan_id) {
        showSection(link.getAttribute('data-section-key'));
      }
    });

    return {
      apply: apply,
      current: function () {
        return shown;
      },
      canDrive: canDrive,
      /** Follow the presentation's moves on this connection. */
      attach: function (api) {
        live = api;
        api.on('section_shown', function (p) {
          if (shown && shown.id === p.presentation_id) apply(moved(shown, p.section_key), { scroll: true });
        });
        api.on('presentation_ended', function (p) {
          if (!shown || shown.id !== p.presentation_id) return;
          if (options.onEnded) options.onEnded(shown);
          apply(null);
        });
      },
    };
  };
})();
