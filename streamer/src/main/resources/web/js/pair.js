/**
 * SMPTE 2022-7 pair details: each leg's status, statistics and charts side by side. The charts start with each leg's
 * history from the service (as a stream's page does), then add the pair's samples every 2 s; below them the SCTE-35 cues
 * the input sent, read again when the pair's count of them moves.
 */
import { del, get, pairWithLeg } from './api.js';
import { arrivalNow, historyArrival, lineChart, sampleTime } from './charts.js';
import { renderCues } from './cues.js';
import {
  announce, confirmButton, el, formatNumber, hostPort, inputFaultsNote, inputLabel, oneAtATime, overheadText, pageAlert,
  pairStatusBadge, renderNav, reportContact, setLiveState, statusBadge, statusDetail,
} from './ui.js';

renderNav('smpte');
const id = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
document.getElementById('pair-title').textContent = `Pair ${id}`;
document.title = `Pair ${id} · MCR SRT Streamer`;
const charts = [1, 2].map((n) => ({
  bitrate: lineChart(`leg${n}-chart-bitrate`, 'Bitrate (Mbit/s)', '#0d6efd'),
  rtt: lineChart(`leg${n}-chart-rtt`, 'RTT (ms)', '#198754'),
}));
let timer = null;
let polling = true;
let historyAsked = false;
/** How many SCTE-35 cues the pair had sent when its cues were last read; null before that. */
let cuesRead = null;

/**
 * Reads the pair's cues into its table, one request at a time (see oneAtATime), as a stream's page does; a failed read
 * leaves the table as it was. The pair's poll does not wait for it: a slow answer for the cues holds up neither the
 * legs' figures nor the next poll.
 */
const loadCues = oneAtATime(async () => {
  try {
    const answer = await get(`/api/pairs/${encodeURIComponent(id)}/scte35`);
    cuesRead = answer.count;
    renderCues(document.getElementById('scte35-cues'), answer, 'the pair');
  } catch {
    // The table keeps its last content; the status badge already tells what happened.
  }
});

/** Plots a leg's sample at its own time; a second already plotted is left out by the chart. */
function chartSample(n, stats, at, redraw, arrived = redraw ? arrivalNow() : null) {
  charts[n - 1].bitrate.push(at, Number(stats.bitrate_mbps) || 0, redraw, arrived);
  charts[n - 1].rtt.push(at, Number(stats.rtt_ms) || 0, redraw, arrived);
}

/**
 * Fills each leg's charts with its history (GET /api/pairs/{key}/legs/{leg}/history), before the first live sample
 * is plotted. A leg without one (no caller yet, or a service without the route) starts with the live samples.
 */
async function loadHistory(legCount) {
  await Promise.all(Array.from({ length: legCount }, async (_, i) => {
    try {
      const history = await get(`/api/pairs/${encodeURIComponent(id)}/legs/${i + 1}/history`);
      const answered = arrivalNow();
      for (const sample of (history && history.samples) || []) {
        chartSample(i + 1, sample, sampleTime(sample), false, historyArrival(sample, answered));
      }
      charts[i].bitrate.redraw();
      charts[i].rtt.redraw();
    } catch {
      // The live samples fill the charts.
    }
  }));
}

function renderLeg(n, leg, answeredAt) {
  const stats = leg.stats || leg;
  const status = leg.connection_status || stats.connection_status || 'Unknown';
  document.getElementById(`leg${n}-status`).replaceChildren(statusBadge(status));
  const where = leg.mode === 'caller' ? `caller → ${leg.target_address ? hostPort(leg.target_address, leg.target_port) : (leg.target || '?')}` : `listener on port ${leg.port ?? '?'}`;
  const reason = statusDetail(status, leg.status_detail);
  document.getElementById(`leg${n}-info`).replaceChildren(el('span', {}, where),
    leg.interface ? el('span', { class: 'text-muted' }, ` via ${leg.interface}`) : '',
    reason ? el('div', { class: 'status-detail', 'data-field': 'status_detail' }, reason) : '');
  // Without a link (a listener leg nobody calls, a caller leg still dialling) there are no link figures: "–", not
  // zeros that read as a perfect link, as on a stream's page.
  const linked = Number(leg.peers_connected) > 0 || (Array.isArray(leg.peers) && leg.peers.length > 0)
    || String(status).startsWith('Connected');
  const link = (value) => (linked ? formatNumber(value) : '–');
  document.getElementById(`leg${n}-bitrate`).textContent = link(stats.bitrate_mbps);
  document.getElementById(`leg${n}-rtt`).textContent = link(stats.rtt_ms);
  document.getElementById(`leg${n}-loss`).textContent = link(stats.packet_loss_percent ?? stats.loss_rate);
  chartSample(n, stats, sampleTime(stats, answeredAt), true);
}

