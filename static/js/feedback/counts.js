/* Counts of a section's feedback items (replies and withdrawn items aside): next to the
 * section's feedback heading and in the table of contents, with words for screen readers. */

/** recount(planId, key) for the room page `page`, counting the items in `items` (id -> item). */
export function sectionCounts(page, items) {
  var t = Live.t;
  var root = page.root;
  var area = page.area;
  var cssEscape = page.cssEscape;

  function recount(planId, key) {
    var n = 0;
    Object.keys(items).forEach(function (id) {
      var fb = items[id];
      if (fb.plan_id === planId && fb.section_key === key && !fb.parent_id && fb.status !== 'withdrawn') n++;
    });
    var a = area(planId, key);
    if (a) {
      var heading = a.querySelector('.feedback-head');
      var list = a.querySelector('[data-feedback-list]');
      if (heading) heading.hidden = !list.firstChild;
      var count = a.querySelector('[data-section-count]');
      if (count) {
        count.textContent = String(n);
        count.hidden = n === 0; // only items still being sent: no "0" next to them
      }
    }
    var link = root.querySelector('.toc a[data-plan-id="' + Number(planId) + '"][data-section-key="' + cssEscape(key) + '"]');
    var badge = link && link.querySelector('[data-toc-count]');
    if (badge) {
      badge.hidden = n === 0;
      badge.setAttribute('data-count', String(n));
      badge.querySelector('.toc-count-n').textContent = String(n);
      badge.querySelector('[data-toc-count-sr]').textContent = ' (' + (n === 1 ? t('fb-count-one') : t('fb-count', { n: n })) + ')';
    }
  }

  return recount;
}
