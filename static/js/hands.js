/* A room's raised hand, on the board and in the room: who asked for help and since when.
 * The relative time ticks with the page's clock; board.js and room.js redraw a hand from
 * hand_raised / hand_lowered (and the join acks). Texts come from data-t-hand-* on the live
 * root (templates/live/_hand_strings.html); names reach the DOM through textContent only. */
(function () {
  'use strict';

  if (!window.Live) return;

  function ago(atMs, now) {
    var minutes = Math.max(0, Math.floor((now - atMs) / 60000));
    if (minutes < 1) return Live.t('hand-just-now');
    if (minutes < 60) return Live.t('hand-minutes-ago', { n: minutes });
    return Live.t('hand-hours-ago', { n: Math.floor(minutes / 60) });
  }

  /** Refresh the times of one [data-hand] line from its data-at. */
  function tick(line, now) {
    var at = Live.parseTime(line.getAttribute('data-at'));
    var time = line.querySelector('[data-hand-time]');
    var since = line.querySelector('[data-hand-ago]');
    setText(time, at === null ? '' : Live.formatTime(at));
    setText(since, at === null ? '' : ago(at, now));
  }

  // Written only when it changes: every second would disturb a screen reader inside a live region.
  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  /**
   * Show a hand ({room_id, by: {name}, at}) in `box` (an element holding one [data-hand]
   * line), or hide the box when `hand` is null.
   */
  function show(box, hand) {
    if (!box) return;
    var line = box.querySelector('[data-hand]');
    box.hidden = !hand;
    if (!line) return;
    line.setAttribute('data-at', hand && hand.at ? hand.at : '');
    var text = line.querySelector('[data-hand-text]');
    if (text) text.textContent = hand && hand.by ? Live.t('hand-by', { name: hand.by.name }) : Live.t('hand-asked');
    var time = line.querySelector('[data-hand-time]');
    if (time) time.setAttribute('datetime', hand && hand.at ? hand.at : '');
    tick(line, Live.now());
  }

  Live.onTick(function (now) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-hand]'), function (line) {
      tick(line, now);
    });
  });

  window.Hands = { show: show };
})();
