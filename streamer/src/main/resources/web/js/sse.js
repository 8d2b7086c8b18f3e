/**
 * Live data from the service's server-sent events. EventSource reconnects by itself after a dropped connection;
 * when the server refuses the stream (closed state) this reopens it with a growing delay, so a restarted service
 * is picked up again without a page reload.
 */

/**
 * Opens an event stream and calls handlers[eventName](parsedJson) for each named event.
 * onState('live' | 'reconnecting' | 'offline') reports the connection, for a page's live indicator.
 * Returns a function that closes the stream for good.
 */
export function subscribe(url, handlers, onState = () => {}) {
  let source = null;
  let closed = false;
  let retryMs = 2000;
  let timer = null;

  const open = () => {
    source = new EventSource(url);
    for (const [name, handler] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => {
        let data;
        try {
          data = JSON.parse(event.data);
        } catch {
          data = event.data;
        }
        handler(data);
      });
    }
    source.onopen = () => {
      retryMs = 2000;
      onState('live');
    };
    source.onerror = () => {
      if (closed) {
        return;
      }
      if (source.readyState === EventSource.CLOSED) {
        onState('offline');
        timer = setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, 30000);
      } else {
        onState('reconnecting');
      }
    };
  };

  const close = () => {
    closed = true;
    clearTimeout(timer);
    if (source) {
      source.close();
    }
  };
  window.addEventListener('pagehide', close);
  open();
  return close;
}
