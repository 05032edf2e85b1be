import { describe, expect, it } from 'vitest';
import { addressedText } from '../../../src/channels/telegram/addressed-text.js';
import { message } from '../../helpers/fake-bot-api.js';

const me = { id: 42, username: 'OrientaBot' };
const GROUP = -100123;

describe('addressedText', () => {
  it('answers everything in a private chat', () => {
    expect(addressedText(message(7, { text: 'hola' }), me)).toEqual({ addressed: true, text: 'hola' });
  });

  it('in a group, ignores messages that neither mention nor reply to the bot', () => {
    expect(addressedText(message(GROUP, { text: 'alguien sabe de la credencial?' }), me).addressed).toBe(false);
    const other = message(GROUP, { text: '@OtroBot hola', entities: [{ type: 'mention', offset: 0, length: 8 }] });
    expect(addressedText(other, me).addressed).toBe(false);
    expect(addressedText(message(GROUP, { text: '/menu@OtroBot', entities: [{ type: 'bot_command', offset: 0, length: 13 }] }), me).addressed).toBe(false);
  });

  it('in a group, answers a mention (without the mention in the text), a reply to the bot and its commands', () => {
    const mention = message(GROUP, { text: 'oye @orientabot como saco la credencial', entities: [{ type: 'mention', offset: 4, length: 11 }] });
    expect(addressedText(mention, me)).toEqual({ addressed: true, text: 'oye como saco la credencial' });
    const reply = message(GROUP, { text: 'y en oaxaca?', reply_to_message: message(GROUP, { from: { id: 42, is_bot: true, first_name: 'Orienta' } }) as never });
    expect(addressedText(reply, me)).toEqual({ addressed: true, text: 'y en oaxaca?' });
    expect(addressedText(message(GROUP, { text: '/menu@OrientaBot', entities: [{ type: 'bot_command', offset: 0, length: 16 }] }), me).addressed).toBe(true);
  });

  it('never answers another bot', () => {
    expect(addressedText(message(7, { text: 'hola', from: { id: 9, is_bot: true, first_name: 'Eco' } }), me).addressed).toBe(false);
  });
});
