import { escapeForTerminal } from '@shipgate/model';
import { html as honoHtml, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** A piece of HTML whose every interpolated value was escaped. */
export type Html = HtmlEscapedString;

/** What may stand in a template: text (escaped), numbers, nothing, other Html, or lists of them. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function isHtml(value: unknown): value is Html {
  return value instanceof String && (value as { isEscaped?: boolean }).isEscaped === true;
}

// Ledger values can be chosen by an attacker (a JUnit test name, an audit detail, a rollback reason).
// Hono's `html` escapes the HTML metacharacters; control characters, line separators and bidi
// overrides are written as visible escapes by the same rule the terminal output uses, so a value can
// neither run nor hide what stands next to it.
function clean(value: HtmlValue): unknown {
  if (isHtml(value)) return value;
  if (Array.isArray(value)) return value.map(clean);
  if (typeof value === 'string') return escapeForTerminal(value, { keepLayout: true });
  if (typeof value === 'number') return String(value);
  if (value === true) return 'true';
  return value;
}

/** Tagged template: every interpolation is escaped (HTML and control characters); Html pieces nest as they are. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  // Hono returns a Promise only when an interpolation is one; these never are.
  return honoHtml(strings, ...values.map(clean)) as Html;
}

/** HTML text this module wrote itself (never a ledger value). */
export function trusted(markup: string): Html {
  return raw(markup) as Html;
}

/** A list of pieces as one. */
export function join(pieces: readonly Html[]): Html {
  return html`${pieces}`;
}

/** Value for a `data-*` attribute holding JSON (escaped like any attribute). */
export function jsonAttribute(value: unknown): string {
  return JSON.stringify(value);
}
