// Who signs: a NIP-07 browser extension when the user chooses it, else an nsec pasted into this
// page and kept in this browser's localStorage only. The node never sees a secret key.
import { getPublicKey, finalizeEvent, nip19, nip44 } from 'nostr-tools';

const NSEC_KEY = 'nostrp2p.nsec';
const MODE_KEY = 'nostrp2p.signer';

/** A secret key from an nsec (NIP-19) or 64 hex characters; throws an Error a person can read. */
export function secretKeyFrom(text) {
  const s = text.trim();
  if (/^[0-9a-f]{64}$/i.test(s)) return hexToBytes(s.toLowerCase());
  if (s.startsWith('npub')) throw new Error('That is a public key (npub). Paste your secret key: it starts with nsec1.');
  if (!s.startsWith('nsec1')) throw new Error('Not a secret key: it should start with nsec1.');
  try {
    const decoded = nip19.decode(s);
    if (decoded.type !== 'nsec') throw new Error();
    return decoded.data;
  } catch {
    throw new Error('That nsec is damaged (its checksum does not match). Copy it again.');
  }
}

function hexToBytes(hex) {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesToHex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

/** Signs with a secret key held by this page. */
class LocalSigner {
  constructor(secretKey) {
    this.secretKey = secretKey;
    this.pubkey = getPublicKey(secretKey);
    this.kind = 'nsec';
  }
  async sign(template) {
    return finalizeEvent({ ...template }, this.secretKey);
  }
  async encrypt(pubkey, text) {
    return nip44.encrypt(text, nip44.getConversationKey(this.secretKey, pubkey));
  }
  async decrypt(pubkey, payload) {
    return nip44.decrypt(payload, nip44.getConversationKey(this.secretKey, pubkey));
  }
}

/** Signs through window.nostr (NIP-07); the extension holds the key. */
class ExtensionSigner {
  constructor(pubkey) {
    this.pubkey = pubkey;
    this.kind = 'extension';
  }
  async sign(template) {
    const signed = await window.nostr.signEvent({ ...template });
    if (!signed || signed.pubkey !== this.pubkey) throw new Error('The browser extension did not sign as ' + this.pubkey);
    return signed;
  }
  nip44() {
    if (!window.nostr.nip44) throw new Error('Your browser extension cannot encrypt (NIP-44), which direct messages need.');
    return window.nostr.nip44;
  }
  async encrypt(pubkey, text) { return this.nip44().encrypt(pubkey, text); }
  async decrypt(pubkey, payload) { return this.nip44().decrypt(pubkey, payload); }
}

export function hasExtension() {
  return typeof window.nostr === 'object' && window.nostr !== null && typeof window.nostr.signEvent === 'function';
}

export async function useExtension() {
  if (!hasExtension()) throw new Error('No Nostr browser extension (NIP-07) found in this browser.');
  const pubkey = await window.nostr.getPublicKey();
  localStorage.setItem(MODE_KEY, 'extension');
  localStorage.removeItem(NSEC_KEY);
  return new ExtensionSigner(pubkey);
}

export function useNsec(text) {
  const sk = secretKeyFrom(text);
  localStorage.setItem(NSEC_KEY, bytesToHex(sk));
  localStorage.setItem(MODE_KEY, 'nsec');
  return new LocalSigner(sk);
}

/** The signer chosen earlier in this browser, or null. */
export async function savedSigner() {
  const mode = localStorage.getItem(MODE_KEY);
  if (mode === 'nsec') {
    const hex = localStorage.getItem(NSEC_KEY);
    if (hex && /^[0-9a-f]{64}$/.test(hex)) return new LocalSigner(hexToBytes(hex));
  }
  if (mode === 'extension' && hasExtension()) {
    try {
      return new ExtensionSigner(await window.nostr.getPublicKey());
    } catch {
      return null;
    }
  }
  return null;
}

export function forgetKey() {
  localStorage.removeItem(NSEC_KEY);
  localStorage.removeItem(MODE_KEY);
}

export const npub = pubkey => nip19.npubEncode(pubkey);
export const noteId = id => nip19.noteEncode(id);

/** A pubkey from an npub or 64 hex characters, or null. */
export function pubkeyFrom(text) {
  const s = (text || '').trim();
  if (/^[0-9a-f]{64}$/.test(s)) return s;
  try {
    const d = nip19.decode(s);
    if (d.type === 'npub') return d.data;
    if (d.type === 'nprofile') return d.data.pubkey;
  } catch { /* not NIP-19 */ }
  return null;
}

/** An event id from note1…, nevent1… or 64 hex characters, or null. */
export function eventIdFrom(text) {
  const s = (text || '').trim().replace(/^nostr:/, '');
  if (/^[0-9a-f]{64}$/.test(s)) return s;
  try {
    const d = nip19.decode(s);
    if (d.type === 'note') return d.data;
    if (d.type === 'nevent') return d.data.id;
  } catch { /* not NIP-19 */ }
  return null;
}
