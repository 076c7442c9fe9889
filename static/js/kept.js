/* The plenary's "Kept for you" box: feedback typed in a room (or a plenary) that the server did not take
 * (refused because the room had closed, still unsent, or a half-typed draft), with its text to
 * copy, to send to the plan itself (no room: the plan's owner finds it on its feedback page),
 * or to dismiss. Storage is feedback/outbox.js, the same the room page writes. */
import { roomsWithKept, uuid } from './feedback/outbox.js';

const root = window.Live && window.Live.root();
const box = document.getElementById('kept-feedback');

if (root && box && root.getAttribute('data-page') === 'plenary') {
  const t = window.Live.t;
  const el = window.Live.el;
  const myUserId = window.Live.int(root, 'data-my-user-id');
  const plans = window.Live.json(root, 'data-plans', {}); // id -> {title, sections: {key: title}}
  const liveRoom = window.Live.int(root, 'data-my-room-id'); // its outbox is still the room's business
  // While this page shows a presentation, its plenary's items are feedback.js's business.
  const ownPlenary = root.querySelector('.room-plan') ? 'plenary-' + window.Live.int(root, 'data-workshop-id') : null;
  const list = box.querySelector('[data-kept-list]');

  const entries = [];
  roomsWithKept(myUserId).forEach(({ roomId, place, store }) => {
    if (place === ownPlenary) return;
    store.failed().forEach((e) => entries.push({ store, type: 'failed', payload: e.payload, error: e.error }));
    if (roomId !== liveRoom) store.outbox().forEach((e) => entries.push({ store, type: 'unsent', payload: e.payload }));
    if (roomId !== liveRoom) {
      const drafts = store.drafts();
      Object.keys(drafts).forEach((key) => {
        const d = drafts[key];
        if (!d || (d.user_id !== undefined && d.user_id !== myUserId) || !d.body || !d.plan_id) return;
        entries.push({ store, type: 'draft', key, payload: Object.assign({}, d, { client_id: uuid() }) });
      });
    }
  });

  const forget = (entry) => {
    if (entry.type === 'failed') entry.store.removeFailed(entry.payload.client_id);
    else if (entry.type === 'unsent') entry.store.remove(entry.payload.client_id);
    else entry.store.saveDraft(entry.key, null);
  };

  const render = (entry) => {
    const p = entry.payload;
    const plan = plans[String(p.plan_id)] || { title: '', sections: {} };
    const li = el('li', 'kept-item is-' + entry.type);
    li.appendChild(el('p', 'kept-where', t('kept-where', { plan: plan.title, section: plan.sections[p.section_key] || p.section_key })));
    const why = entry.type === 'failed' ? t('kept-refused', { message: (entry.error && entry.error.message) || '' })
      : t('kept-' + entry.type);
    li.appendChild(el('p', 'kept-why', why));
    const text = el('blockquote', 'kept-text', p.body);
    li.appendChild(text);
    const actions = el('p', 'kept-actions');
    const status = el('span', 'kept-status');
    status.setAttribute('role', 'status');
    const copy = el('button', 'small', t('kept-copy'));
    copy.type = 'button';
    copy.addEventListener('click', () => {
      window.getSelection().selectAllChildren(text);
      const done = () => (status.textContent = t('kept-copied'));
      if (navigator.clipboard) navigator.clipboard.writeText(p.body).then(done, done);
      else done();
    });
    actions.appendChild(copy);
    if (p.kind || p.parent_id) {
      const post = el('button', 'small primary', t('kept-send'));
      post.type = 'button';
      post.addEventListener('click', () => {
        const connection = window.Live.connection;
        if (!connection) return;
        post.disabled = true;
        const payload = { client_id: uuid(), plan_id: p.plan_id, section_key: p.section_key, kind: p.kind || null, body: p.body };
        ['criterion', 'rating', 'quote', 'parent_id'].forEach((k) => {
          if (p[k]) payload[k] = k === 'rating' ? Number(p[k]) : p[k];
        });
        connection.emit('submit_feedback', payload).then((ack) => {
          if (ack && ack.ok) {
            forget(entry);
            li.remove();
            box.hidden = !list.children.length;
            window.Live.report(document.getElementById('kept-status'), ack, t('kept-sent'));
          } else {
            post.disabled = false;
            window.Live.report(status, ack);
          }
        });
      });
      actions.appendChild(post);
    }
    const dismiss = el('button', 'small link-button', t('kept-dismiss'));
    dismiss.type = 'button';
    dismiss.addEventListener('click', () => {
      forget(entry);
      li.remove();
      box.hidden = !list.children.length;
    });
    actions.appendChild(dismiss);
    actions.appendChild(status);
    li.appendChild(actions);
    return li;
  };

  entries.forEach((entry) => list.appendChild(render(entry)));
  box.hidden = !entries.length;
}
