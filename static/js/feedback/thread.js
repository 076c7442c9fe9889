/* The thread view: feedback items under their sections, replies under their item, the
 * answer of the plan's partner, and the items of this person still being sent or refused.
 * Server and user data reach the DOM through textContent, except body_html, which the server
 * renders from Markdown and sanitises (nh3) and which is inserted as HTML.
 */
import { sectionCounts } from './counts.js';

var KINDS = ['strength', 'question', 'suggestion', 'concern'];

/**
 * The items of the room page `page`. hooks.confirmed(clientId): an item of mine was taken by
 * the server; hooks.changed(id): an item was added or changed.
 */
export function createThread(page, hooks) {
  var t = Live.t;
  var el = Live.el;
  var myUserId = page.myUserId;
  var myName = page.myName;
  var myPartnerIds = page.myPartnerIds;
  var partnerNames = page.partnerNames;
  var criterionLabels = page.criterionLabels;
  var writable = page.writable;
  var planPanel = page.planPanel;
  var isOwner = page.isOwner;
  var area = page.area;
  var slot = page.slot;
  var itemEl = page.itemEl;
  var pendingEl = page.pendingEl;
  var actionButton = page.actionButton;
  var describe = page.describe;

  var items = {}; // feedback id -> feedback (without replies)
  var orphans = {}; // parent id -> [reply ids] waiting for their parent
  var recount = sectionCounts(page, items);

  function timeOf(iso) {
    var ms = Live.parseTime(iso);
    if (ms === null) return null;
    var node = el('time', 'lf-time', Live.formatTime(ms));
    node.setAttribute('datetime', iso);
    node.title = Live.formatTime(ms, true);
    return node;
  }

  function authorLine(author, partnerId, iso) {
    var line = el('p', 'lf-byline');
    line.appendChild(el('span', 'lf-author', author && author.name ? author.name : ''));
    var partner = partnerId !== null && partnerId !== undefined ? partnerNames[String(partnerId)] : null;
    line.appendChild(el('span', 'lf-partner', partner || t('fb-facilitator')));
    var time = timeOf(iso);
    if (time) line.appendChild(time);
    return line;
  }

  function badges(fb, isReply) {
    var row = el('p', 'lf-tags');
    if (KINDS.indexOf(fb.kind) !== -1) row.appendChild(el('span', 'badge lf-kind kind-' + fb.kind, t('kind-' + fb.kind)));
    if (fb.criterion) row.appendChild(el('span', 'badge lf-criterion', criterionLabels[fb.criterion] || fb.criterion));
    if (fb.rating) {
      var rating = el('span', 'badge lf-rating', t('fb-rating', { n: fb.rating }));
      rating.setAttribute('data-rating', String(fb.rating));
      row.appendChild(rating);
    }
    if (!isReply || fb.status === 'withdrawn') {
      var status = el('span', 'badge lf-status lf-status-' + fb.status, t('fb-status-' + fb.status) || fb.status);
      status.setAttribute('data-fb-status', fb.status);
      row.appendChild(status);
    }
    return row;
  }

  function quoteBlock(text) {
    var q = el('blockquote', 'lf-quote', text);
    q.setAttribute('data-fb-quote', '');
    return q;
  }


  /** A fresh <li> for an item: the card (redrawn on updates), its replies and a form slot. */
  function shell(isReply) {
    var li = el('li', 'lf-item' + (isReply ? ' lf-reply' : ''));
    li.appendChild(el('article', 'lf-card'));
    if (!isReply) {
      var replies = el('ol', 'lf-replies');
      replies.setAttribute('aria-label', t('fb-replies'));
      li.appendChild(replies);
    }
    li.appendChild(slot());
    return li;
  }

  function fillCard(li, fb) {
    var isReply = fb.parent_id !== null && fb.parent_id !== undefined;
    var card = li.querySelector('.lf-card');
    Live.clear(card);
    li.className = 'lf-item' + (isReply ? ' lf-reply' : '') + (fb.kind ? ' kind-' + fb.kind : '') + (fb.status === 'withdrawn' ? ' is-withdrawn' : '');
    li.setAttribute('data-feedback-id', String(fb.id));
    li.setAttribute('data-status', fb.status);
    if (fb.client_id) li.setAttribute('data-client-id', fb.client_id);

    var head = el('header', 'lf-head');
    head.appendChild(badges(fb, isReply));
    head.appendChild(authorLine(fb.author, fb.author_partner_id, fb.created_at));
    card.appendChild(head);
    if (fb.quote) card.appendChild(quoteBlock(fb.quote));
    if (fb.status === 'withdrawn') {
      card.appendChild(el('p', 'lf-withdrawn-note', t('fb-withdrawn-note')));
    }
    var body = el('div', 'lf-body prose');
    body.innerHTML = fb.body_html || ''; // sanitised by the server (nh3)
    card.appendChild(body);

    var answered = !isReply && fb.status !== 'open' && fb.status !== 'withdrawn';
    if (answered && (fb.response || fb.addressed_in_version || fb.responded_by)) {
      var box = el('div', 'lf-response lf-response-' + fb.status);
      box.setAttribute('data-fb-response', '');
      var who = fb.responded_by && fb.responded_by.name ? fb.responded_by.name : '';
      if (fb.status === 'addressed' && fb.addressed_in_version) {
        box.appendChild(el('p', 'lf-addressed', t('fb-addressed-in', { n: fb.addressed_in_version })));
      }
      if (fb.response) {
        var p = el('p', 'lf-response-text');
        p.appendChild(el('strong', null, t('fb-answer-from', { name: who })));
        p.appendChild(document.createTextNode(' '));
        p.appendChild(el('span', 'lf-reason', fb.response));
        box.appendChild(p);
      } else if (who) {
        box.appendChild(el('p', 'lf-response-by muted', t('fb-answer-by', { name: who })));
      }
      card.appendChild(box);
    }

    var actions = el('div', 'lf-actions');
    var open = fb.status !== 'withdrawn';
    if (open && writable && !isReply) actions.appendChild(actionButton('reply', t('fb-reply')));
    if (open && !isReply && isOwner(fb.plan_id)) actions.appendChild(actionButton('answer', t('fb-answer')));
    if (open && writable && fb.author && fb.author.id === myUserId) {
      actions.appendChild(actionButton('edit', t('fb-edit')));
      actions.appendChild(actionButton('withdraw', t('fb-withdraw'), 'danger-link'));
    }
    if (actions.firstChild) card.appendChild(actions);
  }

  /** Put an <li> into a list in id order, confirmed items before those still being sent. */
  function insertOrdered(list, li, id) {
    var children = Array.prototype.slice.call(list.children);
    for (var i = 0; i < children.length; i++) {
      var other = children[i];
      if (other === li) continue;
      var otherId = Live.int(other, 'data-feedback-id');
      if (otherId === null || (id !== null && otherId > id)) {
        list.insertBefore(li, other);
        return;
      }
    }
    list.appendChild(li);
  }

  function listFor(fb) {
    if (fb.parent_id !== null && fb.parent_id !== undefined) {
      var parent = itemEl(fb.parent_id);
      return parent ? parent.querySelector('.lf-replies') : null;
    }
    var a = area(fb.plan_id, fb.section_key);
    return a ? a.querySelector('[data-feedback-list]') : null;
  }

  /** Add or replace an item (an ack, an event, the page's initial list). */
  function upsert(fb) {
    if (!fb || typeof fb.id !== 'number' || !planPanel(fb.plan_id)) return;
    var known = items[fb.id];
    if (known && known.updated_at && fb.updated_at && fb.updated_at < known.updated_at) return; // older news
    var copy = {};
    Object.keys(fb).forEach(function (k) {
      if (k !== 'replies') copy[k] = fb[k];
    });
    items[fb.id] = copy;

    // My item, confirmed: it leaves the outbox and replaces its "sending…" twin.
    if (fb.client_id && fb.author && fb.author.id === myUserId) {
      hooks.confirmed(fb.client_id);
    }
    var pending = fb.client_id ? pendingEl(fb.client_id) : null;
    var li = itemEl(fb.id);
    var list = listFor(fb);
    if (!list) {
      if (fb.parent_id) (orphans[fb.parent_id] = orphans[fb.parent_id] || []).push(fb.id);
      return;
    }
    if (pending) pending.parentNode.removeChild(pending);
    if (!li) {
      li = shell(!!fb.parent_id);
      insertOrdered(list, li, fb.id);
    }
    fillCard(li, copy);
    (fb.replies || []).forEach(upsert);
    (orphans[fb.id] || []).forEach(function (replyId) {
      if (items[replyId]) upsert(items[replyId]);
    });
    delete orphans[fb.id];
    hooks.changed(fb.id);
    recount(fb.plan_id, fb.section_key);
  }

  /** Show an item that is in the outbox (sending) or was refused (failed). */
  function showPending(payload, error, final) {
    var parent = payload.parent_id ? itemEl(payload.parent_id) : null;
    var list = parent ? parent.querySelector('.lf-replies') : null;
    if (!list) {
      var a = area(payload.plan_id, payload.section_key);
      list = a && a.querySelector('[data-feedback-list]');
    }
    if (!list) return null;
    var li = pendingEl(payload.client_id);
    if (!li) {
      li = shell(!!payload.parent_id);
      li.setAttribute('data-client-id', payload.client_id);
      list.appendChild(li);
    }
    li.className = 'lf-item' + (payload.parent_id ? ' lf-reply' : '') + (payload.kind ? ' kind-' + payload.kind : '') + (final ? ' is-failed' : ' is-pending');
    var card = li.querySelector('.lf-card');
    Live.clear(card);
    var head = el('header', 'lf-head');
    var tags = el('p', 'lf-tags');
    if (KINDS.indexOf(payload.kind) !== -1) tags.appendChild(el('span', 'badge lf-kind kind-' + payload.kind, t('kind-' + payload.kind)));
    if (payload.criterion) tags.appendChild(el('span', 'badge lf-criterion', criterionLabels[payload.criterion] || payload.criterion));
    if (payload.rating) tags.appendChild(el('span', 'badge lf-rating', t('fb-rating', { n: payload.rating })));
    var state = el('span', 'badge lf-state', final ? t('fb-not-sent') : t('fb-sending'));
    state.setAttribute('data-pending-state', final ? 'failed' : 'sending');
    tags.appendChild(state);
    head.appendChild(tags);
    head.appendChild(authorLine({ name: myName }, myPartnerIds.length ? myPartnerIds[0] : null, null));
    card.appendChild(head);
    if (payload.quote) card.appendChild(quoteBlock(payload.quote));
    // Not rendered yet: the text as typed, copyable.
    card.appendChild(el('div', 'lf-body lf-raw', payload.body));
    var note = el('p', 'lf-note' + (final || error ? ' is-error' : ''));
    note.setAttribute('role', final ? 'alert' : 'status');
    if (final) note.textContent = t('fb-failed', { message: describe(error) });
    else if (error) note.textContent = t('fb-retrying', { message: describe(error) });
    else note.textContent = t('fb-kept');
    card.appendChild(note);
    if (final) {
      var actions = el('div', 'lf-actions');
      if (writable) actions.appendChild(actionButton('resend', t('fb-resend')));
      actions.appendChild(actionButton('dismiss', t('fb-dismiss')));
      card.appendChild(actions);
    }
    recount(payload.plan_id, payload.section_key);
    return li;
  }


  /** The section's counts: next to the feedback heading and in the table of contents. */

  function itemOf(node) {
    var li = node.closest('.lf-item');
    var id = li && Live.int(li, 'data-feedback-id');
    return id !== null && id !== undefined ? items[id] : null;
  }
  return {
    items: items,
    upsert: upsert,
    showPending: showPending,
    itemOf: itemOf,
    recount: recount,
  };
}
