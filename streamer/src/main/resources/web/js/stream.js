/**
 * Stream details: status, peers, metrics, live charts (history from the server, then one sample a second from
 * /api/streams/{key}/events), counters, connection events, the SCTE-35 cues sent and the raw statistics.
 */
import { get, pairWithLeg } from './api.js';
import { arrivalNow, clockStep, historyArrival, lineChart, sampleTime } from './charts.js';
import { renderCues } from './cues.js';
import { subscribe } from './sse.js';
import {
  announce, el, formatInteger, formatNumber, formatTime, inputFaults, inputFromConfig, onContactRegained, overheadText,
  oneAtATime, pageAlert, renderNav, reportContact, setLiveState, showStatusDetail, statusBadge,
} from './ui.js';

renderNav('');
const key = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
const base = `/api/streams/${encodeURIComponent(key)}`;
document.getElementById('stream-title').textContent = `Stream ${key}`;
document.title = `Stream ${key} · MCR SRT Streamer`;

const charts = {
  bitrate: lineChart('chart-bitrate', 'Bitrate (Mbit/s)', '#0d6efd'),
  rtt: lineChart('chart-rtt', 'RTT (ms)', '#198754'),
  loss: lineChart('chart-loss', 'Loss (%)', '#dc3545'),
  retrans: lineChart('chart-retrans', 'Retransmits/s', '#fd7e14'),
};

const COUNTERS = [
  ['packets_sent_total', 'Packets sent'], ['packets_lost_total', 'Packets lost'],
  ['packets_retransmitted_total', 'Packets retransmitted'], ['packets_dropped_total', 'Packets not sent (too late)'],
  ['packets_received_total', 'Packets received'], ['packets_received_lost', 'Received: lost'],
  ['packets_received_retransmitted', 'Received: retransmitted'], ['packets_received_dropped', 'Received: dropped'],
  ['bytes_sent_total', 'Bytes sent'], ['bytes_received', 'Bytes received'], ['bytes_retransmitted', 'Bytes retransmitted'],
  ['bytes_sent_dropped', 'Bytes dropped on send'], ['bytes_received_lost', 'Bytes lost on receive'],
  ['packet_ack_received', 'ACKs received'], ['packet_nack_received', 'NAKs received'],
  ['packet_ack_sent', 'ACKs sent'], ['packet_nack_sent', 'NAKs sent'], ['flow_window', 'Flow window (packets)'],
  ['recv_buffer_level_ms', 'Receive buffer (ms)'],
];

let previous = null;
let previousAt = 0;
/** When the previous sample charted came, by arrivalNow() (see historyArrival); null when not known. */
let previousArrived = null;
let retransRate = 0;
let lastStatus = null;
let lastPeers = null;
let latest = null;
/** How many SCTE-35 cues the stream had sent when its cues were last read; null before that. */
let cuesRead = null;
/** The stream's srt:// URL (from the debug route): what libsrt is given, e.g. the overhead it applies. */
let srtUri = '';

/**
 * Adds one sample to the charts at its own time, unless that time is already plotted (the history's newest sample
 * comes again as the first live one); retransmits per second come from the difference of the running totals.
 * Returns the retransmit rate of the newest sample. Totals that went down belong to another connection (a caller
 * that reconnected, or a listener's next caller now shown): the two totals cannot be subtracted, so that second's
 * rate is left at 0 rather than drawn as a spike.
 */
