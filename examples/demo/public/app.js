// The mini-app page. VK opens it with signed launch parameters in the query
// string; the page sends them, unchanged, to its own server in the
// Authorization header (vk-miniapp-auth/client's createVkFetch does that, and
// only for same-origin requests) and renders what the server answers.
//
// Privacy rules this file keeps: the launch parameters go to same-origin
// `/api/me` only, in a header; they are never put into another URL, link or
// image; server data is rendered with textContent only.

import { createVkFetch } from '/vendor/vk-miniapp-auth-client.mjs';

// Read once, now, before anything could rewrite the address.
const vkFetch = createVkFetch();

/** Plain-words explanations of the library's refusal codes (see the README's error table). */
const EXPLANATIONS = {
  MISSING_CREDENTIALS:
    'No launch parameters reached the server. Open the app from VK (or from the dev launcher) so that its address carries them.',
  MALFORMED:
    'The launch parameters could not be read: some value is not in the form VK sends. The link was probably cut short or edited by hand.',
  DUPLICATE_PARAM:
    'A parameter appears twice in the link. That is how a second user id gets smuggled in, so such a link is always refused.',
  TOO_LARGE: 'The launch parameters are far longer than anything VK sends.',
  SIGN_MISSING: 'The link has no signature, so nothing proves that VK issued it.',
  SIGN_INVALID:
    'The signature does not match: the link was altered after VK signed it, or it was signed with another key than this app’s secret.',
  EXPIRED: 'This launch is older than the allowed age. Reopen the app to get a fresh launch.',
  TS_MISSING: 'The launch carries no time (vk_ts), so the server cannot tell how old it is.',
  TS_IN_FUTURE: 'The launch is dated in the future: the clock of the server or of whoever signed it is wrong.',
  APP_ID_MISSING: 'The launch does not say which app it is for (no vk_app_id).',
  APP_ID_MISMATCH: 'The launch was signed for another VK app, not this one.',
  UNKNOWN_APP: 'The server has no secret key for the app this launch is for.',
  USER_ID_MISSING: 'The launch does not say who the user is (no vk_user_id).',
  USER_REJECTED: 'The signature is fine, but the server refused this user.',
  SESSION_EXPIRED:
    'The session that carried this launch on has reached its end (a day after the launch). Reopen the app to start a new one.',
  SESSION_INVALID: 'The session token was not accepted (the server’s session key may have changed). Reopen the app.',
};

/** How often the page asks for the user again while it stays open. */
const REFRESH_MS = 5 * 60_000;

const PLATFORMS = {
  desktop_web: 'VK website on a computer',
  mobile_web: 'VK mobile website',
  mobile_android: 'VK app for Android',
  mobile_iphone: 'VK app for iPhone',
  mobile_ipad: 'VK app for iPad',
  desktop_app_messenger: 'VK Messenger for desktop',
  desktop_web_messenger: 'VK Messenger on the web',
  mobile_android_messenger: 'VK Messenger for Android',
  mobile_iphone_messenger: 'VK Messenger for iPhone',
  android_external: 'Android, outside VK',
  iphone_external: 'iPhone, outside VK',
  ipad_external: 'iPad, outside VK',
};

/** @param {string} id */
function el(id) {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`#${id} is missing from index.html`);
  return node;
}

/** @param {string} id @param {unknown} value */
function setText(id, value) {
  el(id).textContent = value === null || value === undefined || value === '' ? '—' : String(value);
}

/** Shows one state's cards and hides the others. @param {'loading' | 'no-params' | 'user' | 'error'} state */
function show(state) {
  const visible = {
    loading: ['loading'],
    'no-params': ['no-params'],
    user: ['user-card', 'verified-card'],
    error: ['error-card'],
  }[state];
  for (const id of ['loading', 'no-params', 'user-card', 'verified-card', 'error-card']) {
    el(id).hidden = !visible.includes(id);
  }
  document.body.dataset.state = state;
}

/** "5 seconds", "1 minute", "3 hours". @param {number} seconds */
function duration(seconds) {
  const units = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [name, size] of units) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size);
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** The age of a launch in words. @param {number} ageSeconds */
function ageInWords(ageSeconds) {
  if (!Number.isFinite(ageSeconds)) return 'unknown';
  const seconds = Math.round(ageSeconds);
  if (seconds < 0) return `${duration(-seconds)} in the future (clocks disagree a little)`;
  if (seconds < 2) return 'just now';
  return `${duration(seconds)} ago`;
}

