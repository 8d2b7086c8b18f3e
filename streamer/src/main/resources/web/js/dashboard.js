/** Dashboard: system information, the listener form and the running streams, live from /api/events. */
import { get } from './api.js';
import { subscribe } from './sse.js';
import { streamCards } from './stream-cards.js';
import { initStreamForm } from './stream-form.js';
import {
  el, formatBytes, formatTime, onContactRegained, pageAlert, renderNav, setLiveState, streamList,
} from './ui.js';

renderNav('dashboard');
const cards = streamCards('stream-cards');
/**
 * Shows the stream list and moves the port the form offers off a port a stream holds. askPairs: read the pairs' legs
 * too (on load, after a start, back after a time without contact), not only when a stream takes the port offered.
 */
const updateStreams = (streams, askPairs = false) => {
  cards(streams);
  offerFreePort(streams, undefined, askPairs);
};
initStreamForm('listener', async (response) => {
  const streams = await refresh();
  loadSystem();
  offerFreePort(streams, response && response.stream_key);
});

/** The listener port the page itself put in the field (at first the range's lowest): only that one it moves. */
let offeredPort = document.getElementById('port')?.value.trim();

/** The ports the legs of the running SMPTE 2022-7 pairs held when last read; none if unknown. */
let legPorts = [];
/** The request for the pairs under way, which every caller meanwhile waits for; null when none is. */
let legPortsAsked = null;

/**
 * Reads the ports the legs of the running SMPTE 2022-7 pairs hold (a stream cannot take them), one request at a time:
 * a call while one is under way gets its answer. On a failure the ports last read stay.
 */
function readLegPorts() {
  if (!legPortsAsked) {
    legPortsAsked = (async () => {
      try {
        const payload = await get('/api/pairs');
        const data = payload && typeof payload === 'object' && 'data' in payload ? payload.data : payload;
        const pairs = Array.isArray(data) ? data : Object.values(data || {});
        legPorts = pairs.flatMap((p) => (p.legs || []).map((leg) => Number(leg.key)));
      } catch {
        // the service refuses a port a leg holds, naming the pair
      } finally {
        legPortsAsked = null;
      }
      return legPorts;
    })();
  }
  return legPortsAsked;
}

/**
 * The port field moves on to the lowest port of the listener range that no stream and no pair's leg holds, when one
 * holds the port it shows and that port is the one the page offered (on load, or after a start) or the one just
 * started: left as it was, the next Start was refused as "already running". A port typed meanwhile is left as typed.
 * The pairs are read again only when the port shown is taken, or with askPairs: the live `streams` event, up to once a
 * second, does not ask for them each time.
 */
async function offerFreePort(streams, started, askPairs = false) {
  const input = document.getElementById('port');
  const ours = () => {
    const value = input ? input.value.trim() : '';
    return value === offeredPort || (started !== undefined && value === String(started));
  };
  if (!streams || !ours()) {
    return;
  }
  const taken = new Set(streamList(streams).map((s) => Number(s.key)));
  const shown = Number(input.value.trim());
  if (!askPairs && !taken.has(shown) && !legPorts.includes(shown)) {
    return;
  }
  (await readLegPorts()).forEach((port) => taken.add(port));
  if (!ours() || !taken.has(Number(input.value.trim()))) {
    return;
  }
  const min = Number(input.dataset.portMin);
  const max = Number(input.dataset.portMax);
  for (let port = min; port <= max; port += 1) {
    if (!taken.has(port)) {
      input.value = String(port);
      offeredPort = input.value;
      return;
    }
  }
}

/**
 * The last saving state seen (`persistence`): GET /api/system/status and the live `system` event (the same JSON, every
 * 5 s) both carry it, so the warning below appears and goes within 5 s of a save failing or working again.
 */
let persistence = null;

/** Where callers reach the listener streams: "192.0.2.10 (eth0), 2001:db8::10 (eth0)". */
function listenerAddresses(list) {
  if (!Array.isArray(list) || list.length === 0) {
    return '–';
  }
  return list.map((a) => (a.interface ? `${a.address} (${a.interface})` : a.address)).join(', ');
}

function renderSystem(info) {
  const box = document.getElementById('system-info');
  if (!info || typeof info !== 'object') {
    return;
  }
  const net = info.network || {};
  const rows = [
    ['CPU', info.cpu_usage !== undefined ? `${info.cpu_usage} %` : '–'],
    ['Memory', `${info.memory_used || '–'} / ${info.memory_total || '–'} (${info.memory_percent ?? '–'} %)`],
    ['Disk', `${info.disk_used || '–'} / ${info.disk_total || '–'} (${info.disk_percent ?? '–'} %)`],
    ['SRT listeners', listenerAddresses(info.srt_listen_addresses)],
    ['UTC time', info.utc_time || '–'],
    ['User', info.current_user || '–'],
    ['Host uptime', info.uptime || '–'],
    ['Network', net.bytes_sent !== undefined ? `sent ${formatBytes(net.bytes_sent)}, received ${formatBytes(net.bytes_recv)}` : '–'],
  ];
  box.replaceChildren(el('dl', { class: 'row small mb-0' }, rows.flatMap(([k, v]) => [
    el('dt', { class: 'col-4' }, k), el('dd', { class: 'col-8 mb-1 text-break', 'data-field': k }, v),
  ])));
  if (info.location_error) {
    box.append(el('p', { class: 'small text-warning mb-0' }, info.location_error));
  }
  if (info.persistence) {
    persistence = info.persistence;
  }
  if (persistence && persistence.ok === false) {
    const since = persistence.failed_at ? ` since ${formatTime(persistence.failed_at)}` : '';
    box.append(el('p', { class: 'alert alert-warning small mb-0 mt-2', id: 'persistence-warning', role: 'alert' },
      `Stream definitions are not being saved${since} (${persistence.file || 'streams.json'}: `
      + `${persistence.last_error || 'unknown error'}): streams started or stopped now will not be as they are after`
      + ' a restart.'));
  }
}

/** Reads the stream list again and shows it; returns it, or null when it could not be read. */
async function refresh() {
  try {
    const streams = await get('/api/streams');
    updateStreams(streams, true);
    pageAlert(null);
    return streams;
  } catch (error) {
    pageAlert(`Streams could not be loaded: ${error.message}`);
    return null;
  }
}

async function loadSystem() {
  try {
    renderSystem(await get('/api/system/status'));
  } catch (error) {
    document.getElementById('system-info').textContent = `System information unavailable: ${error.message}`;
  }
}

refresh();
loadSystem();
// Back after a time without contact (perhaps a restart): the outcome of a Stop from before it no longer holds, and
// the list read again clears it.
onContactRegained(refresh);
subscribe('/api/events', { streams: updateStreams, system: renderSystem }, setLiveState);
