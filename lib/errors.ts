import createError, { type FastifyError } from '@fastify/error'

/**
 * The error catalogue: every error of the plugin, with its code, status and message. A route
 * answers one as `{success: false, error: <message>, errorType}`, where errorType is the code
 * without `LIVECHAT_`, in kebab case (LIVECHAT_INVALID_TOKEN answers `invalid-token`), unless the
 * entry names its own.
 */

/**
 * Which routes can answer an error. The statuses a route documents in its response schema are
 * those of the errors that every route answers and of the kinds the route is of. Only POST and
 * DELETE routes read a body (Fastify ignores a GET's), so only they can answer 413 and 415.
 */
export type AnsweredBy = 'every route' | 'POST and DELETE routes' | 'agent routes' | 'no route'

export interface CatalogueEntry {
  code: `LIVECHAT_${string}`
  statusCode: number
  message: string
  answeredBy: AnsweredBy
  /** The answer's errorType, where it is not the one the code makes. */
  errorType?: string
}

/** An error of this plugin: its code says its errorType, its statusCode the answer's status. */
export type LivechatError = FastifyError & { statusCode: number }

const catalogue: CatalogueEntry[] = []
const explicitErrorTypes = new Map<string, string>()

/** Every entry of the catalogue, in the order of the README's errors table. */
export const ERROR_CATALOGUE: readonly CatalogueEntry[] = catalogue

/**
 * Enters an error into the catalogue and makes its @fastify/error constructor. `Args` are the
 * constructor's arguments, one for each `%s` of the message: `livechatError<[bodyLimit: number]>()`.
 */
function livechatError<Args extends unknown[] = []> () {
  return <C extends `LIVECHAT_${string}`, S extends number>(
    entry: CatalogueEntry & { code: C, statusCode: S },
    Base?: ErrorConstructor
  ) => {
    catalogue.push(Object.freeze({ ...entry }))
    if (entry.errorType !== undefined) explicitErrorTypes.set(entry.code, entry.errorType)
    return createError<C, S, Args>(entry.code, entry.message, entry.statusCode, Base)
  }
}

