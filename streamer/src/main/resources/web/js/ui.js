/** Helpers shared by every page: navigation bar, status badges, field errors, formatting. */

import { cookie } from './api.js';

const NAV = [
  ['/', 'Listener', 'dashboard'],
  ['/caller', 'Caller', 'caller'],
  ['/network_test', 'Network test', 'network_test'],
  ['/smpte2022_7', 'SMPTE 2022-7', 'smpte'],
  ['/files', 'Media', 'media'],
];

/** Creates an element: el('a', {href: '/', class: 'x'}, 'text', child...). Text is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'class') {
      node.className = v;
    } else if (k === 'dataset') {
      Object.assign(node.dataset, v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      node.addEventListener(k.substring(2), v);
    } else {
      node.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

/**
 * Fills the page's <header id="nav"> with the navigation bar, marking the current page. "Log out" is offered only
 * when the service asks for a login (the page's body then carries data-login="required").
 */
export function renderNav(active) {
  const header = document.getElementById('nav');
  if (!header) {
    return;
  }
  const items = NAV.map(([href, label, id]) => el('li', { class: 'nav-item' },
    el('a', {
      class: 'nav-link' + (id === active ? ' active' : ''),
      href,
      'aria-current': id === active ? 'page' : null,
    }, label)));
  const nav = el('nav', { class: 'navbar navbar-expand-lg navbar-dark bg-dark', 'aria-label': 'Main' },
    el('div', { class: 'container-fluid' },
      el('a', { class: 'navbar-brand', href: '/' }, el('span', { class: 'brand-mark' }, 'MCR'), ' SRT Streamer'),
      el('button', {
        class: 'navbar-toggler', type: 'button', 'data-bs-toggle': 'collapse', 'data-bs-target': '#main-nav',
        'aria-controls': 'main-nav', 'aria-expanded': 'false', 'aria-label': 'Show navigation',
      }, el('span', { class: 'navbar-toggler-icon' })),
      el('div', { class: 'collapse navbar-collapse', id: 'main-nav' },
        el('ul', { class: 'navbar-nav me-auto mb-2 mb-lg-0' }, items),
        el('span', { class: 'navbar-text live-indicator me-3', id: 'live-indicator', role: 'status' }),
        document.body.dataset.login === 'required'
          ? logoutForm()
          : null)));
  header.replaceChildren(nav);
  announcer();
  if (!document.getElementById('contact-banner')) {
    header.after(el('div', { class: 'contact-banner alert alert-danger d-none', id: 'contact-banner', role: 'alert' }));
  }
}

/**
 * The page's one polite live region, under the navigation bar and outside its menu (a folded menu is not displayed,
 * so a region in it says nothing on a narrow screen). It is made with the navigation bar, before anything is said in
 * it: screen readers announce changes of a region that already exists.
 */
function announcer() {
  let region = document.getElementById('announcer');
  if (!region) {
    region = el('div', { id: 'announcer', class: 'visually-hidden', role: 'status', 'aria-live': 'polite',
      'aria-atomic': 'true' });
    (document.getElementById('nav') || document.body).after(region);
  }
  return region;
}

let announced = [];

/**
 * Says text to screen readers (a stream's status that changed: "Stream 10001: Connected"): what is said within one
 * update is said together, so that a second change does not cut the first short.
 */
export function announce(text) {
  if (!announced.length) {
    setTimeout(() => {
      announcer().textContent = announced.join('. ');
      announced = [];
    }, 0);
  }
  announced.push(text);
}

/**
 * "Log out" posts the session's token (the mcr_csrf cookie), so that only this site's pages can sign the operator
 * out; the token is read when the button is pressed, as a new login replaces it.
 */
