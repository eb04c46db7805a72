import { once } from 'node:events'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import type { Teardown } from './teardown.js'

export interface FreezableProxy {
  /** The database's URL through the proxy. */
  url: string
  /** From now on, nothing passes either way and the connections stay open: a database that stopped answering. */
  freeze (): void
  /** Bytes pass again (what was sent while frozen is lost, as if the database had never read it). */
  thaw (): void
}

/** A TCP relay on 127.0.0.1 in front of a mongodb://host:port URL, closed when the test ends. */
export async function freezableProxy (t: Teardown, databaseUrl: string): Promise<FreezableProxy> {
  const { hostname, port, search } = new URL(databaseUrl)
  const state = { frozen: false }
  const sockets = new Set<Socket>()
  const relay = (from: Socket, to: Socket) => from.on('data', chunk => { if (!state.frozen) to.write(chunk) })
  const server = createServer(client => {
    const upstream = connect(Number(port), hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => socket.destroy())
      socket.on('close', () => { client.destroy(); upstream.destroy(); sockets.delete(socket) })
    }
    relay(client, upstream)
    relay(upstream, client)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy()
    server.close()
    await once(server, 'close')
  })
  return {
    url: `mongodb://127.0.0.1:${(server.address() as AddressInfo).port}/${search}`,
    freeze: () => { state.frozen = true },
    thaw: () => { state.frozen = false }
  }
}
