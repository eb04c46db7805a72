import { randomBytes } from 'node:crypto'

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz'
const ID_LENGTH = 17
// Bytes at or above this are dropped, so that every character is equally likely.
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length)

/** A Meteor-style id: 17 characters drawn with a cryptographic RNG, as Rocket.Chat makes them. */
export function newId (): string {
  let id = ''
  while (id.length < ID_LENGTH) {
    for (const byte of randomBytes(ID_LENGTH * 2)) {
      if (byte < UNBIASED_LIMIT && id.length < ID_LENGTH) id += ALPHABET[byte % ALPHABET.length]
    }
  }
  return id
}
