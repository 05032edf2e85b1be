import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import makeWASocket, { Browsers, type BaileysEventMap, type CacheStore, makeCacheableSignalKeyStore, type proto, type WAMessageKey } from '@whiskeysockets/baileys';
import QRCode from 'qrcode';
import type { Logger } from '../../logger.js';
import type { AuthStore } from './create-auth-store.js';
import { createMemoryCache } from './create-memory-cache.js';
import type { SentMessageStore } from './create-sent-message-store.js';
import type { WhatsAppHandler, WhatsAppSocket } from './create-whatsapp-handler.js';
import { hashId } from './hash-id.js';
import { safeWhatsAppError } from './safe-whatsapp-error.js';
import { type BackoffOptions, backoffDelay, closeAction, restartDelay, statusCodeOf } from './reconnect-policy.js';

/** The socket as the lifecycle sees it: the adapter's slice plus pairing and closing. */
export interface WhatsAppLifecycleSocket extends WhatsAppSocket {
  end(error: Error | undefined): unknown;
  requestPairingCode(phoneNumber: string): Promise<string>;
}

export interface MakeSocketOptions {
  /** The credentials, with the keys behind Baileys' cache (`makeCacheableSignalKeyStore`). */
  auth: AuthStore['state'];
  waWebSocketUrl?: string;
  logger: Logger;
  /** The content of a message the bot sent, for retry receipts (from the sent-message store). */
  getMessage: (key: WAMessageKey) => Promise<proto.IMessage | undefined>;
  /** Retry counts of failed messages; the same object for every socket, so it survives reconnects. */
  msgRetryCounterCache: CacheStore;
}

/** Creates one connection; the default is Baileys' `makeWASocket` with bot-friendly settings. */
export type MakeSocket = (opts: MakeSocketOptions) => WhatsAppLifecycleSocket;

/** Why the channel ended. */
export type WhatsAppEnd = 'stopped' | 'logged-out' | 'replaced';

export interface StartWhatsAppDeps {
  handler: WhatsAppHandler;
  auth: AuthStore;
  log: Logger;
  /** Default: `makeWASocket` with `syncFullHistory: false`, `markOnlineOnConnect: false`, `countryCode: 'MX'`. */
  makeSocket?: MakeSocket;
  /** Overrides WhatsApp's WebSocket address (`WHATSAPP_WS_URL`: tests, proxies). */
  wsUrl?: string;
  /** Pair by code for this number (digits with country code) instead of by QR. */
  pairingPhone?: string;
  /** Where the QR is also written as a PNG for headless servers (omit to skip). */
  qrPngPath?: string;
  /** Where the QR and the pairing code are printed for a person (default stdout). */
  terminal?: { write(text: string): unknown };
  backoff?: BackoffOptions;
  /** Waits between reconnect attempts; must resolve early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Level of Baileys' own logs (default `error`: its debug logs name chats). */
  baileysLogLevel?: string;
  /** Longest wait for running messages when stopping (default 10 s). */
  drainMs?: number;
  /** Recent sent messages, for `getMessage` (default none: retry receipts cannot be answered). */
  sentMessages?: SentMessageStore;
  /** Called on each reconnection (for a metrics counter). */
  onReconnect?: (reason: 'restart' | 'backoff') => void;
}

export interface WhatsAppChannel {
  /** Resolves when the channel ends: on its own (`logged-out`, `replaced`) or after `stop()`. */
  done: Promise<WhatsAppEnd>;
  /** Stops reconnecting, finishes running messages, closes the socket and flushes credentials. */
  stop(): Promise<void>;
  status(): { connected: boolean; attempt: number; reconnects: number; restartsInRow: number };
}

/** The message logged when WhatsApp unlinks the number. */
export const LOGGED_OUT_MESSAGE =
  'WhatsApp cerró la sesión (401: el dispositivo se desvinculó). Se borraron las credenciales; reinicie el bot para vincular el número otra vez (QR o WHATSAPP_PAIRING_PHONE). Telegram y HTTP siguen funcionando.';
export const REPLACED_MESSAGE =
  'Otra instancia abrió la sesión de este número de WhatsApp (440): este proceso deja WhatsApp. Deje una sola instancia con WHATSAPP_ENABLED=true.';

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export const defaultMakeSocket: MakeSocket = ({ auth, waWebSocketUrl, logger, getMessage, msgRetryCounterCache }) =>
  makeWASocket({
    auth,
    msgRetryCounterCache,
    maxMsgRetryCount: 5,
    logger,
    ...(waWebSocketUrl ? { waWebSocketUrl } : {}),
    browser: Browsers.ubuntu('Orienta'),
    syncFullHistory: false,
    markOnlineOnConnect: false,
    countryCode: 'MX',
    shouldSyncHistoryMessage: () => false,
    generateHighQualityLinkPreview: false,
    getMessage,
  });

