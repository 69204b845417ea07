// The NostrP2P web client: served by the user's node, speaking to it over its relay endpoint.
// Views (by the address's #fragment): home time line, notifications, a thread, a profile,
// follows, and the key page. Every event is signed here, never by the node.
import { Relay } from './relay.js';
import * as keys from './keys.js';
import { h, replace, ago, safeUrl } from './dom.js';
import { KIND, Profiles, replyTarget, repostedEvent, repostedId, quotedIds, mentions } from './nostr.js';
import { KIND_GIFT_WRAP, wrapMessage, openWrap, peerOf } from './dm.js';

const PAGE = 50;
const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/';
const main = document.getElementById('main');
const statusLine = document.getElementById('status');
const banner = document.getElementById('banner');

const relay = new Relay(wsUrl, s => {
  statusLine.textContent = s === 'connected' ? 'Connected to your node' : 'Your node is unreachable: retrying…';
  statusLine.className = s;
});
const profiles = new Profiles(relay);
let signer = null;
let follows = new Set();      // whom the signed-in user follows
let followList = null;        // the user's current kind 3 event
let view = null;              // the open view: {close()}

/** Errors a person can act on, shown at the top until dismissed or replaced. */
function showError(message) {
  replace(banner, h('span', {}, message), h('button', { class: 'link', onclick: clearError, 'aria-label': 'Dismiss' }, '×'));
  banner.hidden = false;
}
function clearError() { replace(banner); banner.hidden = true; }

async function act(what, f) {
  try {
    clearError();
    return await f();
  } catch (e) {
    showError(what + ' failed: ' + (e && e.message ? e.message : e));
    return null;
  }
}

// ---- names and avatars -------------------------------------------------------------------

const HEX64 = /^[0-9a-f]{64}$/;

/** Elements marked data-WHAT="key"; a key from a stranger's tag is used only when it is 64 hex characters. */
function marked(what, key) {
  return HEX64.test(key || '') ? document.querySelectorAll('[data-' + what + '="' + key + '"]') : [];
}

function nameOf(pubkey) {
  return profiles.name(pubkey) || keys.npub(pubkey).slice(0, 12) + '…';
}

function nameLink(pubkey) {
  return h('a', { href: '#/p/' + keys.npub(pubkey), class: 'name', 'data-name-of': pubkey }, nameOf(pubkey));
}

