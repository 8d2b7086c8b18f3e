/**
 * SMPTE 2022-7 pairs: the form for one multicast or colour-bars input sent over two SRT legs (POST /api/pairs; field
 * errors such as legs[0].port are shown next to leg1_port), and the running pairs. A created pair opens its details
 * page. When the service has no pair routes the page says so instead of showing a form that cannot work.
 */
import { get, post } from './api.js';
import {
  announce, clearErrors, clearOutcome, el, inputFaultsNote, inputLabel, onContactRegained, pairStatusBadge,
  passphraseCounter, renderNav, reportContact, showAlert, showErrors, showWarning, streamList, wholeNumberField, whileDisabled,
} from './ui.js';

renderNav('smpte');
const form = document.getElementById('pair-form');
const field = (name) => form.elements.namedItem(name);

function unavailable(message) {
  document.getElementById('pairs-content').classList.add('d-none');
  const box = document.getElementById('pairs-unavailable');
  box.textContent = message;
  box.classList.remove('d-none');
}

const toggleInputs = () => {
  form.querySelectorAll('[data-input]').forEach((n) => n.classList.toggle('d-none', n.dataset.input !== field('input_kind').value));
  form.querySelector('[data-encryption]').classList.toggle('d-none', field('encryption').value === 'none');
  for (const n of [1, 2]) {
    const caller = field(`leg${n}_mode`).value === 'caller';
    form.querySelectorAll(`[data-leg-caller="${n}"]`).forEach((x) => x.classList.toggle('d-none', !caller));
    form.querySelectorAll(`[data-leg-listener="${n}"]`).forEach((x) => x.classList.toggle('d-none', caller));
  }
};
form.addEventListener('change', toggleInputs);
toggleInputs();
passphraseCounter(field('passphrase'), form.querySelector('[data-passphrase-count]'));

/** Validation details may name leg fields as legs[0].port; the form names them leg1_port. */
function legAliases(details) {
  const aliases = {};
  for (const key of Object.keys(details || {})) {
    const m = /^legs?\[?(\d)\]?[._](\w+)$/.exec(key);
    if (m) {
      const index = Number(m[1]);
      const leg = key.includes('[') ? index + 1 : index;
      aliases[key] = `leg${leg}_${m[2] === 'multicast_interface' ? 'interface' : m[2]}`;
    }
  }
  return { input_type: 'input_kind', ...aliases };
}

/**
 * The POST /api/pairs body from the form. A number left empty is left out (the service uses its default); one that
 * is not a whole number is sent as typed, so that the service refuses it with its message under the field.
 */
function body() {
  const v = (name) => field(name).value.trim();
  const int = (name) => wholeNumberField(v(name));
  const kind = v('input_kind');
  const request = {
    input_type: kind === 'colorbar' ? v('colorbar_format') : kind,
    ssrc: v('ssrc'),
    latency: int('latency'),
    overhead_bandwidth: int('overhead_bandwidth'),
    smoothing_latency_ms: int('smoothing_latency_ms'),
    encryption: v('encryption'),
    qos: field('qos').checked,
    legs: [1, 2].map((n) => {
      const mode = v(`leg${n}_mode`);
      const leg = { mode, interface: v(`leg${n}_interface`) || undefined };
      if (mode === 'listener') {
        leg.port = int(`leg${n}_port`);
      } else {
        leg.target_address = v(`leg${n}_target_address`);
        leg.target_port = int(`leg${n}_target_port`);
      }
      return leg;
    }),
  };
  if (kind === 'multicast') {
    request.multicast_address = v('multicast_address');
    request.multicast_port = int('multicast_port');
  }
  if (request.encryption !== 'none') {
    request.passphrase = field('passphrase').value;
  }
  return request;
}

/** The pairs of a GET /api/pairs answer, as a list. */
function pairList(payload) {
  const data = payload && typeof payload === 'object' && 'data' in payload ? payload.data : payload;
  return Array.isArray(data) ? data : Object.entries(data || {}).map(([id, p]) => ({ pair_id: id, ...p }));
}

/** The leg ports the page itself put in the form (at first the service's defaults): only these it moves. */
const offeredPorts = { 1: field('leg1_port').value.trim(), 2: field('leg2_port').value.trim() };

/** The key a leg of the form would take: a listener's port, a caller's target port. */
function legKey(n) {
  return Number(field(`leg${n}_${field(`leg${n}_mode`).value === 'caller' ? 'target_port' : 'port'}`).value.trim());
}

/**
 * When a leg port the page offered is held by a running stream or pair (or is the other leg's), the ports the page
 * offered move to the lowest ports of the listener range that none holds, leg 1 first: left as they were, Start pair
 * was refused naming them. A port the operator typed is left as typed, and kept clear of.
 */
