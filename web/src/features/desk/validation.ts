// The server's rules for a comment (server/src/kontor/tickets/ticket_service.cpp, core/text.cpp),
// checked before sending: required and not blank, at most 20,000 bytes of UTF-8, no control
// characters other than newline and tab. The answer is a translation key with its values.
export const MAX_TEXT_BYTES = 20_000;

export interface FieldProblem {
  key: string;
  values?: Record<string, number>;
}

const encoder = new TextEncoder();

// Line breaks as the server stores them: a textarea may hand over CR LF (pasted text), which the
// server would refuse as a control character.
export const normaliseLines = (s: string) => s.replace(/\r\n?/g, '\n');

export function checkBody(raw: string): FieldProblem | undefined {
  const value = normaliseLines(raw);
  if (/^[ \t\n]*$/.test(value)) return { key: 'desk.validation.required' };
  if (encoder.encode(value).length > MAX_TEXT_BYTES)
    return { key: 'desk.validation.tooLong', values: { max: MAX_TEXT_BYTES } };
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (ch === '\n' || ch === '\t') continue;
    if (c < 0x20 || c === 0x7f) return { key: 'desk.validation.control' };
  }
  return undefined;
}
