/* The feedback forms of the room page, cloned from its <template> elements: a new item on a
 * section (kind, criterion, rating, Markdown text, a quote read-only), a reply, the author's
 * edit, and the plan partner's answer (accept, decline with a reason, addressed in version N,
 * defer, reopen). New items and replies go to the outbox (sending.js); edits, withdrawals and
 * answers are done live or not at all. What is typed is kept as a draft (outbox.js).
 * The buttons on items (reply, answer, edit, withdraw, and for refused items dismiss or send
 * again) open the forms.
 */
import { uuid } from './outbox.js';

var MAX_BODY = 4000;

/** The forms of the room page `page`, posting through `sender` and showing results in `thread`. */
export function createForms(page, store, thread, sender) {
  var t = Live.t;
  var root = page.root;
  var givenIn = page.place;
  var writable = page.writable;
  var mayGive = page.mayGive;
  var sectionEl = page.sectionEl;
  var sectionTitle = page.sectionTitle;
  var latestVersion = page.latestVersion;
  var area = page.area;
  var itemEl = page.itemEl;
  var actionButton = page.actionButton;
  var describe = page.describe;
  var say = page.say;
  var items = thread.items;
  var upsert = thread.upsert;
  var itemOf = thread.itemOf;
  var recount = thread.recount;
  var forms = { main: null, reply: null, answer: null }; // the open form of each type

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
    var payload = Object.assign({
      client_id: uuid(), plan_id: f.planId, section_key: f.sectionKey,
      kind: v.kind, body: v.body,
    }, givenIn);
    var version = latestVersion(f.planId);
    if (version) payload.plan_version = version; // the version the person was reading
    if (v.criterion) payload.criterion = v.criterion;
    if (v.rating) payload.rating = v.rating;
    if (f.quote) payload.quote = f.quote;
    var give = sectionEl(f.planId, f.sectionKey);
    f.returnFocus = f.returnFocus || (give && give.querySelector('[data-fb-action="give"]'));
    closeForm('main', false);
    sender.queue(payload);
    say({ ok: true }, t(sender.connected() ? 'fb-queued' : 'fb-queued-offline'));
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
    sender.queue(Object.assign({
      client_id: uuid(), plan_id: parent.plan_id, section_key: parent.section_key,
      kind: kind, body: body, parent_id: parent.id,
    }, givenIn));
    say({ ok: true }, t(sender.connected() ? 'fb-queued' : 'fb-queued-offline'));
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
    if (!sender.connected()) {
      if (f) showError(f, t('fb-offline'));
      else say({ ok: false, error: { message: t('fb-offline') } });
      return Promise.resolve(null);
    }
    var submit = f && f.node.querySelector('[data-submit]');
    if (submit) submit.disabled = true;
    return sender.emit(name, payload).then(function (ack) {
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

  /** An unsent draft of a new item comes back where it was being written. */
  function restoreDraft() {
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
  }

  return {
    openMain: openMain,
    restoreDraft: restoreDraft,
    refreshForm: refreshForm,
    /** An open form with text not sent. */
    typing: function () {
      return ['main', 'reply'].some(function (type) {
        var f = forms[type];
        return !!f && !!f.node.elements.body && !!f.node.elements.body.value.trim();
      });
    },
  };
}
