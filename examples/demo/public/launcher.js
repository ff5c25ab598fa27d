// The dev launcher: a stand-in for VK opening the mini app. It asks the demo
// server (development mode only) for launch links signed with the dev secret
// and lists them, with a tampered and an expired variant of each.

const list = /** @type {HTMLUListElement} */ (document.getElementById('users'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const signedAt = /** @type {HTMLElement} */ (document.getElementById('signed-at'));
const refresh = /** @type {HTMLButtonElement} */ (document.getElementById('refresh'));

/** When the links on the page were signed, to re-sign stale ones. */
let loadedAt = 0;
// Matches the library's default maxAge (one hour); re-sign well before.
const STALE_AFTER_MS = 10 * 60 * 1000;

/** Only same-origin mini-app links, never anything the page did not expect. @param {unknown} url */
function launchUrl(url) {
  return typeof url === 'string' && url.startsWith('/?') ? url : null;
}

/** @param {string} tag @param {string} [className] @param {string} [text] */
function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {string} label @param {unknown} href @param {string} className @param {string} testId @param {string} hint */
function link(label, href, className, testId, hint) {
  const url = launchUrl(href);
  if (url === null) return make('span', 'muted', `${label}: no link`);
  const a = /** @type {HTMLAnchorElement} */ (make('a', className, label));
  a.href = url;
  a.rel = 'noreferrer';
  a.dataset.testid = testId;
  a.title = hint;
  return a;
}

/** @param {string} name */
function initials(name) {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  return (
    words
      .slice(0, 2)
      .map((word) => Array.from(word)[0] ?? '')
      .join('')
      .toUpperCase() || '?'
  );
}

/** @param {Record<string, any>} user */
function renderUser(user) {
  const item = make('li', 'card user-item');
  item.dataset.testid = 'launcher-user';
  item.dataset.vkUserId = String(user.vkUserId);

  const profile = make('div', 'profile');
  const avatar = make('span', 'avatar', initials(String(user.name ?? '')));
  avatar.setAttribute('aria-hidden', 'true');
  avatar.dataset.hue = String(Math.abs(Number(user.vkUserId) || 0) % 6);
  const text = make('div', 'profile-text');
  const name = make('h2', 'user-item-name', String(user.name ?? 'Unnamed user'));
  name.dataset.testid = 'launcher-user-name';
  const meta = make('p', 'muted meta');
  const field = (/** @type {string} */ testId, /** @type {unknown} */ value) => {
    const span = make('span', undefined, value === undefined || value === null ? '—' : String(value));
    span.dataset.testid = testId;
    return span;
  };
  meta.append(
    'id ',
    field('launcher-user-id', user.vkUserId),
    ' · ',
    field('launcher-user-platform', user.platform),
    ' · ',
    field('launcher-user-language', user.language),
  );
  text.append(name, meta);
  profile.append(avatar, text);

  const actions = make('div', 'actions');
  actions.append(
    link('Open', user.url, 'button', 'open-link', 'Open the mini app as this user'),
    link(
      'Tampered link',
      user.tamperedUrl,
      'button button-secondary',
      'tampered-link',
      'vk_user_id changed after signing',
    ),
    link('Expired link', user.expiredUrl, 'button button-secondary', 'expired-link', 'Signed two hours ago'),
  );

  item.append(profile, actions);
  return item;
}

async function load() {
  refresh.disabled = true;
  status.hidden = false;
  status.textContent = 'Loading the fake users…';
  document.body.dataset.state = 'loading';
  try {
    const response = await fetch('/dev/launches', { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (response.status === 404) {
      throw new Error(
        'The launcher is off: the server runs with VK_APP_ID and VK_APP_SECRET set, so only real VK launches work.',
      );
    }
    if (!response.ok) throw new Error(`The server answered HTTP ${response.status} for /dev/launches.`);
    const data = await response.json();
    const users = Array.isArray(data?.users) ? data.users : [];
    list.replaceChildren(...users.map(renderUser));
    loadedAt = Date.now();
    status.hidden = users.length > 0;
    status.textContent = users.length > 0 ? '' : 'The server lists no fake users.';
    signedAt.textContent = `App id ${data?.appId ?? '—'} · links signed at ${new Date(loadedAt).toLocaleTimeString()} with the dev secret; they are accepted for the server's maximum launch age.`;
    document.body.dataset.state = 'ready';
  } catch (error) {
    list.replaceChildren();
    status.hidden = false;
    status.textContent =
      error instanceof Error && !(error instanceof TypeError)
        ? error.message
        : 'The demo server could not be reached. Is it running?';
    document.body.dataset.state = 'error';
  } finally {
    refresh.disabled = false;
  }
}

refresh.addEventListener('click', () => {
  load();
});
// Coming back to this page (e.g. with the Back button) after a while: sign fresh links.
window.addEventListener('pageshow', (event) => {
  if (event.persisted && Date.now() - loadedAt > STALE_AFTER_MS) load();
});

load();
