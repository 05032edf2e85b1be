import { describe, expect, it } from 'vitest';
import { readWhatsAppMessage } from '../../../src/channels/whatsapp/read-whatsapp-message.js';
import { LID_JID, location, text, voiceNote, waMessage } from './fake-socket.js';

describe('readWhatsAppMessage', () => {
  it('reads text wherever WhatsApp keeps it', () => {
    const cases = [
      { conversation: 'hola' },
      { extendedTextMessage: { text: 'hola' } },
      { imageMessage: { caption: 'hola' } },
      { videoMessage: { caption: 'hola' } },
      { documentWithCaptionMessage: { message: { documentMessage: { caption: 'hola' } } } },
      { buttonsResponseMessage: { selectedDisplayText: 'hola' } },
      { listResponseMessage: { title: 'hola' } },
      { templateButtonReplyMessage: { selectedDisplayText: 'hola' } },
      { ephemeralMessage: { message: { conversation: 'hola' } } },
      { viewOnceMessage: { message: { imageMessage: { caption: 'hola' } } } },
      { ephemeralMessage: { message: { viewOnceMessageV2: { message: { extendedTextMessage: { text: ' hola ' } } } } } },
    ];
    for (const c of cases) expect(readWhatsAppMessage(waMessage(c), 'notify')).toMatchObject({ kind: 'text', text: 'hola' });
  });

  it('keeps the chat id exactly as received, LID included', () => {
    expect(readWhatsAppMessage(text('hola', { remoteJid: LID_JID }), 'notify')).toMatchObject({ chatId: LID_JID });
  });

  it('turns a shared location into coordinates and a voice note into unsupported', () => {
    expect(readWhatsAppMessage(location(19.43, -99.13), 'notify')).toMatchObject({ kind: 'location', latitude: 19.43, longitude: -99.13 });
    expect(readWhatsAppMessage(voiceNote(), 'notify')).toMatchObject({ kind: 'unsupported', what: 'audioMessage' });
  });

  it('ignores what is not a new direct message from someone else', () => {
    expect(readWhatsAppMessage(text('hola'), 'append')).toMatchObject({ kind: 'ignore', reason: 'not-notify' });
    expect(readWhatsAppMessage(text('hola', { fromMe: true }), 'notify')).toMatchObject({ reason: 'own' });
    expect(readWhatsAppMessage(text('hola', { remoteJid: '1203630@g.us' }), 'notify')).toMatchObject({ reason: 'group' });
    expect(readWhatsAppMessage(text('hola', { remoteJid: 'status@broadcast' }), 'notify')).toMatchObject({ reason: 'status' });
    expect(readWhatsAppMessage(text('hola', { remoteJid: '1203631@newsletter' }), 'notify')).toMatchObject({ reason: 'newsletter' });
    expect(readWhatsAppMessage(waMessage({ reactionMessage: { text: '👍' } }), 'notify')).toMatchObject({ reason: 'not-a-message' });
    expect(readWhatsAppMessage(waMessage({ protocolMessage: { type: 0 } }), 'notify')).toMatchObject({ reason: 'not-a-message' });
    expect(readWhatsAppMessage({ key: { remoteJid: LID_JID, id: 'X' } }, 'notify')).toMatchObject({ kind: 'undecryptable' });
    expect(readWhatsAppMessage({ key: { remoteJid: LID_JID, id: 'X' }, messageStubType: 2 }, 'notify')).toMatchObject({ kind: 'undecryptable' });
    expect(readWhatsAppMessage({ key: { remoteJid: LID_JID, id: 'X' }, messageStubType: 1 }, 'notify')).toMatchObject({ reason: 'no-content' });
    expect(readWhatsAppMessage(text('hola', { remoteJid: LID_JID, remoteJidAlt: '5215512345678@s.whatsapp.net' }), 'notify')).toMatchObject({ altId: '5215512345678@s.whatsapp.net' });
  });
});
