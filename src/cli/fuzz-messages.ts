/**
 * The random messages of the fuzz test, for `npm run bench` too: pieces of real questions,
 * control characters, scripts of other languages, huge words and huge texts, from a seed so any
 * run can be replayed.
 *
 * ```ts
 * for (const { text, keepSession } of fuzzMessages(20261122, 3000)) …
 * ```
 */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  'credencial', 'imss', 'bienestar', 'issste', 'y en', 'guerrero', 'jalisco', '2', 'menu', 'hola', 'gracias',
  'hospital', 'tepic', 'vacuna', '¿', '?', '!!!', '🙏', '😷', '\u202e', '\u0000', '\u200b', 'ñ', 'ÁÉÍÓÚ', 'مرحبا',
  'שלום', '漢字', '\t', '\n', '  ', 'x'.repeat(300), '9'.repeat(40), 'mas detalles', 'no', 'ni', 'el', 'del', 'q',
  'dolor de pecho', 'pasame', '%s', '${x}', '<b>', '\\', '"', "'", '\ud800', '1e309', 'NaN', 'undefined',
];

/** `count` messages; `keepSession` says whether the conversation goes on (9 in 10) or starts anew. */
export function* fuzzMessages(seed: number, count: number): Generator<{ text: string; keepSession: boolean }> {
  const rand = prng(seed);
  for (let i = 0; i < count; i++) {
    const parts = Math.floor(rand() * 12);
    let text = '';
    for (let p = 0; p < parts; p++) {
      text += rand() < 0.8 ? PIECES[Math.floor(rand() * PIECES.length)] : String.fromCharCode(Math.floor(rand() * 0xffff));
      text += rand() < 0.7 ? ' ' : '';
    }
    if (rand() < 0.01) text = text.repeat(2000);
    yield { text, keepSession: !(rand() < 0.1) };
  }
}
