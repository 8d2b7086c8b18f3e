/**
 * Live data from the service's server-sent events. EventSource reconnects by itself after a dropped connection;
 * when the server refuses the stream (closed state) this reopens it with a growing delay, so a restarted service
 * is picked up again without a page reload. A connection that stays open but brings nothing for longer than the
 * service ever stays silent (a path that stopped passing packets) counts as lost and is opened again.
 */

import { checkBuild } from './build.js';
import { steadyNow } from './clock.js';

/**
 * EventSource does not say why the service refused a stream. Asks once more with fetch, which does: a session that
 * has ended (a changed login signs every browser out) is answered 401, and then the page goes to the login and comes
 * back after it, as every other request of the pages does, rather than retrying for ever while saying that there is
 * no contact. The answer is not read: an accepted stream is closed again as soon as its headers have come.
 */
async function toLoginIfSignedOut(url) {
  const abort = new AbortController();
  try {
    const response = await fetch(url, {
      headers: { Accept: 'text/event-stream' }, credentials: 'same-origin', cache: 'no-store', signal: abort.signal,
    });
    if (response.status === 401) {
      location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
    }
  } catch {
    // no answer: the service is down, and the retries go on
  } finally {
    abort.abort();
  }
}

/**
 * Opens an event stream and calls handlers[eventName](parsedJson) for each named event.
 * onState('live' | 'reconnecting' | 'offline') reports the connection, for a page's live indicator: 'live' when it
 * opens and with every event. silentMs: the longest the service may send nothing (its own promise times three).
 * Returns a function that closes the stream for good.
 */
export function subscribe(url, handlers, onState = () => {}, silentMs = 15000) {
  let source = null;
  let closed = false;
  let retryMs = 2000;
  let timer = null;
  // steadyNow(), not the computer's clock: a silence is a duration, and that clock may be set while the page is open
  // (forward, every stream looked silent at once; back, none did until the clock caught up). Nor performance.now()
  // alone, which stands still while the computer sleeps: after a sleep the connection, dead but still open, was
  // taken for live until it had been silent as long again. steadyNow() cannot tell a sleep from the computer's clock
  // set forward, though; a connection that is alive brings something within the service's promise (a third of
  // silentMs) of the page's waking time, performance.now(), so only one silent for half of silentMs of it too, the
  // promise with room for a late event, counts as lost.
  let lastHeard = steadyNow();
  let lastHeardAwake = performance.now();
  const awakeMs = silentMs / 2;

  const heard = () => {
    lastHeard = steadyNow();
    lastHeardAwake = performance.now();
    onState('live');
  };

  const open = () => {
    lastHeard = steadyNow();
    lastHeardAwake = performance.now();
    source = new EventSource(url);
    for (const [name, handler] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => {
        if (closed) {
          return;
        }
        heard();
        let data;
        try {
          data = JSON.parse(event.data);
        } catch {
          data = event.data;
        }
        handler(data);
      });
    }
    // The service ends a stream opened with a session before that session's cookie expires, saying so first: opened
    // again at once, the answer renews the session, and the page never shows a loss of contact for it.
    source.addEventListener('reopen', () => {
      if (closed) {
        return;
      }
      source.close();
      open();
    });
    source.onopen = () => {
      retryMs = 2000;
      heard();
      // An event stream cannot show its answer's headers: each time it opens (an upgrade restarts the service, so
      // the stream opens again after it), the build that answers is asked for.
      checkBuild();
    };
    source.onerror = () => {
      if (closed) {
        return;
      }
      if (source.readyState === EventSource.CLOSED) {
        onState('offline');
        toLoginIfSignedOut(url);
        timer = setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, 30000);
      } else {
        onState('reconnecting');
      }
    };
  };

  const watchdog = setInterval(() => {
    if (closed || !source || source.readyState !== EventSource.OPEN || steadyNow() - lastHeard < silentMs
      || performance.now() - lastHeardAwake < awakeMs) {
      return;
    }
    source.close();
    onState('reconnecting');
    open();
  }, 1000);

  const close = () => {
    closed = true;
    clearTimeout(timer);
    clearInterval(watchdog);
    if (source) {
      source.close();
    }
  };
  window.addEventListener('pagehide', close);
  open();
  return close;
}
