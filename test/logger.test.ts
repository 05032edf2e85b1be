import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

const JID = '5215512345678@s.whatsapp.net';

describe('the process logger', () => {
  it('hides WhatsApp ids and phone numbers wherever Baileys puts them, its child logger included', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'orienta-log-')), 'orienta.log');
    const log = createLogger('debug', { file, terminal: { write: () => true } as unknown as NodeJS.WritableStream });
    const baileys = log.child({ module: 'baileys' }, { level: 'debug' });
    // Shapes Baileys 7 logs with (failed decryptions, retries, stanzas).
    baileys.error({ key: { remoteJid: JID, participant: '123456789012345@lid', id: '3EB0AA' }, err: new Error(`failed to decrypt message from ${JID}`) }, 'failed to decrypt message');
    baileys.warn({ sender: JID, senderAlt: '123456789012345@lid', error: 'No session' }, 'decryption failed');
    baileys.warn({ msgId: '3EB0AB', from: JID }, 'retry');
    baileys.warn({ fullMessage: { key: { remoteJid: JID } }, deep: { a: { b: { author: JID } } } }, 'nested');
    baileys.error({ node: `<message from="${JID}" type="text"/>`, attrs: { from: JID } }, 'stanza');
    baileys.debug({ recv: { tag: 'message', attrs: { participant: JID } } }, 'recv');
    log.info({ text: 'mi tel es 55 1234 5678', user: { phone: '5512345678', jid: JID } }, 'ours');
    baileys.info(`plain string with ${JID} and +52 55 1234 5678`);
    const written = readFileSync(file, 'utf8');
    expect(written.split('\n').filter(Boolean)).toHaveLength(8);
    expect(written.replace(/[\s-]/g, '')).not.toMatch(/5512345678|123456789012345/);
    expect(written).not.toContain('@s.whatsapp.net');
    expect(written).toContain('failed to decrypt message');
  });

  it('leaves dates, versions and small numbers readable', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'orienta-log-')), 'orienta.log');
    const log = createLogger('info', { file, terminal: { write: () => true } as unknown as NodeJS.WritableStream });
    log.info({ knowledge: '2024-04-08', entries: 123, readyMs: 1500 }, 'knowledge loaded');
    expect(readFileSync(file, 'utf8')).toContain('"knowledge":"2024-04-08","entries":123');
  });
});
