import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proto } from '@whiskeysockets/baileys';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthStore } from '../../../src/channels/whatsapp/create-auth-store.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'orienta-wa-auth-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('createAuthStore', () => {
  it('round-trips the credentials and every Baileys 7 key type across a restart', async () => {
    const dir = tempDir();
    const first = await createAuthStore(dir);
    const creds = first.state.creds;
    creds.me = { id: '5215512345678:7@s.whatsapp.net', lid: '123456789012345:7@lid' };
    creds.account = { details: new Uint8Array([1]), accountSignature: new Uint8Array([2]) };
    await first.saveCreds();
    await first.state.keys.set({
      'pre-key': { '1': { public: new Uint8Array([1, 2]), private: new Uint8Array([3, 4]) } },
      session: { '5215512345678.0': new Uint8Array([9, 9, 9]) },
      'sender-key': { 'g@g.us::a::0': new Uint8Array([5]) },
      'sender-key-memory': { 'g@g.us': { 'a@s.whatsapp.net': true } },
      'app-state-sync-key': { AAAA: { keyData: new Uint8Array([7, 7]), timestamp: 5 } },
      'app-state-sync-version': { regular: { version: 3, hash: Buffer.alloc(4, 1), indexValueMap: {} } },
      'lid-mapping': { '5215512345678': '123456789012345', '123456789012345_reverse': '5215512345678' },
      'device-list': { '5215512345678': ['0', '7'] },
      tctoken: { '123456789012345@lid': { token: Buffer.from('tok'), timestamp: '1732000000' } },
      'identity-key': { '5215512345678.0': new Uint8Array([4, 2]) },
    });
    await first.flush();

    const again = await createAuthStore(dir);
    expect(again.isPaired()).toBe(true);
    expect(again.state.creds.me?.lid).toBe('123456789012345:7@lid');
    expect(Buffer.from(again.state.creds.noiseKey.private)).toEqual(Buffer.from(creds.noiseKey.private));
    expect(again.state.creds.registrationId).toBe(creds.registrationId);
    const k = again.state.keys;
    expect(Buffer.from((await k.get('pre-key', ['1']))['1']?.private ?? [])).toEqual(Buffer.from([3, 4]));
    expect(Buffer.from((await k.get('session', ['5215512345678.0']))['5215512345678.0'] ?? [])).toEqual(Buffer.from([9, 9, 9]));
    expect(await k.get('sender-key-memory', ['g@g.us'])).toEqual({ 'g@g.us': { 'a@s.whatsapp.net': true } });
    const sync = (await k.get('app-state-sync-key', ['AAAA'])).AAAA;
    expect(sync).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(sync?.keyData ?? [])).toEqual(Buffer.from([7, 7]));
    expect((await k.get('app-state-sync-version', ['regular'])).regular?.version).toBe(3);
    expect(await k.get('lid-mapping', ['5215512345678', '123456789012345_reverse'])).toEqual({
      '5215512345678': '123456789012345',
      '123456789012345_reverse': '5215512345678',
    });
    expect(await k.get('device-list', ['5215512345678'])).toEqual({ '5215512345678': ['0', '7'] });
    const tc = (await k.get('tctoken', ['123456789012345@lid']))['123456789012345@lid'];
    expect(Buffer.from(tc?.token ?? []).toString()).toBe('tok');
    expect(Buffer.from((await k.get('identity-key', ['5215512345678.0']))['5215512345678.0'] ?? [])).toEqual(Buffer.from([4, 2]));
  });

  it('deletes a key set to null, and returns nothing for unknown ids', async () => {
    const dir = tempDir();
    const a = await createAuthStore(dir);
    await a.state.keys.set({ session: { x: new Uint8Array([1]), y: new Uint8Array([2]) } });
    await a.state.keys.set({ session: { x: null } });
    const b = await createAuthStore(dir);
    expect(Object.keys(await b.state.keys.get('session', ['x', 'y', 'z']))).toEqual(['y']);
  });

  it('writes atomically: no temporary files left, and keys grouped in a few files rather than one per key', async () => {
    const dir = tempDir();
    const a = await createAuthStore(dir);
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 300; i++) many[`${5215500000000 + i}.0`] = new Uint8Array([i % 256]);
    await Promise.all([a.state.keys.set({ session: many }), a.saveCreds(), a.state.keys.set({ 'pre-key': { '1': { public: new Uint8Array([1]), private: new Uint8Array([2]) } } })]);
    const files = readdirSync(dir);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(files.length).toBeLessThanOrEqual(1 + 16 + 16);
    for (const f of files) expect(() => JSON.parse(readFileSync(join(dir, f), 'utf8'))).not.toThrow();
  });

  it('starts unpaired with fresh credentials, and clear() forgets a pairing on disk and in memory', async () => {
    const dir = tempDir();
    const a = await createAuthStore(dir);
    expect(a.isPaired()).toBe(false);
    const oldKey = Buffer.from(a.state.creds.noiseKey.private);
    a.state.creds.account = { details: new Uint8Array([1]), accountSignature: new Uint8Array([2]) };
    await a.saveCreds();
    await a.clear();
    expect(readdirSync(dir)).toEqual([]);
    expect(a.isPaired()).toBe(false);
    expect(Buffer.from(a.state.creds.noiseKey.private)).not.toEqual(oldKey);
    expect((await createAuthStore(dir)).isPaired()).toBe(false);
  });

  it('refuses a damaged credentials file with a message that says what to do', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'creds.json'), '{"noiseKey": ');
    await expect(createAuthStore(dir)).rejects.toThrow(/vuelva a vincular/);
  });
});