async function offerFreeLegPorts(pairs) {
  const offered = () => [1, 2].filter((n) => field(`leg${n}_mode`).value === 'listener'
    && field(`leg${n}_port`).value.trim() === offeredPorts[n]);
  if (!offered().length) {
    return;
  }
  let streams;
  try {
    streams = await get('/api/streams');
  } catch {
    return; // the next poll tries again
  }
  const taken = new Set(streamList(streams).map((s) => Number(s.key)));
  pairs.forEach((p) => (p.legs || []).forEach((leg) => taken.add(Number(leg.key))));
  const legs = offered();
  if (!legs.some((n) => taken.has(legKey(n)) || legKey(n) === legKey(3 - n))) {
    return;
  }
  [1, 2].filter((n) => !legs.includes(n)).forEach((n) => taken.add(legKey(n)));
  const input = field('leg1_port');
  let port = Number(input.dataset.portMin);
  for (const n of legs) {
    while (port <= Number(input.dataset.portMax) && taken.has(port)) {
      port += 1;
    }
    if (port > Number(input.dataset.portMax)) {
      return; // none free: the service's refusal will say so
    }
    field(`leg${n}_port`).value = String(port);
    offeredPorts[n] = String(port);
    port += 1;
  }
}

function renderPairs(payload) {
  const pairs = pairList(payload);
  const list = document.getElementById('pair-list');
  if (!pairs.length) {
    list.replaceChildren(el('p', { class: 'text-muted' }, 'No pairs running.'));
    return;
  }
  const before = new Map([...list.querySelectorAll('[data-pair-key]')]
    .map((a) => [a.dataset.pairKey, a.querySelector('.status-badge')?.textContent]));
  list.replaceChildren(...pairs.map((p) => {
    const id = p.pair_id ?? p.key ?? p.id;
    const badge = pairStatusBadge(p);
    const was = before.get(String(id));
    if (was && was !== badge.textContent) {
      announce(`Pair ${id}: ${badge.textContent}`);
    }
    return el('a', {
      class: 'list-group-item list-group-item-action d-flex align-items-center gap-2',
      href: `/pair/${encodeURIComponent(id)}`,
      'data-pair-key': id,
    },
      el('span', { class: 'fw-semibold' }, `Pair ${id}`),
      el('span', { class: 'text-muted small' }, `${inputLabel(p)}${inputFaultsNote(p)}`),
      el('span', { class: 'ms-auto' }, badge));
  }));
}

async function loadPairs() {
  try {
    const pairs = await get('/api/pairs');
    renderPairs(pairs);
    reportContact();
    offerFreeLegPorts(pairList(pairs));
    return true;
  } catch (error) {
    if (reportContact(error)) {
      return true;
    }
    if (error.status === 404 || error.status === 405 || error.status === 501) {
      unavailable('SMPTE 2022-7 protected pairs are not available in this version of the service. '
        + 'Run two separate streams from the Listener or Caller page to send the same input over two links.');
      return false;
    }
    document.getElementById('pair-list').replaceChildren(el('div', { class: 'alert alert-danger', role: 'alert' }, error.message));
    return true;
  }
}

async function loadInterfaces() {
  try {
    const interfaces = (await get('/api/network/interfaces')).filter((i) => i.up !== false);
    form.querySelectorAll('[data-interfaces]').forEach((select) => select.replaceChildren(
      el('option', { value: '' }, 'Auto (default route)'),
      ...interfaces.map((i) => el('option', { value: i.name }, `${i.name}${i.addresses && i.addresses.length ? ' – ' + i.addresses.join(', ') : ''}`))));
  } catch {
    // Auto stays the only choice.
  }
}

// Back after a time without contact (perhaps a restart): what a Start pair said before (a warning, or that the
// service cannot be reached) no longer holds, and the pair list says what runs now.
onContactRegained(() => clearOutcome(form));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  await whileDisabled(form.querySelector('[type="submit"]'), async () => {
    try {
      const response = await post('/api/pairs', body());
      showAlert(form, (response && response.message) || 'Pair starting.', 'success');
      const id = response && response.pair_id;
      if (id !== undefined && id !== null && !response.warning) {
        location.assign(`/pair/${encodeURIComponent(id)}`);
        return;
      }
      // A warning stays on screen: the operator opens the pair's page once it is read.
      if (id !== undefined && id !== null) {
        form.querySelector('.form-alert').append(' ',
          el('a', { class: 'alert-link', href: `/pair/${encodeURIComponent(id)}` }, `Open pair ${id}`));
      }
      showWarning(form, response && response.warning);
      loadPairs();
    } catch (error) {
      showErrors(form, error, legAliases(error.details));
    }
  });
});

/**
 * Reads the pair list again 5 s after each answer, one request at a time: a service that does not answer (the network
 * to it lost) leaves one request waiting, not one more every 5 s that all come at once when it is back.
 */
async function poll() {
  await loadPairs();
  setTimeout(poll, 5000);
}

loadPairs().then((available) => {
  if (available) {
    loadInterfaces();
    setTimeout(poll, 5000);
  }
});
