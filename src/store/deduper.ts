/**
 * Remembers ids already seen (Telegram update ids, WhatsApp message ids), because messengers
 * deliver at least once. `firstTime` marks the id and says whether it was new.
 */
export interface Deduper {
  firstTime(id: string): Promise<boolean>;
}

/** The embedded default: the last `window` ids (default 10,000) in this process. */
export function createMemoryDeduper(opts: { window?: number } = {}): Deduper {
  const window = opts.window ?? 10_000;
  const seen = new Set<string>();
  return {
    async firstTime(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      if (seen.size > window) seen.delete(seen.values().next().value as string);
      return true;
    },
  };
}
