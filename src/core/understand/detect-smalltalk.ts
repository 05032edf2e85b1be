import type { ConversationFile } from '../../knowledge/schema.js';
import { compilePhrases, findPhrase, type Phrase, removePhrases } from '../../text/phrases.js';
import { STOPWORDS } from '../../text/stopwords.js';

export type SmalltalkKind = 'greeting' | 'thanks' | 'goodbye' | 'help' | 'menu' | 'details';

export interface SmalltalkDetector {
  /**
   * The kind of courtesy or command when the message is nothing else ("hola buenas noches",
   * "muchas gracias!!"), or undefined when it carries a question ("hola, como saco la credencial").
   */
  detect(words: readonly string[]): SmalltalkKind | undefined;
  /** The words left once greetings and courtesy are removed. */
  strip(words: readonly string[]): string[];
}

const PRIORITY: SmalltalkKind[] = ['details', 'menu', 'help', 'thanks', 'goodbye', 'greeting'];

export function createSmalltalkDetector(phrases: ConversationFile['phrases']): SmalltalkDetector {
  const byKind = new Map<SmalltalkKind, Phrase[]>(PRIORITY.map((k) => [k, compilePhrases(phrases[k])]));
  const courtesy = [
    ...compilePhrases(phrases.greeting),
    ...compilePhrases(phrases.thanks),
    ...compilePhrases(phrases.goodbye),
    ...compilePhrases(phrases.filler),
  ];
  const all = [...[...byKind.values()].flat(), ...compilePhrases(phrases.filler)];
  return {
    strip: (words) => removePhrases(words, courtesy),
    detect(words) {
      if (words.length === 0) return undefined;
      const rest = removePhrases(words, all).filter((w) => !STOPWORDS.has(w));
      if (rest.length > 0) return undefined;
      for (const kind of PRIORITY)
        if ((byKind.get(kind) ?? []).some((p) => findPhrase(words, p) >= 0)) return kind;
      return undefined;
    },
  };
}
