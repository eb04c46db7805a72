import type { TString } from '@sinclair/typebox'

declare const checkedKind: unique symbol

/**
 * A string that a schema has checked. Only a validated value has this type: a route's body,
 * parameters or query after its validator, or a service argument after its check. The data
 * layer takes checked values only, so that nothing else can reach a filter or an update.
 */
export type Checked<Kind extends string> = string & { readonly [checkedKind]: Kind }

/** A visitor's token: 1 to 100 characters of A-Z a-z 0-9 - _ . ~ ! & ' ( ) * + , = : @, other than . and .. */
export type Token = Checked<'Token'>
/** A room's id: 1 to 64 characters of A-Z a-z 0-9 - _ */
export type RoomId = Checked<'RoomId'>
/** A message's id: 1 to 64 characters of A-Z a-z 0-9 - _ */
export type MessageId = Checked<'MessageId'>
/** A visitor's id: 1 to 64 characters of A-Z a-z 0-9 - _ */
export type VisitorId = Checked<'VisitorId'>
/** A custom field definition's name: 1 to 64 characters of A-Z a-z 0-9 - _, safe in a field path; a client's key is PlainText. */
export type CustomFieldKey = Checked<'CustomFieldKey'>
/** Bounded text without control, invisible-reordering characters or lone surrogates. */
export type PlainText = Checked<'PlainText'>
/** A department's id, as the departments collection holds it: found there, not sent by a client. */
export type DepartmentId = Checked<'DepartmentId'>

/** A string schema whose static type is `Checked<Kind>`: what the schema's check vouches for. */
export interface TChecked<Kind extends string> extends TString {
  static: Checked<Kind>
}

export function checked<Kind extends string> (schema: TString): TChecked<Kind> {
  return schema as TChecked<Kind>
}

/** The same shape with plain strings where checked ones are: what a caller passes in before the check. */
export type Unchecked<T> = T extends Checked<string>
  ? string
  : T extends ReadonlyArray<infer Item>
    ? Array<Unchecked<Item>>
    : T extends object ? { [K in keyof T]: Unchecked<T[K]> } : T
