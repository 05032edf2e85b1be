/**
 * What the Telegram channel says on its own, outside the core's replies: button labels, the
 * answer to a photo or a voice note, the apology when something breaks. Everything else comes
 * from the knowledge base through the core.
 */
export const TELEGRAM_TEXTS = {
  /** Before the menu, for photos, voice notes, stickers, documents and the like. */
  unsupported: 'Por ahora solo entiendo mensajes de texto y ubicaciones 📍. Escríbeme tu pregunta o elige un tema.',
  /** When handling a message failed; sent as plain text. */
  apology:
    'Perdón, tuve un problema al responderte. Intenta de nuevo en un momento. Si es una emergencia, llama al 911.',
  /** Once a minute at most, when a chat sends more messages than the per-user limit allows. */
  slowDown: 'Recibí muchos mensajes seguidos; espera unos segundos y vuelve a escribir. Si es una emergencia, llama al 911.',
  /** Pop-up after a 👍 or 👎. */
  feedbackThanks: '¡Gracias! Tu opinión nos ayuda a mejorar las respuestas.',
  /** Pop-up when a button no longer means anything (unknown data, buttons of an old message). */
  staleButton: 'Esas opciones ya no están vigentes. Escribe tu pregunta o usa /menu.',
  feedbackUseful: '👍 Me sirvió',
  feedbackNotUseful: '👎 No me sirvió',
  /** The bot's command list, as Telegram shows it beside the text field. */
  commands: [
    { command: 'start', description: 'Empezar' },
    { command: 'menu', description: 'Ver los temas' },
    { command: 'ayuda', description: 'Qué puedo responder' },
  ],
} as const;