/**
 * Runs the WhatsApp connection: creates the socket, hands it to the adapter, shows the QR (in
 * the terminal and as a PNG) or the pairing code, saves credentials on every change and
 * follows the close codes — 401 clears the credentials and ends the channel with one
 * instruction, 515 reconnects at once, 440 ends it, anything else reconnects with capped
 * exponential backoff and jitter (attempts counted; reset once connected).
 *
 * ```ts
 * const channel = startWhatsApp({ handler, auth, log });
 * channel.done.then((why) => log.warn({ why }, 'whatsapp channel ended'));
 * ```
 */
export function startWhatsApp(deps: StartWhatsAppDeps): WhatsAppChannel {
  const log = deps.log;
  const makeSocket = deps.makeSocket ?? defaultMakeSocket;
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  const terminal = deps.terminal ?? process.stdout;
  const baileysLog = log.child({ module: 'baileys' }, { level: deps.baileysLogLevel ?? 'error' });
  const aborter = new AbortController();
  // Made once, outside the socket factory: retry counts and cached keys survive reconnects.
  const msgRetryCounterCache = createMemoryCache({ ttlMs: 60 * 60_000, max: 10_000 });
  const keyCache = createMemoryCache({ ttlMs: 5 * 60_000, max: 20_000 });
  const auth: AuthStore['state'] = { creds: deps.auth.state.creds, keys: makeCacheableSignalKeyStore(deps.auth.state.keys, baileysLog, keyCache) };
  const getMessage = async (key: WAMessageKey) => deps.sentMessages?.getMessage(key);
  /** The socket as the adapter sees it: every sent message is remembered for retry receipts. */
  const recording = (sock: WhatsAppLifecycleSocket): WhatsAppLifecycleSocket => {
    const sent = deps.sentMessages;
    if (!sent) return sock;
    return Object.assign(Object.create(sock) as WhatsAppLifecycleSocket, {
      ev: sock.ev,
      async sendMessage(jid: string, content: { text: string }) {
        const msg = await sock.sendMessage(jid, content);
        sent.remember(msg);
        return msg;
      },
    });
  };

  let current: { sock: WhatsAppLifecycleSocket; detach: () => void } | undefined;
  let connected = false;
  let attempt = 0;
  let reconnects = 0;
  /** 515 closes since the last open connection. */
  let restartsInRow = 0;
  let ended = false;
  let finish: (why: WhatsAppEnd) => void = () => {};
  const done = new Promise<WhatsAppEnd>((resolve) => {
    finish = (why) => {
      if (ended) return;
      ended = true;
      resolve(why);
    };
  });

  function connect(): void {
    if (ended) return;
    // A pairing code asked for but never entered leaves `me` set without an account: Baileys would
    // then try to log in (and be refused with 401). Start that pairing over instead.
    const creds = deps.auth.state.creds;
    if (!deps.auth.isPaired() && creds.me) {
      creds.me = undefined;
      creds.pairingCode = undefined;
    }
    let sock: WhatsAppLifecycleSocket;
    try {
      // Baileys' own state object, so it sees the creds it updates; keys through the cache.
      auth.creds = deps.auth.state.creds;
      sock = makeSocket({ auth, logger: baileysLog, getMessage, msgRetryCounterCache, ...(deps.wsUrl ? { waWebSocketUrl: deps.wsUrl } : {}) });
    } catch (err) {
      log.error({ err: safeWhatsAppError(err) }, 'whatsapp socket could not be created');
      void retry(undefined);
      return;
    }
    const detach = deps.handler.attach(recording(sock));
    current = { sock, detach };
    let closed = false;
    let pairingRequested = false;
    const onCreds = () => {
      deps.auth.saveCreds().catch((err: unknown) => log.error({ err: safeWhatsAppError(err) }, 'whatsapp credentials not saved'));
    };
    const onUpdate = (update: BaileysEventMap['connection.update']) => {
      if (ended || closed) return;
      if (update.qr) {
        if (deps.pairingPhone && !deps.auth.isPaired()) {
          if (!pairingRequested) {
            pairingRequested = true;
            void requestPairing(sock, deps.pairingPhone);
          }
        } else void showQr(update.qr);
      }
      if (update.connection === 'open') {
        connected = true;
        attempt = 0;
        restartsInRow = 0;
        log.info({ me: hashId(deps.auth.state.creds.me?.id) }, 'whatsapp connected');
        if (deps.qrPngPath) void rm(deps.qrPngPath, { force: true }).catch(() => {});
      }
      if (update.connection === 'close') {
        closed = true;
        connected = false;
        sock.ev.off('connection.update', onUpdate);
        sock.ev.off('creds.update', onCreds);
        detach();
        if (current?.sock === sock) current = undefined;
        void onClose(update.lastDisconnect?.error);
      }
    };
    sock.ev.on('connection.update', onUpdate);
    sock.ev.on('creds.update', onCreds);
  }

  async function onClose(error: unknown): Promise<void> {
    const action = closeAction(error);
    const code = statusCodeOf(error);
    if (action === 'logged-out') {
      keyCache.flushAll();
      msgRetryCounterCache.flushAll();
      try {
        await deps.auth.clear();
      } catch (err) {
        log.error({ err: safeWhatsAppError(err) }, 'whatsapp credentials could not be deleted');
      }
      log.error({ code }, LOGGED_OUT_MESSAGE);
      finish('logged-out');
      return;
    }
    if (action === 'replaced') {
      log.error({ code }, REPLACED_MESSAGE);
      await deps.auth.flush().catch(() => {});
      finish('replaced');
      return;
    }
    if (action === 'restart') {
      reconnects++;
      restartsInRow++;
      deps.onReconnect?.('restart');
      const delayMs = restartDelay(restartsInRow, deps.backoff, random);
      if (delayMs === 0) log.info({ code, restartsInRow }, 'whatsapp asked for a restart: reconnecting now');
      else log.warn({ code, restartsInRow, delayMs }, 'whatsapp asked for a restart again: reconnecting after a pause');
      if (delayMs > 0) await sleep(delayMs, aborter.signal);
      connect();
      return;
    }
    await retry(code);
  }

  async function retry(code: number | undefined): Promise<void> {
    attempt++;
    reconnects++;
    deps.onReconnect?.('backoff');
    const delayMs = backoffDelay(attempt, deps.backoff, random);
    const level = attempt === 1 || attempt >= 5 ? 'warn' : 'info';
    log[level]({ code, attempt, delayMs }, 'whatsapp connection closed: reconnecting after a pause');
    await sleep(delayMs, aborter.signal);
    connect();
  }

  async function showQr(qr: string): Promise<void> {
    try {
      terminal.write(`\nVincule WhatsApp: en el teléfono, Dispositivos vinculados → Vincular un dispositivo, y escanee:\n${await QRCode.toString(qr, { type: 'terminal', small: true })}\n`);
      if (deps.qrPngPath) {
        mkdirSync(dirname(deps.qrPngPath), { recursive: true });
        await QRCode.toFile(deps.qrPngPath, qr, { type: 'png', margin: 2, width: 400 });
      }
      log.info({ png: deps.qrPngPath }, 'whatsapp QR ready: scan it from the phone (Linked devices)');
    } catch (err) {
      log.error({ err: safeWhatsAppError(err) }, 'whatsapp QR could not be shown');
    }
  }

  async function requestPairing(sock: WhatsAppLifecycleSocket, phone: string): Promise<void> {
    try {
      const code = await sock.requestPairingCode(phone);
      terminal.write(`\nCódigo de vinculación de WhatsApp: ${code}\nEn el teléfono: Dispositivos vinculados → Vincular con número de teléfono.\n`);
      log.info({ pairingCode: code }, 'whatsapp pairing code ready: enter it on the phone (Linked devices → link with phone number)');
    } catch (err) {
      log.error({ err: safeWhatsAppError(err) }, 'whatsapp pairing code could not be requested');
    }
  }

  connect();

  return {
    done,
    status: () => ({ connected, attempt, reconnects, restartsInRow }),
    async stop() {
      if (ended) return;
      finish('stopped');
      aborter.abort();
      const c = current;
      current = undefined;
      c?.detach();
      const drainMs = deps.drainMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([deps.handler.idle(), new Promise<void>((r) => (timer = setTimeout(r, drainMs)))]);
      clearTimeout(timer);
      try {
        await c?.sock.end(undefined);
      } catch (err) {
        log.debug({ err: safeWhatsAppError(err) }, 'whatsapp socket end failed');
      }
      await deps.auth.flush();
      await deps.sentMessages?.flush();
      log.info({ reconnects }, 'whatsapp channel stopped');
    },
  };
}
