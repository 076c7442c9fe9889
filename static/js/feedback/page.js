/* The room page (or the plenary's presentation) as the feedback code sees it: who is reading,
 * the plans shown, where items are given, and where a section's items, forms and counts live in
 * the page. Strings come from its data-t-* attributes.
 */

/** The feedback view of the live page `root` (the #live element of a room or of the plenary). */
export function roomPage(root) {
  var t = Live.t;
  var el = Live.el;
  var myPartnerIds = Live.json(root, 'data-my-partner-ids', []).map(Number);
  var writable = root.getAttribute('data-feedback-open') === 'true';
  var statusLine = document.getElementById('room-status');
  var criterionLabels = {};
  Live.json(root, 'data-rubric', []).forEach(function (c) {
    criterionLabels[c.key] = c.label;
  });

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

  function actionButton(action, label, extraClass) {
    var b = el('button', 'link-like lf-action' + (extraClass ? ' ' + extraClass : ''), label);
    b.type = 'button';
    b.setAttribute('data-fb-action', action);
    return b;
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

  function say(ack, okText) {
    if (statusLine) Live.report(statusLine, ack, okText);
  }

  var roomId = Live.int(root, 'data-room-id');
  var workshopId = Live.int(root, 'data-workshop-id');

  return {
    root: root,
    roomId: roomId,
    // Where items are given (merged into each one sent): the room, or the workshop's plenary.
    place: roomId !== null ? { room_id: roomId } : { workshop_id: workshopId },
    // What this browser keeps unsent is kept per room, and per plenary (outbox.js).
    storeKey: roomId !== null ? String(roomId) : 'plenary-' + workshopId,
    myUserId: Live.int(root, 'data-my-user-id'),
    myName: root.getAttribute('data-my-name') || '',
    myPartnerIds: myPartnerIds,
    partnerNames: Live.json(root, 'data-partner-names', {}),
    criterionLabels: criterionLabels,
    writable: writable,
    statusLine: statusLine,
    cssEscape: cssEscape,
    planPanel: planPanel,
    isOwner: isOwner,
    mayGive: mayGive,
    latestVersion: latestVersion,
    sectionEl: sectionEl,
    sectionTitle: sectionTitle,
    area: area,
    slot: slot,
    itemEl: itemEl,
    pendingEl: pendingEl,
    actionButton: actionButton,
    describe: describe,
    say: say,
  };
}
