import type { Message, Update, UserFromGetMe } from 'grammy/types';
import { createFakeBotApi, type FakeBotApi, type FakeCall } from '../../src/channels/telegram/fake-bot-api.js';

export { createFakeBotApi, type FakeBotApi, type FakeCall };

/** A token of the right shape for the fake (never a real one). */
export const TEST_TOKEN = '123456789:TEST-token_for-the-fake-Bot-API-server';

type NewUpdate = Omit<Update, 'update_id'> & { update_id?: number };

let messageIds = 1000;
const person = (chatId: number) => ({ id: Math.abs(chatId), is_bot: false, first_name: 'Ana', language_code: 'es' });
const chatOf = (chatId: number) =>
  chatId < 0 ? { id: chatId, type: 'supergroup' as const, title: 'Vecinos' } : { id: chatId, type: 'private' as const, first_name: 'Ana' };

type PersonMessage = Message & Update.NonChannel;

/** A message from a person; a negative chat id is a group. */
export function message(chatId: number, fields: Partial<Message> = {}): PersonMessage {
  return {
    message_id: ++messageIds,
    date: Math.floor(Date.now() / 1000),
    chat: chatOf(chatId),
    from: person(chatId),
    ...fields,
  } as PersonMessage;
}

export function textUpdate(chatId: number, text: string, fields: Partial<Message> = {}): NewUpdate {
  const entities =
    text.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: text.split(' ')[0]?.length ?? 1 }] : undefined;
  return { message: message(chatId, { text, ...(entities ? { entities } : {}), ...fields }) };
}

export function locationUpdate(chatId: number, latitude: number, longitude: number): NewUpdate {
  return { message: message(chatId, { location: { latitude, longitude } }) };
}

export function photoUpdate(chatId: number): NewUpdate {
  return {
    message: message(chatId, {
      photo: [{ file_id: 'AgAD', file_unique_id: 'AQAD', width: 90, height: 90 }],
      caption: 'mira',
    }),
  };
}

/** A tap on a button of a message the bot sent (`sent` is its `sendMessage` call). */
export function callbackUpdate(chatId: number, sent: FakeCall, data: string): NewUpdate {
  const result = sent.result as Message.TextMessage;
  return {
    callback_query: {
      id: `cb-${++messageIds}`,
      from: person(chatId),
      chat_instance: `ci-${chatId}`,
      data,
      message: {
        message_id: result.message_id,
        date: result.date,
        chat: chatOf(chatId),
        text: result.text,
        reply_markup: result.reply_markup,
      } as Message,
    },
  };
}

/** The `sendMessage` calls to one chat, in order. */
export const sentTo = (fake: FakeBotApi, chatId: number) =>
  fake.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === chatId && c.status === 200);

/** The plain text Telegram would show for a sent message. */
export const shown = (call: FakeCall) =>
  String(call.payload.text)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The inline buttons of a sent message, row by row. */
export const buttonsOf = (call: FakeCall) =>
  ((call.payload.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)
    ?.inline_keyboard ?? []);

export type { UserFromGetMe };
