/**
 * The `callback_data` of Orienta's inline buttons (Telegram allows 1–64 bytes):
 *
 * - `o:<n>`: the n-th numbered option of the reply the button is under (same as writing "n");
 * - `f:1:<entry id>` / `f:0:<entry id>`: 👍 / 👎 on the answer from that knowledge entry.
 *
 * ```ts
 * parseCallbackData(optionData(2)); // { type: 'option', choice: 2 }
 * ```
 */
export type CallbackData =
  | { type: 'option'; choice: number }
  | { type: 'feedback'; useful: boolean; entryId: string };

/** Telegram's limit for `callback_data`, in bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;

export function optionData(choice: number): string {
  return `o:${choice}`;
}

/**
 * Data of a feedback button. Entry ids are short ASCII slugs; one too long for Telegram's 64 bytes
 * is cut (the report then shows its beginning).
 */
export function feedbackData(useful: boolean, entryId: string): string {
  const data = `f:${useful ? 1 : 0}:${entryId}`;
  return Buffer.byteLength(data) <= MAX_CALLBACK_DATA_BYTES ? data : truncateBytes(data, MAX_CALLBACK_DATA_BYTES);
}

/** Reads button data back; undefined for anything Orienta did not put there (over 64 bytes, an entry id that is not a slug…). */
export function parseCallbackData(data: string | undefined): CallbackData | undefined {
  // (Telegram never sends more than 64 bytes; a forged webhook update might)
  if (!data || Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES) return undefined;
  const option = /^o:(\d{1,2})$/.exec(data);
  if (option) {
    const choice = Number(option[1]);
    return choice >= 1 ? { type: 'option', choice } : undefined;
  }
  const feedback = /^f:([01]):([a-z0-9][a-z0-9-]*)$/.exec(data);
  if (feedback) return { type: 'feedback', useful: feedback[1] === '1', entryId: feedback[2] as string };
  return undefined;
}

function truncateBytes(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}
