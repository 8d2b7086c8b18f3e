/**
 * The stream form shared by the listener (dashboard) and caller pages: input choice, file browser, multicast
 * channel and interface lists, encryption, network-test prefill, and submission to POST /api/streams with the API's
 * validation messages shown next to their fields.
 */
import { get, post } from './api.js';
import {
  clearErrors, clearOutcome, el, formatBytes, formatDuration, onContactRegained, passphraseCounter, showAlert,
  showErrors, showWarning, wholeNumberField, whileDisabled,
} from './ui.js';

/** API field names whose messages belong to an input with another name. */
const ALIASES = {
  input_type: 'input_kind',
  mode: 'input_kind',
};

/** What the service uses for a field the request leaves out (POST /api/streams), as the form says it. */
const DEFAULTS = {
  latency: ['Latency', '300 ms'],
  overhead_bandwidth: ['Overhead bandwidth', '2 %'],
};

/**
 * Wires the form with id stream-form. mode is 'listener' or 'caller'; onStarted(response) runs after a 201.
 */
export function initStreamForm(mode, onStarted = () => {}) {
  const form = document.getElementById('stream-form');
  const field = (name) => form.elements.namedItem(name);

  const sections = {
    file: form.querySelector('[data-input="file"]'),
    multicast: form.querySelector('[data-input="multicast"]'),
    colorbar: form.querySelector('[data-input="colorbar"]'),
  };
  const showInput = () => {
    const kind = field('input_kind').value;
    for (const [name, section] of Object.entries(sections)) {
      section.classList.toggle('d-none', name !== kind);
    }
    const rtp = field('rtp_encapsulation');
    rtp.disabled = kind === 'file';
    if (rtp.disabled) {
      rtp.checked = false;
    }
  };
  field('input_kind').addEventListener('change', showInput);
  showInput();

  const passphraseGroup = form.querySelector('[data-encryption]');
  const showEncryption = () => {
    passphraseGroup.classList.toggle('d-none', field('encryption').value === 'none');
  };
  field('encryption').addEventListener('change', showEncryption);
  showEncryption();
  passphraseCounter(field('passphrase'), form.querySelector('[data-passphrase-count]'));
  const reveal = form.querySelector('[data-action="toggle-passphrase"]');
  reveal.addEventListener('click', () => {
    const input = field('passphrase');
    const shown = input.type === 'text';
    input.type = shown ? 'password' : 'text';
    reveal.textContent = shown ? 'Show' : 'Hide';
    reveal.setAttribute('aria-pressed', String(!shown));
  });

  applyNetworkTestPrefill(form);
  loadChannels(form);
  loadInterfaces(form);
  initFileBrowser(form);

  // Back after a time without contact (perhaps a restart): what a Start said before ("Stream K is starting.", or that
  // the service cannot be reached) no longer holds, and the cards say what runs now.
  onContactRegained(() => clearOutcome(form));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    await whileDisabled(form.querySelector('[type="submit"]'), async () => {
      try {
        const request = streamRequest(form, mode);
        const response = await post('/api/streams', request);
        const key = response && response.stream_key !== undefined ? response.stream_key : '';
        showAlert(form, [(response && response.message) || `Stream ${key} is starting.`, ...defaultsUsed(request)]
          .join(' '), 'success');
        showWarning(form, response && response.warning);
        onStarted(response);
      } catch (error) {
        showErrors(form, error, ALIASES);
      }
    });
  });
}

/** One sentence for each field with a default that the request left out: the stream runs with the default. */
function defaultsUsed(request) {
  return Object.entries(DEFAULTS).filter(([name]) => request[name] === undefined)
    .map(([, [label, fallback]]) => `${label} left empty: the service's default, ${fallback}, is used.`);
}

/**
 * The POST /api/streams body from the form's fields, in the API's names. A number field left empty is left out (the
 * service uses its default); one that holds anything but a whole number is sent as typed, so that the service
 * refuses it with its message rather than the stream starting with the default.
 */
function streamRequest(form, mode) {
  const value = (name) => {
    const input = form.elements.namedItem(name);
    return input ? input.value.trim() : '';
  };
  const integer = (name) => wholeNumberField(value(name));
  const kind = value('input_kind');
  const body = {
    mode,
    input_type: kind === 'colorbar' ? value('colorbar_format') : kind,
    latency: integer('latency'),
    overhead_bandwidth: integer('overhead_bandwidth'),
    encryption: value('encryption'),
    qos: form.elements.namedItem('qos').checked,
    rtp_encapsulation: form.elements.namedItem('rtp_encapsulation').checked,
    smoothing_latency_ms: integer('smoothing_latency_ms'),
  };
  if (kind === 'file') {
    body.file_path = value('file_path');
    body.loop = form.elements.namedItem('loop').checked;
  } else if (kind === 'multicast') {
    body.multicast_address = value('multicast_address');
    body.multicast_port = integer('multicast_port');
    if (value('multicast_interface')) {
      body.multicast_interface = value('multicast_interface');
    }
    if (value('multicast_source')) {
      body.multicast_source = value('multicast_source');
    }
  }
  if (body.encryption !== 'none') {
    body.passphrase = form.elements.namedItem('passphrase').value;
  }
  // a caller's only: sent as typed, as the listener compares it; left empty, the default (mcr_stream_<key>)
  const streamId = form.elements.namedItem('stream_id');
  if (streamId && streamId.value.trim() !== '') {
    body.stream_id = streamId.value;
  }
  if (mode === 'listener') {
    body.port = integer('port');
  } else {
    body.target_address = value('target_address');
    body.target_port = integer('target_port');
  }
  return body;
}

