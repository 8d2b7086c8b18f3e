/** Network test: run POST /api/network-test, show the measurements and the recommended SRT latency and overhead. */
import { get, post } from './api.js';
import {
  clearErrors, el, formatDateTime, formatNumber, renderNav, showErrors, wholeNumberField, whileDisabled,
} from './ui.js';

renderNav('network_test');
const form = document.getElementById('network-test-form');
const field = (name) => form.elements.namedItem(name);

/**
 * Whether a field applies to the chosen mechanism: ping sends four pings to the host, so it has no port, protocol or
 * duration; the srt mechanism no protocol (SRT runs over UDP). With the service's default, whichever it is, all show.
 */
const applies = (node) => !node.dataset.unusedBy
  || !node.dataset.unusedBy.split(' ').includes(field('mechanism').value);

const showMode = () => {
  form.querySelectorAll('[data-mode], [data-unused-by]').forEach((node) => {
    const mode = node.dataset.mode === undefined || node.dataset.mode === field('mode').value;
    node.classList.toggle('d-none', !mode || !applies(node));
  });
};
field('mode').addEventListener('change', showMode);
field('mechanism').addEventListener('change', showMode);
showMode();

/**
 * The port the chosen mechanism starts from: iperf3's 5201 for iperf (and the service's default mechanism); the srt
 * mechanism has no default port (any SRT listener is measured, on whatever port it listens), so its field is empty and
 * asks for the listener's. A port the operator typed is kept whatever the mechanism.
 */
const IPERF_PORT = '5201';
let portTyped = false;
field('manual_port').addEventListener('input', () => { portTyped = true; });
const offerPort = () => {
  const srt = field('mechanism').value === 'srt';
  field('manual_port').placeholder = srt ? 'the SRT listener\'s port' : `${IPERF_PORT} (default)`;
  if (!portTyped) {
    field('manual_port').value = srt ? '' : IPERF_PORT;
  }
};
field('mechanism').addEventListener('change', offerPort);
offerPort();

/** Whether the named field is one the chosen mechanism uses (a field it does not use is left out of the request). */
const used = (name) => {
  const box = field(name).closest('[data-unused-by]');
  return !box || applies(box);
};

async function loadRegions() {
  const select = field('region');
  try {
    const servers = await get('/api/network-test/servers');
    let regions = [];
    if (Array.isArray(servers)) {
      regions = servers.map((s) => s.CONTINENT || s.continent || s.region).filter(Boolean);
    } else if (servers && Array.isArray(servers.regions)) {
      regions = servers.regions;
    }
    regions = [...new Set(regions)].sort();
    select.replaceChildren(...(regions.length
      ? regions.map((r) => el('option', { value: r }, r))
      : [el('option', { value: '' }, 'No server list available')]));
  } catch (error) {
    select.replaceChildren(el('option', { value: '' }, `Server list unavailable (${error.message})`));
  }
}

/**
 * The POST /api/network-test body. Duration and port left empty are left out, so that the service's defaults (5 s,
 * 5201) apply (an srt test is not sent without its port, see the submit handler); anything but a whole number is sent as typed, so that the service refuses it naming it, rather than
 * Number() turning it into 0 or NaN.
 */
function requestBody() {
  const body = {
    mode: field('mode').value,
    duration: used('duration') ? wholeNumberField(field('duration').value.trim()) : undefined,
    bitrate: field('bitrate').value,
  };
  if (field('mechanism').value) {
    body.mechanism = field('mechanism').value;
  }
  if (body.mode === 'regional') {
    body.region = field('region').value;
  }
  if (body.mode === 'manual') {
    body.manual_host = field('manual_host').value.trim();
    if (used('manual_port')) {
      body.manual_port = wholeNumberField(field('manual_port').value.trim());
    }
    if (used('manual_protocol')) {
      body.manual_protocol = field('manual_protocol').value;
    }
  }
  return body;
}

/** The service's "2026-01-01 12:00:00 UTC" in the browser's zone, as every time in the UI; as given if unreadable. */
function testTime(text) {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/.exec(String(text || ''));
  return m ? formatDateTime(`${m[1]}T${m[2]}Z`) : text;
}

/**
 * The server as the result names it for the operator: the result's `server` is HOST:PORT whatever the mechanism (a
 * script may read it), but ping has no port, so a ping-only test names the host alone ("127.0.0.1", "::1").
 */
