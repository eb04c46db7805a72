import type { PlainText } from '../../schemas/checked.js'

/** The text as a regular expression's source that matches it literally: a client's text is never a pattern. */
function literal (text: PlainText): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Matches what starts with the text, in any letter case. */
export function startsWith (text: PlainText): RegExp {
  return new RegExp(`^${literal(text)}`, 'i')
}

/** Matches what holds the text; in any letter case unless `caseSensitive`. */
export function contains (text: PlainText, { caseSensitive = false } = {}): RegExp {
  return new RegExp(literal(text), caseSensitive ? '' : 'i')
}
