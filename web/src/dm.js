// NIP-17 direct messages: a kind 14 message (never signed, never sent as is) sealed by its
// author (kind 13, NIP-44 encrypted to the recipient) and gift-wrapped by a one-time key
// (kind 1059, addressed by a p tag). Sealing and opening go through the signer, so a NIP-07
// extension works as well as a pasted key. The node carries the wrap to the recipient's node only.
import { generateSecretKey, finalizeEvent, verifyEvent, getEventHash, nip44 } from 'nostr-tools';

export const KIND_MESSAGE = 14, KIND_SEAL = 13, KIND_GIFT_WRAP = 1059;
const TWO_DAYS = 2 * 24 * 3600;

const now = () => Math.floor(Date.now() / 1000);
/** NIP-59: seals and wraps carry a time up to two days back, so they do not date the message. */
const blurred = () => now() - Math.floor(Math.random() * TWO_DAYS);

/** The two gift wraps of a message: one for the recipient, one for the sender's own record. */
export async function wrapMessage(signer, recipient, text) {
  const rumor = { kind: KIND_MESSAGE, pubkey: signer.pubkey, created_at: now(), tags: [['p', recipient]], content: text };
  rumor.id = getEventHash(rumor);
  const wraps = [];
  for (const to of recipient === signer.pubkey ? [recipient] : [recipient, signer.pubkey]) {
    const seal = await signer.sign({
      kind: KIND_SEAL, created_at: blurred(), tags: [],
      content: await signer.encrypt(to, JSON.stringify(rumor)),
    });
    const oneTime = generateSecretKey();
    wraps.push(finalizeEvent({
      kind: KIND_GIFT_WRAP, created_at: blurred(), tags: [['p', to]],
      content: nip44.encrypt(JSON.stringify(seal), nip44.getConversationKey(oneTime, to)),
    }, oneTime));
  }
  return wraps;
}

/**
 * The message inside a gift wrap addressed to the signer, or null when it does not open: a wrap
 * for someone else, a seal whose signature fails, or a message claiming another author than the
 * seal's signer (which would let anyone put words in someone's mouth).
 */
export async function openWrap(signer, wrap) {
  try {
    const seal = JSON.parse(await signer.decrypt(wrap.pubkey, wrap.content));
    if (seal.kind !== KIND_SEAL || !verifyEvent(seal)) return null;
    const rumor = JSON.parse(await signer.decrypt(seal.pubkey, seal.content));
    if (rumor.kind !== KIND_MESSAGE || rumor.pubkey !== seal.pubkey || typeof rumor.content !== 'string') return null;
    const to = (rumor.tags || []).filter(t => t[0] === 'p').map(t => t[1]);
    return { id: rumor.id || getEventHash(rumor), from: rumor.pubkey, to, created_at: rumor.created_at, content: rumor.content };
  } catch {
    return null;
  }
}

/** The other party of a message, from the signer's side. */
export function peerOf(signer, message) {
  return message.from === signer.pubkey ? (message.to.find(p => p !== signer.pubkey) || signer.pubkey) : message.from;
}
