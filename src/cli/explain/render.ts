import type { Io } from '../io.js';
import { age, pad, printable, type Style, styleFor } from '../output.js';
import type { ExplainReport } from './report.js';

const FORMS = { query: 'a query string', url: 'a full URL', base64: 'base64' } as const;

const TIMESTAMP_STATUS = {
  fresh: 'fresh',
  expired: 'expired',
  future: 'in the future',
  missing: 'missing',
  malformed: 'not an integer',
  'not-checked': 'not checked (--max-age 0)',
} as const;

/** Collects indented lines under numbered headings. */
class Page {
  readonly lines: string[] = [];
  private section = 0;
  constructor(readonly s: Style) {}
  heading(title: string): void {
    this.section++;
    this.lines.push('', this.s.bold(`${this.section}. ${title}`));
  }
  line(text: string): void {
    this.lines.push(`   ${text}`);
  }
  yes(text: string): void {
    this.line(`${this.s.good('✓')} ${text}`);
  }
  no(text: string): void {
    this.line(`${this.s.bad('✗')} ${text}`);
  }
  note(text: string): void {
    this.line(`${this.s.warn('!')} ${text}`);
  }
}

/**
 * Writes the report for a person on stdout: each step as a numbered section,
 * then the notes, the verdict and the likely cause. Text from the input is
 * shown through `printable`, so it cannot drive the terminal.
 */
export function renderExplanation(report: ExplainReport, io: Io): void {
  const page = new Page(styleFor(io.stdout, io.env));
  renderInput(page, report);
  // Input that holds no pairs has nothing more to show than why it was refused.
  if (report.pairs.length > 0) {
    renderPairs(page, report);
    renderCanonical(page, report);
    renderSignature(page, report);
    renderTimestamp(page, report);
    renderApp(page, report);
  }
  renderVerdict(page, report);
  io.stdout.write(`${page.lines.join('\n').replace(/^\n/, '')}\n`);
}

function renderInput(page: Page, { input }: ExplainReport): void {
  const { s } = page;
  page.heading('Input');
  if (input.form === null) page.no(`not recognised as launch params (${input.length} characters)`);
  else {
    let form: string = FORMS[input.form];
    if (input.form === 'base64') {
      form += /^[a-z][a-z0-9+.-]*:|^\//i.test(input.base64Decoded ?? '') ? ' of a full URL' : ' of a query';
    }
    const scheme = input.scheme === null ? '' : ` in an Authorization value (scheme ${input.scheme})`;
    page.line(`recognised as ${form}${scheme}, ${input.length} characters`);
    if (input.base64Decoded !== null) page.line(`decoded    ${s.dim(printable(input.base64Decoded))}`);
  }
  if (input.query !== null) page.line(`query      ${s.dim(printable(input.query))}`);
}

function renderPairs(page: Page, { pairs, duplicates }: ExplainReport): void {
  const { s } = page;
  page.heading(`Pairs, in the order received (${pairs.length})`);
  const keyWidth = Math.min(28, Math.max(...pairs.map((pair) => printable(pair.key).length)));
  const valueWidth = Math.min(30, Math.max(5, ...pairs.map((pair) => printable(pair.value).length)));
  pairs.forEach((pair, i) => {
    let role =
      pair.role === 'signed'
        ? s.good('signed')
        : pair.role === 'sign'
          ? s.accent('the signature')
          : s.dim('ignored: not vk_*, not signed');
    if (pair.duplicate) role += ` ${s.bad('REPEATED')}`;
    if (pair.malformed) role += ` ${s.bad('MALFORMED ESCAPE')}`;
    const sent =
      pair.rawValue !== null && pair.rawValue !== pair.value ? s.dim(`  (sent as ${printable(pair.rawValue)})`) : '';
    const key = pad(printable(pair.key), keyWidth);
    page.line(`${pad(String(i + 1), 3)}${key}  ${pad(printable(pair.value), valueWidth)}  ${role}${sent}`);
  });
  if (duplicates.length === 0) page.yes('no key repeats');
  else page.no(`repeated: ${duplicates.map(printable).join(', ')} (refused: parsers disagree on which value counts)`);
}

function renderCanonical(page: Page, { canonical }: ExplainReport): void {
  page.heading('The string VK signs (vk_* pairs sorted by key, each encoded with PHP urlencode)');
  if (canonical === null) {
    page.no('none: it needs launch params without repeated keys or malformed escapes');
    return;
  }
  page.line(printable(canonical.php));
  if (canonical.uri === null) page.line(page.s.dim('(the encodeURIComponent variant is the same string)'));
  else {
    page.line(page.s.dim('encodeURIComponent variant (also accepted):'));
    page.line(printable(canonical.uri));
  }
}

