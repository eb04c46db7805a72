import type { MongoClientOptions } from 'mongodb'

/**
 * The MongoClient options the plugin is tested with, for the host's own client
 * (`new MongoClient(url, { ...RECOMMENDED_CLIENT_OPTIONS })`; docs/reliability.md says what each does):
 * a 503 within about a second when the database is gone rather than the driver's 30 s; checks of
 * the server from the monitor's own timer, which keeps the driver's monitor from hanging on a
 * connection a restarting database has just closed; and connections that a silent database never
 * answers given up after 2 s, not 30, so that it is used again soon after it answers again.
 */
export const RECOMMENDED_CLIENT_OPTIONS = Object.freeze({
  serverSelectionTimeoutMS: 1000,
  heartbeatFrequencyMS: 1000,
  minHeartbeatFrequencyMS: 2000,
  connectTimeoutMS: 2000
}) satisfies Readonly<MongoClientOptions>
