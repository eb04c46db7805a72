import createError, { type FastifyError } from '@fastify/error'

/** An error of this plugin: its code says its errorType, its statusCode the answer's status. */
export type LivechatError = FastifyError & { statusCode: number }

const CODE_PREFIX = 'LIVECHAT_'

/**
 * A livechat error class. Its errorType (the envelope's `errorType`) is its
 * code without the prefix, in kebab case: LIVECHAT_INVALID_TOKEN is invalid-token.
 */
function livechatError (errorType: string, message: string, statusCode = 400) {
  const code = CODE_PREFIX + errorType.toUpperCase().replaceAll('-', '_')
  return createError(code, message, statusCode) as unknown as new (...args: Array<string | number>) => LivechatError
}

export function errorTypeOf (code: string): string {
  return code.slice(CODE_PREFIX.length).toLowerCase().replaceAll('_', '-')
}

/** Any error may reach the handler, including driver errors that have no code or a numeric one. */
export function isLivechatError (error: FastifyError): error is LivechatError {
  return String(error.code).startsWith(CODE_PREFIX)
}

export const InvalidParamsError = livechatError('invalid-params', '%s')
export const InvalidJsonError = livechatError('invalid-json', 'The request body is not valid JSON')
export const BadRequestError = livechatError('bad-request', '%s')
export const InvalidUrlError = livechatError('invalid-url', 'The URL is not valid')
export const InvalidTokenError = livechatError('invalid-token', '[invalid-token]')
export const InvalidRoomError = livechatError('invalid-room', '[invalid-room]')
export const InvalidDepartmentError = livechatError('error-invalid-department', 'The provided department is invalid [error-invalid-department]')
export const InvalidUsernameError = livechatError('error-invalid-username', '[error-invalid-username]')
export const InvalidCustomFieldValueError = livechatError('error-invalid-custom-field-value', '[error-invalid-custom-field-value]')
export const MissingRequiredCustomFieldsError = livechatError('missing-required-custom-fields', 'Missing required custom fields: %s')
export const InvalidCustomFieldError = livechatError('invalid-custom-field', '[invalid-custom-field]')
export const VisitorHasOpenRoomsError = livechatError('visitor-has-open-rooms', 'Cannot remove visitors with opened rooms [visitor-has-open-rooms]')
export const VisitorNotFoundError = livechatError('visitor-not-found', '[visitor-not-found]')
export const UnauthorizedError = livechatError('unauthorized', 'You must be logged in to do this.', 401)
export const ForbiddenError = livechatError('error-unauthorized', 'User does not have the permissions required for this action [error-unauthorized]', 403)
export const TooManyRequestsError = livechatError('error-too-many-requests',
  'Error, too many requests. Please slow down. You must wait %s seconds before trying this endpoint again. [error-too-many-requests]', 429)
export const BodyTooLargeError = livechatError('body-too-large', 'The request body is larger than %s bytes', 413)
export const UnsupportedMediaTypeError = livechatError('unsupported-media-type', 'The request body must be application/json', 415)
export const RegistrationConflictError = livechatError('registration-conflict', 'The visitor could not be registered for contention, try again', 503)
export const ServiceUnavailableError = livechatError('service-unavailable', 'The server is busy, try again', 503)
export const DatabaseUnavailableError = livechatError('database-unavailable', 'The database is unavailable, try again', 503)
export const InternalError = livechatError('internal-error', 'Internal server error', 500)

/** A database call past the `databaseTimeoutMs` deadline; a route answers it as database-unavailable. */
export const DatabaseTimeoutError = createError('LIVECHAT_DATABASE_TIMEOUT', 'The database did not answer %s within %s ms', 503)

export const DuplicateVisitorsError = createError(
  'LIVECHAT_DUPLICATE_VISITORS',
  'Cannot create the unique index %s on %s: %s. Merge or remove the duplicates, or register with ensureIndexes: false',
  500
)
export const IndexCreationError = createError('LIVECHAT_INDEX_CREATION', 'Cannot create the index %s on %s: %s', 500)
export const DecoratorTakenError = createError(
  'LIVECHAT_DECORATOR_TAKEN',
  'The decorator "%s" is already taken by another registration with other options; give this one another name with the "decorator" option',
  500,
  TypeError
)