/**
 * The input's rate, or what it waits for: colour bars and a file start playing when the first peer of either leg
 * connects, so before that their 0.00 Mbit/s is not a dead input but one not yet started.
 */
function inputRateText(pair) {
  const type = String(pair.input_type || '');
  const waits = type.startsWith('colorbar') || type === 'file';
  const anyPeer = (pair.legs || []).some((leg) => Number(leg.peers_connected) > 0);
  if (waits && !anyPeer && !(Number(pair.input_bitrate_mbps) > 0)) {
    return 'waiting for the first receiver';
  }
  return `${formatNumber(pair.input_bitrate_mbps)} Mbit/s`;
}

async function load() {
  try {
    const pair = await get(`/api/pairs/${encodeURIComponent(id)}`);
    if (!historyAsked) {
      historyAsked = true;
      await loadHistory(Math.min((pair.legs || []).length, 2));
    }
    const badge = pairStatusBadge(pair);
    const holder = document.getElementById('pair-status');
    if (holder.textContent !== badge.textContent) {
      if (holder.textContent) {
        announce(`Pair ${id}: ${badge.textContent}`);
      }
      holder.replaceChildren(badge);
    }
    document.getElementById('pair-input').textContent = `Input: ${inputLabel(pair)}`
      + `${inputFaultsNote(pair)}, ${inputRateText(pair)}`;
    const legUri = ((pair.legs || [])[0] || {}).srt_uri;
    document.getElementById('pair-settings').textContent = `Latency ${pair.latency ?? '–'} ms`
      + ` · overhead ${overheadText(pair.overhead_bandwidth, legUri)}`
      + ` · encryption ${pair.encryption || 'none'} · SSRC ${pair.ssrc || '–'}`;
    (pair.legs || []).slice(0, 2).forEach((leg, i) => renderLeg(i + 1, leg, pair.timestamp_api));
    if (cuesRead === null || (typeof pair.scte35_cues === 'number' && pair.scte35_cues !== cuesRead)) {
      loadCues();
    }
    pageAlert(null);
    reportContact();
  } catch (error) {
    if (reportContact(error)) {
      return;
    }
    if (error.status === 404) {
      // The other leg's port names the pair too: show the pair under its own address (replace, so Back does not
      // return here), where Stop and every request work.
      const pair = await pairWithLeg(id);
      if (pair && String(pair.pair_id) !== id) {
        polling = false;
        location.replace(`/pair/${encodeURIComponent(pair.pair_id)}`);
        return;
      }
      notRunning(`Pair ${id} is not running: the service has no such pair (it may have been stopped elsewhere).`);
    } else if (error.status === 400) {
      notRunning(`There is no pair "${id}": a pair is named by its first leg's port, e.g. /pair/10001.`);
    } else {
      pageAlert(error.message);
    }
  }
}

/** Stops following the pair, and shows only why: it has stopped, never was, or the address names none. */
function notRunning(message, kind = 'secondary') {
  polling = false;
  clearTimeout(timer);
  setLiveState('ended');
  for (const part of ['pair-body', 'pair-cues', 'pair-stop', 'pair-input', 'pair-settings', 'pair-status']) {
    document.getElementById(part).classList.add('d-none');
  }
  pageAlert(message, kind);
}

confirmButton(document.getElementById('pair-stop'), 'Confirm stop', 'Stopping…', async () => {
  try {
    const answer = await del(`/api/pairs/${encodeURIComponent(id)}`);
    if (answer && answer.warning) {
      // Stays on this page so that the warning is read; "Back to pairs" leads on.
      notRunning(`Pair ${id} stopped, but: ${answer.warning}`, 'warning');
      return true;
    }
    location.assign('/smpte2022_7');
    return true;
  } catch (error) {
    pageAlert(`Pair ${id} could not be stopped: ${error.message}`);
    return false;
  }
});

/** Reads the pair every 2 s, one request at a time, until it is known not to run. */
async function poll() {
  await load();
  if (polling) {
    timer = setTimeout(poll, 2000);
  }
}

poll();
