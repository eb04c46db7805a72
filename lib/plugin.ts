import { isDeepStrictEqual } from 'node:util'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { DecoratorTakenError } from './errors.js'
import { livechatRequestSerializer } from './host/request-serializer.js'
import { livechatRoutes } from './http/scope.js'
import { resolveOptions, type LivechatOptions, type ResolvedOptions, type ServiceOptions } from './options.js'
import type { LivechatService } from './service/service.js'
import { startService, type ServiceHandle } from './service/start.js'

const kRegistration = Symbol('livechat registration')

interface Registration {
  options: ServiceOptions
  handle: ServiceHandle
}

type RegisteredService = LivechatService & { [kRegistration]?: Registration }

/** Every service option equal; the database the same object. */
function sameService (a: ServiceOptions, b: ServiceOptions): boolean {
  return (Object.keys(a) as Array<keyof ServiceOptions>).every(name => name === 'db' ? a.db === b.db : isDeepStrictEqual(a[name], b[name]))
}

/**
 * The service of an earlier registration under the same decorator name is shared when its
 * service options are the same (the same API mounted under two prefixes, each with its own
 * route options); anything else under that name is a conflict.
 */
async function provideService (fastify: FastifyInstance, { decorator, service }: ResolvedOptions): Promise<ServiceHandle> {
  if (fastify.hasDecorator(decorator)) {
    const registration = (fastify as unknown as Record<string, RegisteredService | undefined>)[decorator]?.[kRegistration]
    if (registration === undefined || !sameService(registration.options, service)) throw new DecoratorTakenError(decorator)
    return registration.handle
  }
  const handle = await startService(service, fastify.log)
  Object.defineProperty(handle.service, kRegistration, { value: { options: service, handle } satisfies Registration })
  fastify.decorate(decorator, handle.service)
  fastify.addHook('onClose', async () => handle.close())
  return handle
}

/**
 * The plugin: the service decorator reaches the host; the routes and their error envelope
 * stay in their own encapsulated scope under the prefix.
 */
export const livechatPlugin: FastifyPluginAsync<LivechatOptions> = async (fastify, givenOptions) => {
  const options = resolveOptions(givenOptions)
  const { useCases } = await provideService(fastify, options)
  // Fastify types serializers as returning strings; pino logs whatever they return, as it does for its default one.
  const logSerializers = { req: livechatRequestSerializer as unknown as (request: unknown) => string }
  await fastify.register(livechatRoutes, { prefix: givenOptions.prefix, useCases, routes: options.routes, logSerializers })
}