function chartSample(s, redraw, arrived = redraw ? arrivalNow() : null) {
  const at = sampleTime(s);
  const sinceLast = arrived !== null && previousArrived !== null ? arrived - previousArrived : null;
  previousAt += clockStep(previousAt, at, sinceLast); // as each chart does with its points
  if (at <= previousAt) {
    return retransRate;
  }
  previousArrived = arrived;
  retransRate = 0;
  if (previous && s.packets_retransmitted_total !== undefined
      && s.packets_sent_total >= previous.packets_sent_total) {
    const seconds = Math.max((at - previousAt) / 1000, 1);
    retransRate = Math.max(0, (s.packets_retransmitted_total - previous.packets_retransmitted_total) / seconds);
  }
  previous = s;
  previousAt = at;
  charts.bitrate.push(at, Number(s.bitrate_mbps) || 0, redraw, arrived);
  charts.rtt.push(at, Number(s.rtt_ms) || 0, redraw, arrived);
  charts.loss.push(at, Number(s.packet_loss_percent ?? s.loss_rate) || 0, redraw, arrived);
  charts.retrans.push(at, Math.round(retransRate * 10) / 10, redraw, arrived);
  return retransRate;
}

/** The Link panel: the stream's settings as configured and, where it differs, as applied. */
function renderInfo(stats) {
  const cfg = stats.config || {};
  document.getElementById('back-link').setAttribute('href', cfg.mode === 'caller' ? '/caller' : '/');
  const rows = [
    ['Mode', cfg.mode], ['Input', cfg.input_type ? inputFromConfig(cfg) : undefined],
    ['Input faults', inputFaults(stats)],
    ['Latency (configured)', cfg.latency !== undefined ? `${cfg.latency} ms` : undefined],
    ['Overhead', cfg.overhead_bandwidth !== undefined ? overheadText(cfg.overhead_bandwidth, srtUri) : undefined],
    ['Encryption', cfg.encryption], ['Last update', stats.last_updated ? formatTime(stats.last_updated) : undefined],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  const items = rows.flatMap(([k, v]) => [
    el('dt', { class: 'col-5' }, k), el('dd', { class: 'col-7 mb-1 text-break', 'data-field': k }, String(v)),
  ]);
  document.getElementById('stream-info').replaceChildren(el('dl', { class: 'row small mb-0' }, items));
}

function setMetric(id, text) {
  document.getElementById(`m-${id}`).textContent = text;
}

function render(stats) {
  latest = stats;
  const status = stats.connection_status || 'Unknown';
  let changed = false;
  if (status !== lastStatus) {
    document.getElementById('stream-status').replaceChildren(statusBadge(status));
    changed = lastStatus !== null;
    if (changed) {
      announce(`Stream ${key}: ${status}`);
    }
    lastStatus = status;
  }
  const retrans = chartSample(stats, true);
  // Without a link (a listener nobody calls, a caller still dialling) there are no link figures: "–", not zeros
  // that read as a perfect link.
  const linked = (Array.isArray(stats.peers) && stats.peers.length > 0) || String(status).startsWith('Connected');
  const link = (text) => (linked ? text : '–');
  setMetric('bitrate', link(formatNumber(stats.bitrate_mbps)));
  setMetric('rtt', link(formatNumber(stats.rtt_ms)));
  setMetric('loss', link(formatNumber(stats.packet_loss_percent ?? stats.loss_rate)));
  setMetric('retrans', link(formatNumber(retrans, 1)));
  setMetric('latency', stats.negotiated_latency_ms ? formatInteger(stats.negotiated_latency_ms) : '–');
  setMetric('bandwidth', link(formatNumber(stats.estimated_bandwidth_mbps, 1)));
  setMetric('sndbuf', link(formatInteger(stats.send_buffer_level_ms)));
  setMetric('uptime', stats.uptime || '–');
  renderInfo(stats);

  const listed = Array.isArray(stats.peers) && stats.peers.length;
  const peers = listed
    ? stats.peers.map((p) => `${p.address}${p.stream_id ? ' (' + p.stream_id + ')' : ''}${p.connected_at ? ', since ' + formatTime(p.connected_at) : ''}`)
    : (stats.connected_client ? [String(stats.connected_client)] : []);
  // A peer that left and came back (another address, a later time) while the status stayed the same is an event too;
  // a count that grows is not.
  const peerSig = peers.join('|');
  if (changed || (lastPeers !== null && peerSig !== lastPeers)) {
    loadEvents();
  }
  lastPeers = peerSig;
  // A caller that takes nothing (its receiver stopped reading) is said beside it: it is dropped after 5 s of it.
  const notDelivered = (i) => (listed && stats.peers[i].packets_not_delivered > 0
    ? [' ', el('span', { class: 'text-warning-emphasis' },
      `(${formatInteger(stats.peers[i].packets_not_delivered)} packets not delivered)`)]
    : []);
  document.getElementById('stream-peers').replaceChildren(peers.length
    ? el('ul', { class: 'list-unstyled mb-0', id: 'peer-list' }, peers.map((p, i) => el('li', {}, p, ...notDelivered(i))))
    : el('p', { class: 'text-muted mb-0' }, 'None'));

  document.querySelector('#counters tbody').replaceChildren(...COUNTERS
    .filter(([field]) => stats[field] !== undefined)
    .map(([field, label]) => el('tr', {}, el('th', { scope: 'row', class: 'fw-normal' }, label),
      el('td', { class: 'text-end', 'data-field': field }, formatInteger(stats[field])))));

  if (Array.isArray(stats.events)) {
    renderEvents(stats.events);
  }
  // A cue sent is an event too: both are read again when the count moves.
  if (typeof stats.scte35_cues === 'number' && cuesRead !== null && stats.scte35_cues !== cuesRead) {
    cuesRead = stats.scte35_cues;
    loadCues();
    loadEvents();
  }
  if (!document.getElementById('raw-box').classList.contains('d-none')) {
    document.getElementById('raw-stats').textContent = JSON.stringify(stats, null, 2);
  }
}

function renderEvents(events) {
  const box = document.getElementById('stream-events');
  if (!events.length) {
    box.replaceChildren(el('p', { class: 'text-muted mb-0' }, 'None yet'));
    return;
  }
  box.replaceChildren(el('ol', { class: 'list-unstyled small mb-0' }, [...events].reverse().map((e) => {
    if (typeof e === 'string') {
      return el('li', {}, e);
    }
    const when = e.timestamp_millis ? formatTime(e.timestamp_millis) : (e.time || e.timestamp || '');
    return el('li', { class: 'mb-1' }, el('span', { class: 'text-muted me-2 tabular' }, when),
      e.kind ? el('span', { class: 'badge text-bg-light me-1' }, e.kind) : '', e.detail || e.event || e.message || '');
  })));
}

/** Reads the stream's SCTE-35 cues again, one request at a time (see oneAtATime). */
const loadCues = oneAtATime(async () => {
  try {
    const answer = await get(`${base}/scte35`);
    cuesRead = answer.count;
    renderCues(document.getElementById('scte35-cues'), answer, 'the stream');
  } catch {
    // The table keeps its last content; the status badge already tells what happened.
  }
});

/**
 * What the statistics do not carry comes from the debug route, read again whenever the status changes: the connection
 * events (unless the statistics bring them) and the reason for the status. One request at a time (see oneAtATime): the
 * answers came in any order, and an older one could replace the newer events on the page.
 */
const loadEvents = oneAtATime(async () => {
  try {
    const debug = await get(`/api/debug/${encodeURIComponent(key)}`);
    if (Array.isArray(debug.hist) && !(latest && Array.isArray(latest.events))) {
      renderEvents(debug.hist);
    }
    showStatusDetail(document.getElementById('stream-status-detail'), debug.stat, debug.status_detail);
    if (debug.uri && debug.uri !== srtUri) {
      srtUri = debug.uri;
      if (latest) {
        renderInfo(latest);
      }
    }
  } catch {
    // The panels keep their last content; the status badge already tells what happened.
  }
});

/**
 * The stream is gone (stopped here or elsewhere, or not restored after a restart): the page stops following it and
 * says so, and shows no live figures or peers any more; the charts keep what was seen.
 */
function ended(event) {
  setLiveState('ended');
  document.getElementById('stream-status').replaceChildren(statusBadge('Stopped'));
  if (lastStatus !== 'Stopped') {
    announce(`Stream ${key}: Stopped`);
  }
  lastStatus = 'Stopped';
  showStatusDetail(document.getElementById('stream-status-detail'), 'Stopped', null);
  for (const id of ['bitrate', 'rtt', 'loss', 'retrans', 'latency', 'bandwidth', 'sndbuf', 'uptime']) {
    setMetric(id, '–');
  }
  document.getElementById('stream-peers').replaceChildren(
    el('p', { class: 'text-muted mb-0' }, 'None: the stream is not running'));
  const gone = event && /not found/i.test(String(event.message || ''));
  pageAlert(gone ? `Stream ${key} is not running: the service no longer has it (stopped elsewhere, or not restored `
    + 'after a restart).' : `Stream ${key} has stopped and is not running any more.`, 'secondary');
}

document.getElementById('raw-toggle').addEventListener('click', (event) => {
  const box = document.getElementById('raw-box');
  const show = box.classList.contains('d-none');
  box.classList.toggle('d-none', !show);
  event.currentTarget.setAttribute('aria-expanded', String(show));
  event.currentTarget.textContent = show ? 'Hide raw stats' : 'Show raw stats';
  if (show) {
    document.getElementById('raw-stats').textContent = JSON.stringify(latest, null, 2);
    // The box is under the counters, out of sight of the button on most screens: without this, the click seemed
    // to do nothing but change the button's label.
    box.scrollIntoView({ block: 'nearest' });
  }
});

/** How long the page waits before it asks again for statistics it could not get, as the pair page polls. */
const RETRY_MS = 2000;

async function start() {
  let first;
  try {
    first = await get(`/api/stats/${encodeURIComponent(key)}`);
  } catch (error) {
    if (error.status !== 404 && error.status !== 400) {
      // No answer (the service is restarting, the way to it is down) or a failure of its own: the page asks again,
      // as its live updates would, and shows the stream once the service answers, without a reload.
      reportContact(error);
      pageAlert(`Stream ${key} could not be loaded: ${error.message} Trying again every ${RETRY_MS / 1000} s.`);
      setTimeout(start, RETRY_MS);
      return;
    }
    document.getElementById('stream-body').classList.add('d-none');
    // no statistics to show: the button would open an empty box
    document.getElementById('raw-toggle').classList.add('d-none');
    document.getElementById('stream-status').replaceChildren(statusBadge(error.status === 404 ? 'Not found' : 'Error'));
    // a key the stream routes do not know may be a leg of an SMPTE 2022-7 pair: then a link to the pair's page
    const pair = error.status === 404 ? await pairWithLeg(key) : null;
    if (pair) {
      const link = el('a', { class: 'alert-link', href: `/pair/${encodeURIComponent(pair.pair_id)}` },
        `Open pair ${pair.pair_id}`);
      pageAlert([`Port ${key} is a leg of SMPTE 2022-7 pair ${pair.pair_id}. `, link], 'secondary');
      return;
    }
    // The service's "Invalid key format: abc" does not say what a key is.
    pageAlert(error.status === 400
      ? `There is no stream "${key}": a stream is named by its port (1–65535), e.g. /stream/10001.` : error.message);
    return;
  }
  reportContact();
  pageAlert(null);
  try {
    const history = await get(`${base}/history`);
    const answered = arrivalNow();
    for (const sample of (history && history.samples) || []) {
      chartSample(sample, false, historyArrival(sample, answered));
    }
    Object.values(charts).forEach((c) => c.redraw());
  } catch {
    // No history (a new stream, or an older service): the charts fill from the live samples.
  }
  render(first);
  loadEvents();
  loadCues();
  // Back after a time without contact: the service may have restarted and brought the stream back with events of its
  // own, in the same status as before, so the statistics alone would leave the old events on the page.
  onContactRegained(loadEvents);
  const close = subscribe(`${base}/events`, {
    stats: render,
    end: (event) => {
      close();
      ended(event);
    },
  }, setLiveState, 10000);
}

start();
