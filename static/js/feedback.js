/* Structured feedback in a breakout room, or on the plan presented in the plenary: items pinned
 * to plan sections, live. The parts:
 *
 * - feedback/page.js: the room page (who reads, its plans, where each section's items go);
 * - feedback/thread.js: items under their sections, replies, answers, mine being sent or
 *   refused; feedback/counts.js: each section's count, by its heading and in the contents;
 * - feedback/form.js: giving, replying, editing, withdrawing and answering; feedback/quote.js:
 *   quoting a selection;
 * - feedback/outbox.js: what is typed and not yet taken (outbox, refused items, drafts), kept in
 *   this browser; feedback/sending.js: sending the outbox, again after every reconnect.
 *
 * room.js (plenary.js) drives it through Live.roomFeedback once the connection exists.
 */
import { roomStore } from './feedback/outbox.js';
import { roomPage } from './feedback/page.js';
import { createThread } from './feedback/thread.js';
import { createSender } from './feedback/sending.js';
import { createForms } from './feedback/form.js';
import { quoting } from './feedback/quote.js';

const root = window.Live && Live.root();
if (root && (root.getAttribute('data-page') === 'room' || root.querySelector('.room-plan'))) start(root);

function start(root) {
  const page = roomPage(root);
  const store = roomStore(page.storeKey, page.myUserId);
  const thread = createThread(page, {
    confirmed: (clientId) => sender.confirmed(clientId),
    changed: (id) => forms.refreshForm(id),
  });
  const sender = createSender(store, thread);
  const forms = createForms(page, store, thread, sender);
  quoting(page, forms.openMain);

  Live.json(root, 'data-feedback-items', []).forEach(thread.upsert);
  // Mine still to send (from before a reload or a closed tab), and refused ones kept aside.
  store.outbox().forEach((entry) => {
    const known = Object.values(thread.items).some((fb) =>
      fb.client_id === entry.payload.client_id && fb.author && fb.author.id === page.myUserId);
    if (known) store.remove(entry.payload.client_id);
    else thread.showPending(entry.payload, null, false);
  });
  const refused = store.failed();
  refused.forEach((entry) => thread.showPending(entry.payload, entry.error, true));
  if (refused.length && page.statusLine) {
    page.statusLine.textContent = Live.t('fb-refused-summary', { n: refused.length });
    page.statusLine.classList.add('is-error');
  }
  forms.restoreDraft();

  Live.roomFeedback = {
    /** Called by room.js (plenary.js) once the connection exists. */
    attach(api) {
      sender.attach(api);
      api.on('feedback_added', (p) => thread.upsert(p.feedback));
      api.on('feedback_updated', (p) => thread.upsert(p.feedback));
    },
    /** Joined and caught up (first load and every reconnect): send what is waiting. */
    ready: sender.ready,
    /**
     * The room has closed: send what waits once more, so each item is taken or shown as
     * refused (kept with its text for the plenary) before the page leaves. Drafts stay stored.
     */
    settle: sender.settle,
    /** Text typed and not sent: an open form with text, or items still in the outbox. */
    unsent: () => forms.typing() || store.outbox().length > 0,
    /** Someone is writing feedback: following the presenter must not move the page. */
    busy() {
      const active = document.activeElement;
      return !!(active && active.closest && active.closest('form[data-fb-form]'));
    },
    outbox: store.outbox,
  };
}