function renderSignature(page: Page, report: ExplainReport): void {
  const { s } = page;
  const { signature } = report;
  page.heading('Signature');
  if (signature.received === null) page.no('received   none: there is no sign parameter');
  else {
    const shape = signature.wellFormed
      ? '43 base64url characters'
      : s.bad(`${signature.received.length} characters, not VK's 43 base64url ones`);
    page.line(`received   ${printable(signature.received)} ${s.dim(`(${shape})`)}`);
  }
  if (!report.signChecked) {
    page.note("not checked: no secret. Set VK_APP_SECRET to the app's Secure key (or pass --secret) to check it.");
    return;
  }
  if (report.canonical === null) page.no('expected   cannot be computed without a canonical string');
  else if (signature.expected !== null) {
    page.line(`expected   ${signature.expected.php} ${s.dim('(PHP urlencode)')}`);
    if (signature.expected.uri !== null)
      page.line(`           ${signature.expected.uri} ${s.dim('(encodeURIComponent)')}`);
  } else if (signature.matched === null) {
    // A valid sign for the params shown: printed only when asked for (see `--show-expected-sign`).
    page.line(`expected   ${s.dim('not shown (pass --show-expected-sign to print it)')}`);
  }
  if (signature.matched !== null) {
    page.yes(`matches: the ${signature.matched === 'php' ? 'PHP urlencode' : 'encodeURIComponent'} variant`);
  } else if (signature.received !== null && report.canonical !== null) page.no('does not match');
  if (signature.tried.length > 0) {
    const tried = signature.tried.map((entry) => (entry.matched ? s.good(`${entry.pitfall} ✓`) : s.dim(entry.pitfall)));
    page.line(`tried the known wrong computations: ${tried.join(', ')}`);
  }
}

function renderTimestamp(page: Page, { timestamp }: ExplainReport): void {
  const { s } = page;
  page.heading('Timestamp (vk_ts)');
  if (timestamp.value === null) {
    if (timestamp.status === 'missing') page.no('missing');
    else page.line(s.dim('missing, and not checked (--max-age 0)'));
    return;
  }
  const unit = timestamp.unit === 'milliseconds' ? ' (milliseconds)' : '';
  const when = timestamp.iso === null ? '' : ` = ${timestamp.iso}, ${age(timestamp.ageSeconds ?? 0)}${unit}`;
  page.line(`vk_ts      ${printable(timestamp.value)}${when}`);
  const verdict = TIMESTAMP_STATUS[timestamp.status];
  const limits = s.dim(` (--max-age ${timestamp.maxAge} s, --clock-skew ${timestamp.clockSkew} s)`);
  if (timestamp.status === 'fresh') page.yes(verdict + limits);
  else if (timestamp.status === 'not-checked') page.line(s.dim(verdict));
  else page.no(verdict + limits);
}

function renderApp(page: Page, { app, user }: ExplainReport): void {
  const { s } = page;
  page.heading('App and user');
  const text = `vk_app_id  ${app.id ?? '(none)'}`;
  if (app.status === 'match') page.yes(`${text}, as --app-id expects`);
  else if (app.status === 'mismatch') page.no(`${text}, but --app-id expects ${(app.expected ?? []).join(' or ')}`);
  else if (app.status === 'not-checked') page.line(`${text} ${s.dim('(not checked: pass --app-id to check it)')}`);
  else page.no(`${text}: ${app.status === 'missing' ? 'missing' : 'not a positive integer'}`);
  page.line(`vk_user_id ${user.id ?? s.bad('(none or not a positive integer)')}`);
}

function renderVerdict(page: Page, report: ExplainReport): void {
  const { s, lines } = page;
  if (report.warnings.length > 0) {
    lines.push('', s.bold('Notes'));
    for (const warning of report.warnings) page.note(warning);
  }
  lines.push('');
  if (report.ok) lines.push(`${s.good(s.bold('VALID'))} these launch params pass verification.`);
  else if (report.error !== null)
    lines.push(`${s.bad(s.bold('INVALID'))} ${s.bold(report.error.code)}: ${report.error.message}`);
  else lines.push(`${s.warn(s.bold('NOT CHECKED'))} the sign cannot be checked without the secret.`);
  // A cause that only repeats the verdict's message adds nothing on a terminal.
  if (report.cause !== null && report.cause.message !== report.error?.message) {
    const label = report.cause.pitfall === null ? 'Why' : `Likely cause (${report.cause.pitfall})`;
    lines.push(`${s.bold(label)}: ${report.cause.message}`);
  }
  const also = alsoFailing(report);
  if (also.length > 0) lines.push(`${s.bold('Also failing')}: ${also.join('; ')}.`);
}

/** Checks that fail besides the one the verdict names (the library stops at the first). */
function alsoFailing(report: ExplainReport): string[] {
  const code = report.error?.code;
  // Only failures that come after the params were read leave other checks worth listing.
  if (code === undefined || !['SIGN_INVALID', 'APP_ID_MISMATCH', 'UNKNOWN_APP', 'DUPLICATE_PARAM'].includes(code)) {
    return [];
  }
  const also: string[] = [];
  const { timestamp, app } = report;
  if (timestamp.status === 'expired' || timestamp.status === 'future' || timestamp.status === 'missing') {
    also.push(`vk_ts is ${TIMESTAMP_STATUS[timestamp.status]}`);
  }
  if (code !== 'APP_ID_MISMATCH' && app.status === 'mismatch') also.push(`vk_app_id ${app.id} is not the expected app`);
  return also;
}
