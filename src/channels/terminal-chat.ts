import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Assistant } from '../core/create-assistant.js';
import { handleMessage } from '../core/handle-message.js';
import type { SessionStore } from '../core/session-store.js';

/**
 * The embedded channel: a chat in the terminal, so anyone can try Orienta in a minute with no
 * messenger configured. Resolves when the input ends (Ctrl+D) or the person writes "salir".
 */
export async function runTerminalChat(deps: {
  assistant: Assistant;
  sessions: SessionStore;
  input: Readable;
  output: Writable;
  userId?: string;
}): Promise<void> {
  const userId = deps.userId ?? 'terminal:local';
  const rl = createInterface({ input: deps.input, output: deps.output, prompt: '\ntú › ' });
  deps.output.write(
    'Orienta, chat de prueba en la terminal. Escribe tu pregunta (o «menú»); «salir» o Ctrl+D para terminar.\n',
  );
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (['salir', 'exit', 'quit'].includes(text.toLowerCase())) break;
    if (text) {
      const reply = await handleMessage(deps, { userId, text });
      deps.output.write(`\norienta › ${reply.text.replace(/\n/g, '\n          ')}\n`);
    }
    rl.prompt();
  }
  rl.close();
}
