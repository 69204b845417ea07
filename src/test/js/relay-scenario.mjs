// Drives a NostrP2P node's relay endpoint with nostr-tools, as a Nostr app would.
// Usage: node relay-scenario.mjs STEP ARGS... ; prints one JSON object per line for NostrToolsIT.
import WebSocket from 'ws'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { fetchRelayInformation, useFetchImplementation } from 'nostr-tools/nip11'
import { hexToBytes } from 'nostr-tools/utils'
import { wrapManyEvents, unwrapEvent } from 'nostr-tools/nip17'

useWebSocketImplementation(WebSocket)
useFetchImplementation(fetch)

const say = (o) => console.log(JSON.stringify(o))
const now = () => Math.floor(Date.now() / 1000)
const post = (sk, content, extra = {}) =>
  finalizeEvent({ kind: 1, created_at: now(), tags: [], content, ...extra }, sk)

/** A connection that answered the relay's AUTH challenge (sent as the connection opens) with this key. */
async function signedIn(url, sk) {
  const relay = await Relay.connect(url)
  for (let waited = 0; !relay.challenge && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10))
  await relay.auth((template) => finalizeEvent(template, sk))
  return relay
}

/** Publishes; resolves to {ok, reason} instead of throwing on a refusal. */
async function publish(relay, event) {
  try {
    return { ok: true, reason: await relay.publish(event) }
  } catch (e) {
    return { ok: false, reason: e.message }
  }
}

/** Every event of one REQ up to its EOSE. */
function collect(relay, filters) {
  return new Promise((resolve) => {
    const events = []
    const sub = relay.subscribe(filters, {
      onevent: (e) => events.push(e),
      oneose: () => { sub.close(); resolve(events) },
    })
  })
}

const [step, ...args] = process.argv.slice(2)

if (step === 'info') {
  const [httpUrl] = args
  const info = await fetchRelayInformation(httpUrl.replace(/^http/, 'ws'))
  say({ step, pubkey: info.pubkey, nips: info.supported_nips, limitation: info.limitation })
} else if (step === 'live') {
  // Bob's app subscribes on node B; Alice's app publishes on node A; the post arrives live.
  const [urlA, urlB, aliceHex] = args
  const alice = hexToBytes(aliceHex)
  const bobsApp = await Relay.connect(urlB)
  let eosed
  const eose = new Promise((r) => { eosed = r })
  let arrived
  const got = new Promise((r) => { arrived = r })
  bobsApp.subscribe([{ kinds: [1], authors: [getPublicKey(alice)], limit: 0 }], {
    onevent: (e) => arrived([e, Date.now()]),
    oneose: () => eosed(),
  })
  await eose
  const alicesApp = await signedIn(urlA, alice)
  const event = post(alice, 'posted with nostr-tools, read with nostr-tools on another node')
  const t0 = Date.now()
  const published = await publish(alicesApp, event)
  const [received, at] = await Promise.race([got, new Promise((r) => setTimeout(() => r([null, 0]), 10_000))])
  say({ step, published, id: event.id, receivedId: received?.id, receivedSig: received?.sig === event.sig, ms: at - t0 })
  alicesApp.close()
  bobsApp.close()
} else if (step === 'writes') {
  // who may write: nobody before AUTH, not a stranger after it, the owner after it
  const [url, aliceHex] = args
  const alice = hexToBytes(aliceHex)
  const anonymous = await Relay.connect(url)
  say({ step: 'before-auth', ...(await publish(anonymous, post(alice, 'before any AUTH'))) })
  anonymous.close()
  const mallory = generateSecretKey()
  const strangers = await signedIn(url, mallory)
  say({ step: 'stranger', ...(await publish(strangers, post(mallory, 'not the owner'))) })
  strangers.close()
  const owners = await signedIn(url, alice)
  say({ step: 'owner', ...(await publish(owners, post(alice, 'the owner, signed in'))) })
  owners.close()
} else if (step === 'reads') {
  // limit, since/until and COUNT over the owner's posts
  const [url, aliceHex] = args
  const alice = hexToBytes(aliceHex)
  const app = await signedIn(url, alice)
  const base = now() - 1000
  const ids = []
  for (let i = 0; i < 12; i++) {
    const e = post(alice, 'numbered ' + i, { created_at: base + i })
    await app.publish(e)
    ids.push(e.id)
  }
  const me = getPublicKey(alice)
  const newest = await collect(app, [{ authors: [me], kinds: [1], since: base, limit: 4 }])
  const window = await collect(app, [{ authors: [me], since: base + 3, until: base + 6 }])
  const count = await app.count([{ authors: [me], kinds: [1], since: base }], {})
  say({ step, ids, newest: newest.map((e) => e.id), window: window.map((e) => e.id), count })
  app.close()
} else if (step === 'delete') {
  // NIP-09: the owner deletes one of its posts
  const [url, aliceHex, postId] = args
  const alice = hexToBytes(aliceHex)
  const app = await signedIn(url, alice)
  const deletion = finalizeEvent({ kind: 5, created_at: now(), tags: [['e', postId], ['k', '1']], content: 'posted by mistake' }, alice)
  say({ step, id: deletion.id, ...(await publish(app, deletion)) })
  app.close()
} else if (step === 'dm') {
  // NIP-17: Alice's app gift-wraps a message for Bob (and a copy for herself) and sends both to her node
  const [url, aliceHex, bobPub, text] = args
  const alice = hexToBytes(aliceHex)
  const app = await signedIn(url, alice)
  const [forAlice, forBob] = wrapManyEvents(alice, [{ publicKey: bobPub }], text) // the sender's own copy comes first
  say({ step, toBob: forBob.id, toSelf: forAlice.id, bob: await publish(app, forBob), self: await publish(app, forAlice) })
  app.close()
} else if (step === 'dms') {
  // Bob's app reads his direct messages on his node: signed in, then without signing in
  const [url, bobHex] = args
  const bob = hexToBytes(bobHex)
  const anonymous = await Relay.connect(url)
  const seenAnonymously = await collect(anonymous, [{ kinds: [1059], '#p': [getPublicKey(bob)] }])
  anonymous.close()
  const app = await signedIn(url, bob)
  const wraps = await collect(app, [{ kinds: [1059], '#p': [getPublicKey(bob)] }])
  const messages = wraps.map((w) => { const m = unwrapEvent(w, bob); return { from: m.pubkey, text: m.content } })
  say({ step, anonymous: seenAnonymously.length, messages })
  app.close()
} else {
  console.error('unknown step: ' + step)
  process.exit(2)
}
process.exit(0)
