/**
 * The core's message and reply types: what every channel (terminal, `ask`, Telegram, WhatsApp,
 * web) translates its native events to and from.
 */
import type { Age } from './understand/read-age.js';

export type ReplyKind = 'answer' | 'clarify' | 'fallback' | 'emergency' | 'smalltalk';

/** A message as the core sees it, whatever the channel. */
export interface IncomingMessage {
  /** Channel-prefixed, stable id of the conversation (`telegram:123`, `whatsapp:…`, `cli:ana`). */
  userId: string;
  text?: string;
  /** A shared location, in degrees. */
  location?: { latitude: number; longitude: number };
  /**
   * The option a tap chose, as the reply that offered it gave it (`Reply.actions`): run as is,
   * whatever menu the session holds now, so a button of an older reply does what it says.
   */
  action?: OptionAction;
}

export interface ReplySource {
  /** Knowledge entry or unit id. */
  id: string;
  /** Title of the report the data come from. */
  document: string;
  section?: string;
  /** Date the data refer to, `YYYY-MM-DD`. */
  as_of?: string;
}

/** The core's answer, rendered as plain text; channels add their own formatting. */
export interface Reply {
  kind: ReplyKind;
  intent: string;
  /** The full reply as the person reads it (plain text). */
  text: string;
  /** Numbered choices offered (clarify options, menu topics, related entries, listed units). */
  options: string[];
  /** What each of `options` does, in the same order (for buttons that send their own action). */
  actions?: OptionAction[];
  sources: ReplySource[];
  /** Matcher confidence (summed MiniSearch scores of the chosen entry; 0 when not a retrieval). */
  score: number;
  /** The last line of `text` that names the source and its date, for channels that set it apart. */
  footer?: string;
}

/** What a numbered option does when chosen. */
export type OptionAction =
  | { type: 'entry'; id: string }
  | { type: 'unit'; id: string }
  | { type: 'topic'; topic: string };

/** Per-user conversation memory, kept between messages (with a time-to-live). */
export interface Session {
  /** Last answered entry, for "más detalles" and follow-ups. */
  entryId?: string;
  /** Last unit described, for "¿y cuántas camas?". */
  unitId?: string;
  /** Topic of the last answer. */
  topic?: string;
  /** Last state talked about (official name). */
  state?: string;
  /** Last municipality named, with its state. */
  municipality?: string;
  /** Last institution talked about. */
  institution?: string;
  /**
   * What the last answered question asked, for elliptical follow-ups: its normalised words that the
   * index knows, in order (never the message itself: no names, numbers, CURPs, phones or e-mails).
   */
  lastQuery?: string;
  /**
   * The last age the person said ("mi hijo tiene 4 años"), for a later question about that person
   * ("¿ya no le toca la de la gripa?"): a number of years or months, nothing that identifies anyone.
   */
  age?: Age;
  /** Options of the last reply, in order (a "2" picks the second). */
  options?: OptionAction[];
  /** Epoch milliseconds of the last message. */
  updatedAt: number;
}
