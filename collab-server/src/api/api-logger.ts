import type { FastifyServerOptions } from 'fastify';

/** What pino writes each JSON line to. */
export interface LogStream {
  write(line: string): void;
}

/**
 * A share link's token in a URL path: `/share-links/<token>/…` (the REST API) and
 * `/share/<token>` (the web page the link opens). Everything after the prefix up to the end of
 * the path goes (a token reached by a doubled slash or a wrong case is still a token), except
 * the action at the end. Link ids under `/releases/<id>/share-links/<linkId>` go too: they are
 * not secret, but one rule is easier to trust than two.
 */
const SHARE_PATH = /(\/share(?:-links)?)(\/[^\s?#"'\\]*)/gi;
const ACTION = /\/(preview|redeem)\/?$/i;

/** `text` with every share token in a path replaced by `[redacted]`. */
export function redactShareTokens(text: string): string {
  return text.replace(SHARE_PATH, (_match, prefix: string, rest: string) => {
    const action = ACTION.exec(rest)?.[1];
    return `${prefix}/[redacted]${action ? `/${action}` : ''}`;
  });
}

/** `log` with share tokens redacted from its message and details. */
export function redactingLog(
  log: (message: string, details?: Record<string, unknown>) => void,
): (message: string, details?: Record<string, unknown>) => void {
  return (message, details) =>
    log(
      redactShareTokens(message),
      details && (JSON.parse(redactShareTokens(JSON.stringify(details))) as Record<string, unknown>),
    );
}

/**
 * The REST API's pino options (README.md, "Security model"): share tokens never reach the log.
 * The `req` serializer logs the redacted URL, and every finished line passes through the same
 * redaction once more, because Fastify also writes URLs into messages ("Route POST:/… not found")
 * and error texts, which no serializer sees.
 */
export function apiLoggerOptions(stream: LogStream): FastifyServerOptions['logger'] {
  return {
    serializers: {
      req: (req: {
        method: string;
        url: string;
        host?: string;
        ip?: string;
        socket?: { remotePort?: number };
      }) => ({
        method: req.method,
        url: redactShareTokens(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    stream: { write: (line: string) => stream.write(redactShareTokens(line)) },
  };
}
