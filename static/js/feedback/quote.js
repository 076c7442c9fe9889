/* Quoting: select text in a section of a plan one may give feedback on, and a "Quote and
 * comment" button appears next to it; it opens the feedback form with the quote. */
var MAX_QUOTE = 2000;

/** Offers the quote button (#quote-button) of the room page `page`; openMain opens the form. */
export function quoting(page, openMain) {
  var quoteButton = document.getElementById('quote-button');
  var pendingQuote = null; // {planId, sectionKey, text} behind the quote button
  var writable = page.writable;
  var mayGive = page.mayGive;
  var sectionEl = page.sectionEl;

  /** The selection, if it lies inside one quotable section: {planId, sectionKey, text, rect}. */
  function quotableSelection() {
    var sel = window.getSelection && window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
    var start = sel.anchorNode && (sel.anchorNode.nodeType === 1 ? sel.anchorNode : sel.anchorNode.parentElement);
    var end = sel.focusNode && (sel.focusNode.nodeType === 1 ? sel.focusNode : sel.focusNode.parentElement);
    var prose = start && start.closest('.plan-section .prose[data-quotable="true"]');
    if (!prose || !end || !prose.contains(end)) return null;
    var s = prose.closest('.plan-section');
    var planId = Live.int(s, 'data-plan-id');
    if (!mayGive(planId)) return null;
    var text = sel.toString().trim();
    if (!text) return null;
    if (text.length > MAX_QUOTE) text = text.slice(0, MAX_QUOTE).trim();
    var range = sel.getRangeAt(0);
    var rects = range.getClientRects();
    var rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    return { planId: planId, sectionKey: s.getAttribute('data-section-key'), text: text, rect: rect };
  }

  function updateQuoteButton() {
    if (!quoteButton) return;
    var found = quotableSelection();
    if (!found) {
      if (document.activeElement !== quoteButton) hideQuoteButton();
      return;
    }
    pendingQuote = found;
    quoteButton.hidden = false;
    var parent = quoteButton.offsetParent || document.body;
    var base = parent.getBoundingClientRect();
    var width = quoteButton.offsetWidth;
    var left = Math.min(Math.max(found.rect.right - width / 2, 8), document.documentElement.clientWidth - width - 8);
    quoteButton.style.left = Math.round(left - base.left) + 'px';
    quoteButton.style.top = Math.round(found.rect.bottom + 8 - base.top) + 'px';
  }

  function hideQuoteButton() {
    if (quoteButton) quoteButton.hidden = true;
    pendingQuote = null;
  }

  if (quoteButton && writable) {
    var selectionTimer = null;
    document.addEventListener('selectionchange', function () {
      window.clearTimeout(selectionTimer);
      selectionTimer = window.setTimeout(updateQuoteButton, 120);
    });
    // Pressing the button must not drop the selection before it is read.
    quoteButton.addEventListener('mousedown', function (event) {
      event.preventDefault();
    });
    quoteButton.addEventListener('click', function () {
      var q = pendingQuote || quotableSelection();
      hideQuoteButton();
      if (!q) return;
      var sel = window.getSelection();
      if (sel) sel.removeAllRanges();
      var s = sectionEl(q.planId, q.sectionKey);
      openMain({
        planId: q.planId, sectionKey: q.sectionKey, quote: q.text,
        returnFocus: s && s.querySelector('[data-fb-action="give"]'),
      });
    });
    window.addEventListener('resize', function () {
      if (!quoteButton.hidden) updateQuoteButton();
    });
  }
}
