/** Where a path of the plugin carries a visitor's token: `/livechat/visitor/<token>`. */
export const TOKEN_IN_PATH = /\/livechat\/visitor\/[^/?#]/
