/** What the helpers need of a tap test: a place to register their clean-up. */
export interface Teardown {
  teardown (fn: () => unknown): void
}