// Answers of the routes.
export const InvalidParamsError = livechatError<[description: string]>()({
  code: 'LIVECHAT_INVALID_PARAMS', statusCode: 400, message: '%s', answeredBy: 'every route'
})
export const InvalidJsonError = livechatError()({
  code: 'LIVECHAT_INVALID_JSON', statusCode: 400, message: 'The request body is not valid JSON', answeredBy: 'POST and DELETE routes'
})
/** Another client error: its status is the one the HTTP layer or the host's hook gave. */
export const BadRequestError = livechatError<[description: string]>()({
  code: 'LIVECHAT_BAD_REQUEST', statusCode: 400, message: '%s', answeredBy: 'every route'
})
export const InvalidUrlError = livechatError()({
  code: 'LIVECHAT_INVALID_URL', statusCode: 400, message: 'The URL is not valid', answeredBy: 'every route'
})
export const InvalidTokenError = livechatError()({
  code: 'LIVECHAT_INVALID_TOKEN', statusCode: 400, message: '[invalid-token]', answeredBy: 'every route'
})
/** Rocket.Chat's registration refuses an empty or blank token with this Meteor.Error, before anything else. */
export const EmptyTokenError = livechatError()({
  code: 'LIVECHAT_ERROR_INVALID_TOKEN', statusCode: 400, message: 'Token cannot be empty [error-invalid-token]', answeredBy: 'POST and DELETE routes'
})
/** Rocket.Chat's custom.field(s) throw a plain Error for an unknown token, answered as its bare text. */
export const CustomFieldInvalidTokenError = livechatError()({
  code: 'LIVECHAT_CUSTOM_FIELD_INVALID_TOKEN', statusCode: 400, message: 'invalid-token', errorType: 'invalid-token', answeredBy: 'POST and DELETE routes'
})
export const InvalidRoomError = livechatError()({
  code: 'LIVECHAT_INVALID_ROOM', statusCode: 400, message: '[invalid-room]', answeredBy: 'every route'
})
export const InvalidDepartmentError = livechatError()({
  code: 'LIVECHAT_ERROR_INVALID_DEPARTMENT',
  statusCode: 400,
  message: 'The provided department is invalid [error-invalid-department]',
  answeredBy: 'POST and DELETE routes'
})
export const InvalidUsernameError = livechatError()({
  code: 'LIVECHAT_ERROR_INVALID_USERNAME', statusCode: 400, message: '[error-invalid-username]', answeredBy: 'POST and DELETE routes'
})
export const InvalidCustomFieldValueError = livechatError()({
  code: 'LIVECHAT_ERROR_INVALID_CUSTOM_FIELD_VALUE',
  statusCode: 400,
  message: '[error-invalid-custom-field-value]',
  answeredBy: 'POST and DELETE routes'
})
export const MissingRequiredCustomFieldsError = livechatError<[fieldNames: string]>()({
  code: 'LIVECHAT_MISSING_REQUIRED_CUSTOM_FIELDS', statusCode: 400, message: 'Missing required custom fields: %s', answeredBy: 'POST and DELETE routes'
})
/** Rocket.Chat's custom.field(s) throw a plain Error for a key without a definition, answered as its bare text. */
export const InvalidCustomFieldError = livechatError()({
  code: 'LIVECHAT_INVALID_CUSTOM_FIELD', statusCode: 400, message: 'invalid-custom-field', answeredBy: 'POST and DELETE routes'
})
export const InvalidIdentityError = livechatError()({
  code: 'LIVECHAT_INVALID_IDENTITY', statusCode: 400, message: '[invalid-identity]', answeredBy: 'POST and DELETE routes'
})
export const IdentityNotEnabledError = livechatError()({
  code: 'LIVECHAT_IDENTITY_NOT_ENABLED',
  statusCode: 400,
  message: 'This server verifies no identity: send the visitor without identity [identity-not-enabled]',
  answeredBy: 'POST and DELETE routes'
})
export const VisitorHasOpenRoomsError = livechatError()({
  code: 'LIVECHAT_VISITOR_HAS_OPEN_ROOMS',
  statusCode: 400,
  message: 'Cannot remove visitors with opened rooms [visitor-has-open-rooms]',
  answeredBy: 'POST and DELETE routes'
})
/** Rocket.Chat's agent routes throw a plain Error for a room that does not exist, answered as its bare text. */
export const RoomNotFoundError = livechatError()({
  code: 'LIVECHAT_ROOM_NOT_FOUND', statusCode: 400, message: 'invalid-room', errorType: 'invalid-room', answeredBy: 'agent routes'
})
export const CustomFieldNotFoundError = livechatError()({
  code: 'LIVECHAT_CUSTOM_FIELD_NOT_FOUND', statusCode: 400, message: 'Custom Field Not found', answeredBy: 'agent routes'
})
export const CustomFieldAlreadyExistsError = livechatError()({
  code: 'LIVECHAT_CUSTOM_FIELD_ALREADY_EXISTS', statusCode: 400, message: 'Custom Field already exists', answeredBy: 'agent routes'
})
/** Rocket.Chat's custom-fields.delete spells its not-found text otherwise than custom-fields.save. */
export const CustomFieldToDeleteNotFoundError = livechatError()({
  code: 'LIVECHAT_CUSTOM_FIELD_TO_DELETE_NOT_FOUND',
  statusCode: 400,
  message: 'Custom field not found',
  errorType: 'custom-field-not-found',
  answeredBy: 'agent routes'
})
export const InvalidMessageIdError = livechatError()({
  code: 'LIVECHAT_INVALID_MESSAGE_ID', statusCode: 400, message: 'Invalid message ID.', answeredBy: 'POST and DELETE routes'
})
/** Rocket.Chat's visitors.info throws a plain Error for an unknown visitor; its e2e test asserts the bare text. */
export const VisitorNotFoundError = livechatError()({
  code: 'LIVECHAT_VISITOR_NOT_FOUND', statusCode: 400, message: 'visitor-not-found', answeredBy: 'agent routes'
})
export const UnauthorizedError = livechatError()({
  code: 'LIVECHAT_UNAUTHORIZED', statusCode: 401, message: 'You must be logged in to do this.', answeredBy: 'agent routes'
})
export const ForbiddenError = livechatError()({
  code: 'LIVECHAT_ERROR_UNAUTHORIZED',
  statusCode: 403,
  message: 'User does not have the permissions required for this action [error-unauthorized]',
  answeredBy: 'agent routes'
})
export const BodyTooLargeError = livechatError<[bodyLimit: number]>()({
  code: 'LIVECHAT_BODY_TOO_LARGE', statusCode: 413, message: 'The request body is larger than %s bytes', answeredBy: 'POST and DELETE routes'
})
export const UnsupportedMediaTypeError = livechatError()({
  code: 'LIVECHAT_UNSUPPORTED_MEDIA_TYPE', statusCode: 415, message: 'The request body must be application/json', answeredBy: 'POST and DELETE routes'
})
export const TooManyRequestsError = livechatError<[retryAfterSeconds: string]>()({
  code: 'LIVECHAT_ERROR_TOO_MANY_REQUESTS',
  statusCode: 429,
  message: 'Error, too many requests. Please slow down. You must wait %s seconds before trying this endpoint again. [error-too-many-requests]',
  answeredBy: 'every route'
})
export const InternalError = livechatError()({
  code: 'LIVECHAT_INTERNAL_ERROR', statusCode: 500, message: 'Internal server error', answeredBy: 'every route'
})
export const DatabaseUnavailableError = livechatError()({
  code: 'LIVECHAT_DATABASE_UNAVAILABLE', statusCode: 503, message: 'The database is unavailable, try again', answeredBy: 'every route'
})
export const ServiceUnavailableError = livechatError()({
  code: 'LIVECHAT_SERVICE_UNAVAILABLE', statusCode: 503, message: 'The server is busy, try again', answeredBy: 'every route'
})
export const RegistrationConflictError = livechatError()({
  code: 'LIVECHAT_REGISTRATION_CONFLICT',
  statusCode: 503,
  message: 'The visitor could not be registered for contention, try again',
  answeredBy: 'POST and DELETE routes'
})

