import type { Message, UserFromGetMe } from 'grammy/types';

/** Whether a message is for the bot, and its text with the bot's @mention taken out. */
export interface Addressed {
  addressed: boolean;
  /** The text (or caption) to hand to the core, without "@OrientaBot"; undefined for no text. */
  text?: string;
}

/**
 * Decides whether the bot should answer a message: always in a private chat; in a group only
 * when it is mentioned (`@username` or a text mention), replied to, or given one of its commands
 * (`/menu`, `/menu@OrientaBot`, but not `/menu@OtherBot`). Messages from other bots are never
 * answered, so two bots in a group cannot talk to each other forever. Pure.
 */
export function addressedText(message: Message, me: Pick<UserFromGetMe, 'id' | 'username'>): Addressed {
  const raw = message.text ?? message.caption;
  const entities = message.entities ?? message.caption_entities ?? [];
  if (message.from?.is_bot) return { addressed: false };
  if (message.chat.type === 'private') return { addressed: true, text: raw };

  const username = `@${me.username}`.toLowerCase();
  const ranges: [number, number][] = [];
  let addressed = message.reply_to_message?.from?.id === me.id;
  for (const e of entities) {
    const piece = raw?.slice(e.offset, e.offset + e.length) ?? '';
    if (e.type === 'mention' && piece.toLowerCase() === username) {
      addressed = true;
      ranges.push([e.offset, e.offset + e.length]);
    } else if (e.type === 'text_mention' && e.user.id === me.id) {
      addressed = true;
      ranges.push([e.offset, e.offset + e.length]);
    } else if (e.type === 'bot_command' && e.offset === 0) {
      const at = piece.indexOf('@');
      if (at < 0 || piece.slice(at).toLowerCase() === username) addressed = true;
    }
  }
  if (!addressed) return { addressed: false };
  if (raw === undefined) return { addressed: true };
  let text = raw;
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) text = `${text.slice(0, start)} ${text.slice(end)}`;
  return { addressed: true, text: text.replace(/\s+/g, ' ').trim() };
}
