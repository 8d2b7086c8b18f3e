/**
 * Running streams as cards with live status badges, kept up to date from the `streams` server-sent event.
 * Cards and their fields are updated in place (only changed text is written), so keyboard focus, text selection and
 * references held by assistive technology survive the once-a-second updates.
 */
import { del, get } from './api.js';
import {
  announce, confirmButton, el, inputFaultsNote, inputLabel, openDialog, overheadText, pageAlert, showStatusDetail,
  statusBadge, streamList,
} from './ui.js';

/** Renders into the element with id `containerId`; filter(stream) picks which streams to show. */
export function streamCards(containerId, filter = () => true) {
  const container = document.getElementById(containerId);
  const cards = new Map();
  /** Whether an update ever carried the peers (the live event does): then the list alone is enough. */
  const peersListed = { seen: false };

  const update = (payload) => {
    const all = streamList(payload);
    if (all.some((s) => Array.isArray(s.peers))) {
      peersListed.seen = true;
    }
    const streams = all.filter(filter);
    const seen = new Set();
    for (const stream of streams) {
      const key = String(stream.key);
      seen.add(key);
      let card = cards.get(key);
      if (!card) {
        card = createCard(key);
        cards.set(key, card);
      }
      fillCard(card, stream, peersListed);
    }
    let focusLost = false;
    for (const [key, card] of cards) {
      if (!seen.has(key)) {
        focusLost ||= card.root.contains(document.activeElement)
          || (card.stop.focused && (!document.activeElement || document.activeElement === document.body));
        card.root.remove();
        cards.delete(key);
      }
    }
    const ordered = [...cards.entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map(([, c]) => c.root);
    if (ordered.length === 0) {
      if (!container.querySelector(':scope > #no-streams')) {
        container.replaceChildren(el('p', { class: 'text-muted', id: 'no-streams' }, 'No streams running.'));
      }
    } else {
      container.querySelectorAll(':scope > :not([data-stream-key])').forEach((n) => n.remove());
      placeInOrder(container, ordered);
    }
    if (focusLost) {
      focusListHeading(container);
    }
  };
  return update;
}

/**
 * The card with the keyboard focus (its Stop, clicked with it) is gone: the list's heading takes the focus, so that
 * Tab goes on to the cards that are left rather than from the top of the page.
 */
function focusListHeading(container) {
  const section = container.closest('[aria-labelledby]');
  const heading = section && document.getElementById(section.getAttribute('aria-labelledby'));
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/**
 * Puts the nodes in this order, moving only those that are out of place. A card already where it belongs is left
 * alone: moving it (even to where it was) would take the keyboard focus from a button in it and have the browser
 * lay the whole list out again, at every update.
 */
function placeInOrder(container, nodes) {
  let at = container.firstElementChild;
  for (const node of nodes) {
    if (node === at) {
      at = at.nextElementSibling;
    } else {
      container.insertBefore(node, at);
    }
  }
}

/**
 * The card's rows: label, and how the value is written from a stream view; the peers row (null) is written by
 * fillPeers, as its label and value depend on the mode.
 */
const FIELDS = [
  ['Mode', (s) => `${s.mode || '–'} (${s.mode === 'caller' ? `→ ${s.target || '–'}` : `port ${s.port ?? s.key}`})`],
  ['Input', (s) => `${inputLabel(s)}${inputFaultsNote(s)}`],
  ['Latency', (s) => (s.latency !== undefined ? `${s.latency} ms` : '–')],
  ['Overhead', (s) => overheadText(s.overhead_bandwidth, s.srt_uri)],
  ['Encryption', (s) => `${s.encryption || 'none'}${s.passphrase_set ? ' (passphrase set)' : ''}`],
  ['Clients', null],
  ['Uptime', (s) => s.uptime || '–'],
];

function createCard(key) {
  const badgeHolder = el('span', { class: 'ms-auto' });
  // Three cards a row from 1400 px (xxl) leave a third of a card too narrow for "Encryption" and "Connected", which
  // broke inside the word: the labels take five twelfths there, as on a phone.
  const values = FIELDS.map(([label, format]) => el('dd', {
    class: 'col-7 col-xl-8 col-xxl-7 mb-1 source-detail', 'data-field': format ? label.toLowerCase() : 'peers',
  }, ''));
  const labels = FIELDS.map(([label]) => el('dt', { class: 'col-5 col-xl-4 col-xxl-5' }, label));
  const detail = el('p', { class: 'status-detail small mb-2 d-none', 'data-field': 'status_detail' });
  const body = el('div', { class: 'card-body' }, detail,
    el('dl', { class: 'row small' }, FIELDS.flatMap((_, i) => [labels[i], values[i]])));
  const stop = el('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', 'data-action': 'stop' }, 'Stop');
  const stopState = { focused: false };
  confirmButton(stop, 'Confirm stop', 'Stopping…', async (focused) => {
    // set before the answer: the update without the stream may come first
    stopState.focused = focused;
    try {
      const answer = await del(`/api/streams/${encodeURIComponent(key)}`);
      pageAlert(answer && answer.warning ? `Stream ${key} stopped, but: ${answer.warning}` : null, 'warning');
      return true;
    } catch (error) {
      stopState.focused = false;
      pageAlert(`Stream ${key} could not be stopped: ${error.message}`);
      return false;
    }
  });
  const debug = el('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', 'data-action': 'debug' }, 'Debug');
  debug.addEventListener('click', () => showDebug(key));
  const root = el('div', { class: 'col', 'data-stream-key': key },
    el('article', { class: 'card stream-card h-100 shadow-sm', 'aria-label': `Stream ${key}` },
      el('div', { class: 'card-header d-flex flex-wrap align-items-center gap-2' },
        el('h3', {}, `Stream ${key}`), badgeHolder),
      body,
      el('div', { class: 'card-footer d-flex gap-2 flex-wrap' },
        el('a', { class: 'btn btn-sm btn-primary', href: `/stream/${encodeURIComponent(key)}`, 'data-action': 'details' }, 'Details'),
        debug, stop)));
  const peerRow = FIELDS.findIndex(([, format]) => format === null);
  return {
    key, root, badgeHolder, detail, values, peersLabel: labels[peerRow], peersValue: values[peerRow], stop: stopState,
    last: null, peers: null, peersReading: false, peersReadAgain: false,
  };
}

