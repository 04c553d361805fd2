import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { trackResource } from "./resources";

/** One email as the receiver got it: the envelope and the parsed message. */
export interface ReceivedEmail {
  from: string | null;
  to: string[];
  parsed: ParsedMail;
}

export interface SmtpReceiver {
  /** smtp://user:pass@127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  port: number;
  messages: ReceivedEmail[];
  /** Resolves once `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedEmail[]>;
  /** Refuse the next `n` messages with an SMTP reply (default 451, a temporary failure). */
  failNext(n: number, code?: number): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on a free port of 127.0.0.1, with AUTH PLAIN/LOGIN against the
 * given account and no TLS, parsing each message with mailparser. Tracked: a file must close it.
 */
export async function startSmtpReceiver(options: { user?: string; password?: string } = {}): Promise<SmtpReceiver> {
  const user = options.user ?? "alerts";
  const password = options.password ?? "smtp-test-pass";
  const messages: ReceivedEmail[] = [];
  const waiters: Array<() => void> = [];
  let failures = 0;
  let failCode = 451;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const refuse = failures > 0;
      if (refuse) failures -= 1;
      simpleParser(stream)
        .then((parsed) => {
          if (refuse) {
            const error = new Error("Mailbox temporarily unavailable") as Error & { responseCode: number };
            error.responseCode = failCode;
            callback(error);
            return;
          }
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((r) => r.address),
            parsed,
          });
          callback();
          for (const wake of waiters.splice(0)) wake();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const release = trackResource("smtp receiver");
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${user}:${password}@127.0.0.1:${port}`,
    port,
    messages,
    failNext(n, code = 451) {
      failures = n;
      failCode = code;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`SMTP receiver: ${messages.length} of ${count} messages after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return messages.slice(0, count);
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      release();
    },
  };
}
