// sse.mjs - reads a server-sent event stream with fetch, for the tests: the
// events as {id, event, data} in arrival order, waiting for a given count.

/** Opens url (with headers) and returns {status, headers, events, next(n, ms), close(), ended}. */
export async function openEvents(url, headers = {}) {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: ctrl.signal });
  const events = [];
  const waiters = [];
  let ended = false;
  const wake = () => { for (const w of waiters.splice(0)) w(); };
  const stream = { status: res.status, headers: res.headers, events, comments: 0, get ended() { return ended; } };
  if (res.status !== 200) {
    stream.body = await res.text();
    ended = true;
  } else {
    (async () => {
      const decoder = new TextDecoder();
      let text = '';
      try {
        for await (const chunk of res.body) {
          text += decoder.decode(chunk, { stream: true });
          let cut;
          while ((cut = text.indexOf('\n\n')) >= 0) {
            const block = text.slice(0, cut);
            text = text.slice(cut + 2);
            const ev = { event: 'message', data: '' };
            let fields = 0;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) { stream.comments++; continue; }
              const m = /^([a-z-]+): ?(.*)$/i.exec(line);
              if (!m) continue;
              if (m[1] === 'retry') continue;
              fields++;
              if (m[1] === 'data') ev.data += m[2];
              else ev[m[1]] = m[2];
            }
            if (fields) {
              if (ev.data) ev.data = JSON.parse(ev.data);
              events.push(ev);
            }
            wake();
          }
        }
      } catch { /* aborted */ }
      ended = true;
      wake();
    })();
  }
  /** Waits until n events arrived (or the stream ended); throws after ms. */
  stream.next = async (n, ms = 5000) => {
    const until = Date.now() + ms;
    while (events.length < n && !ended) {
      if (Date.now() > until) throw new Error(`only ${events.length} of ${n} events after ${ms} ms`);
      await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
    }
    return events.slice(0, n);
  };
  /** Waits for the end of the stream. */
  stream.end = async (ms = 5000) => {
    const until = Date.now() + ms;
    while (!ended) {
      if (Date.now() > until) throw new Error('the stream did not end');
      await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
    }
  };
  stream.close = () => ctrl.abort();
  return stream;
}
