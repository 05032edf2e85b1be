import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../src/channels/terminal-chat.js';
import { createAssistant } from '../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import { loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

const dir = makeMiniKb();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('terminal chat', () => {
  it('answers each line in the same conversation and ends on "salir"', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d) => (printed += d));
    const done = runTerminalChat({
      assistant: createAssistant(loadOrThrow(dir)),
      sessions: createMemorySessionStore({ ttlMs: 60_000 }),
      input,
      output,
    });
    input.write('como saco la credencial\n');
    input.write('mas detalles\n');
    input.write('salir\n');
    input.write('hola\n');
    await done;
    expect(printed).toContain('7,866,426');
    expect(printed).toContain('69,417');
    expect(printed).not.toContain('Hola, soy el bot de prueba');
  });
});
