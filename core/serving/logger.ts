// The log calls serving makes (pino's signature), so core/serving needs no logger of its own.

/** What serving logs through: a pino logger fits, tests pass a recorder or nothing. */
export interface ServingLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Drops everything. */
export const silentLogger: ServingLogger = { debug() {}, info() {}, warn() {}, error() {} };
