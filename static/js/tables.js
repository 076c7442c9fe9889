/* Wide tables in plan sections and feedback (stored, sanitised Markdown) scroll sideways
 * inside a wrapper instead of widening the page. While one actually scrolls, its wrapper is
 * a named region in the tab order, so a keyboard user can reach it and scroll it with the
 * arrow keys (WCAG 2.1.1; axe-core's scrollable-region-focusable). The table itself keeps
 * its table semantics.
 *
 * The wrapper's name comes from this script tag's data-label (the template translates it).
 * Tables that arrive later (live feedback, a plan shown in a room) are wrapped as they come.
 */
(function () {
  'use strict';

  var label = (document.currentScript && document.currentScript.getAttribute('data-label')) || '';
  var sizes = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { reachable(entry.target); });
  });

  function reachable(wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth) {
      wrapper.setAttribute('tabindex', '0');
      wrapper.setAttribute('role', 'region');
      wrapper.setAttribute('aria-label', label);
    } else {
      wrapper.removeAttribute('tabindex');
      wrapper.removeAttribute('role');
      wrapper.removeAttribute('aria-label');
    }
  }

  function wrap(table) {
    if (table.parentElement.classList.contains('table-scroll')) return;
    var wrapper = document.createElement('div');
    wrapper.className = 'table-scroll';
    table.parentNode.insertBefore(wrapper, table);
    wrapper.appendChild(table);
    sizes.observe(wrapper);
    reachable(wrapper);
  }

  function wrapWithin(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches('.prose table')) wrap(node);
    node.querySelectorAll('.prose table').forEach(wrap);
  }

  function start() {
    wrapWithin(document.body);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) { mutation.addedNodes.forEach(wrapWithin); });
    }).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