function avatar(pubkey) {
  const url = safeUrl(profiles.get(pubkey)?.picture || '');
  const pic = url && url.startsWith('https:') ? url : null; // the CSP loads pictures over https only
  return h('a', { href: '#/p/' + keys.npub(pubkey), class: 'avatar', 'data-avatar-of': pubkey, tabindex: -1, 'aria-hidden': 'true' },
    pic ? h('img', { src: pic, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer' }) : initials(pubkey));
}

function initials(pubkey) {
  return (profiles.name(pubkey) || '?').slice(0, 1).toUpperCase();
}

profiles.listeners.add(pubkey => {
  for (const el of marked('name-of', pubkey)) el.textContent = nameOf(pubkey);
  for (const el of marked('avatar-of', pubkey)) replace(el, avatar(pubkey).firstChild);
  if (view && view.onProfile) view.onProfile(pubkey);
});

// ---- content ----------------------------------------------------------------------------

/** Post text with links, mentions and note references made clickable; everything else is text. */
function richText(text) {
  const out = [];
  const re = /(nostr:(?:npub1|nprofile1|note1|nevent1)[a-z0-9]+|https?:\/\/[^\s<>"]+)/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    out.push(text.slice(last, m.index));
    const token = m[0];
    const pk = token.startsWith('nostr:n') && !token.startsWith('nostr:note') && !token.startsWith('nostr:nevent')
      ? keys.pubkeyFrom(token.slice(6)) : null;
    const id = token.startsWith('nostr:note') || token.startsWith('nostr:nevent') ? keys.eventIdFrom(token) : null;
    const url = token.startsWith('http') ? safeUrl(token) : null;
    if (pk) out.push(h('a', { href: '#/p/' + keys.npub(pk), 'data-name-of': pk }, '@' + nameOf(pk)));
    else if (id) out.push(h('a', { href: '#/e/' + keys.noteId(id) }, 'note…' + id.slice(0, 8)));
    else if (url) out.push(h('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow' }, token));
    else out.push(token);
    last = m.index + token.length;
  }
  out.push(text.slice(last));
  return h('div', { class: 'content' }, out);
}

// ---- events shared by all views: reactions, reposts, deletions --------------------------

const likes = new Map();       // event id -> Set of pubkeys that reacted
const liveCounts = new Set();  // elements showing a count, refreshed as reactions arrive
const known = new Map();       // event id -> event (for quotes and reply context)
const deleted = new Set();

function takeReaction(e) {
  const target = e.tags.filter(t => t[0] === 'e').pop()?.[1];
  if (!HEX64.test(target || '')) return;
  if (!likes.has(target)) likes.set(target, new Set());
  likes.get(target).add(e.pubkey);
  for (const el of marked('likes-of', target)) el.textContent = likeLabel(target);
}
function likeLabel(id) {
  const n = likes.get(id)?.size || 0;
  return (signer && likes.get(id)?.has(signer.pubkey) ? '♥ ' : '♡ ') + n;
}

async function lookup(id) {
  if (known.has(id)) return known.get(id);
  const [e] = await relay.fetch([{ ids: [id] }]);
  if (e) known.set(id, e);
  return e || null;
}

// ---- a post card ------------------------------------------------------------------------

function card(e, { embedded = false } = {}) {
  known.set(e.id, e);
  if (e.kind === KIND.REPOST) return repostCard(e);
  const reply = replyTarget(e);
  const el = h('article', { class: embedded ? 'post embedded' : 'post', 'data-id': e.id, tabindex: embedded ? null : 0 },
    avatar(e.pubkey),
    h('div', { class: 'body' },
      h('header', {}, nameLink(e.pubkey), ' ',
        h('a', { class: 'time', href: '#/e/' + keys.noteId(e.id), title: new Date(e.created_at * 1000).toLocaleString() }, ago(e.created_at))),
      reply ? replyContext(e, reply) : null,
      richText(e.content),
      embedded ? null : quotes(e),
      embedded ? null : actions(e)));
  return el;
}

/** "replying to Alice": the parent's author when held, else the first p tag (NIP-10). */
function replyContext(e, reply) {
  const author = known.get(reply.parent)?.pubkey || e.tags.find(t => t[0] === 'p' && /^[0-9a-f]{64}$/.test(t[1] || ''))?.[1];
  return h('div', { class: 'context' }, 'replying to ',
    h('a', { href: '#/e/' + keys.noteId(reply.parent) }, author ? h('span', { 'data-name-of': author }, nameOf(author)) : 'a post'));
}

function quotes(e) {
  const ids = quotedIds(e);
  if (ids.length === 0) return null;
  const box = h('div', { class: 'quotes' });
  for (const id of ids.slice(0, 3)) {
    const slot = h('div', { class: 'quote' }, 'loading quoted post…');
    box.append(slot);
    lookup(id).then(q => replace(slot, q ? card(q, { embedded: true }) : 'quoted post not held by your node'));
  }
  return box;
}

function repostCard(e) {
  const inner = repostedEvent(e);
  const slot = h('div', { class: 'reposted' });
  if (inner) replace(slot, card(inner));
  else {
    const id = repostedId(e);
    replace(slot, 'loading reposted post…');
    if (id) lookup(id).then(x => replace(slot, x ? card(x) : 'reposted post not held by your node'));
  }
  return h('div', { class: 'repost', 'data-id': e.id }, h('div', { class: 'context' }, '↻ ', nameLink(e.pubkey), ' reposted'), slot);
}

function actions(e) {
  const likeButton = h('button', { class: 'action', 'data-likes-of': e.id, 'aria-label': 'Like', onclick: () => like(e) }, likeLabel(e.id));
  const bar = h('div', { class: 'actions' },
    h('button', { class: 'action', onclick: () => openComposer(bar, { replyTo: e }) }, 'Reply'),
    h('button', { class: 'action', onclick: () => repost(e) }, 'Repost'),
    h('button', { class: 'action', onclick: () => openComposer(bar, { quote: e }) }, 'Quote'),
    likeButton,
    signer && e.pubkey === signer.pubkey ? h('button', { class: 'action danger', onclick: () => remove(e) }, 'Delete') : null);
  return bar;
}

// ---- writing ----------------------------------------------------------------------------

function needKey() {
  if (signer) return false;
  showError('Sign in with your key first (Key, at the top).');
  location.hash = '#/key';
  return true;
}

function composer({ replyTo, quote, onDone } = {}) {
  const area = h('textarea', { rows: 3, maxlength: 10000, 'aria-label': replyTo ? 'Your reply' : 'What is happening?',
    placeholder: replyTo ? 'Your reply' : quote ? 'Add a comment' : 'What is happening?' });
  const send = h('button', { class: 'primary', type: 'submit' }, replyTo ? 'Reply' : 'Post');
  const form = h('form', { class: 'composer', onsubmit: async ev => {
    ev.preventDefault();
    if (needKey()) return;
    const text = area.value.trim();
    if (!text && !quote) return;
    send.disabled = true;
    const done = await act('Posting', () => post(text, { replyTo, quote }));
    send.disabled = false;
    if (done) {
      area.value = '';
      onDone?.(done);
    }
  } }, area, h('div', { class: 'row' }, send));
  area.addEventListener('keydown', ev => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) form.requestSubmit();
  });
  return form;
}

function openComposer(bar, opts) {
  const open = bar.nextElementSibling;
  if (open && open.classList.contains('composer')) { open.remove(); return; }
  const form = composer({ ...opts, onDone: () => form.remove() });
  bar.after(form);
  form.querySelector('textarea').focus();
}

async function post(text, { replyTo, quote } = {}) {
  const { content, tags } = mentions(text);
  if (replyTo) {
    const r = replyTarget(replyTo);
    const root = r ? r.root : replyTo.id;
    tags.unshift(['e', root, '', 'root']);
    if (root !== replyTo.id) tags.splice(1, 0, ['e', replyTo.id, '', 'reply']);
    if (!tags.some(t => t[0] === 'p' && t[1] === replyTo.pubkey)) tags.push(['p', replyTo.pubkey]);
  }
  let body = content;
  if (quote) {
    body = (content ? content + '\n\n' : '') + 'nostr:' + keys.noteId(quote.id);
    tags.push(['q', quote.id]);
    if (!tags.some(t => t[0] === 'p' && t[1] === quote.pubkey)) tags.push(['p', quote.pubkey]);
  }
  return relay.publish({ kind: KIND.POST, content: body, tags });
}

async function like(e) {
  if (needKey()) return;
  if (likes.get(e.id)?.has(signer.pubkey)) return;
  const r = await act('Liking', () => relay.publish({ kind: KIND.REACTION, content: '+', tags: [['e', e.id], ['p', e.pubkey]] }));
  if (r) takeReaction(r);
}

async function repost(e) {
  if (needKey()) return;
  await act('Reposting', () => relay.publish({ kind: KIND.REPOST, content: JSON.stringify(e), tags: [['e', e.id], ['p', e.pubkey]] }));
}

async function remove(e) {
  if (!confirm('Delete this post? Nodes that hold it are asked to delete it too.')) return;
  const r = await act('Deleting', () => relay.publish({ kind: KIND.DELETION, content: '', tags: [['e', e.id]] }));
  if (r) forget(e.id);
}

function forget(id) {
  if (!HEX64.test(id || '')) return;
  deleted.add(id);
  for (const el of marked('id', id)) el.remove();
}

async function setFollowing(pubkey, follow) {
  if (needKey()) return;
  const tags = (followList?.tags || []).filter(t => !(t[0] === 'p' && t[1] === pubkey));
  if (follow) tags.push(['p', pubkey]);
  const e = await act(follow ? 'Following' : 'Unfollowing',
    () => relay.publish({ kind: KIND.FOLLOWS, content: followList?.content || '', tags }));
  if (e) takeFollowList(e);
}

function takeFollowList(e) {
  if (followList && followList.created_at > e.created_at) return;
  followList = e;
  follows = new Set(e.tags.filter(t => t[0] === 'p').map(t => t[1]));
  for (const el of document.querySelectorAll('[data-follow]')) {
    el.textContent = follows.has(el.dataset.follow) ? 'Unfollow' : 'Follow';
  }
}

// ---- a feed: events from a subscription, newest first, live, with paging back -----------

function feed(filter, { title, accept = () => true, render = card, empty = 'Nothing here yet.' } = {}) {
  const list = h('div', { class: 'feed', role: 'feed', 'aria-label': title || 'posts' });
  const more = h('button', { class: 'more', hidden: true }, 'Load older');
  const note = h('p', { class: 'empty' }, 'Loading…');
  const shown = new Map();
  const closers = [];
  let oldest = Infinity;

  function add(e, live) {
    if (shown.has(e.id) || deleted.has(e.id) || !accept(e)) return;
    if (e.kind === KIND.DELETION) { e.tags.filter(t => t[0] === 'e').forEach(t => forget(t[1])); return; }
    const el = render(e);
    if (!el) return;
    shown.set(e.id, e);
    note.hidden = true;
    oldest = Math.min(oldest, e.created_at);
    // keep newest first: find the first shown element older than this one
    const after = [...list.children].find(c => (shown.get(c.dataset.id)?.created_at ?? 0) < e.created_at);
    list.insertBefore(el, after || null);
    if (live) el.classList.add('new');
  }

  function load(extra) {
    let count = 0, eose = false;
    const close = relay.subscribe([{ ...filter, ...extra, limit: PAGE }], e => { count++; add(e, eose); }, () => {
      eose = true;
      if (shown.size === 0) note.textContent = empty;
      more.hidden = count < PAGE;
      subscribeReactions([...shown.keys()]);
      if (extra.until) close(); // older pages need no live part
    });
    closers.push(close);
  }

  more.onclick = () => load({ until: oldest - 1 });
  load({});
  const el = h('section', {}, title ? h('h2', {}, title) : null, list, note, more);
  return { el, close: () => closers.forEach(c => c()) };
}

let reactionsSub = null;
function subscribeReactions(ids) {
  if (ids.length === 0) return;
  reactionsSub?.();
  reactionsSub = relay.subscribe([{ kinds: [KIND.REACTION], '#e': ids.slice(0, 500) }], takeReaction);
}

// ---- views ------------------------------------------------------------------------------

function homeView() {
  const f = feed({ kinds: [KIND.POST, KIND.REPOST] }, { title: 'Home', empty: 'No posts yet: write the first one.' });
  return { el: h('div', {}, signer ? composer() : keyPrompt(), f.el), close: f.close };
}

function keyPrompt() {
  return h('p', { class: 'hint' }, 'Reading only. ', h('a', { href: '#/key' }, 'Sign in with your key'), ' to post, reply and react.');
}

function notificationsView() {
  if (!signer) return { el: keyPrompt(), close() {} };
  const me = signer.pubkey;
  const f = feed({ kinds: [KIND.POST, KIND.REPOST, KIND.REACTION], '#p': [me] }, {
    title: 'Notifications', empty: 'Nobody has replied, mentioned, reposted or reacted yet.',
    accept: e => e.pubkey !== me,
    render: e => {
      const what = e.kind === KIND.REACTION ? 'reacted ' + (e.content === '+' || !e.content ? '♥' : e.content.slice(0, 8)) + ' to your post'
        : e.kind === KIND.REPOST ? 'reposted your post'
          : replyTarget(e) ? 'replied' : quotedIds(e).length ? 'quoted you' : 'mentioned you';
      if (e.kind === KIND.REACTION) takeReaction(e);
      const target = e.tags.filter(t => t[0] === 'e').pop()?.[1];
      return h('div', { class: 'notification', 'data-id': e.id },
        h('div', { class: 'context' }, nameLink(e.pubkey), ' ', what, ' · ', ago(e.created_at),
          HEX64.test(target || '') && e.kind !== KIND.POST ? [' · ', h('a', { href: '#/e/' + keys.noteId(target) }, 'view')] : null),
        e.kind === KIND.POST ? card(e) : null);
    },
  });
  return f;
}

function threadView(id) {
  const top = h('div', { class: 'thread-top' }, 'Loading…');
  const closers = [];
  lookup(id).then(e => {
    if (!e) { replace(top, h('p', { class: 'empty' }, 'Your node does not hold this post.')); return; }
    const parent = replyTarget(e);
    replace(top, parent ? h('p', { class: 'context' }, h('a', { href: '#/e/' + keys.noteId(parent.parent) }, '↑ the post this replies to')) : null, card(e));
  });
  const replies = feed({ kinds: [KIND.POST], '#e': [id] }, { title: 'Replies', empty: 'No replies yet.' });
  closers.push(replies.close);
  return { el: h('div', {}, top, replies.el), close: () => closers.forEach(c => c()) };
}

function profileView(pubkey) {
  const head = h('div', { class: 'profile' });
  const me = signer && signer.pubkey === pubkey;
  function draw() {
    const m = profiles.get(pubkey) || {};
    replace(head,
      h('div', { class: 'profile-top' }, avatar(pubkey),
        h('div', {}, h('h2', { 'data-name-of': pubkey }, nameOf(pubkey)), h('div', { class: 'npub' }, keys.npub(pubkey)))),
      typeof m.about === 'string' && m.about ? richText(m.about.slice(0, 2000)) : null,
      h('div', { class: 'row' },
        h('a', { href: '#/follows/' + keys.npub(pubkey) }, 'Following and followers'),
        me || !signer ? null : h('button', { 'data-follow': pubkey, onclick: () => setFollowing(pubkey, !follows.has(pubkey)) },
          follows.has(pubkey) ? 'Unfollow' : 'Follow'),
        me || !signer ? null : h('a', { href: '#/dms/' + keys.npub(pubkey) }, 'Message')),
      me ? editProfile(m) : null);
  }
  draw();
  const f = feed({ kinds: [KIND.POST, KIND.REPOST], authors: [pubkey] }, { title: 'Posts', empty: 'No posts held by your node.' });
  return { el: h('div', {}, head, f.el), close: f.close, onProfile: pk => { if (pk === pubkey && !head.contains(document.activeElement)) draw(); } };
}

function editProfile(m) {
  const field = (label, key, multi) => {
    const input = multi ? h('textarea', { rows: 3, name: key, value: m[key] || '' }) : h('input', { name: key, value: m[key] || '' });
    return h('label', {}, label, input);
  };
  const form = h('form', { class: 'edit', onsubmit: async ev => {
    ev.preventDefault();
    const meta = { ...m };
    for (const key of ['name', 'about', 'picture']) meta[key] = form.elements[key].value.trim();
    if (meta.picture && !safeUrl(meta.picture)) { showError('The picture must be an https:// address.'); return; }
    const e = await act('Saving your profile', () => relay.publish({ kind: KIND.PROFILE, content: JSON.stringify(meta) }));
    if (e) profiles.take(e);
  } }, h('h3', {}, 'Edit your profile'), field('Name', 'name'), field('About', 'about', true), field('Picture (https://…)', 'picture'),
  h('div', { class: 'row' }, h('button', { class: 'primary', type: 'submit' }, 'Save')));
  return form;
}

function followsView(pubkey) {
  const following = h('ul', { class: 'people' }, h('li', {}, 'Loading…'));
  const followers = h('ul', { class: 'people' }, h('li', {}, 'Loading…'));
  const person = pk => h('li', {}, avatar(pk), nameLink(pk));
  relay.fetch([{ kinds: [KIND.FOLLOWS], authors: [pubkey], limit: 1 }]).then(([list]) => {
    const pks = list ? [...new Set(list.tags.filter(t => t[0] === 'p' && /^[0-9a-f]{64}$/.test(t[1])).map(t => t[1]))] : [];
    replace(following, pks.length ? pks.map(person) : h('li', {}, 'Follows nobody (that your node knows of).'));
  });
  relay.fetch([{ kinds: [KIND.FOLLOWS], '#p': [pubkey], limit: 500 }]).then(lists => {
    const pks = [...new Set(lists.map(e => e.pubkey))];
    replace(followers, pks.length ? pks.map(person) : h('li', {}, 'No followers your node has seen.'));
  });
  return { el: h('div', {}, h('h2', {}, nameLink(pubkey)), h('h3', {}, 'Following'), following, h('h3', {}, 'Followers'), followers), close() {} };
}

// ---- direct messages (NIP-17) -------------------------------------------------------------

/** Conversations, or the one with peer: messages oldest first, and a composer. */
function messagesView(peer) {
  if (!signer) return { el: keyPrompt(), close() {} };
  const me = signer;
  const byId = new Map();
  const box = h('div', { class: 'messages' }, h('p', { class: 'empty' }, 'Opening your messages…'));
  let loaded = false;
  const draw = () => {
    const all = [...byId.values()];
    if (peer) {
      const mine = all.filter(m => peerOf(me, m) === peer).sort((a, b) => a.created_at - b.created_at);
      replace(box, mine.length ? mine.map(m => h('div', { class: m.from === me.pubkey ? 'message mine' : 'message', 'data-id': m.id },
        h('div', { class: 'content' }, m.content), h('div', { class: 'time' }, ago(m.created_at))))
        : h('p', { class: 'empty' }, loaded ? 'No messages yet: write the first.' : 'Opening your messages…'));
      return;
    }
    const latest = new Map();
    for (const m of all) {
      const p = peerOf(me, m);
      if (!latest.has(p) || latest.get(p).created_at < m.created_at) latest.set(p, m);
    }
    const list = [...latest.entries()].sort((a, b) => b[1].created_at - a[1].created_at);
    replace(box, list.length ? h('ul', { class: 'people' }, list.map(([p, m]) => h('li', {}, avatar(p),
      h('a', { href: '#/dms/' + keys.npub(p) }, h('span', { 'data-name-of': p }, nameOf(p))),
      h('span', { class: 'context' }, ' ' + m.content.slice(0, 60) + ' · ' + ago(m.created_at)))))
      : h('p', { class: 'empty' }, loaded ? 'No conversations yet.' : 'Opening your messages…'));
  };
  const close = relay.subscribe([{ kinds: [KIND_GIFT_WRAP], '#p': [me.pubkey], limit: 500 }], async wrap => {
    const m = await openWrap(me, wrap);
    if (m && !byId.has(m.id)) {
      byId.set(m.id, m);
      draw();
    }
  }, reason => {
    loaded = true;
    if (typeof reason === 'string') showError('Your messages could not be opened: ' + reason);
    draw();
  }, { auth: true });

  const to = h('input', { name: 'to', placeholder: 'npub1…', 'aria-label': 'To (npub)', autocomplete: 'off' });
  const text = h('textarea', { rows: 2, maxlength: 10000, 'aria-label': 'Message', placeholder: 'Message' });
  const send = h('button', { class: 'primary', type: 'submit' }, 'Send');
  const form = h('form', { class: 'composer', onsubmit: async ev => {
    ev.preventDefault();
    const recipient = peer || keys.pubkeyFrom(to.value);
    if (!recipient) { showError('Write the recipient as an npub1… key.'); return; }
    if (!text.value.trim()) return;
    send.disabled = true;
    const sent = await act('Sending the message', async () => {
      for (const wrap of await wrapMessage(me, recipient, text.value.trim())) await relay.publishSigned(wrap);
      return true;
    });
    send.disabled = false;
    if (!sent) return;
    text.value = '';
    if (!peer) location.hash = '#/dms/' + keys.npub(recipient);
  } }, peer ? null : h('label', {}, 'To', to), text, h('div', { class: 'row' }, send));
  text.addEventListener('keydown', ev => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) form.requestSubmit();
  });
  draw();
  const title = peer ? h('h2', {}, 'Messages with ', nameLink(peer)) : h('h2', {}, 'Messages');
  const note = h('p', { class: 'hint' }, 'Direct messages are end-to-end encrypted (NIP-17) and go to the recipient\'s node only.');
  return { el: h('div', {}, title, note, peer ? null : form, box, peer ? form : null), close, onProfile: () => draw() };
}