/** Accepts an ISO string, epoch milliseconds or epoch seconds. @param {unknown} value */
function formatDate(value) {
  if (value === null || value === undefined || value === '') return '—';
  let date;
  if (typeof value === 'number') date = new Date(value < 1e12 ? value * 1000 : value);
  else date = new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** @param {unknown} code */
function platformLabel(code) {
  if (typeof code !== 'string' || code === '') return '—';
  const label = PLATFORMS[code];
  return label ? `${label} (${code})` : code;
}

/** Two letters for the avatar. @param {string | null} name @param {number} vkUserId */
function initials(name, vkUserId) {
  if (!name) return String(vkUserId).slice(-2);
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0] ?? '');
  return letters.join('').toUpperCase() || '?';
}

/** @param {{ user: Record<string, any>, verified: Record<string, any> }} body */
function renderUser(body) {
  const { user, verified } = body;
  const name = typeof user.name === 'string' && user.name !== '' ? user.name : null;
  const nameNode = el('user-name');
  nameNode.textContent = name ?? 'Name not known';
  nameNode.classList.toggle('unknown', name === null);
  if (name === null) nameNode.title = 'VK does not send names in launch parameters.';
  el('user-avatar').textContent = initials(name, Number(user.vkUserId));
  el('user-avatar').dataset.hue = String(Math.abs(Number(user.vkUserId) || 0) % 6);
  setText('user-id', user.vkUserId);
  setText('user-db-id', user.id);
  setText('launch-count', user.launchCount);
  setText('first-seen', formatDate(user.createdAt));
  setText('last-seen', formatDate(user.lastSeenAt));
  el('welcome').textContent =
    Number(user.launchCount) === 1
      ? 'Your first launch: the server created your record when you opened the app.'
      : `Welcome back: this is launch number ${user.launchCount}.`;

  setText('verified-app-id', verified.appId);
  setText('verified-platform', platformLabel(verified.platform));
  setText('verified-language', verified.language);
  const launchedAt = typeof verified.vkTs === 'number' ? formatDate(verified.vkTs) : null;
  const age = ageInWords(Number(verified.ageSeconds));
  el('verified-age').textContent = launchedAt ? `${age} (${launchedAt})` : age;
  document.title = `${name ?? `id${user.vkUserId}`} · VK Mini App demo`;
  show('user');
}

/** @param {string} code @param {string} explanation @param {string} [message] @param {string} [title] */
function renderError(code, explanation, message, title) {
  el('error-title').textContent = title ?? 'The server refused this launch';
  el('error-code').textContent = code;
  el('error-text').textContent = explanation;
  el('error-message').textContent = message ?? '';
  el('error-message-row').hidden = !message;
  show('error');
}

/**
 * Asks the server for the user and renders the answer. The first call sends the
 * launch params; createVkFetch then sends the session token the server answered
 * with (VK-Session), so calls an hour or more after the launch still get in.
 */
async function loadUser() {
  let response;
  try {
    response = await vkFetch('/api/me', {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    renderError('NETWORK', 'The server could not be reached. Is it running?', undefined, 'No answer from the server');
    return;
  }

  /** @type {any} */
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }

  if (response.ok && body && typeof body.user === 'object' && body.user !== null) {
    renderUser({ user: body.user, verified: body.verified ?? {} });
    return;
  }

  const code = body && typeof body.code === 'string' && body.code !== '' ? body.code : `HTTP_${response.status}`;
  const message = body && typeof body.message === 'string' ? body.message : undefined;
  if (response.status === 401) {
    const explanation = Object.hasOwn(EXPLANATIONS, code)
      ? EXPLANATIONS[code]
      : 'The server refused the launch for a reason this page does not know yet; the code above names it.';
    renderError(code, explanation, message);
  } else {
    renderError(
      code,
      `The server answered with HTTP ${response.status} instead of the user record.`,
      message,
      'Something went wrong',
    );
  }
}

function main() {
  const launchParams = location.search.slice(1);
  if (launchParams === '') {
    show('no-params');
    return;
  }
  el('refresh').addEventListener('click', () => loadUser());
  loadUser();
  // The page stays open as long as the user keeps the app: it refreshes the user now and then.
  setInterval(loadUser, REFRESH_MS);
}

main();
