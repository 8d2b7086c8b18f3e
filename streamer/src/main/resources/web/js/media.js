/** Media library: the .ts files of the media folder with size and duration, and their mediainfo details. */
import { get } from './api.js';
import {
  el, formatBytes, formatDuration, formatNumber, openDialog, pageAlert, renderNav,
} from './ui.js';

renderNav('media');
const tbody = document.querySelector('#media-table tbody');

/** "4.28 Mbit/s", "128 kbit/s" from mediainfo's bits per second. */
function bitrate(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) {
    return String(value);
  }
  if (n >= 1e6) {
    return `${formatNumber(n / 1e6)} Mbit/s`;
  }
  return n >= 1e3 ? `${formatNumber(n / 1e3, 0)} kbit/s` : `${formatNumber(n, 0)} bit/s`;
}

/** "0m 20s (19.98 s)": as the file list says it, and to the hundredth. */
function duration(value) {
  const n = Number(value);
  return Number.isFinite(n) ? `${formatDuration(n)} (${formatNumber(n)} s)` : String(value);
}

/** A value as it was, trimmed of a decimal tail that says nothing ("25.000" is 25). */
function plain(value) {
  const n = Number(value);
  return value !== '' && Number.isFinite(n) ? String(Math.round(n * 1000) / 1000) : String(value);
}

/**
 * Per track type, the rows shown: label and how to read the value from the track. A row whose value is missing is
 * left out. Frame rate and bitrate fall back to mediainfo's nominal figures (a variable-rate stream has no other).
 */
const TRACK_FIELDS = {
  General: [
    ['Format', (t) => t.Format],
    ['Duration', (t) => t.Duration !== undefined ? duration(t.Duration) : undefined],
    ['Overall bitrate', (t) => t.OverallBitRate !== undefined ? bitrate(t.OverallBitRate) : undefined],
    ['Bitrate mode', (t) => t.OverallBitRate_Mode],
    ['File size', (t) => t.FileSize !== undefined ? formatBytes(t.FileSize) : undefined],
  ],
  Video: [
    ['Format', (t) => t.Format], ['Profile', (t) => t.Format_Profile], ['Resolution', resolution],
    ['Frame rate', frameRate], ['Scan', (t) => t.ScanType], ['Bitrate', trackBitrate],
  ],
  Audio: [
    ['Format', (t) => t.Format], ['Channels', (t) => t.Channels],
    ['Sampling rate', (t) => t.SamplingRate !== undefined ? `${plain(Number(t.SamplingRate) / 1000)} kHz` : undefined],
    ['Bitrate', trackBitrate], ['Language', (t) => t.Language],
  ],
  Text: [['Format', (t) => t.Format], ['Language', (t) => t.Language]],
  Menu: [['ID', (t) => t.ID]],
};

/** "1920 × 1080 px": mediainfo gives width and height as bare numbers. */
function resolution(t) {
  if (t.Width === undefined && t.Height === undefined) {
    return undefined;
  }
  return `${plain(t.Width ?? '?')} × ${plain(t.Height ?? '?')} px`;
}

function frameRate(t) {
  const rate = t.FrameRate ?? t.FrameRate_Nominal;
  if (rate === undefined) {
    return t.FrameRate_Mode === 'VFR' ? 'variable' : undefined;
  }
  return `${plain(rate)} fps${t.FrameRate_Mode === 'VFR' ? ' (variable)' : ''}`;
}

function trackBitrate(t) {
  if (t.BitRate !== undefined) {
    return bitrate(t.BitRate);
  }
  return t.BitRate_Nominal !== undefined ? `${bitrate(t.BitRate_Nominal)} (nominal)` : undefined;
}

async function showInfo(name) {
  const modalNode = document.getElementById('info-modal');
  document.getElementById('info-title').textContent = name;
  const summary = document.getElementById('info-summary');
  const raw = document.getElementById('info-raw');
  summary.replaceChildren(el('p', { class: 'text-muted' }, 'Running mediainfo…'));
  raw.textContent = '';
  openDialog(modalNode);
  try {
    const info = await get(`/api/media/${name.split('/').map(encodeURIComponent).join('/')}/info`);
    raw.textContent = JSON.stringify(info, null, 2);
    const tracks = (info && info.media && info.media.track) || [];
    summary.replaceChildren(...tracks.map((track) => {
      const type = track['@type'] || 'Track';
      const rows = (TRACK_FIELDS[type] || [['Format', (t) => t.Format]])
        .map(([label, read]) => [label, read(track)])
        .filter(([, value]) => value !== undefined && value !== null && value !== '');
      return el('section', { class: 'mb-3' },
        el('h3', { class: 'fs-6' }, type + (track.ID ? ` (ID ${track.ID})` : '')),
        el('dl', { class: 'row small mb-0' }, rows.flatMap(([label, value]) => [
          el('dt', { class: 'col-5 col-md-3' }, label),
          el('dd', { class: 'col-7 col-md-9 mb-1', 'data-field': label }, String(value)),
        ])));
    }));
    if (!tracks.length) {
      summary.replaceChildren(el('p', {}, 'mediainfo found no tracks in this file.'));
    }
  } catch (error) {
    summary.replaceChildren(el('div', { class: 'alert alert-danger', role: 'alert' }, error.message));
  }
}

async function load() {
  try {
    const files = await get('/api/media');
    const list = Array.isArray(files) ? files : [];
    pageAlert(null);
    if (!list.length) {
      tbody.replaceChildren(el('tr', {}, el('td', { colspan: '4', class: 'text-muted' },
        'No .ts files in the media folder. Copy MPEG-TS files there and reload.')));
      return;
    }
    tbody.replaceChildren(...list.map((f) => el('tr', { 'data-file': f.name },
      el('td', { class: 'text-break' }, f.name),
      el('td', { class: 'text-end text-nowrap' }, formatBytes(f.size)),
      el('td', { class: 'text-end text-nowrap' }, f.duration_seconds === undefined || f.duration_seconds === null
        ? '–' : (f.duration_estimated ? '≈ ' : '') + formatDuration(f.duration_seconds)),
      el('td', { class: 'text-end' }, el('button', {
        type: 'button', class: 'btn btn-sm btn-outline-primary', onclick: () => showInfo(f.name),
        'aria-label': `Media information for ${f.name}`,
      }, 'Info')))));
  } catch (error) {
    tbody.replaceChildren();
    pageAlert(`The media library could not be loaded: ${error.message}`);
  }
}

document.getElementById('reload-media').addEventListener('click', load);
load();
