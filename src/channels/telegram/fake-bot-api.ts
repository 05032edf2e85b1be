import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InlineKeyboardMarkup, Update, UserFromGetMe } from 'grammy/types';

/** One Bot API request the fake received. */
export interface FakeCall {
  method: string;
  payload: Record<string, unknown>;
  /** `performance.now()` when the request was read. */
  at: number;
  /** The HTTP status answered. */
  status: number;
  /** The `result` answered, when `ok`. */
  result?: unknown;
}

/** A scripted error answer (`429` with `retry_after`, `500`…). */
export interface FakeFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

interface StoredMessage {
  message_id: number;
  date: number;
  chat: { id: number; type: string };
  from: UserFromGetMe;
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

export interface FakeBotApiOptions {
  /** The token it accepts; any other gets 401. */
  token: string;
  me?: Partial<UserFromGetMe>;
}

export interface FakeBotApi {
  /** `http://127.0.0.1:<port>`, to pass as `apiRoot` / `TELEGRAM_API_ROOT` (after `listen`). */
  readonly apiRoot: string;
  readonly me: UserFromGetMe;
  /** Every request, in arrival order. */
  readonly calls: FakeCall[];
  /** `performance.now()` when each update id was handed out by `getUpdates`. */
  readonly deliveredAt: Map<number, number>;
  /** The last `setWebhook` (undefined after `deleteWebhook`). */
  readonly webhook: Record<string, unknown> | undefined;
  /** Queues an update for `getUpdates`; an `update_id` is assigned unless given (give one to redeliver). */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update;
  /** Queues a private text message from `chatId` (benchmarks and load tests). */
  pushText(chatId: number, messageId: number, text: string, firstName?: string): Update;
  /** Answers the next `times` calls of `method` (matching `when`) with this error instead. */
  fail(method: string, failure: FakeFailure, opts?: { times?: number; when?: (payload: Record<string, unknown>) => boolean }): void;
  /** Resolves with the first call, past or future, that matches; rejects after `timeoutMs`. */
  waitFor(match: (call: FakeCall) => boolean, timeoutMs?: number): Promise<FakeCall>;
  /** Called on every request, after it is recorded (benchmarks). */
  onCall?: (call: FakeCall) => void;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Tags Telegram's HTML parse mode accepts. */
const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);

/**
 * A local stand-in for the Telegram Bot API server, on 127.0.0.1 and an ephemeral port, for
 * tests and the benchmark. It speaks the real HTTP protocol (`/bot<token>/<method>`, JSON in and
 * out, `{ ok, result }` or `{ ok: false, error_code, description }` with the same HTTP status) for
 * `getMe`, `getUpdates` (long polling with offsets, limit, timeout, 409 for a second poller),
 * `sendMessage` (checks the HTML like Telegram does: known tags, balanced, `&<>` escaped, at most
 * 4,096 characters, button data 1–64 bytes), `answerCallbackQuery`, `editMessageReplyMarkup`,
 * `sendChatAction`, `setMyCommands` and the webhook methods. It delivers every queued update
 * whatever `allowed_updates` says, so the bot's own filtering is what gets tested.
 *
 * ```ts
 * const fake = createFakeBotApi({ token });
 * await fake.listen();
 * const bot = new Bot(token, { client: { apiRoot: fake.apiRoot } });
 * ```
 */
export function createFakeBotApi(opts: FakeBotApiOptions): FakeBotApi {
  const me: UserFromGetMe = {
    id: Number(opts.token.split(':')[0]) || 1,
    is_bot: true,
    first_name: 'Orienta',
    username: 'OrientaPruebaBot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    ...opts.me,
  } as UserFromGetMe;
  const calls: FakeCall[] = [];
  const deliveredAt = new Map<number, number>();
  const queue: Update[] = [];
  let unconfirmed: Update[] = [];
  let nextUpdateId = 1;
  let poller: { res: ServerResponse; limit: number; timer: NodeJS.Timeout } | undefined;
  const failures: { method: string; failure: FakeFailure; times: number; when?: (p: Record<string, unknown>) => boolean }[] = [];
  const watchers: { match: (c: FakeCall) => boolean; resolve: (c: FakeCall) => void }[] = [];
  const messages = new Map<string, StoredMessage>();
  const lastMessageId = new Map<number, number>();
  let webhook: Record<string, unknown> | undefined;
  let apiRoot = '';

  const callOf = new WeakMap<ServerResponse, FakeCall>();
  const send = (res: ServerResponse, status: number, body: { ok: boolean; result?: unknown; [k: string]: unknown }) => {
    const call = callOf.get(res);
    if (call) {
      call.status = status;
      if (body.ok) call.result = body.result;
    }
    const json = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) }).end(json);
  };
  const ok = (res: ServerResponse, result: unknown) => send(res, 200, { ok: true, result });
  const error = (res: ServerResponse, code: number, description: string, parameters?: object) =>
    send(res, code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

  function deliver(res: ServerResponse, limit: number) {
    const batch = [...unconfirmed, ...queue.splice(0, Math.max(0, limit - unconfirmed.length))].slice(0, limit);
    unconfirmed = batch;
    const t = performance.now();
    for (const u of batch) if (!deliveredAt.has(u.update_id)) deliveredAt.set(u.update_id, t);
    ok(res, batch);
  }

  function releasePoller() {
    if (!poller) return;
    const p = poller;
    poller = undefined;
    clearTimeout(p.timer);
    deliver(p.res, p.limit);
  }

  function getUpdates(res: ServerResponse, p: Record<string, unknown>) {
    const offset = typeof p.offset === 'number' ? p.offset : 0;
    unconfirmed = unconfirmed.filter((u) => u.update_id >= offset);
    const limit = Math.max(1, Math.min(100, typeof p.limit === 'number' ? p.limit : 100));
    if (poller) {
      const old = poller;
      poller = undefined;
      clearTimeout(old.timer);
      error(old.res, 409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    }
    const timeout = typeof p.timeout === 'number' ? p.timeout : 0;
    if (unconfirmed.length > 0 || queue.length > 0 || timeout <= 0) return deliver(res, limit);
    const timer = setTimeout(releasePoller, timeout * 1000);
    poller = { res, limit, timer };
    res.once('close', () => {
      if (poller?.res === res) {
        clearTimeout(poller.timer);
        poller = undefined;
      }
    });
  }

  function sendMessage(res: ServerResponse, p: Record<string, unknown>) {
    const chatId = Number(p.chat_id);
    if (!Number.isFinite(chatId) || p.chat_id === undefined) return error(res, 400, 'Bad Request: chat not found');
    if (typeof p.text !== 'string' || p.text.trim() === '') return error(res, 400, 'Bad Request: message text is empty');
    let text = p.text;
    if (p.parse_mode === 'HTML') {
      const parsed = parseHtml(p.text);
      if (typeof parsed !== 'string') return error(res, 400, `Bad Request: can't parse entities: ${parsed.error}`);
      text = parsed;
    }
    if (text.length > 4096) return error(res, 400, 'Bad Request: message is too long');
    const markup = p.reply_markup as InlineKeyboardMarkup | undefined;
    const bad = markupProblem(markup);
    if (bad) return error(res, 400, `Bad Request: ${bad}`);
    const id = (lastMessageId.get(chatId) ?? 0) + 1;
    lastMessageId.set(chatId, id);
    const message: StoredMessage = {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: chatId < 0 ? 'supergroup' : 'private' },
      from: me,
      text,
      ...(markup ? { reply_markup: markup } : {}),
    };
    messages.set(`${chatId}:${id}`, message);
    ok(res, message);
  }

  function editMessageReplyMarkup(res: ServerResponse, p: Record<string, unknown>) {
    const message = messages.get(`${Number(p.chat_id)}:${Number(p.message_id)}`);
    if (!message) return error(res, 400, 'Bad Request: message to edit not found');
    const markup = p.reply_markup as InlineKeyboardMarkup | undefined;
    if (JSON.stringify(markup?.inline_keyboard ?? []) === JSON.stringify(message.reply_markup?.inline_keyboard ?? []))
      return error(res, 400, 'Bad Request: message is not modified');
    const bad = markupProblem(markup);
    if (bad) return error(res, 400, `Bad Request: ${bad}`);
    if (markup && markup.inline_keyboard.length > 0) message.reply_markup = markup;
    else delete message.reply_markup;
    ok(res, message);
  }

  function route(method: string, p: Record<string, unknown>, res: ServerResponse) {
    switch (method) {
      case 'getMe':
        return ok(res, me);
      case 'getUpdates':
        return getUpdates(res, p);
      case 'sendMessage':
        return sendMessage(res, p);
      case 'editMessageReplyMarkup':
        return editMessageReplyMarkup(res, p);
      case 'answerCallbackQuery':
        return typeof p.callback_query_id === 'string'
          ? ok(res, true)
          : error(res, 400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
      case 'sendChatAction':
        return p.chat_id !== undefined && typeof p.action === 'string' ? ok(res, true) : error(res, 400, 'Bad Request: wrong parameter action in request');
      case 'setMyCommands':
        return ok(res, true);
      case 'setWebhook':
        if (typeof p.url !== 'string') return error(res, 400, 'Bad Request: bad webhook: URL must be set');
        webhook = p;
        return ok(res, true);
      case 'deleteWebhook':
        webhook = undefined;
        return ok(res, true);
      case 'getWebhookInfo':
        return ok(res, { url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: queue.length });
      default:
        return error(res, 404, 'Not Found: method not found');
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec((req.url ?? '').split('?')[0] as string);
      let payload: Record<string, unknown> = {};
      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw) {
        try {
          payload = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          return error(res, 400, 'Bad Request: invalid JSON');
        }
      }
      const method = m?.[2] ?? '';
      const call: FakeCall = { method, payload, at: performance.now(), status: 200 };
      calls.push(call);
      callOf.set(res, call);

      if (!m) error(res, 404, 'Not Found');
      else if (m[1] !== opts.token) error(res, 401, 'Unauthorized');
      else {
        const f = failures.find((x) => x.method === method && x.times > 0 && (!x.when || x.when(payload)));
        if (f) {
          f.times--;
          error(res, f.failure.error_code, f.failure.description, f.failure.parameters);
        } else route(method, payload, res);
      }
      api.onCall?.(call);
      for (const w of [...watchers])
        if (w.match(call)) {
          watchers.splice(watchers.indexOf(w), 1);
          w.resolve(call);
        }
    });
  });
  server.keepAliveTimeout = 60_000;

  const api: FakeBotApi = {
    get apiRoot() {
      return apiRoot;
    },
    me,
    calls,
    deliveredAt,
    get webhook() {
      return webhook;
    },
    pushUpdate(update) {
      const full = { ...update, update_id: update.update_id ?? nextUpdateId } as Update;
      nextUpdateId = Math.max(nextUpdateId, full.update_id + 1);
      queue.push(full);
      if (poller) queueMicrotask(releasePoller);
      return full;
    },
    pushText(chatId, messageId, text, firstName = 'Prueba') {
      return this.pushUpdate({
        message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private', first_name: firstName },
          from: { id: chatId, is_bot: false, first_name: firstName },
          text,
        },
      });
    },
    fail(method, failure, o = {}) {
      failures.push({ method, failure, times: o.times ?? 1, when: o.when });
    },
    waitFor(match, timeoutMs = 5_000) {
      const past = calls.find(match);
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const w = {
          match,
          resolve: (c: FakeCall) => {
            clearTimeout(timer);
            resolve(c);
          },
        };
        const timer = setTimeout(() => {
          watchers.splice(watchers.indexOf(w), 1);
          reject(new Error(`fake Bot API: no matching call within ${timeoutMs} ms`));
        }, timeoutMs);
        watchers.push(w);
      });
    },
    listen() {
      return new Promise((resolve) => {
        server.listen(0, '127.0.0.1', () => {
          apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          resolve(apiRoot);
        });
      });
    },
    close() {
      if (poller) {
        clearTimeout(poller.timer);
        poller = undefined;
      }
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return api;
}

