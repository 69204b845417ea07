// Two people use the web client their nodes serve, in a real headless Chromium (WebClientIT).
// Usage: node web-scenario.mjs URL_A URL_B NSEC_A NSEC_B SHOTS_DIR NONCE
// Prints one JSON object per line: {"check": name, ...} results, {"wait": what} when the Java
// side must act (it answers with a line on stdin), and {"done": true} at the end.
import { chromium } from 'playwright-core'
import { createInterface } from 'node:readline'
import { nip19, nip44, getPublicKey, generateSecretKey, finalizeEvent } from 'nostr-tools'

const [urlA, urlB, nsecA, nsecB, shots, nonce] = process.argv.slice(2)
const say = (o) => console.log(JSON.stringify(o))
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
const waitFor = async (what) => { say({ wait: what }); await lines.next() }
const TIMEOUT = 20_000

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
})

/** A person in a browser of their own: a page on their node, with its console errors collected. */
async function person(url, viewport) {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  page.setDefaultTimeout(TIMEOUT)
  const errors = []
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(url)
  return { page, errors }
}

/**
 * A NIP-07 browser extension holding this key, as Alby or nos2x provide one: window.nostr in
 * the page, with the signing and NIP-44 done outside the page (here, in Node.js).
 */
async function withExtension(page, nsec) {
  const sk = nip19.decode(nsec).data
  await page.exposeFunction('extensionPublicKey', () => getPublicKey(sk))
  await page.exposeFunction('extensionSign', (e) => finalizeEvent(e, sk))
  await page.exposeFunction('extensionEncrypt', (pk, text) => nip44.encrypt(text, nip44.getConversationKey(sk, pk)))
  await page.exposeFunction('extensionDecrypt', (pk, data) => nip44.decrypt(data, nip44.getConversationKey(sk, pk)))
  await page.addInitScript(() => {
    window.nostr = {
      getPublicKey: () => window.extensionPublicKey(),
      signEvent: (e) => window.extensionSign(e),
      nip44: { encrypt: (pk, t) => window.extensionEncrypt(pk, t), decrypt: (pk, d) => window.extensionDecrypt(pk, d) },
    }
  })
  await page.reload()
}

async function signIn(page, nsec) {
  await page.click('nav >> text=Key')
  await page.fill('input[type=password]', nsec)
  await page.click('button:has-text("Sign in")')
  await page.waitForSelector('form.composer')
}

/** The card of the post whose own text has this (not a quote or reply that shows it inside). */
const post = (page, text) =>
  page.locator('article.post:not(.embedded) > .body > .content', { hasText: text }).first().locator('xpath=../..')

