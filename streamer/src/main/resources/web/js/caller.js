/** Caller page: the stream form in caller mode and the running caller streams. */
import { get } from './api.js';
import { subscribe } from './sse.js';
import { streamCards } from './stream-cards.js';
import { initStreamForm } from './stream-form.js';
import { onContactRegained, pageAlert, renderNav, setLiveState } from './ui.js';

renderNav('caller');
const updateStreams = streamCards('stream-cards', (s) => s.mode === 'caller');
initStreamForm('caller', () => refresh());

async function refresh() {
  try {
    updateStreams(await get('/api/streams'));
    pageAlert(null);
  } catch (error) {
    pageAlert(`Streams could not be loaded: ${error.message}`);
  }
}

refresh();
// Back after a time without contact (perhaps a restart): the outcome of a Stop from before it no longer holds, and
// the list read again clears it.
onContactRegained(refresh);
subscribe('/api/events', { streams: updateStreams }, setLiveState);
