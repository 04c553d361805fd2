import pino, { type Logger } from "pino";

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** "pretty" for humans in a terminal, "json" for machines. Defaults by TTY. */
  format?: "pretty" | "json";
  name?: string;
}

/** Keys whose values never reach a log sink, wherever they appear. */
export const REDACTED_LOG_PATHS = [
  "password",
  "*.password",
  "*.*.password",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "totpSecret",
  "*.totpSecret",
  "*.*.totpSecret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "credentials",
  "*.credentials",
  "connectionString",
  "databaseUrl",
];

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? (process.stdout.isTTY ? "pretty" : "json");
  return pino({
    name: options.name,
    level: options.level ?? "info",
    redact: { paths: REDACTED_LOG_PATHS, censor: "[redacted]" },
    ...(format === "pretty"
      ? { transport: { target: "pino-pretty", options: { colorize: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname" } } }
      : {}),
  });
}

/** Removes the password from a Postgres URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "[unparseable url]";
  }
}
