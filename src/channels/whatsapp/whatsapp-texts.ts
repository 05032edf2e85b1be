/**
 * What the WhatsApp channel says on its own, outside the core's replies. Everything else comes
 * from the knowledge base through the core.
 */
export const WHATSAPP_TEXTS = {
  /** Before the menu, for voice notes, photos, stickers, documents and the like. */
  unsupported: 'Por ahora solo puedo leer texto y ubicaciones 📍. Escríbeme tu pregunta o elige un tema con su número.',
  /** Once a minute at most, when a chat sends more messages than the per-user limit allows. */
  slowDown: 'Recibí muchos mensajes seguidos; espera unos segundos y vuelve a escribir. Si es una emergencia, llama al 911.',
  /** When handling a message failed. */
  apology: 'Perdón, tuve un problema al responderte. Intenta de nuevo en un momento. Si es una emergencia, llama al 911.',
} as const;
