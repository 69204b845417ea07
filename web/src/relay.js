// The node's relay endpoint (NIP-01 over WebSocket, same origin as this page): subscriptions that
// survive reconnects, publishing that waits for the node's OK, and NIP-42 AUTH as the signer.

const OK_TIMEOUT_MS = 10_000;
/** Open at once on one connection: the node allows 20 (docs/relay.md); the rest wait their turn. */
const MAX_SUBSCRIPTIONS = 16;
const UNREACHABLE = 'your node is unreachable (is it running?); try again once it is back';

export class Relay {
  constructor(url, onStatus) {
    this.url = url;
    this.onStatus = onStatus;
    this.subs = new Map();      // id -> {filters, onEvent, onEose}
    this.pending = new Map();   // event id -> {resolve, reject, timer}
    this.signer = null;
    this.challenge = null;
    this.authed = null;         // a promise, once AUTH was sent on this connection
    this.retryMs = 500;
    this.nextSub = 0;
    this.connect();
  }

  connect() {
    this.ws = new WebSocket(this.url);
    this.authed = null;
    this.ws.onopen = () => {
      this.retryMs = 500;
      this.onStatus('connected');
      for (const sub of this.subs.values()) sub.sent = false;
      this.pump();
    };
    this.ws.onmessage = m => this.receive(m.data);
    this.ws.onclose = () => {
      this.onStatus('unreachable');
      this.challenge = null;
      for (const [, p] of this.pending) p.reject(new Error('the connection to your node was lost'));
      this.pending.clear();
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }

  /**
   * Sends when the socket is open, else drops: subscriptions are sent again on reconnect
   * (pump), and publishing refuses while the node is unreachable.
   */
  raw(message) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  receive(text) {
    let m;
    try { m = JSON.parse(text); } catch { return; }
    if (!Array.isArray(m)) return;
    const [type, a, b, c] = m;
    if (type === 'EVENT') this.subs.get(a)?.onEvent(b);
    else if (type === 'EOSE') this.subs.get(a)?.onEose?.();
    else if (type === 'CLOSED') this.subs.get(a)?.onEose?.(b);
    else if (type === 'OK') {
      const p = this.pending.get(a);
      if (!p) return;
      this.pending.delete(a);
      clearTimeout(p.timer);
      if (b) p.resolve(c); else p.reject(new Error(c || 'refused by your node'));
    } else if (type === 'AUTH') {
      this.challenge = a;
      this.authed = null;
    } else if (type === 'NOTICE') {
      console.info('node says:', a);
    }
  }

  /**
   * Subscribes; returns a function that closes the subscription. With auth, the REQ waits
   * for this connection's NIP-42 sign-in: the node shows direct messages to their recipient only.
   */
  subscribe(filters, onEvent, onEose, { auth = false } = {}) {
    const id = 's' + (this.nextSub++);
    this.subs.set(id, { filters, onEvent, onEose, auth, sent: false });
    this.pump();
    return () => {
      const sub = this.subs.get(id);
      if (!sub) return;
      this.subs.delete(id);
      if (sub.sent) this.raw(['CLOSE', id]);
      this.pump();
    };
  }

  /** Sends waiting REQs, oldest first, keeping within the node's subscriptions per connection. */
  pump() {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    let open = 0;
    for (const sub of this.subs.values()) if (sub.sent) open++;
    for (const [id, sub] of this.subs) {
      if (open >= MAX_SUBSCRIPTIONS) return;
      if (sub.sent) continue;
      sub.sent = true;
      open++;
      this.request(id, sub);
    }
  }

  request(id, sub) {
    if (!sub.auth) {
      this.raw(['REQ', id, ...sub.filters]);
      return;
    }
    this.authenticate().then(() => {
      if (this.subs.get(id) === sub) this.raw(['REQ', id, ...sub.filters]);
    }, e => sub.onEose?.('auth failed: ' + e.message));
  }

  /** Events matching the filters, up to EOSE, then the subscription is closed. */
  fetch(filters) {
    return new Promise(resolve => {
      const events = [];
      const close = this.subscribe(filters, e => events.push(e), () => {
        close();
        resolve(events);
      });
    });
  }

  /** Sends one message and waits for the OK naming this event id. */
  send(type, event) {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error(UNREACHABLE));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(event.id);
        reject(new Error('your node did not answer in time'));
      }, OK_TIMEOUT_MS);
      this.pending.set(event.id, { resolve, reject, timer });
      this.raw([type, event]);
    });
  }

  /** Signs in as the signer (NIP-42), once per connection; writes need it. */
  async authenticate() {
    if (!this.signer) throw new Error('no key: sign in first');
    if (!this.authed) {
      if (!this.challenge) await new Promise(r => setTimeout(r, 300));
      if (!this.challenge) throw new Error('your node has not sent its AUTH challenge');
      const auth = await this.signer.sign({
        kind: 22242, created_at: now(), content: '',
        tags: [['relay', this.url], ['challenge', this.challenge]],
      });
      this.authed = this.send('AUTH', auth).catch(e => {
        this.authed = null;
        throw e;
      });
    }
    return this.authed;
  }

  /** Signs the template, publishes it and resolves once the node has stored it. */
  async publish(template) {
    if (this.ws.readyState !== WebSocket.OPEN) throw new Error(UNREACHABLE);
    await this.authenticate();
    return this.publishSigned(await this.signer.sign({ created_at: now(), tags: [], content: '', ...template }));
  }

  /** Publishes an event signed elsewhere (a gift wrap, signed by a one-time key). */
  async publishSigned(event) {
    if (this.ws.readyState !== WebSocket.OPEN) throw new Error(UNREACHABLE);
    await this.authenticate();
    await this.send('EVENT', event);
    return event;
  }
}

export const now = () => Math.floor(Date.now() / 1000);
