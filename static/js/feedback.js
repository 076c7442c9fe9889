/* Structured feedback in a breakout room: items pinned to plan sections, live.
 *
 * - "Give feedback" on a section, or select text in it and "Quote and comment", opens the
 *   form (kind, criterion, rating, Markdown text, the quote read-only).
 * - Nothing is lost: an item goes into a localStorage outbox (collab.outbox.<room_id>) the
 *   moment Send is pressed and leaves it only when the server has acknowledged it (or
 *   refused it for good, then it is kept aside with the error and its text). The outbox is
 *   sent again after every (re)connect and page load with the same client_id, which the
 *   server answers with the first item, never a duplicate. While the socket is down nothing
 *   is emitted (socket.io would buffer it and send it a second time next to the resend).
 * - Items arrive live (feedback_added / feedback_updated) and are put under their section,
 *   replies under their item; the table of contents counts each section's items.
 * - Authors edit and withdraw their items; the plan's partner answers them (accept, decline
 *   with a reason, addressed in version N, defer, reopen).
 *
 * Strings come from data-t-* attributes and <template> elements of the page; server and
 * user data reach the DOM through textContent, except body_html, which the server renders
 * from Markdown and sanitises (nh3) and which is inserted as HTML.
 */
import { roomStore, uuid } from './feedback/outbox.js';

