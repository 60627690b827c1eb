// The smallest SQL surface both backends share: used by migrations and by the
// few hot paths that need one statement instead of a Prisma round trip.
export interface RawSql {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}
