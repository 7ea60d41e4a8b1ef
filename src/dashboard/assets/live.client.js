// Live updates for the dashboard. The server renders every page; this script only re-fetches the
// page's #live section (as HTML the server escaped) when the event stream reports something that
// section shows, or on a timer for values that change without events. No framework, no build.
;(() => {
  const live = document.getElementById('live')
  const status = document.getElementById('live-status')
  if (!live) return
  const types = (live.dataset.liveTypes || '').split(',').filter(Boolean)
  const onlyTask = live.dataset.liveTask || null
  const every = Number(live.dataset.liveEvery || 0)
  // Filled in by the server from the broker's EVENT_TYPES when it serves this file (asset-routes.ts).
  const EVENTS = /* EVENT_TYPES */ []
  let timer = null
  let trailing = null
  let busy = false
  let again = false
  let refreshes = 0

  const setStatus = (text, state) => {
    document.body.dataset.live = state
    if (status) status.textContent = text
  }

  // A refresh never replaces a field the user is typing in.
  const editing = () => {
    const el = document.activeElement
    return el && live.contains(el) && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)
  }

  const refresh = async () => {
    if (busy) {
      again = true
      return
    }
    busy = true
    try {
      const res = await fetch(location.href, {
        headers: { 'x-celeriac-fragment': '1' },
        credentials: 'same-origin',
      })
      if (res.status === 401) return location.reload()
      if (res.ok && !editing()) {
        live.innerHTML = await res.text()
        live.dataset.refreshes = String(++refreshes)
      }
    } catch {
      setStatus('offline', 'error')
    } finally {
      busy = false
      if (again) {
        again = false
        soon()
      }
    }
  }

  const soon = () => {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      refresh()
    }, 250)
  }

  const url = document.body.dataset.events
  if (url && types.length) {
    const source = new EventSource(url)
    source.onopen = () => setStatus('● live', 'open')
    source.onerror = () => setStatus('reconnecting…', 'error')
    const relevant = (type, data) => {
      if (!types.some((t) => type.startsWith(t))) return false
      if (!onlyTask) return true
      try {
        return JSON.parse(data).task_id === onlyTask
      } catch {
        return false
      }
    }
    for (const type of EVENTS) {
      source.addEventListener(type, (e) => {
        if (!relevant(type, e.data)) return
        soon()
        // Once a burst is over, one more refresh: the server caches aggregates for a moment.
        clearTimeout(trailing)
        trailing = setTimeout(soon, 1500)
      })
    }
    addEventListener('pagehide', () => source.close())
  }
  if (every > 0) {
    setInterval(() => {
      if (!document.hidden) soon()
    }, every)
  }
})()