/** ?apply_network_test=1&latency=&overhead= fills latency and overhead from a network test recommendation. */
function applyNetworkTestPrefill(form) {
  const params = new URLSearchParams(location.search);
  if (params.get('apply_network_test') !== '1') {
    return;
  }
  const latency = params.get('latency');
  const overhead = params.get('overhead');
  if (latency) {
    form.elements.namedItem('latency').value = latency;
  }
  if (overhead) {
    form.elements.namedItem('overhead_bandwidth').value = overhead;
  }
  const note = document.getElementById('prefill-note');
  if (note) {
    note.textContent = `Network test recommendation applied: latency ${latency || '–'} ms, overhead ${overhead || '–'} %.`;
    note.classList.remove('d-none');
  }
}

async function loadChannels(form) {
  const select = form.elements.namedItem('multicast_channel');
  try {
    const channels = await get('/api/iptv-channels');
    const list = Array.isArray(channels) ? channels : [];
    select.replaceChildren(el('option', { value: '' }, list.length ? 'Manual entry' : 'No channel list: enter the address'),
      ...list.map((c, i) => el('option', { value: String(i) },
        `${c.name} (${c.source_ip ? c.source_ip + '@' : ''}${c.address}:${c.port})`)));
    select.addEventListener('change', () => {
      const channel = list[Number(select.value)];
      if (select.value !== '' && channel) {
        form.elements.namedItem('multicast_address').value = channel.address || '';
        form.elements.namedItem('multicast_port').value = channel.port || '';
        form.elements.namedItem('multicast_source').value = channel.source_ip || '';
      }
    });
  } catch (error) {
    select.replaceChildren(el('option', { value: '' }, 'Channel list unavailable: enter the address'));
  }
}

async function loadInterfaces(form) {
  const select = form.elements.namedItem('multicast_interface');
  try {
    const interfaces = await get('/api/network/interfaces');
    const up = (Array.isArray(interfaces) ? interfaces : []).filter((i) => i.up !== false);
    select.replaceChildren(el('option', { value: '' }, 'Auto (default route)'),
      ...up.map((i) => el('option', { value: i.name },
        `${i.name}${i.addresses && i.addresses.length ? ' – ' + i.addresses.join(', ') : ''}${i.multicast === false ? ' (no multicast)' : ''}`)));
  } catch (error) {
    select.replaceChildren(el('option', { value: '' }, 'Auto (default route)'));
  }
}

/** The file browser modal (id file-modal) lists GET /api/media; choosing a file fills file_path. */
function initFileBrowser(form) {
  const modalNode = document.getElementById('file-modal');
  const list = document.getElementById('file-list');
  const modal = window.bootstrap ? window.bootstrap.Modal.getOrCreateInstance(modalNode) : null;
  modalNode.addEventListener('show.bs.modal', async () => {
    list.replaceChildren(el('p', { class: 'text-muted' }, 'Loading…'));
    try {
      const files = await get('/api/media');
      const entries = Array.isArray(files) ? files : [];
      if (!entries.length) {
        list.replaceChildren(el('p', { class: 'text-muted' }, 'No .ts files in the media folder.'));
        return;
      }
      list.replaceChildren(el('div', { class: 'list-group' }, entries.map((f) => el('button', {
        type: 'button',
        class: 'list-group-item list-group-item-action d-flex justify-content-between align-items-center',
        onclick: () => {
          const input = form.elements.namedItem('file_path');
          input.value = f.name;
          if (modal) {
            // Bootstrap gives the focus back to Browse… once the dialog is hidden, through a listener added when
            // it opened; this one, added later, runs after it and leaves the cursor in the file field, so that
            // Enter starts the stream.
            modalNode.addEventListener('hidden.bs.modal', () => input.focus(), { once: true });
            modal.hide();
          } else {
            input.focus();
          }
        },
      }, el('span', { class: 'text-break' }, f.name),
      el('span', { class: 'text-muted small ms-2 text-nowrap' },
        formatBytes(f.size), f.duration_seconds !== undefined && f.duration_seconds !== null
          ? ' · ' + formatDuration(f.duration_seconds) : '')))));
    } catch (error) {
      list.replaceChildren(el('div', { class: 'alert alert-danger', role: 'alert' }, error.message));
    }
  });
}
