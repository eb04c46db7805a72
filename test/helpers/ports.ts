import { createServer } from 'node:net'

const FIRST_PORT = 20_000
// Linux hands out local ports for outgoing connections from 32768 up (net.ipv4.ip_local_port_range).
const EPHEMERAL_START = 32_768

function isFree (port: number): Promise<boolean> {
  const server = createServer()
  return new Promise(resolve => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * A free port on 127.0.0.1 below the ephemeral range, for a database that a
 * test stops and starts again on the same port. While it is down, clients keep
 * connecting to it; on a port of the ephemeral range one of those connections
 * can be given that very port as its own and connect to itself, which then
 * holds the port and breaks the restart.
 */
export async function restartablePort (): Promise<number> {
  for (;;) {
    const port = FIRST_PORT + Math.floor(Math.random() * (EPHEMERAL_START - FIRST_PORT))
    if (await isFree(port)) return port
  }
}