function serverShown(r) {
  const server = r.server;
  if (typeof server !== 'string' || !/^ping(_only)?$/i.test(String(r.mechanism || ''))) {
    return server;
  }
  const m = /^\[(.+)\]:\d+$/.exec(server) || /^([^:]+):\d+$/.exec(server);
  return m ? m[1] : server;
}

function renderResult(r) {
  const rows = [
    ['Server', serverShown(r)], ['Location', r.server_location],
    ['Round-trip time', r.rtt_ms !== undefined && r.rtt_ms !== null
      ? `${formatNumber(r.rtt_ms, Math.abs(Number(r.rtt_ms)) < 1 ? 2 : 1)} ms` : null],
    ['Packet loss', r.loss_percent !== undefined && r.loss_percent !== null ? `${formatNumber(r.loss_percent)} %` : null],
    ['Jitter', r.jitter_ms !== undefined && r.jitter_ms !== null ? `${formatNumber(r.jitter_ms)} ms` : null],
    ['Bandwidth', r.bandwidth_mbps !== undefined && r.bandwidth_mbps !== null
      ? `${formatNumber(r.bandwidth_mbps, 1)} Mbit/s${r.bandwidth_type ? ' (' + r.bandwidth_type + ')' : ''}` : null],
    ['SRT retransmissions', r.retransmit_percent !== undefined && r.retransmit_percent !== null
      ? `${formatNumber(r.retransmit_percent)} %` : null],
    ['Return-path loss', r.return_loss_percent !== undefined && r.return_loss_percent !== null
      ? `${formatNumber(r.return_loss_percent)} %` : null],
    ['Mechanism', r.mechanism],
    ['Tested at', testTime(r.test_time)],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  const box = document.getElementById('results');
  box.replaceChildren(el('dl', { class: 'row mb-0', id: 'result-list' }, rows.flatMap(([k, v]) => [
    el('dt', { class: 'col-sm-4' }, k), el('dd', { class: 'col-sm-8 mb-1', 'data-field': k }, v),
  ])));
  if (r.error) {
    box.append(el('div', { class: 'alert alert-warning mt-2 mb-0', role: 'alert' }, r.error));
  }

  const rec = r.recommendation || {};
  const latency = rec.latency_ms ?? r.latency_recommendation;
  const overhead = rec.overhead_percent ?? r.overhead_recommendation;
  const card = document.getElementById('recommendation-card');
  if (latency === undefined || latency === null) {
    card.classList.add('d-none');
    return;
  }
  card.classList.remove('d-none');
  document.getElementById('rec-latency').textContent = latency;
  document.getElementById('rec-overhead').textContent = overhead ?? '–';
  document.getElementById('rec-multiplier').textContent = rec.rtt_multiplier ?? r.rtt_multiplier ?? '–';
  const lossUsed = rec.loss_used_percent ?? r.loss_percent;
  document.getElementById('rec-loss').textContent = lossUsed !== undefined && lossUsed !== null
    ? formatNumber(lossUsed, 1) + ((rec.loss_measured ?? r.loss_measured) === false ? '*' : '') : '–';
  document.getElementById('rec-explanation').textContent = rec.explanation || r.explanation
    || `Latency = RTT multiplier ${rec.rtt_multiplier ?? r.rtt_multiplier ?? '?'} × RTT ${formatNumber(r.rtt_ms, 1)} ms, `
      + `chosen for ${formatNumber(lossUsed, 1)} % loss; overhead ${overhead} %.`;
  const warnings = rec.warnings || r.warnings || [];
  document.getElementById('rec-warnings').replaceChildren(...warnings.map((w) => el('li', {}, w)));
  const query = `?apply_network_test=1&latency=${encodeURIComponent(latency)}&overhead=${encodeURIComponent(overhead ?? '')}`;
  document.getElementById('apply-listener').href = `/${query}`;
  document.getElementById('apply-caller').href = `/caller${query}`;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  if (field('mode').value === 'manual' && field('mechanism').value === 'srt' && !field('manual_port').value.trim()) {
    // the service would take iperf3's 5201, where an SRT listener seldom is; the command line asks for it too
    showErrors(form, { details: { manual_port: 'The srt mechanism needs the SRT listener\'s port.' } });
    return;
  }
  const running = document.getElementById('running');
  running.classList.remove('d-none');
  await whileDisabled(document.getElementById('run-test'), async () => {
    try {
      renderResult(await post('/api/network-test', requestBody()));
    } catch (error) {
      showErrors(form, error);
    } finally {
      running.classList.add('d-none');
    }
  });
});

loadRegions();