function logoutForm() {
  const token = el('input', { type: 'hidden', name: 'csrf_token' });
  const form = el('form', { method: 'post', action: '/logout', class: 'd-inline', id: 'logout-form' }, token,
    el('button', { type: 'submit', class: 'btn btn-outline-light btn-sm', id: 'logout-link' }, 'Log out'));
  form.addEventListener('submit', () => {
    token.value = cookie('mcr_csrf') || '';
  });
  return form;
}

/**
 * Shows the state of the live updates: 'live' (the service answers), 'reconnecting' or 'offline' (it does not: what
 * the page shows is stale), or 'ended' (nothing more to follow, e.g. the stream was stopped). The navigation bar
 * shows it, and while the service does not answer a banner under the bar (visible on a narrow screen too, where the
 * bar is folded) says since when, and the page's status badges and figures are greyed out.
 */
export function setLiveState(state) {
  if (state === 'live') {
    contactOk();
  } else if (state === 'reconnecting' || state === 'offline') {
    contactLost();
  }
  const node = document.getElementById('live-indicator');
  if (!node) {
    return;
  }
  const text = {
    live: '● Live', reconnecting: '● Reconnecting…', offline: '● Offline, retrying', ended: '■ Not running',
  }[state] || '';
  const colour = { live: 'text-success', ended: 'text-secondary' }[state] || 'text-warning';
  if (node.textContent !== text) {
    node.textContent = text;
    node.className = `navbar-text live-indicator me-3 ${colour}`;
  }
}

let lastContactAt = Date.now();
let noContact = false;
const regainedListeners = [];

/**
 * Calls back each time the service answers again after a time without contact: it may have restarted meanwhile, so
 * what a page showed from before (the outcome of an action, a stream's events) may no longer be true. Pages read
 * again what their live updates do not carry.
 */
export function onContactRegained(callback) {
  regainedListeners.push(callback);
}

/** The service answered: what the page shows is current again. */
function contactOk() {
  lastContactAt = Date.now();
  if (noContact) {
    noContact = false;
    showContact();
    regainedListeners.forEach((callback) => callback());
  }
}

/**
 * The service does not answer: everything shown dates from the last answer. Said again with each report while it
 * lasts, so that a banner shown since before midnight gains the date of its last answer.
 */
function contactLost() {
  noContact = true;
  showContact();
}

/** "21:54:03 CET" for a time of today, "2026-11-23 21:54:03 CET" for one of another day, in the page's local time. */
function formatTimeOrDay(ms) {
  return DAY.format(new Date(ms)) === DAY.format(new Date(Date.now())) ? formatTime(ms) : formatDateTime(ms);
}

function showContact() {
  document.body.classList.toggle('contact-lost', noContact);
  const banner = document.getElementById('contact-banner');
  if (!banner) {
    return;
  }
  const text = noContact
    ? `No contact with the service since ${formatTimeOrDay(lastContactAt)}: the figures below are stale.` : '';
  if (banner.textContent !== text) {
    banner.textContent = text;
  }
  banner.classList.toggle('d-none', !noContact);
}

/**
 * load (an async function that asks the service and shows its answer) made one request at a time: a call while one is
 * under way asks once more after it, however many calls came meanwhile, so answers are shown in the order asked and
 * the last shown is the latest.
 */
export function oneAtATime(load) {
  let running = false;
  let again = false;
  return async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await load();
      } while (again);
    } finally {
      running = false;
    }
  };
}

/**
 * For a page that polls: reports a request's outcome to the live state. A failure to reach the service (no answer,
 * or a proxy's 502/503/504 while it is down) means no contact; any answer of the service's own, even an error, means
 * contact. Returns true if the error was a lost contact.
 */
export function reportContact(error = null) {
  const lost = error !== null && (error.status === 0 || error.status === 502 || error.status === 503
    || error.status === 504);
  setLiveState(lost ? 'offline' : 'live');
  return lost;
}

/**
 * Bootstrap badge classes for a stream status, in the original tool's colours: Connected green, waiting blue,
 * connecting or reconnecting yellow, errors red, stopped grey.
 */
