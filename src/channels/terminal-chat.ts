import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Assistant } from '../core/create-assistant.js';
import { handleMessage } from '../core/handle-message.js';
import type { SessionStore } from '../core/session-store.js';

/**
 * The one line the terminal chat shows when the HTTP server could not listen on `port` because
 * the port is taken (or not allowed): the chat opens anyway, without the web chat. Undefined for
 * any other failure, which stays fatal.
 */
export function httpUnavailableNotice(err: unknown, port: number): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const other = port < 1024 || port >= 65535 ? 3000 : port + 1;
  const rest = `así que el chat web no se abrió; este chat de la terminal sí funciona (para el web, arranca con PORT=${other} npm start).`;
  if (code === 'EADDRINUSE') return `El puerto ${port} ya está en uso, ${rest}`;
  if (code === 'EACCES') return `No hay permiso para usar el puerto ${port}, ${rest}`;
  return undefined;
}

/**
 * The embedded channel: a chat in the terminal, so anyone can try Orienta in a minute with no
 * messenger configured. Resolves when the input ends (Ctrl+D) or the person writes "salir".
 * `notices` are shown under the greeting (the web chat is off, where the logs go).
 */
export async function runTerminalChat(deps: {
  assistant: Assistant;
  sessions: SessionStore;
  input: Readable;
  output: Writable;
  userId?: string;
  notices?: readonly string[];
}): Promise<void> {
  const userId = deps.userId ?? 'terminal:local';
  const rl = createInterface({ input: deps.input, output: deps.output, prompt: '\ntú › ' });
  deps.output.write(
    'Orienta, chat de prueba en la terminal. Escribe tu pregunta (o «menú»); «salir» o Ctrl+D para terminar.\n',
  );
  for (const notice of deps.notices ?? []) deps.output.write(`${notice}\n`);
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
