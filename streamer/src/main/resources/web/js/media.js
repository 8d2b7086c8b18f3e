/** Media library: the .ts files of the media folder with size and duration, and their mediainfo details. */
import { get } from './api.js';
import { el, formatBytes, formatDuration, pageAlert, renderNav } from './ui.js';

renderNav('media');
const tbody = document.querySelector('#media-table tbody');

const TRACK_FIELDS = {
  General: [['Format', 'Format'], ['Duration', 'Duration (s)'], ['OverallBitRate', 'Overall bitrate (bit/s)'], ['OverallBitRate_Mode', 'Bitrate mode']],
  Video: [['Format', 'Format'], ['Format_Profile', 'Profile'], ['Width', 'Width'], ['Height', 'Height'], ['FrameRate', 'Frame rate'], ['ScanType', 'Scan'], ['BitRate', 'Bitrate (bit/s)']],
  Audio: [['Format', 'Format'], ['Channels', 'Channels'], ['SamplingRate', 'Sampling rate (Hz)'], ['BitRate', 'Bitrate (bit/s)'], ['Language', 'Language']],
  Text: [['Format', 'Format'], ['Language', 'Language']],
  Menu: [['ID', 'ID']],
};

async function showInfo(name) {
  const modalNode = document.getElementById('info-modal');
  document.getElementById('info-title').textContent = name;
  const summary = document.getElementById('info-summary');
  const raw = document.getElementById('info-raw');
  summary.replaceChildren(el('p', { class: 'text-muted' }, 'Running mediainfo…'));
  raw.textContent = '';
  window.bootstrap.Modal.getOrCreateInstance(modalNode).show();
  try {
    const info = await get(`/api/media/${name.split('/').map(encodeURIComponent).join('/')}/info`);
    raw.textContent = JSON.stringify(info, null, 2);
    const tracks = (info && info.media && info.media.track) || [];
    summary.replaceChildren(...tracks.map((track) => {
      const type = track['@type'] || 'Track';
      const fields = (TRACK_FIELDS[type] || [['Format', 'Format']]).filter(([k]) => track[k] !== undefined);
      return el('section', { class: 'mb-3' },
        el('h3', { class: 'fs-6' }, type + (track.ID ? ` (ID ${track.ID})` : '')),
        el('dl', { class: 'row small mb-0' }, fields.flatMap(([k, label]) => [
          el('dt', { class: 'col-5 col-md-3' }, label), el('dd', { class: 'col-7 col-md-9 mb-1' }, String(track[k])),
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
        ? '–' : formatDuration(f.duration_seconds)),
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
