// The server's rules for a case and a reply (server/src/kontor/tickets/ticket_service.cpp,
// core/text.cpp), checked before sending: a title is required and not blank, at most 200 bytes of
// UTF-8 without control characters; a description and a reply at most 20,000 bytes, control
// characters other than newline and tab refused; a category at most 60 bytes, one line. A reply
// is required too. The answer is a translation key with its values, per field.
export const MAX_TITLE_BYTES = 200;
export const MAX_TEXT_BYTES = 20_000;
export const MAX_CATEGORY_BYTES = 60;

export interface FieldProblem {
  key: string;
  values?: Record<string, number>;
}

const encoder = new TextEncoder();
export const byteLength = (s: string) => encoder.encode(s).length;

// What the server counts as blank: only spaces, tabs and line breaks.
const isBlank = (s: string) => /^[ \t\r\n]*$/.test(s);

function hasControlChars(s: string, multiline: boolean): boolean {
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (multiline && (ch === '\n' || ch === '\t')) continue;
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

// Line breaks as the server stores them: a textarea may hand over CR LF (pasted text), which the
// server would refuse as a control character.
export const normaliseLines = (s: string) => s.replace(/\r\n?/g, '\n');

function checkText(
  value: string,
  max: number,
  multiline: boolean,
  required: boolean,
): FieldProblem | undefined {
  if (isBlank(value)) return required ? { key: 'cases.validation.required' } : undefined;
  if (byteLength(value) > max) return { key: 'cases.validation.tooLong', values: { max } };
  if (hasControlChars(value, multiline))
    return { key: multiline ? 'cases.validation.controlMultiline' : 'cases.validation.control' };
  return undefined;
}

export interface CaseFields {
  title: string;
  description: string;
  category: string;
}

export function validateCase(fields: CaseFields): Partial<Record<keyof CaseFields, FieldProblem>> {
  const out: Partial<Record<keyof CaseFields, FieldProblem>> = {};
  const title = checkText(fields.title, MAX_TITLE_BYTES, false, true);
  if (title) out.title = title;
  const description = checkText(normaliseLines(fields.description), MAX_TEXT_BYTES, true, false);
  if (description) out.description = description;
  // A blank category is sent as none at all.
  const category = checkText(fields.category.trim(), MAX_CATEGORY_BYTES, false, false);
  if (category) out.category = category;
  return out;
}

export function validateReply(body: string): FieldProblem | undefined {
  return checkText(normaliseLines(body), MAX_TEXT_BYTES, true, true);
}