// Thrown, never answered as they are: to the service's callers and at start.
/** A database call past the `databaseTimeoutMs` deadline; a route answers it as database-unavailable. */
export const DatabaseTimeoutError = livechatError<[call: string, deadlineMs: number]>()({
  code: 'LIVECHAT_DATABASE_TIMEOUT', statusCode: 503, message: 'The database did not answer %s within %s ms', answeredBy: 'no route'
})
export const DuplicateVisitorsError = livechatError<[index: string, collection: string, duplicates: string]>()({
  code: 'LIVECHAT_DUPLICATE_VISITORS',
  statusCode: 500,
  message: 'Cannot create the unique index %s on %s: %s. Merge or remove the duplicates, or register with ensureIndexes: false',
  answeredBy: 'no route'
})
export const IndexCreationError = livechatError<[index: string, collection: string, reason: string]>()({
  code: 'LIVECHAT_INDEX_CREATION', statusCode: 500, message: 'Cannot create the index %s on %s: %s', answeredBy: 'no route'
})
export const IndexDropError = livechatError<[index: string, collection: string, reason: string]>()({
  code: 'LIVECHAT_INDEX_DROP', statusCode: 500, message: 'Cannot drop the index %s on %s: %s', answeredBy: 'no route'
})
export const UniquenessNotEnforcedError = livechatError<[index: string, collection: string, field: string]>()({
  code: 'LIVECHAT_UNIQUENESS_NOT_ENFORCED',
  statusCode: 500,
  message: 'The index %s on %s was reported created but lets two visitors share a %s. ' +
    'Drop the index of that name and start again, or register with ensureIndexes: false and enforce it yourself',
  answeredBy: 'no route'
})
export const DecoratorTakenError = livechatError<[decorator: string]>()({
  code: 'LIVECHAT_DECORATOR_TAKEN',
  statusCode: 500,
  message: 'The decorator "%s" is already taken by another registration with other service options; ' +
    'give this one another name with the "decorator" option',
  answeredBy: 'no route'
}, TypeError)

/** The envelope's errorType of a code: LIVECHAT_INVALID_TOKEN is invalid-token, unless its entry names another. */
export function errorTypeOf (code: string): string {
  return explicitErrorTypes.get(code) ?? code.slice('LIVECHAT_'.length).toLowerCase().replaceAll('_', '-')
}

/** Any error may reach the handler, including driver errors that have no code or a numeric one. */
export function isLivechatError (error: FastifyError): error is LivechatError {
  return String(error.code).startsWith('LIVECHAT_')
}