export function statusClass(status) {
  const s = String(status || '');
  if (s === 'Connected') {
    return 'text-bg-success';
  }
  if (s.startsWith('Waiting')) {
    return 'text-bg-primary';
  }
  if (s.startsWith('Connecting') || s.startsWith('Starting') || s.startsWith('Broken')) {
    return 'text-bg-warning';
  }
  if (s === 'Stopped' || s === 'Ended' || s === '') {
    return 'text-bg-secondary';
  }
  return 'text-bg-danger';
}

export function statusBadge(status) {
  return el('span', { class: 'badge status-badge ' + statusClass(status), role: 'status' }, status || 'Unknown');
}

/**
 * The service's reason for a status (`status_detail`: who was refused and why, what could not be resolved, which file
 * is missing), or '' when there is none or the status already shows it ("Error: <detail>").
 */
export function statusDetail(status, detail) {
  const text = String(detail ?? '').trim();
  return text && !String(status || '').includes(text) ? text : '';
}

/** Writes a status's reason into a node (hidden when there is none), red when the status needs attention. */
export function showStatusDetail(node, status, detail) {
  const text = statusDetail(status, detail);
  if (node.textContent !== text) {
    node.textContent = text;
  }
  node.classList.toggle('d-none', text === '');
  node.classList.toggle('text-danger', statusClass(status) === 'text-bg-danger');
}

/**
 * An SMPTE 2022-7 pair's status as shown: the API's (the better of its legs'), except that a Connected pair with a
 * leg that is not connected says which leg is down and that the pair has lost its protection, in warning colours:
 * "Connected · leg 2 down (no protection)".
 */
export function pairStatus(pair) {
  const status = pair.connection_status || pair.status || 'Unknown';
  const legs = Array.isArray(pair.legs) ? pair.legs : [];
  const down = legs.flatMap((leg, i) => (leg.connection_status === 'Connected' ? [] : [i + 1]));
  if (status === 'Connected' && legs.length > 1 && down.length > 0) {
    return { text: `Connected · leg ${down.join(' and ')} down (no protection)`, className: 'text-bg-warning' };
  }
  return { text: status, className: statusClass(status) };
}

export function pairStatusBadge(pair) {
  const { text, className } = pairStatus(pair);
  return el('span', { class: 'badge status-badge ' + className, role: 'status' }, text);
}

/**
 * Runs work() with the button disabled, so that a second click cannot send the request again, and returns what work
 * returns. Chromium takes the keyboard focus from a button as it is disabled and leaves it on the page itself, so Tab
 * started again from the top: a button that had the focus gets it back, unless work() put it somewhere (the first
 * field in error).
 */
export async function whileDisabled(button, work) {
  const focused = document.activeElement === button;
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
    focusAgain(button, focused);
  }
}

/** Gives the focus back to a button that had it before it was disabled, unless something else has taken it since. */
function focusAgain(button, focused) {
  if (focused && button.isConnected && (!document.activeElement || document.activeElement === document.body)) {
    button.focus();
  }
}

/**
 * Makes a Stop button (btn-outline-danger) act only on a second click: the first turns it into confirmLabel, solid
 * red, for 5 s, after which it turns back. On the second click it is disabled and says busyLabel while action() runs;
 * if action resolves to false (it failed, and said so), the button turns back to its label. action is given whether
 * the button had the keyboard focus when it was clicked.
 */
