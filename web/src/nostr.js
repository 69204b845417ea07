// What the page knows about events: profiles, reactions, and how an event relates to others
// (NIP-10 replies, NIP-18 reposts and quotes, NIP-27 mentions).
import { verifyEvent } from 'nostr-tools';
import { eventIdFrom, pubkeyFrom } from './keys.js';

export const KIND = { PROFILE: 0, POST: 1, FOLLOWS: 3, DELETION: 5, REPOST: 6, REACTION: 7 };

/** The event this one replies to, and the thread's root (NIP-10: marked tags, else positions). */
export function replyTarget(e) {
  const es = e.tags.filter(t => t[0] === 'e' && /^[0-9a-f]{64}$/.test(t[1] || ''));
  if (es.length === 0) return null;
  const root = es.find(t => t[3] === 'root');
  const reply = es.find(t => t[3] === 'reply');
  if (root || reply) return { parent: (reply || root)[1], root: (root || reply)[1] };
  if (es.every(t => t[3] === 'mention')) return null;
  return { parent: es[es.length - 1][1], root: es[0][1] };
}

/**
 * The event a repost carries (its content, as NIP-18 asks), or null. Only when its signature
 * holds: the reposter wrote that content, and could put any words under anyone's name.
 */
export function repostedEvent(e) {
  try {
    const inner = JSON.parse(e.content);
    if (inner && typeof inner === 'object' && verifyEvent(inner)) return inner;
  } catch { /* content is not an event */ }
  return null;
}

export function repostedId(e) {
  const id = e.tags.find(t => t[0] === 'e')?.[1];
  return /^[0-9a-f]{64}$/.test(id || '') ? id : null;
}

/** Ids quoted in the text (nostr:note1…/nevent1…) or by q tags. */
export function quotedIds(e) {
  const ids = new Set(e.tags.filter(t => t[0] === 'q').map(t => t[1]));
  for (const m of e.content.matchAll(/nostr:(note1|nevent1)[a-z0-9]+/g)) {
    const id = eventIdFrom(m[0]);
    if (id) ids.add(id);
  }
  return [...ids].filter(id => /^[0-9a-f]{64}$/.test(id));
}

/** NIP-27: "@npub1…" and "nostr:npub1…" in a post become nostr: references with p tags. */
export function mentions(text) {
  const tags = [];
  const content = text.replace(/(?:@|nostr:)((?:npub1|nprofile1)[a-z0-9]+)/g, (all, bech) => {
    const pk = pubkeyFrom(bech);
    if (!pk) return all;
    if (!tags.some(t => t[1] === pk)) tags.push(['p', pk]);
    return 'nostr:' + bech;
  });
  return { content, tags };
}

/** Profiles by pubkey, fetched in batches as names are needed; listeners re-render names. */
export class Profiles {
  constructor(relay) {
    this.relay = relay;
    this.byPubkey = new Map();
    this.asked = new Set();
    this.waiting = new Set();
    this.listeners = new Set();
    this.timer = null;
  }
  get(pubkey) {
    if (!this.asked.has(pubkey)) {
      this.asked.add(pubkey);
      this.waiting.add(pubkey);
      this.timer ??= setTimeout(() => this.flush(), 30);
    }
    return this.byPubkey.get(pubkey)?.meta || null;
  }
  flush() {
    this.timer = null;
    const authors = [...this.waiting];
    this.waiting.clear();
    if (authors.length === 0) return;
    // one live subscription for every profile changed from now on; past ones fetched in batches
    this.live ??= this.relay.subscribe([{ kinds: [KIND.PROFILE], since: Math.floor(Date.now() / 1000) }], e => this.take(e));
    for (let i = 0; i < authors.length; i += 100) {
      this.relay.fetch([{ kinds: [KIND.PROFILE], authors: authors.slice(i, i + 100) }]).then(events => events.forEach(e => this.take(e)));
    }
  }
  take(e) {
    const held = this.byPubkey.get(e.pubkey);
    if (held && held.created_at >= e.created_at) return;
    let meta;
    try { meta = JSON.parse(e.content); } catch { return; }
    if (!meta || typeof meta !== 'object') return;
    this.byPubkey.set(e.pubkey, { created_at: e.created_at, meta });
    for (const l of this.listeners) l(e.pubkey);
  }
  name(pubkey) {
    const m = this.get(pubkey);
    const n = m && (m.display_name || m.displayName || m.name);
    return typeof n === 'string' && n.trim() ? n.trim().slice(0, 64) : null;
  }
}