function keyView() {
  const error = h('p', { class: 'error', role: 'alert' });
  const input = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: 'nsec1…', 'aria-label': 'Your secret key (nsec)' });
  const signedIn = signer ? h('div', { class: 'signed-in' },
    h('p', {}, 'Signed in as ', nameLink(signer.pubkey), signer.kind === 'extension' ? ' through your browser extension.' : ' with a key kept in this browser.'),
    h('button', { class: 'danger', onclick: () => { keys.forgetKey(); signer = null; relay.signer = null; location.hash = '#/'; start(); } },
      signer.kind === 'nsec' ? 'Forget key' : 'Sign out')) : null;
  const extension = keys.hasExtension() ? h('button', { class: 'primary', onclick: async () => {
    try { await signIn(await keys.useExtension()); } catch (e) { error.textContent = e.message; }
  } }, 'Use my browser extension (NIP-07)') : h('p', { class: 'hint' }, 'No Nostr browser extension found: you can paste your key instead.');
  const form = h('form', { onsubmit: async ev => {
    ev.preventDefault();
    try {
      await signIn(keys.useNsec(input.value));
      input.value = '';
    } catch (e) {
      error.textContent = e.message;
    }
  } }, h('label', {}, 'Your secret key', input), h('div', { class: 'row' }, h('button', { class: 'primary', type: 'submit' }, 'Sign in')));
  return { el: h('div', { class: 'key' }, h('h2', {}, 'Your key'), signedIn, extension,
    h('p', { class: 'warning' }, 'A pasted key is kept in this browser only (its local storage) and never sent to your node or anyone. ',
      'Anyone who can use this browser profile can read it: use “Forget key” on a shared computer.'),
    form, error), close() {} };
}

