/**
 * What is logged about an error: its type, Baileys' status code and its message and stack with
 * anything shaped like a phone number or a jid masked (Baileys' errors can quote them).
 *
 * ```ts
 * log.error({ err: safeWhatsAppError(err) }, 'whatsapp message failed');
 * ```
 */
export function safeWhatsAppError(error: unknown): { type: string; message: string; statusCode?: number; stack?: string } {
  const mask = (s: string) => s.replace(/\d{7,}(@[\w.]+)?/g, '[id]');
  const statusCode = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  const code = typeof statusCode === 'number' ? { statusCode } : {};
  if (error instanceof Error) return { type: error.name, message: mask(error.message), ...code, ...(error.stack ? { stack: mask(error.stack) } : {}) };
  return { type: typeof error, message: mask(String(error)) };
}