export function confirmButton(button, confirmLabel, busyLabel, action) {
  const label = button.textContent;
  let armed = null;
  const reset = () => {
    button.disabled = false;
    button.textContent = label;
    button.classList.replace('btn-danger', 'btn-outline-danger');
  };
  button.addEventListener('click', async () => {
    if (!armed) {
      button.textContent = confirmLabel;
      button.classList.replace('btn-outline-danger', 'btn-danger');
      armed = setTimeout(() => {
        armed = null;
        reset();
      }, 5000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    // Disabled until what it stops is gone from the page (its card, or the page itself), so that it is not sent again;
    // a failed stop turns it back, with the focus if it had it.
    const focused = document.activeElement === button;
    button.disabled = true;
    button.textContent = busyLabel;
    if ((await action(focused)) === false) {
      reset();
      focusAgain(button, focused);
    }
  });
}

/**
 * Counts a passphrase in bytes, as libsrt does (UTF-8), while it is typed: "83 bytes of 10–79", in red when out of
 * range. Nothing is cut short (a field limit would silently drop the end of a pasted passphrase, and the stream
 * would start with another one than typed); the service's message says what is wrong when the form is sent.
 */
export function passphraseCounter(input, output) {
  const show = () => {
    const bytes = new TextEncoder().encode(input.value).length;
    output.textContent = `${bytes} ${bytes === 1 ? 'byte' : 'bytes'} of 10–79`;
    output.classList.toggle('text-danger', bytes > 0 && (bytes < 10 || bytes > 79));
  };
  input.addEventListener('input', show);
  show();
}

/**
 * Opens a Bootstrap dialog from a script and, once it is closed (Esc, the close button), gives the focus back to what
 * had it, the button that opened it: Bootstrap does that only for a dialog opened through data-bs-toggle, and a
 * keyboard user would otherwise go on from the top of the page.
 */
export function openDialog(modalNode) {
  const opener = document.activeElement;
  modalNode.addEventListener('hidden.bs.modal', () => {
    if (opener && opener !== document.body && opener.isConnected) {
      opener.focus();
    }
  }, { once: true });
  window.bootstrap.Modal.getOrCreateInstance(modalNode).show();
}

/** Removes every field error and the form-level alert from a form. */
export function clearErrors(form) {
  form.querySelectorAll('.is-invalid').forEach((n) => n.classList.remove('is-invalid'));
  form.querySelectorAll('.invalid-feedback.from-api').forEach((n) => n.remove());
  clearOutcome(form);
}

/**
 * Removes what a form's last submission said above it (its alert box and warning), and leaves the messages under
 * the fields, which are about what is still typed in them.
 */
export function clearOutcome(form) {
  const alert = form.querySelector('.form-alert');
  if (alert) {
    alert.replaceChildren();
    alert.classList.add('d-none');
  }
  showWarning(form, null);
}

/**
 * Shows an answer's `warning` (the change was made but something went wrong with it, e.g. it could not be saved and
 * will not come back after a restart) under the form's alert box, in warning colours; null removes it.
 */
export function showWarning(form, warning) {
  const old = form.querySelector('.form-warning');
  if (old) {
    old.remove();
  }
  const alert = form.querySelector('.form-alert');
  if (warning && alert) {
    alert.after(el('div', { class: 'form-warning alert alert-warning', role: 'alert' }, warning));
  }
}

/**
 * Shows an API error on a form: each validation message next to its field (by name; aliases map API field names
 * that have no input of their own to the input that sets them), the rest in the form's alert box.
 */
export function showErrors(form, error, aliases = {}) {
  clearErrors(form);
  const unplaced = [];
  for (const [field, message] of Object.entries(error.details || {})) {
    const name = aliases[field] || field;
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!input || input.closest('.d-none')) {
      unplaced.push(`${field}: ${message}`);
      continue;
    }
    input.classList.add('is-invalid');
    const feedback = el('div', { class: 'invalid-feedback from-api d-block', 'data-field': field }, message);
    const group = input.closest('.input-group') || input.closest('.form-check') || input;
    group.after(feedback);
  }
  const hasDetails = Object.keys(error.details || {}).length > 0;
  if (!hasDetails || unplaced.length) {
    showAlert(form, [hasDetails ? error.message : error.message, ...unplaced].join(' · '), 'danger');
  }
  const first = form.querySelector('.is-invalid');
  if (first) {
    first.focus();
  }
}

/**
 * A form's number field as a request sends it: left out (undefined) when empty, so the service uses its default; a
 * number when it holds a whole number; else the text as typed, so that the service refuses it with its message
 * rather than the browser turning it into something else.
 */
export function wholeNumberField(text) {
  if (text === '') {
    return undefined;
  }
  return /^[+-]?\d+$/.test(text) ? Number(text) : text;
}

/** Shows a message in the form's alert box (an element with class form-alert inside the form). */
export function showAlert(form, message, kind = 'danger') {
  const alert = form.querySelector('.form-alert');
  if (!alert) {
    return;
  }
  alert.className = `form-alert alert alert-${kind}`;
  alert.setAttribute('role', kind === 'danger' ? 'alert' : 'status');
  alert.textContent = message;
}

/** A page-level error box (element id page-alert): a text, or a list of texts and elements (a link). */
export function pageAlert(message, kind = 'danger') {
  const node = document.getElementById('page-alert');
  if (!node) {
    return;
  }
  if (!message) {
    node.className = 'd-none';
    node.replaceChildren();
    return;
  }
  node.className = `alert alert-${kind}`;
  node.setAttribute('role', 'alert');
  node.replaceChildren(...[message].flat());
}

/** host:port as in a URL: an IPv6 address in brackets ([::1]:9000). */
export function hostPort(host, port) {
  const h = String(host ?? '?');
  return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port ?? ''}`;
}

export function formatBytes(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n)) {
    return '–';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function formatDuration(seconds) {
  const s = Math.round(Number(seconds));
  if (!Number.isFinite(s) || s < 0) {
    return '–';
  }
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m ${String(r).padStart(2, '0')}s` : `${m}m ${String(r).padStart(2, '0')}s`;
}