/** Telegram's HTML check: known tags, balanced, and `<`, `>`, `&` only as tags or entities. Returns the plain text or the problem. */
export function parseHtml(html: string): string | { error: string } {
  const open: string[] = [];
  let text = '';
  const re = /<(\/?)([a-z-]+)(\s[^<>]*)?>|&(#\d+|#x[0-9a-f]+|lt|gt|amp|quot);|[<>&]/gi;
  let last = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    text += html.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[0] === '<' || m[0] === '>' || m[0] === '&')
      return { error: `unexpected "${m[0]}" at byte offset ${Buffer.byteLength(html.slice(0, m.index))}` };
    if (m[4] !== undefined) {
      const e = (m[4] as string).toLowerCase();
      text += e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : String.fromCodePoint(Number(e.startsWith('#x') ? `0x${e.slice(2)}` : e.slice(1)));
      continue;
    }
    const tag = (m[2] as string).toLowerCase();
    if (!HTML_TAGS.has(tag)) return { error: `unsupported start tag "${tag}"` };
    if (m[1]) {
      if (open.pop() !== tag) return { error: `unmatched end tag "${tag}"` };
    } else open.push(tag);
  }
  if (open.length > 0) return { error: `can't find end tag corresponding to start tag "${open.at(-1)}"` };
  return text + html.slice(last);
}

function markupProblem(markup: InlineKeyboardMarkup | undefined): string | undefined {
  if (!markup) return undefined;
  if (!Array.isArray(markup.inline_keyboard)) return "can't parse reply keyboard markup JSON object";
  for (const row of markup.inline_keyboard)
    for (const b of row) {
      if (!b.text) return 'BUTTON_TEXT_EMPTY';
      if ('callback_data' in b) {
        const n = Buffer.byteLength(b.callback_data ?? '');
        if (n < 1 || n > 64) return 'BUTTON_DATA_INVALID';
      }
    }
  return undefined;
}
