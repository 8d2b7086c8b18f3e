/** The "SCTE-35 cues" table of the stream and pair pages. */
import { el, formatInteger, formatTime } from './ui.js';

/**
 * A splice time as a clock reads it, "5:58:34.559" for 21514.559 s (PTS run to 26:30:43.717 before they wrap); "–"
 * for none (an immediate splice, a command without a time).
 */
export function formatPts(seconds) {
  if (typeof seconds !== 'number') {
    return '–';
  }
  const ms = Math.round(seconds * 1000);
  const two = (n) => String(n).padStart(2, '0');
  return `${Math.floor(ms / 3600000)}:${two(Math.floor(ms / 60000) % 60)}:${two(Math.floor(ms / 1000) % 60)}`
    + `.${String(ms % 1000).padStart(3, '0')}`;
}

/**
 * The last SCTE-35 cues sent, newest first, into box: as GET /api/streams/{key}/scte35 (or a pair's
 * GET /api/pairs/{key}/scte35) gives them; owner names who sent them in the caption, "the stream" or "the pair".
 */
export function renderCues(box, answer, owner) {
  const cues = (answer && Array.isArray(answer.cues)) ? answer.cues : [];
  if (!cues.length) {
    box.replaceChildren(el('p', { class: 'text-muted mb-0 px-3 py-2' }, 'None sent'));
    return;
  }
  const head = el('thead', {}, el('tr', {}, ['Time', 'PID', 'Command', 'Event ID', 'PTS', 'Duration']
    .map((h) => el('th', { scope: 'col' }, h))));
  const rows = [...cues].reverse().map((c) => el('tr', { title: c.summary },
    el('td', {}, formatTime(c.timestamp_millis)),
    el('td', {}, `0x${Number(c.pid).toString(16).toUpperCase().padStart(4, '0')}`),
    el('td', {}, c.command || `cannot decode: ${c.error || ''}`),
    el('td', { class: 'text-end' }, c.event_id ?? '–'),
    el('td', { class: 'text-end' }, formatPts(c.pts_s)),
    el('td', { class: 'text-end' }, typeof c.duration_s === 'number' ? `${c.duration_s.toFixed(3)} s` : '–')));
  const caption = el('caption', { class: 'px-3' }, `${formatInteger(answer.count)} sent since ${owner} started`
    + (answer.errors ? `, ${formatInteger(answer.errors)} not decodable` : '') + `; the last ${cues.length} shown`);
  box.replaceChildren(el('div', { class: 'table-responsive' },
    el('table', { class: 'table table-sm table-striped mb-0 tabular', id: 'scte35-table' }, caption, head,
      el('tbody', {}, rows))));
}