async function signIn(s) {
  signer = s;
  relay.signer = s;
  relay.authed = null;
  location.hash = '#/';
  await start();
}

// ---- routing ----------------------------------------------------------------------------

function route() {
  view?.close();
  clearError();
  const [, what, arg] = (location.hash || '#/').split('/');
  const pubkey = arg ? keys.pubkeyFrom(decodeURIComponent(arg)) : null;
  const id = arg ? keys.eventIdFrom(decodeURIComponent(arg)) : null;
  if (what === 'key') view = keyView();
  else if (what === 'notifications') view = notificationsView();
  else if (what === 'dms') view = messagesView(pubkey);
  else if (what === 'e' && id) view = threadView(id);
  else if (what === 'p' && pubkey) view = profileView(pubkey);
  else if (what === 'follows' && pubkey) view = followsView(pubkey);
  else view = homeView();
  replace(main, view.el);
  for (const a of document.querySelectorAll('nav a')) a.setAttribute('aria-current', a.getAttribute('href') === location.hash ? 'page' : 'false');
  const me = document.getElementById('me');
  me.hidden = !signer;
  if (signer) me.setAttribute('href', '#/p/' + keys.npub(signer.pubkey));
}

let followSub = null;
async function start() {
  followSub?.();
  followList = null;
  follows = new Set();
  if (signer) {
    followSub = relay.subscribe([{ kinds: [KIND.FOLLOWS], authors: [signer.pubkey], limit: 1 }], takeFollowList);
  }
  route();
}

// deletions (NIP-09) from now on take the deleted posts off whatever is shown
relay.subscribe([{ kinds: [KIND.DELETION], since: Math.floor(Date.now() / 1000) }], e => {
  for (const t of e.tags) if (t[0] === 'e' && known.get(t[1])?.pubkey === e.pubkey) forget(t[1]);
});

window.addEventListener('hashchange', route);
keys.savedSigner().then(s => {
  signer = s;
  relay.signer = s;
  start();
});
