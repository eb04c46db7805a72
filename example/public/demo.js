// The demo page: names the page after its #page-N, shows the visitor and the
// visits the livechat script recorded, and registers the visitor from the form.
(function () {
  'use strict'

  const livechat = window.PimentaLivechat
  const byId = id => document.getElementById(id)
  if (!livechat) {
    byId('register-status').textContent = 'The livechat script did not load.'
    return
  }

  function showPage () {
    const name = /^#page-(\d+)$/.exec(location.hash) ? `Page ${location.hash.slice(6)}` : 'Home'
    document.title = `${name} - pimentaCHAT livechat demo`
    byId('page-heading').textContent = name
    for (const link of document.querySelectorAll('nav a')) {
      link.classList.toggle('current', link.getAttribute('href') === location.hash)
    }
  }

  function showVisitor (visitor) {
    byId('visitor-token').textContent = livechat.token
    byId('visitor-username').textContent = visitor ? visitor.username : 'not registered yet'
    byId('visitor-name').textContent = visitor?.name ?? ''
    byId('visitor-email').textContent = visitor?.visitorEmails?.[0]?.address ?? ''
    byId('visitor-phone').textContent = visitor?.phone?.[0]?.phoneNumber ?? ''
  }

  function addVisit (visit) {
    const item = document.createElement('li')
    item.textContent = `${visit.title} - ${visit.href}`
    item.title = visit.at
    byId('history').append(item)
  }

  function showStatus (text, isError) {
    const status = byId('register-status')
    status.textContent = text
    status.className = isError ? 'error' : 'muted'
  }

  async function register (event) {
    event.preventDefault()
    const fields = Object.fromEntries(new FormData(event.target))
    showStatus('Registering...', false)
    try {
      showVisitor(await livechat.register(fields))
      showStatus('Registered.', false)
    } catch (error) {
      showStatus(error.message, true)
    }
  }

  showPage()
  window.addEventListener('hashchange', showPage)
  byId('register').addEventListener('submit', register)
  livechat.visits().forEach(addVisit)
  livechat.onVisit(addVisit)
  livechat.visitor().then(showVisitor, error => showStatus(error.message, true))
})()
