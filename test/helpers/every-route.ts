import type { InjectOptions } from 'fastify'

/** The bearer token the agent requests below carry. */
export const AGENT_BEARER = 'agent'

const agent = { authorization: `Bearer ${AGENT_BEARER}` }

/** A page.visited body's pageInfo for a visit of this address. */
export function pageInfo (href: string) {
  return { change: 'url', title: 'T', location: { href } }
}

/**
 * One request to each of the plugin's routes: about the visitor `known-1`, erasing
 * `known-2`, registering `new-1`, reading the navigation history of `room-1` (known-1's room) and
 * the custom-field definition `address`.
 */
export const REQUEST_TO_EVERY_ROUTE: readonly InjectOptions[] = Object.freeze([
  { method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'new-1', name: 'New' } } },
  { method: 'POST', url: '/api/v1/livechat/visitor', payload: { visitor: { token: 'known-1', name: 'Updated' } } },
  { method: 'GET', url: '/api/v1/livechat/visitor/known-1' },
  { method: 'GET', url: '/api/v1/livechat/visitor/known-1/export' },
  { method: 'DELETE', url: '/api/v1/livechat/visitor/known-2' },
  { method: 'POST', url: '/api/v1/livechat/page.visited', payload: { token: 'known-1', pageInfo: pageInfo('https://a.example/down') } },
  { method: 'POST', url: '/api/v1/livechat/visitor.status', payload: { token: 'known-1', status: 'away' } },
  { method: 'POST', url: '/api/v1/livechat/custom.field', payload: { token: 'known-1', key: 'address', value: 'x', overwrite: true } },
  { method: 'POST', url: '/api/v1/livechat/custom.fields', payload: { token: 'known-1', customFields: [{ key: 'address', value: 'x', overwrite: true }] } },
  { method: 'GET', url: '/api/v1/livechat/visitor/known-1/room', headers: agent },
  { method: 'GET', url: '/api/v1/livechat/visitors.info?visitorId=abc', headers: agent },
  { method: 'GET', url: '/api/v1/livechat/visitors.pagesVisited/room-1', headers: agent },
  { method: 'GET', url: '/api/v1/livechat/visitors.search?term=known', headers: agent },
  { method: 'POST', url: '/api/v1/livechat/visitor.callStatus', payload: { token: 'known-1', callStatus: 'going', rid: 'room-1', callId: 'call-1' } },
  { method: 'GET', url: '/api/v1/livechat/custom-fields?text=addr', headers: agent },
  { method: 'GET', url: '/api/v1/livechat/custom-fields/address', headers: agent },
  {
    method: 'POST',
    url: '/api/v1/livechat/custom-fields.save',
    headers: agent,
    payload: { customFieldId: 'address', customFieldData: { field: 'address', label: 'Address', scope: 'visitor', visibility: 'visible' } }
  },
  { method: 'POST', url: '/api/v1/livechat/custom-fields.delete', headers: agent, payload: { customFieldId: 'no-such-field' } },
  { method: 'GET', url: `/api/v1/livechat/visitors.autocomplete?selector=${encodeURIComponent('{"term":"Visitor"}')}`, headers: agent },
  { method: 'GET', url: '/api/v1/livechat/visitors.chatHistory/room/room-1/visitor/abc', headers: agent },
  { method: 'GET', url: '/api/v1/livechat/visitors.searchChats/room/room-1/visitor/abc?searchText=x', headers: agent }
])