export function formatNumber(value, digits = 2) {
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

export function formatInteger(value) {
  const n = Number(value);
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-GB') : '–';
}

/**
 * A network input's faults before the service (`input_continuity_errors`, `input_rtp_lost` of a stream or pair), as
 * "4 continuity errors, 2 RTP datagrams lost"; undefined where they are not measured (a file, colour bars).
 */
export function inputFaults(view) {
  if (view.input_continuity_errors === undefined || view.input_continuity_errors === null) {
    return undefined;
  }
  const cc = `${formatInteger(view.input_continuity_errors)} continuity errors`;
  return view.input_rtp_lost === null || view.input_rtp_lost === undefined
    ? cc : `${cc}, ${formatInteger(view.input_rtp_lost)} RTP datagrams lost`;
}

/** As {@link inputFaults}, for a list line: " (faults before it: ...)" once there are any, else "". */
export function inputFaultsNote(view) {
  const any = (view.input_continuity_errors || 0) > 0 || (view.input_rtp_lost || 0) > 0;
  return any ? ` (faults before it: ${inputFaults(view)})` : '';
}

/*
 * Times are shown in the browser's own time zone, always with the zone's name ("21:54:04 CET"), so that an operator
 * never has to guess whether a time is local or UTC. Chart axes show the clock alone and name the zone in their title.
 */
const CLOCK = new Intl.DateTimeFormat('en-GB',
  { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const DAY = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
const ZONE = new Intl.DateTimeFormat('en-GB', { timeZoneName: 'short' });

/** Below this a number is a time in epoch seconds (the API's last_updated, timestamp_api), above in milliseconds. */
const SECONDS_BELOW = 1e11;

/**
 * A time as epoch milliseconds, from epoch milliseconds, epoch seconds (with a fraction) or an ISO text; NaN when
 * there is none (null, 0, unreadable).
 */
function toMillis(time) {
  if (time === null || time === undefined || time === '') {
    return NaN;
  }
  const n = typeof time === 'number' ? time : (/^\d+(\.\d+)?$/.test(String(time)) ? Number(time) : Date.parse(time));
  if (!(n > 0)) {
    return NaN;
  }
  return n < SECONDS_BELOW ? Math.round(n * 1000) : n;
}

/** The browser's time zone as its short name at that moment: "CET", "UTC", "GMT+2". */
export function zoneName(millis = Date.now()) {
  const part = ZONE.formatToParts(new Date(millis)).find((p) => p.type === 'timeZoneName');
  return part ? part.value : '';
}

/** "21:54:04": the time of day in the browser's zone, without the zone (for chart axes, whose title names it). */
export function formatClock(time) {
  const ms = toMillis(time);
  return Number.isNaN(ms) ? '–' : CLOCK.format(new Date(ms));
}

/** "21:54:04 CET": the time of day in the browser's zone, with the zone; "–" for no time (0, null, unreadable). */
export function formatTime(time) {
  const ms = toMillis(time);
  return Number.isNaN(ms) ? '–' : `${CLOCK.format(new Date(ms))} ${zoneName(ms)}`;
}

/** "2026-11-23 21:54:04 CET": as {@link formatTime}, with the date. */
export function formatDateTime(time) {
  const ms = toMillis(time);
  return Number.isNaN(ms) ? '–' : `${DAY.format(new Date(ms))} ${formatTime(ms)}`;
}

/**
 * The overhead as set and, where libsrt applies another (it applies at least 5 %: the stream's srt_uri says
 * oheadbw=5 for a 2 % setting), what it applies: "2 % (applied: 5 %)".
 */
export function overheadText(set, srtUri) {
  if (set === undefined || set === null) {
    return '–';
  }
  const m = /[?&]oheadbw=(\d+)/.exec(String(srtUri || ''));
  return m && Number(m[1]) !== Number(set) ? `${set} % (applied: ${m[1]} %)` : `${set} %`;
}

/**
 * What a stream or pair sends, for a card or list line, from the service's own description (`source_detail`), so that
 * every way of naming an input reads well: "Colour bars 1080i25", "File: news.ts", "UDP: 239.1.1.1:5000 via eth0".
 */
export function inputLabel(view) {
  const type = String(view.input_type || '');
  const detail = view.source_detail ? String(view.source_detail) : '';
  if (type.startsWith('colorbar')) {
    // the API says "Colorbars 720p50", as the original did; the pages say it in words
    return detail ? detail.replace(/^Colou?r ?bars/i, 'Colour bars') : 'Colour bars';
  }
  if (type === 'file') {
    return `File: ${detail || '–'}`;
  }
  if (type === 'multicast') {
    return `UDP: ${detail || '–'}`;
  }
  return detail || type || '–';
}

/** As {@link inputLabel}, from a stream's definition (the `config` of its statistics). */
export function inputFromConfig(cfg) {
  const type = String(cfg.input_type || '');
  if (type.startsWith('colorbar')) {
    const format = cfg.colorbar_resolution || cfg.colorbar_format;
    return `Colour bars${format ? ' ' + format : ''}`;
  }
  if (type === 'file') {
    return `File: ${cfg.file_path || '–'}`;
  }
  if (type === 'multicast') {
    const where = cfg.multicast_address ? hostPort(cfg.multicast_address, cfg.multicast_port) : '–';
    return `UDP: ${where}${cfg.multicast_source ? ' from ' + cfg.multicast_source : ''}`
      + `${cfg.multicast_interface ? ' via ' + cfg.multicast_interface : ''}`;
  }
  return type || '–';
}

/** The streams map of GET /api/streams ({"data": {"10001": {...}}}) as an array ordered by key. */
export function streamList(payload) {
  const data = payload && typeof payload === 'object' && 'data' in payload ? payload.data : payload;
  const list = Array.isArray(data) ? data : Object.entries(data || {}).map(([key, s]) => ({ key, ...s }));
  return list.sort((a, b) => Number(a.key) - Number(b.key));
}