try {
  const alice = await person(urlA, { width: 1280, height: 900 })
  const bob = await person(urlB, { width: 390, height: 844 }) // a phone-sized window

  // a bad key is refused with a reason, and nothing is stored
  await alice.page.click('nav >> text=Key')
  await alice.page.fill('input[type=password]', 'nsec1notavalidkeyatall')
  await alice.page.click('button:has-text("Sign in")')
  say({ check: 'badKey', error: await alice.page.locator('.error').innerText() })
  await alice.page.fill('input[type=password]', 'npub1' + 'q'.repeat(58))
  await alice.page.click('button:has-text("Sign in")')
  say({ check: 'npubAsKey', error: await alice.page.locator('.error').innerText() })

  await signIn(alice.page, nsecA)
  // Bob signs in through his browser extension: the page never sees his key
  await withExtension(bob.page, nsecB)
  await bob.page.click('nav >> text=Key')
  await bob.page.click('button:has-text("Use my browser extension")')
  await bob.page.waitForSelector('form.composer')
  say({ check: 'extension', nsecStored: await bob.page.evaluate(() => localStorage.getItem('nostrp2p.nsec')) })

  // Alice names herself; her profile reaches Bob's node
  await alice.page.click('nav >> text=Profile')
  await alice.page.fill('form.edit input[name=name]', 'Alice ' + nonce)
  await alice.page.fill('form.edit textarea[name=about]', 'Testing the web client')
  await alice.page.click('form.edit button:has-text("Save")')
  await alice.page.waitForSelector(`h2:has-text("Alice ${nonce}")`)

  await bob.page.click('nav >> text=Profile')
  await bob.page.fill('form.edit input[name=name]', 'Bob')
  await bob.page.click('form.edit button:has-text("Save")')
  await bob.page.waitForSelector('h2:has-text("Bob")')

  // Alice posts; Bob, on his own node, sees it live with her name
  await bob.page.click('nav >> text=Home')
  await bob.page.waitForSelector('.feed')
  await alice.page.click('nav >> text=Home')
  const text = 'Hello from Alice ' + nonce
  await alice.page.fill('form.composer textarea', text)
  await alice.page.click('form.composer button:has-text("Post")')
  const t0 = Date.now()
  const seen = post(bob.page, text)
  await seen.waitFor()
  const ms = Date.now() - t0
  // her profile reached Bob's node too (broadcast); the name fills in when it is stored there
  await seen.locator('.name', { hasText: 'Alice ' + nonce }).first().waitFor()
  say({ check: 'liveAtB', ms, name: await seen.locator('.name').first().innerText() })
  await bob.page.screenshot({ path: `${shots}/timeline-phone.png` })

  // Bob replies, likes and quotes
  await seen.locator('button:has-text("Reply")').click()
  await bob.page.fill('form.composer >> nth=1 >> textarea', 'Hi Alice, welcome ' + nonce)
  await bob.page.locator('form.composer >> nth=1 >> button:has-text("Reply")').click()
  await seen.locator('button[aria-label=Like]').click()
  await seen.locator('button[aria-label=Like]:has-text("♥ 1")').waitFor()
  await seen.locator('button:has-text("Quote")').click()
  await bob.page.fill('form.composer >> nth=1 >> textarea', 'Look at this ' + nonce)
  await bob.page.locator('form.composer >> nth=1 >> button:has-text("Post")').click()
  await post(bob.page, 'Look at this ' + nonce).locator('.quote article.post').waitFor()

  // Alice's notifications show each of them
  await alice.page.click('nav >> text=Notifications')
  const note = (what) => alice.page.locator('.notification', { hasText: what }).first().waitFor()
  await note('replied')
  await note('reacted')
  await note('quoted you')
  await alice.page.locator('.notification .name', { hasText: 'Bob' }).first().waitFor()
  say({ check: 'notifications', texts: await alice.page.locator('.notification .context').allInnerTexts() })

  // Bob follows Alice from her profile; his follows page lists her
  await post(bob.page, text).locator('a.name').first().click()
  await bob.page.click('button:has-text("Follow")')
  await bob.page.locator('button:has-text("Unfollow")').waitFor()
  await bob.page.click('nav >> text=Profile')
  await bob.page.click('text=Following and followers')
  await bob.page.locator('.people >> nth=0').locator('a.name', { hasText: 'Alice ' + nonce }).waitFor()
  say({ check: 'follows', following: await bob.page.locator('.people >> nth=0').innerText() })

  // a direct message: Alice writes to Bob; he reads it on his node and answers; she sees the answer live
  const npubB = nip19.npubEncode(getPublicKey(nip19.decode(nsecB).data))
  await alice.page.click('nav >> text=Messages')
  await alice.page.fill('form.composer input[name=to]', npubB)
  await alice.page.fill('form.composer textarea', 'Secret hello ' + nonce)
  await alice.page.click('form.composer button:has-text("Send")')
  await alice.page.locator('.message.mine', { hasText: 'Secret hello ' + nonce }).waitFor()
  await bob.page.click('nav >> text=Messages')
  await bob.page.locator('.people a', { hasText: 'Alice ' + nonce }).click()
  await bob.page.locator('.message:not(.mine)', { hasText: 'Secret hello ' + nonce }).waitFor()
  await bob.page.fill('form.composer textarea', 'Secret reply ' + nonce)
  await bob.page.click('form.composer button:has-text("Send")')
  await bob.page.locator('.message.mine', { hasText: 'Secret reply ' + nonce }).waitFor()
  await alice.page.locator('.message:not(.mine)', { hasText: 'Secret reply ' + nonce }).waitFor()
  say({ check: 'directMessages', alice: await alice.page.locator('.message').allInnerTexts() })
  await bob.page.screenshot({ path: `${shots}/messages-phone.png` })
  await bob.page.click('nav >> text=Home')
  await bob.page.waitForSelector('.feed')

  // the thread: Alice's post with Bob's reply under it
  await alice.page.click('nav >> text=Home')
  await post(alice.page, text).locator('xpath=./div/header/a[@class="time"]').click()
  // counted on the thread view once it is shown: right after the click the Home feed, which holds
  // the reply too, can still be on screen, and a wait that matched there then counted 0 (CI saw it)
  const replies = await alice.page.waitForFunction(() => {
    if (!document.querySelector('.thread-top article.post')) return false
    const n = document.querySelectorAll('.feed article.post').length
    return n >= 1 ? n : false
  }, null, { timeout: 10_000 }).then(h => h.jsonValue()).catch(() => 0)
  await alice.page.locator('.feed article.post', { hasText: 'Hi Alice, welcome ' + nonce }).waitFor()
  say({ check: 'thread', replies })
  await alice.page.screenshot({ path: `${shots}/thread-desktop.png` })
  await alice.page.click('nav >> text=Home')
  await alice.page.screenshot({ path: `${shots}/timeline-desktop.png` })

  // keyboard: the composer posts with Ctrl+Enter
  await alice.page.focus('form.composer textarea')
  await alice.page.keyboard.type('Typed and sent from the keyboard ' + nonce)
  await alice.page.keyboard.press('Control+Enter')
  await post(alice.page, 'Typed and sent from the keyboard ' + nonce).waitFor()
  await post(bob.page, 'Typed and sent from the keyboard ' + nonce).waitFor()
  say({ check: 'keyboard' })

  // Alice deletes her first post: it goes from Bob's page, live
  alice.page.once('dialog', (d) => d.accept())
  await post(alice.page, text).locator('button:has-text("Delete")').click()
  await post(bob.page, text).waitFor({ state: 'detached' })
  await bob.page.reload()
  await post(bob.page, 'Typed and sent from the keyboard ' + nonce).waitFor()
  say({ check: 'deleted', stillShownAfterReload: await post(bob.page, text).count() })

  // hostile content in Alice's own store: a repost whose "reposted event" is forged in Bob's
  // name, and a reaction whose e tag is CSS selector syntax; neither may show or break anything
  await waitFor('hostile-events')
  await alice.page.reload()
  await post(alice.page, 'Typed and sent from the keyboard ' + nonce).waitFor()
  await alice.page.locator('.repost').first().waitFor()
  say({ check: 'hostile', forgedShown: await alice.page.locator('article.post', { hasText: 'FORGED ' + nonce }).count(),
    repost: await alice.page.locator('.repost').first().innerText() })

  // someone else's key on Alice's node: reading works, a post is refused with the node's reason
  const carol = await person(urlA, { width: 1024, height: 768 })
  await signIn(carol.page, nip19.nsecEncode(generateSecretKey()))
  await post(carol.page, 'Typed and sent from the keyboard ' + nonce).waitFor()
  await carol.page.fill('form.composer textarea', 'not my node')
  await carol.page.click('form.composer button:has-text("Post")')
  await carol.page.locator('#banner').waitFor({ state: 'visible' })
  say({ check: 'refused', banner: await carol.page.locator('#banner span').innerText() })

  say({ check: 'consoleErrors', alice: alice.errors, bob: bob.errors })

  // Bob's node stops: his page says so, and a post fails with a reason
  await waitFor('stop-b')
  await bob.page.locator('#status.unreachable').waitFor()
  await bob.page.fill('form.composer textarea', 'while my node is down')
  await bob.page.click('form.composer button:has-text("Post")')
  await bob.page.locator('#banner').waitFor({ state: 'visible' })
  say({ check: 'unreachable', status: await bob.page.locator('#status').innerText(), banner: await bob.page.locator('#banner span').innerText() })
  say({ done: true })
} catch (e) {
  say({ failed: String(e && e.stack || e) })
} finally {
  await browser.close()
  process.exit(0)
}
