import { proto as protoValues, isJidBroadcast, isJidGroup, isJidNewsletter, isJidStatusBroadcast, normalizeMessageContent, type proto, type WAMessage } from '@whiskeysockets/baileys';

/** What an incoming Baileys message means to the bot. */
export type WhatsAppInbound =
  | { kind: 'ignore'; reason: 'not-notify' | 'own' | 'group' | 'status' | 'broadcast' | 'newsletter' | 'no-id' | 'no-content' | 'not-a-message' }
  /** A message that arrived but could not be decrypted (stub CIPHERTEXT, or no content at all): Baileys asks the phone to resend it. */
  | { kind: 'undecryptable'; chatId: string; messageId: string }
  | ({ kind: 'text'; text: string } & Sender)
  | ({ kind: 'location'; latitude: number; longitude: number } & Sender)
  | ({ kind: 'unsupported'; what: string } & Sender);

/** Who wrote: the chat as received, and the same person's other jid (phone ↔ LID) when Baileys gives it. */
interface Sender {
  chatId: string;
  messageId: string;
  altId?: string;
}

/** Content types that carry no new message from the person (reactions, receipts, key exchange…). */
const NOT_A_MESSAGE = new Set([
  'protocolMessage',
  'reactionMessage',
  'senderKeyDistributionMessage',
  'messageContextInfo',
  'pollUpdateMessage',
  'keepInChatMessage',
  'pinInChatMessage',
  'encReactionMessage',
  'encEventResponseMessage',
]);

/**
 * Reads one message of a `messages.upsert` batch: only new (`notify`) direct messages from
 * someone else count; the chat id is kept exactly as received (`…@s.whatsapp.net` or `…@lid`).
 * Text comes from plain and extended text, media captions, button/list/template replies and the
 * ephemeral and view-once wrappers; a location becomes coordinates; anything else (voice notes,
 * images without caption, stickers…) is `unsupported`. Pure.
 */
export function readWhatsAppMessage(msg: WAMessage, upsertType: string): WhatsAppInbound {
  if (upsertType !== 'notify') return { kind: 'ignore', reason: 'not-notify' };
  const key = msg.key;
  const chatId = key?.remoteJid ?? '';
  if (key?.fromMe) return { kind: 'ignore', reason: 'own' };
  if (!chatId || isJidStatusBroadcast(chatId)) return { kind: 'ignore', reason: 'status' };
  if (isJidGroup(chatId)) return { kind: 'ignore', reason: 'group' };
  if (isJidNewsletter(chatId)) return { kind: 'ignore', reason: 'newsletter' };
  if (isJidBroadcast(chatId)) return { kind: 'ignore', reason: 'broadcast' };
  const messageId = key.id;
  if (!messageId) return { kind: 'ignore', reason: 'no-id' };
  if (msg.messageStubType === protoValues.WebMessageInfo.StubType.CIPHERTEXT) return { kind: 'undecryptable', chatId, messageId };
  const content = normalizeMessageContent(msg.message);
  if (!content) return msg.messageStubType ? { kind: 'ignore', reason: 'no-content' } : { kind: 'undecryptable', chatId, messageId };
  const alt = key.remoteJidAlt ?? (key as { senderPn?: string }).senderPn ?? key.participantAlt;
  const sender: Sender = alt ? { chatId, messageId, altId: alt } : { chatId, messageId };

  const text = textOf(content);
  if (text) return { kind: 'text', ...sender, text };
  const loc = content.locationMessage ?? content.liveLocationMessage;
  if (loc && typeof loc.degreesLatitude === 'number' && typeof loc.degreesLongitude === 'number')
    return { kind: 'location', ...sender, latitude: loc.degreesLatitude, longitude: loc.degreesLongitude };
  const types = Object.keys(content).filter((k) => (content as Record<string, unknown>)[k] != null);
  const what = types.find((t) => !NOT_A_MESSAGE.has(t));
  if (!what) return { kind: 'ignore', reason: 'not-a-message' };
  return { kind: 'unsupported', ...sender, what };
}

/** The text a person wrote or chose, wherever this message type keeps it. */
function textOf(m: proto.IMessage): string | undefined {
  const candidates = [
    m.conversation,
    m.extendedTextMessage?.text,
    m.imageMessage?.caption,
    m.videoMessage?.caption,
    m.documentMessage?.caption,
    m.buttonsResponseMessage?.selectedDisplayText,
    m.buttonsResponseMessage?.selectedButtonId,
    m.listResponseMessage?.title,
    m.listResponseMessage?.singleSelectReply?.selectedRowId,
    m.templateButtonReplyMessage?.selectedDisplayText,
    m.templateButtonReplyMessage?.selectedId,
    m.interactiveResponseMessage?.body?.text,
  ];
  for (const c of candidates) if (typeof c === 'string' && c.trim()) return c.trim();
  return undefined;
}