function fillCard(card, s, peersListed) {
  const status = s.connection_status || 'Unknown';
  const current = card.badgeHolder.firstChild;
  if (!current || current.textContent !== status) {
    card.badgeHolder.replaceChildren(statusBadge(status));
    if (current) {
      announce(`Stream ${card.key}: ${status}`);
    }
  }
  showStatusDetail(card.detail, status, s.status_detail);
  FIELDS.forEach(([, format], i) => {
    if (!format) {
      return;
    }
    const text = format(s);
    if (card.values[i].textContent !== text) {
      card.values[i].textContent = text;
    }
  });
  card.last = s;
  if (fillPeers(card, s) && !peersListed.seen) {
    // The page's first GET /api/streams races the live event, which brings the peers: read them only if it does not.
    setTimeout(() => {
      if (!peersListed.seen && card.root.isConnected) {
        loadPeers(card);
      }
    }, 1500);
  }
}

function setText(node, text) {
  if (node.textContent !== text) {
    node.textContent = text;
  }
}

/**
 * Who the stream sends to. A caller: the listener it is connected to. A listener: how many callers are connected and
 * each one's address (and stream id). The live `streams` event carries every stream's `peers`, and is sent as soon
 * as one changes (a caller that replaced another at the same count too). GET /api/streams carries only the count
 * and the first peer: from it alone (an older service) the addresses come from the stream's statistics. Returns
 * whether the addresses are to be read (a listener with callers, from a list without them).
 */
function fillPeers(card, s) {
  const count = Number(s.peers_connected ?? (s.client_ip ? 1 : 0));
  const listed = Array.isArray(s.peers) ? s.peers : null;
  if (listed) {
    card.peers = listed;
  }
  if (s.mode === 'caller') {
    setText(card.peersLabel, 'Connected to');
    // The listener's address without its port (client_ip, as the original's): the port is in the Mode row.
    const far = s.client_ip || (listed && listed.length ? listed[0].address : null);
    showPeers(card, count > 0 ? [far || s.target || '?'] : [], '–', false);
    return false;
  }
  setText(card.peersLabel, 'Clients');
  if (count === 0) {
    card.peers = null;
    showPeers(card, [], 'none', true);
    return false;
  }
  // Addresses read for another count are not shown under this one; the first peer stands in until the next read.
  const read = card.peers && card.peers.length === count ? card.peers : null;
  const peers = listed || read || (s.client_ip ? [{ address: s.client_ip }] : []);
  const addresses = peers.map((p) => `${p.address}${p.stream_id ? ` (${p.stream_id})` : ''}`);
  showPeers(card, addresses, `${count} connected`, true);
  return !listed;
}

/** Writes the peers row: a heading (the count, or what to say for none) and the addresses, only when they change. */
function showPeers(card, addresses, heading, counted) {
  const shown = JSON.stringify([heading, addresses]);
  if (card.peersValue.dataset.shown === shown) {
    return;
  }
  card.peersValue.dataset.shown = shown;
  if (!counted) {
    card.peersValue.replaceChildren(addresses.length ? addresses.join(', ') : heading);
    return;
  }
  card.peersValue.replaceChildren(heading, addresses.length
    ? el('ul', { class: 'list-unstyled mb-0 peer-addresses' }, addresses.map((a) => el('li', {}, a))) : '');
}

/**
 * Reads the stream's peers from its statistics and shows them. One read at a time per card: an update that comes
 * while one is under way asks for one more read after it, so what is shown is never older than the last update.
 */
async function loadPeers(card) {
  if (card.peersReading) {
    card.peersReadAgain = true;
    return;
  }
  card.peersReading = true;
  try {
    do {
      card.peersReadAgain = false;
      const stats = await get(`/api/stats/${encodeURIComponent(card.key)}`);
      if (Array.isArray(stats.peers)) {
        card.peers = stats.peers;
        if (card.last) {
          fillPeers(card, card.last);
        }
      }
    } while (card.peersReadAgain);
  } catch {
    // What was shown stays; the next update reads the list again.
  } finally {
    card.peersReading = false;
  }
}

async function showDebug(key) {
  const modalNode = document.getElementById('debug-modal');
  const pre = document.getElementById('debug-content');
  document.getElementById('debug-title').textContent = `Stream ${key}: debug information`;
  pre.textContent = 'Loading…';
  openDialog(modalNode);
  try {
    pre.textContent = JSON.stringify(await get(`/api/debug/${encodeURIComponent(key)}`), null, 2);
  } catch (error) {
    pre.textContent = error.message;
  }
}
