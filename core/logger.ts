// One pino logger per process; entry points create it from config.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates the process logger; secrets in common places are redacted. */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', '*.secretKey', '*.password', '*.token', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}
