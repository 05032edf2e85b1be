/**
 * A stand-in for a Baileys socket, built on Baileys' own `makeEventBuffer` (the emitter the
 * real socket uses), plus `messages.upsert` payloads shaped like the ones Baileys 7 delivers.
 */
import { makeEventBuffer, type proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import pino from 'pino';
import type { WhatsAppSocket } from '../../../src/channels/whatsapp/create-whatsapp-handler.js';

export interface FakeSocket extends WhatsAppSocket {
  ev: ReturnType<typeof makeEventBuffer>;
  sent: { jid: string; text: string }[];
  reads: string[];
  presence: { type: string; jid?: string }[];
  /** Makes the next sendMessage to this jid throw once. */
  failNextSendTo: Set<string>;
  upsert(messages: WAMessage[], type?: 'notify' | 'append'): void;
}

export function createFakeSocket(): FakeSocket {
  const ev = makeEventBuffer(pino({ level: 'silent' }));
  const sock: FakeSocket = {
    ev,
    sent: [],
    reads: [],
    presence: [],
    failNextSendTo: new Set(),
    async sendMessage(jid, content) {
      if (sock.failNextSendTo.delete(jid)) throw new Error('Connection Closed');
      sock.sent.push({ jid, text: content.text });
      return undefined;
    },
    async readMessages(keys) {
      for (const k of keys) sock.reads.push(k.id ?? '');
    },
    async sendPresenceUpdate(type, jid) {
      sock.presence.push({ type, jid });
    },
    upsert(messages, type = 'notify') {
      ev.emit('messages.upsert', { messages, type });
    },
  };
  return sock;
}

let counter = 0;
/** A message id like WhatsApp's (upper-case hex, 20+ characters). */
export const newId = () => `3EB0${(++counter).toString(16).toUpperCase().padStart(16, '0')}`;

export const PHONE_JID = '5215512345678@s.whatsapp.net';
export const LID_JID = '123456789012345@lid';

/** An incoming message as Baileys 7 emits it (a direct chat unless `remoteJid` says otherwise). */
export function waMessage(message: proto.IMessage, key: Partial<WAMessageKey> = {}): WAMessage {
  return {
    key: { remoteJid: PHONE_JID, fromMe: false, id: newId(), participant: undefined, addressingMode: 'pn', ...key },
    messageTimestamp: 1_732_000_000,
    pushName: 'Ana',
    broadcast: false,
    message: { ...message, messageContextInfo: { deviceListMetadataVersion: 2 } },
  } as WAMessage;
}

export const text = (t: string, key?: Parameters<typeof waMessage>[1]) => waMessage({ conversation: t }, key);
export const extendedText = (t: string, key?: Parameters<typeof waMessage>[1]) =>
  waMessage({ extendedTextMessage: { text: t, previewType: 0 } }, key);
export const location = (latitude: number, longitude: number, key?: Parameters<typeof waMessage>[1]) =>
  waMessage({ locationMessage: { degreesLatitude: latitude, degreesLongitude: longitude } }, key);
export const voiceNote = (key?: Parameters<typeof waMessage>[1]) =>
  waMessage({ audioMessage: { mimetype: 'audio/ogg; codecs=opus', seconds: 4, ptt: true } }, key);