(function () {
  'use strict';

  var root = window.Live && Live.root();
  if (!root || root.getAttribute('data-page') !== 'room') return;

  var FINAL_ERRORS = ['validation', 'forbidden', 'conflict', 'not_found'];
  var MAX_BODY = 4000;
  var MAX_QUOTE = 2000;
  var KINDS = ['strength', 'question', 'suggestion', 'concern'];

  var t = Live.t;
  var el = Live.el;
  var roomId = Live.int(root, 'data-room-id');
  var myUserId = Live.int(root, 'data-my-user-id');
  var myName = root.getAttribute('data-my-name') || '';
  var myPartnerIds = Live.json(root, 'data-my-partner-ids', []).map(Number);
  var partnerNames = Live.json(root, 'data-partner-names', {});
  var rubric = Live.json(root, 'data-rubric', []);
  var writable = root.getAttribute('data-feedback-open') === 'true';
  var quoteButton = document.getElementById('quote-button');
  var statusLine = document.getElementById('room-status');

  var criterionLabels = {};
  rubric.forEach(function (c) {
    criterionLabels[c.key] = c.label;
  });

  var items = {}; // feedback id -> feedback (without replies)
  var orphans = {}; // parent id -> [reply ids] waiting for their parent
  var live = null;
  var connected = false; // joined and caught up: emits go out now
  var generation = 0; // bumped on every disconnect
  var inflight = {}; // client_id -> generation it was sent in
  var sending = {}; // client_id -> promise of its answer
  var retryTimer = null;
  var retryDelay = 2000;
  var forms = { main: null, reply: null, answer: null }; // the open form of each type
  var pendingQuote = null; // {planId, sectionKey, text} behind the quote button

  // What is typed and not yet taken by the server (outbox, refused items, drafts): outbox.js.
  var store = roomStore(roomId, myUserId);

  // ------------------------------------------------------------------ the page's plans

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(String(value)) : String(value).replace(/["\\]/g, '\\$&');
  }

  function planPanel(planId) {
    return document.getElementById('plan-' + planId);
  }

  function isOwner(planId) {
    var panel = planPanel(planId);
    return !!panel && myPartnerIds.indexOf(Live.int(panel, 'data-partner-id')) !== -1;
  }

  function mayGive(planId) {
    return writable && !!planPanel(planId) && !isOwner(planId);
  }

  function latestVersion(planId) {
    return Live.int(planPanel(planId), 'data-plan-version');
  }

  function sectionEl(planId, key) {
    return document.getElementById('plan-' + planId + '-' + key);
  }

  function sectionTitle(planId, key) {
    var s = sectionEl(planId, key);
    var title = s && s.querySelector('[data-section-title]');
    return title ? title.textContent : key;
  }

  /** The feedback area of a section; sections missing from the shown version share one. */
  function area(planId, key) {
    var s = sectionEl(planId, key);
    var found = s && s.querySelector('[data-feedback-area]');
    if (found) return found;
    var panel = planPanel(planId);
    if (!panel) return null;
    var other = panel.querySelector('[data-feedback-area][data-other]');
    if (other) return other;
    var box = el('section', 'plan-section lf-other');
    var head = el('h2', null, t('fb-other-sections'));
    head.id = 'lf-other-' + planId;
    box.setAttribute('aria-labelledby', head.id);
    box.appendChild(head);
    other = el('div', 'section-feedback');
    other.setAttribute('data-feedback-area', '');
    other.setAttribute('data-other', '');
    var list = el('ol', 'feedback-list');
    list.setAttribute('data-feedback-list', '');
    other.appendChild(list);
    other.appendChild(slot());
    box.appendChild(other);
    (panel.querySelector('.plan-body') || panel).appendChild(box);
    return other;
  }

  function slot() {
    var node = el('div', 'lf-slot');
    node.setAttribute('data-form-slot', '');
    return node;
  }

  function itemEl(id) {
    return root.querySelector('.lf-item[data-feedback-id="' + Number(id) + '"]');
  }

  function pendingEl(clientId) {
    return root.querySelector('.lf-item[data-client-id="' + cssEscape(clientId) + '"]:not([data-feedback-id])');
  }

  // ------------------------------------------------------------------ rendering items

  function timeOf(iso) {
    var ms = Live.parseTime(iso);
    if (ms === null) return null;
    var node = el('time', 'lf-time', new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    node.setAttribute('datetime', iso);
    node.title = new Date(ms).toLocaleString();
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

  function actionButton(action, label, extraClass) {
    var b = el('button', 'link-like lf-action' + (extraClass ? ' ' + extraClass : ''), label);
    b.type = 'button';
    b.setAttribute('data-fb-action', action);
    return b;
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
      store.remove(fb.client_id);
      delete inflight[fb.client_id];
      store.removeFailed(fb.client_id);
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
    refreshForm(fb.id);
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

  /** An error's message for a sentence (no final full stop; the field's note if no message). */
  function describe(error) {
    if (!error) return t('unknown-error');
    var text = error.message;
    if (!text && error.fields && typeof error.fields === 'object') {
      text = Object.keys(error.fields).map(function (k) {
        return error.fields[k];
      }).filter(Boolean).join(' ');
    }
    return String(text || error.code || t('unknown-error')).replace(/[.。]\s*$/, '');
  }

  /** The section's counts: next to the feedback heading and in the table of contents. */
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

  // ------------------------------------------------------------------ sending (the outbox)

  function say(ack, okText) {
    if (statusLine) Live.report(statusLine, ack, okText);
  }

  /** Queue a new item or reply: stored first, shown as sending, sent when connected. */
  function queue(payload) {
    store.add(payload);
    showPending(payload, null, false);
    if (connected) send(payload);
  }

  /** Send one item; the promise settles when the server has answered (or the ack timed out). */
  function send(payload) {
    var cid = payload.client_id;
    if (inflight[cid] === generation) return sending[cid]; // already on its way on this connection
    var gen = (inflight[cid] = generation);
    return (sending[cid] = live.emit('submit_feedback', payload).then(function (ack) {
      if (ack && ack.ok && ack.feedback) {
        store.remove(cid);
        delete inflight[cid];
        upsert(ack.feedback);
        retryDelay = 2000;
        return;
      }
      var error = (ack && ack.error) || { code: 'unknown' };
      if (FINAL_ERRORS.indexOf(error.code) !== -1) {
        store.remove(cid);
        delete inflight[cid];
        store.addFailed(payload, error);
        showPending(payload, error, true);
        return;
      }
      // Lost or refused for now (timeout, rate limit, server trouble): it stays in the
      // outbox and goes again, after a pause or with the next connection.
      if (inflight[cid] !== gen) return; // a newer connection has taken over
      delete inflight[cid];
      if (!stillQueued(cid)) return;
      showPending(payload, error, false);
      scheduleRetry();
    }));
  }

  function stillQueued(clientId) {
    return store.outbox().some(function (entry) {
      return entry.payload.client_id === clientId;
    });
  }

  function scheduleRetry() {
    if (retryTimer !== null) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  /** Send everything in the outbox that is not already on its way. */
  function flush() {
    if (!connected || !live) return;
    store.outbox().forEach(function (entry) {
      send(entry.payload);
    });
  }

  // ------------------------------------------------------------------ forms

  function template(id) {
    var tpl = document.getElementById(id);
    return tpl.content.firstElementChild.cloneNode(true);
  }

  function closeForm(type, keepDraft) {
    var f = forms[type];
    if (!f) return;
    forms[type] = null;
    if (!keepDraft && f.draftKey) store.saveDraft(f.draftKey, null);
    if (f.node.parentNode) f.node.parentNode.removeChild(f.node);
    if (f.returnFocus && document.body.contains(f.returnFocus)) f.returnFocus.focus();
  }

  function showError(f, text) {
    var line = f.node.querySelector('[data-form-error]');
    line.textContent = text || '';
    line.hidden = !text;
  }

  function charCounter(f) {
    var text = f.node.elements.body;
    var out = f.node.querySelector('[data-chars]');
    if (!text || !out) return;
    var update = function () {
      var left = MAX_BODY - text.value.length;
      out.textContent = left < 500 ? t('fb-chars', { n: left }) : '';
    };
    text.addEventListener('input', update);
    update();
  }

  function watchDraft(f, extra) {
    if (!f.draftKey) return;
    var save = function () {
      var form = f.node;
      var body = form.elements.body ? form.elements.body.value : '';
      var kind = form.elements.kind ? form.elements.kind.value : '';
      if (!body.trim() && !f.quote) {
        store.saveDraft(f.draftKey, null);
        return;
      }
      var draft = {
        body: body, kind: kind, at: Date.now(),
        criterion: form.elements.criterion ? form.elements.criterion.value : '',
        rating: form.elements.rating ? form.elements.rating.value : '',
        quote: f.quote || null,
      };
      Object.keys(extra).forEach(function (k) {
        draft[k] = extra[k];
      });
      store.saveDraft(f.draftKey, draft);
    };
    f.node.addEventListener('input', save);
    f.node.addEventListener('change', save);
    f.saveDraft = save;
  }

  function setQuote(f, text) {
    f.quote = text || null;
    var field = f.node.querySelector('[data-quote-field]');
    if (!field) return;
    field.hidden = !f.quote;
    field.querySelector('[data-quote-text]').textContent = f.quote || '';
    var remove = field.querySelector('[data-fb-action="remove-quote"]');
    if (remove) remove.hidden = f.mode === 'edit';
  }

  function setKind(form, kind) {
    var field = form.elements.kind;
    if (!field) return;
    if (field.tagName === 'SELECT') {
      field.value = kind || '';
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll('input[name="kind"]'), function (radio) {
      radio.checked = radio.value === kind;
    });
  }

  function place(f, container, focusEl) {
    var target = container.querySelector(':scope > [data-form-slot]') || container.querySelector('[data-form-slot]');
    target.appendChild(f.node);
    f.node.setAttribute('aria-label', f.node.querySelector('[data-form-title]').textContent);
    if (focusEl === false) return;
    var first;
    if (f.type === 'answer') {
      first = f.node.querySelector('input[name="status"]:checked') || f.node.querySelector('input[name="status"]:not([disabled])');
    } else if (f.type === 'main' && f.mode === 'new') {
      first = f.node.querySelector('input[name="kind"]:checked') || f.node.querySelector('input[name="kind"]');
    } else {
      first = f.node.querySelector('textarea');
    }
    if (first) first.focus({ preventScroll: true });
    f.node.scrollIntoView({ block: 'nearest', behavior: 'auto' });
  }

  /**
   * The main form: a new item on a section (mode "new"; prefilled from a draft or a refused
   * item), or the author editing an item (mode "edit").
   */
  function openMain(options) {
    closeForm('main', true);
    var planId = options.planId;
    var key = options.sectionKey;
    var editing = options.edit || null;
    var node = template('tpl-feedback-form');
    var f = {
      type: 'main', node: node, mode: editing ? 'edit' : 'new', planId: planId, sectionKey: key,
      editing: editing, returnFocus: options.returnFocus || null, quote: null,
      draftKey: editing ? null : 'new:' + planId + ':' + key,
    };
    forms.main = f;
    node.querySelector('[data-form-title]').textContent = editing
      ? t('fb-form-edit')
      : t('fb-form-new', { section: sectionTitle(planId, key) });
    var source = editing || options.prefill || (f.draftKey && store.drafts()[f.draftKey]) || {};
    setKind(node, source.kind || '');
    if (source.criterion) node.elements.criterion.value = source.criterion;
    if (source.rating) node.elements.rating.value = String(source.rating);
    node.elements.body.value = source.body || '';
    setQuote(f, options.quote !== undefined ? options.quote : source.quote || null);
    if (editing) {
      node.querySelector('[data-submit]').textContent = t('fb-save');
      // An edit cannot take a criterion or rating away (the server keeps them): no "none".
      if (editing.criterion) node.elements.criterion.options[0].disabled = true;
      if (editing.rating) node.elements.rating.options[0].disabled = true;
    }
    charCounter(f);
    watchDraft(f, { plan_id: planId, section_key: key });
    if (f.saveDraft && options.quote) f.saveDraft();
    var container = editing ? itemEl(editing.id) : area(planId, key);
    if (!container) return;
    place(f, container, options.focus);
  }

  function openReply(parent, returnFocus, prefill) {
    closeForm('reply', true);
    var node = template('tpl-reply-form');
    var f = {
      type: 'reply', node: node, mode: 'new', parent: parent, returnFocus: returnFocus,
      draftKey: 'reply:' + parent.id,
    };
    forms.reply = f;
    node.querySelector('[data-form-title]').textContent = t('fb-form-reply', { name: parent.author ? parent.author.name : '' });
    var source = prefill || store.drafts()[f.draftKey] || {};
    setKind(node, source.kind || '');
    node.elements.body.value = source.body || '';
    charCounter(f);
    watchDraft(f, { plan_id: parent.plan_id, section_key: parent.section_key, parent_id: parent.id });
    place(f, itemEl(parent.id));
  }

  function openEditReply(reply, returnFocus) {
    closeForm('reply', true);
    var node = template('tpl-reply-form');
    var f = { type: 'reply', node: node, mode: 'edit', editing: reply, returnFocus: returnFocus, draftKey: null };
    forms.reply = f;
    node.querySelector('[data-form-title]').textContent = t('fb-form-edit-reply');
    node.querySelector('[data-submit]').textContent = t('fb-save');
    setKind(node, reply.kind);
    node.elements.body.value = reply.body || '';
    charCounter(f);
    place(f, itemEl(reply.id));
  }

  function openAnswer(fb, returnFocus) {
    closeForm('answer', true);
    var node = template('tpl-answer-form');
    var f = { type: 'answer', node: node, mode: 'answer', item: fb, returnFocus: returnFocus, draftKey: null };
    forms.answer = f;
    node.querySelector('[data-form-title]').textContent = t('fb-form-answer');
    var latest = latestVersion(fb.plan_id) || fb.plan_version;
    var version = node.elements.addressed_in_version;
    version.min = String(fb.plan_version + 1);
    version.max = String(latest);
    if (fb.addressed_in_version) version.value = String(fb.addressed_in_version);
    else if (latest > fb.plan_version) version.value = String(latest);
    // "Addressed" needs a newer version of the plan than the one the item was about.
    if (latest <= fb.plan_version) {
      var addressed = node.querySelector('input[name="status"][value="addressed"]');
      addressed.disabled = true;
      node.querySelector('[data-addressed-choice]').classList.add('is-disabled');
    }
    node.querySelector('[data-reopen-choice]').hidden = fb.status === 'open';
    Array.prototype.forEach.call(node.querySelectorAll('input[name="status"]'), function (radio) {
      radio.checked = fb.status !== 'open' && radio.value === fb.status;
    });
    node.elements.response.value = fb.response || '';
    var sync = function () {
      var status = node.elements.status.value;
      node.querySelector('[data-version-field]').hidden = status !== 'addressed';
      node.querySelector('[data-reason-label]').hidden = status !== 'declined';
      node.querySelector('[data-note-label]').hidden = status === 'declined';
      node.elements.response.required = status === 'declined';
    };
    node.addEventListener('change', sync);
    sync();
    place(f, itemEl(fb.id));
  }

  /** An item changed while a form about it is open: drop forms on withdrawn items. */
  function refreshForm(id) {
    var fb = items[id];
    ['reply', 'answer'].forEach(function (type) {
      var f = forms[type];
      var about = f && (f.parent || f.item || f.editing);
      if (about && about.id === id && fb.status === 'withdrawn') closeForm(type, false);
    });
    if (forms.main && forms.main.editing && forms.main.editing.id === id && fb.status === 'withdrawn') closeForm('main', false);
  }

  function readMain(f) {
    var form = f.node;
    var kindInput = form.querySelector('input[name="kind"]:checked');
    var body = form.elements.body.value;
    if (!kindInput) return { error: t('fb-need-kind'), focus: form.querySelector('input[name="kind"]') };
    if (!body.trim() || body.length > MAX_BODY) return { error: t('fb-need-body'), focus: form.elements.body };
    var values = { kind: kindInput.value, body: body };
    if (form.elements.criterion.value) values.criterion = form.elements.criterion.value;
    if (form.elements.rating.value) values.rating = parseInt(form.elements.rating.value, 10);
    return { values: values };
  }

  function submitMain(f) {
    var read = readMain(f);
    if (read.error) {
      showError(f, read.error);
      if (read.focus) read.focus.focus();
      return;
    }
    showError(f, '');
    var v = read.values;
    if (f.mode === 'edit') {
      var old = f.editing;
      var change = { feedback_id: old.id };
      if (v.body !== old.body) change.body = v.body;
      if (v.kind !== old.kind) change.kind = v.kind;
      if (v.criterion && v.criterion !== old.criterion) change.criterion = v.criterion;
      if (v.rating && v.rating !== old.rating) change.rating = v.rating;
      return change.body === undefined && change.kind === undefined && change.criterion === undefined && change.rating === undefined
        ? closeForm('main', false)
        : command(f, 'edit_feedback', change, t('fb-saved'));
    }
    var payload = {
      client_id: uuid(), room_id: roomId, plan_id: f.planId, section_key: f.sectionKey,
      kind: v.kind, body: v.body,
    };
    var version = latestVersion(f.planId);
    if (version) payload.plan_version = version; // the version the person was reading
    if (v.criterion) payload.criterion = v.criterion;
    if (v.rating) payload.rating = v.rating;
    if (f.quote) payload.quote = f.quote;
    var give = sectionEl(f.planId, f.sectionKey);
    f.returnFocus = f.returnFocus || (give && give.querySelector('[data-fb-action="give"]'));
    closeForm('main', false);
    queue(payload);
    say({ ok: true }, t(connected ? 'fb-queued' : 'fb-queued-offline'));
  }

  function submitReply(f) {
    var form = f.node;
    var body = form.elements.body.value;
    if (!body.trim() || body.length > MAX_BODY) {
      showError(f, t('fb-need-body'));
      form.elements.body.focus();
      return;
    }
    showError(f, '');
    var kind = form.elements.kind.value || null; // a reply keeps no kind unless one is chosen
    if (f.mode === 'edit') {
      var old = f.editing;
      var change = { feedback_id: old.id };
      if (body !== old.body) change.body = body;
      if (kind && kind !== old.kind) change.kind = kind;
      if (change.body === undefined && change.kind === undefined) return closeForm('reply', false);
      return command(f, 'edit_feedback', change, t('fb-saved'));
    }
    var parent = f.parent;
    closeForm('reply', false);
    queue({
      client_id: uuid(), room_id: roomId, plan_id: parent.plan_id, section_key: parent.section_key,
      kind: kind, body: body, parent_id: parent.id,
    });
    say({ ok: true }, t(connected ? 'fb-queued' : 'fb-queued-offline'));
  }

  function submitAnswer(f) {
    var form = f.node;
    var fb = f.item;
    var status = form.elements.status.value;
    if (!status) {
      showError(f, t('fb-need-status'));
      form.querySelector('input[name="status"]').focus();
      return;
    }
    var response = form.elements.response.value.trim();
    var payload = { feedback_id: fb.id, status: status };
    if (status === 'declined' && !response) {
      showError(f, t('fb-need-reason'));
      form.elements.response.focus();
      return;
    }
    if (response) payload.response = response;
    if (status === 'addressed') {
      var n = parseInt(form.elements.addressed_in_version.value, 10);
      var latest = latestVersion(fb.plan_id) || fb.plan_version;
      if (isNaN(n) || n <= fb.plan_version || n > latest) {
        showError(f, t('fb-need-version', { v: fb.plan_version, latest: latest }));
        form.elements.addressed_in_version.focus();
        return;
      }
      payload.addressed_in_version = n;
    }
    showError(f, '');
    command(f, 'respond_feedback', payload, t('fb-answered'));
  }

  /** Edit, withdraw, answer: done live or not at all (the form keeps what was typed). */
  function command(f, name, payload, okText) {
    if (!connected) {
      if (f) showError(f, t('fb-offline'));
      else say({ ok: false, error: { message: t('fb-offline') } });
      return Promise.resolve(null);
    }
    var submit = f && f.node.querySelector('[data-submit]');
    if (submit) submit.disabled = true;
    return live.emit(name, payload).then(function (ack) {
      if (submit) submit.disabled = false;
      if (ack.ok && ack.feedback) {
        upsert(ack.feedback);
        if (f) closeForm(f.type, false);
        say(ack, okText);
      } else if (f) {
        showError(f, t('error', { message: describe(ack.error) }));
      } else {
        say(ack);
      }
      return ack;
    });
  }

  // ------------------------------------------------------------------ clicks and keys

  function itemOf(node) {
    var li = node.closest('.lf-item');
    var id = li && Live.int(li, 'data-feedback-id');
    return id !== null && id !== undefined ? items[id] : null;
  }

  root.addEventListener('click', function (event) {
    var button = event.target.closest('[data-fb-action]');
    if (!button || !root.contains(button)) return;
    var action = button.getAttribute('data-fb-action');
    var form = button.closest('form[data-fb-form]');
    if (action === 'give') {
      var planId = Live.int(button, 'data-plan-id');
      openMain({ planId: planId, sectionKey: button.getAttribute('data-section-key'), returnFocus: button });
    } else if (action === 'cancel' && form) {
      closeForm(form.getAttribute('data-fb-form'), false);
    } else if (action === 'remove-quote' && forms.main) {
      setQuote(forms.main, null);
      if (forms.main.saveDraft) forms.main.saveDraft();
      forms.main.node.elements.body.focus();
    } else if (action === 'reply') {
      openReply(itemOf(button), button);
    } else if (action === 'answer') {
      openAnswer(itemOf(button), button);
    } else if (action === 'edit') {
      var fb = itemOf(button);
      if (fb.parent_id) openEditReply(fb, button);
      else openMain({ planId: fb.plan_id, sectionKey: fb.section_key, edit: fb, returnFocus: button });
    } else if (action === 'withdraw') {
      askWithdraw(button);
    } else if (action === 'confirm-withdraw') {
      var target = itemOf(button);
      command(null, 'withdraw_feedback', { feedback_id: target.id }, t('fb-withdrawn')).then(function (ack) {
        if (!ack || !ack.ok) restoreActions(button);
      });
    } else if (action === 'keep') {
      restoreActions(button);
    } else if (action === 'dismiss' || action === 'resend') {
      var li = button.closest('.lf-item');
      var cid = li.getAttribute('data-client-id');
      var entry = store.failed().filter(function (e) {
        return e.payload.client_id === cid;
      })[0];
      store.removeFailed(cid);
      var p = entry ? entry.payload : null;
      li.parentNode.removeChild(li);
      if (p) recount(p.plan_id, p.section_key);
      if (action === 'resend' && p) {
        if (p.parent_id && items[p.parent_id]) openReply(items[p.parent_id], null, { kind: p.kind, body: p.body });
        else openMain({ planId: p.plan_id, sectionKey: p.section_key, prefill: p, quote: p.quote || null });
      }
    }
  });

  function askWithdraw(button) {
    var actions = button.closest('.lf-actions');
    Array.prototype.forEach.call(actions.children, function (child) {
      child.hidden = true;
    });
    var yes = actionButton('confirm-withdraw', t('fb-confirm-withdraw'), 'danger-link');
    var no = actionButton('keep', t('fb-keep'));
    yes.setAttribute('data-confirm', '');
    no.setAttribute('data-confirm', '');
    actions.appendChild(yes);
    actions.appendChild(no);
    no.focus();
  }

  function restoreActions(button) {
    var actions = button.closest('.lf-actions');
    if (!actions) return;
    Array.prototype.forEach.call(actions.querySelectorAll('[data-confirm]'), function (b) {
      actions.removeChild(b);
    });
    Array.prototype.forEach.call(actions.children, function (child) {
      child.hidden = false;
    });
    var withdraw = actions.querySelector('[data-fb-action="withdraw"]');
    if (withdraw) withdraw.focus();
  }

  root.addEventListener('submit', function (event) {
    var form = event.target.closest('form[data-fb-form]');
    if (!form) return;
    event.preventDefault();
    var type = form.getAttribute('data-fb-form');
    var f = forms[type];
    if (!f || f.node !== form) return;
    if (type === 'main') submitMain(f);
    else if (type === 'reply') submitReply(f);
    else if (type === 'answer') submitAnswer(f);
  });

  root.addEventListener('keydown', function (event) {
    var form = event.target.closest && event.target.closest('form[data-fb-form]');
    if (!form) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      closeForm(form.getAttribute('data-fb-form'), true);
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target.tagName === 'TEXTAREA') {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    }
  });

  // ------------------------------------------------------------------ quoting a selection

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

  // ------------------------------------------------------------------ start

  Live.json(root, 'data-feedback-items', []).forEach(upsert);
  // Mine still to send (from before a reload or a closed tab), and refused ones kept aside.
  store.outbox().forEach(function (entry) {
    var known = Object.keys(items).some(function (id) {
      return items[id].client_id === entry.payload.client_id && items[id].author && items[id].author.id === myUserId;
    });
    if (known) store.remove(entry.payload.client_id);
    else showPending(entry.payload, null, false);
  });
  var refused = store.failed();
  refused.forEach(function (entry) {
    showPending(entry.payload, entry.error, true);
  });
  if (refused.length && statusLine) {
    statusLine.textContent = t('fb-refused-summary', { n: refused.length });
    statusLine.classList.add('is-error');
  }
  // An unsent draft of a new item comes back where it was being written.
  (function restoreDraft() {
    if (!writable) return;
    var all = store.drafts();
    var latest = null;
    Object.keys(all).forEach(function (key) {
      if (key.indexOf('new:') !== 0) return;
      var d = all[key];
      if (d && (!latest || d.at > latest.draft.at)) latest = { key: key, draft: d };
    });
    if (!latest) return;
    var d = latest.draft;
    if (!mayGive(d.plan_id) || !sectionEl(d.plan_id, d.section_key)) return;
    openMain({ planId: d.plan_id, sectionKey: d.section_key, focus: false });
  })();

  Live.roomFeedback = {
    /** Called by room.js once the connection exists. */
    attach: function (api) {
      live = api;
      api.on('feedback_added', function (p) {
        upsert(p.feedback);
      });
      api.on('feedback_updated', function (p) {
        upsert(p.feedback);
      });
      api.socket.on('disconnect', function () {
        connected = false;
        generation++;
        inflight = {};
      });
    },
    /** Joined and caught up (first load and every reconnect): send what is waiting. */
    ready: function () {
      connected = true;
      retryDelay = 2000;
      flush();
    },
    /**
     * The room has closed: send what waits once more, so each item is taken or shown as
     * refused (kept with its text for the plenary) before the page leaves. Drafts stay stored.
     */
    settle: function () {
      connected = true;
      return Promise.all(store.outbox().map(function (entry) {
        return send(entry.payload);
      }));
    },
    /** Text typed and not sent: an open form with text, or items still in the outbox. */
    unsent: function () {
      var typing = ['main', 'reply'].some(function (type) {
        var f = forms[type];
        return !!f && !!f.node.elements.body && !!f.node.elements.body.value.trim();
      });
      return typing || store.outbox().length > 0;
    },
    /** Someone is writing feedback: following the presenter must not move the page. */
    busy: function () {
      var active = document.activeElement;
      return !!(active && active.closest && active.closest('form[data-fb-form]'));
    },
    outbox: store.outbox,
  };
})();
