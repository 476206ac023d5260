// Vigie audit console: a client of the audit API (docs/audit-api.md), nothing more.
//
// Security rules this file keeps (docs/console.md):
// - every piece of data from the server is untrusted: DOM nodes are built with createElement and
//   textContent only, never innerHTML, and no data ever becomes a URL, an attribute that runs code
//   or a style;
// - no inline script, handler or style: the page is served with `default-src 'self'`;
// - the token lives in sessionStorage (gone when the tab closes) and travels only in the
//   Authorization header of same-origin API calls.
'use strict';

(() => {
  const TOKEN_KEY = 'vigie.token';
  const PAGE_SIZE = 50;
  const PSEUDONYM = /^p-[0-9a-f]{10}$/;
  const VIEWS = ['record', 'timeline', 'exports', 'incidents', 'reveals', 'alerts', 'trail', 'fleet'];

  let me = null; // {user, role, brand} of the logged-in account

  // ---- small DOM helpers -------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  // el('td', {className: 'x', testid: 'y', data: {id: '3'}}, child, 'text', ...): strings become
  // text nodes; nothing is ever parsed as HTML.
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null) continue;
        if (key === 'className') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'testid') node.setAttribute('data-testid', value);
        else if (key === 'data') {
          for (const [name, v] of Object.entries(value)) node.dataset[name] = String(v);
        } else if (key === 'type' || key === 'title' || key === 'id') node.setAttribute(key, value);
        else throw new Error('el: unexpected property ' + key);
      }
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function showStatus(id, text, kind) {
    const node = $(id);
    if (!text) {
      node.hidden = true;
      node.textContent = '';
      return;
    }
    node.textContent = text;
    node.className = 'status' + (kind ? ' ' + kind : '');
    node.hidden = false;
  }

  // Any value as short readable text: objects as "key: value; ...", lists joined by commas.
  function asText(value) {
    if (value === undefined || value === null) return '';
    if (Array.isArray(value)) return value.map(asText).join(', ');
    if (typeof value === 'object') {
      return Object.entries(value)
        .map(([k, v]) => k + ': ' + asText(v))
        .join('; ');
    }
    return String(value);
  }

  // ---- the API -----------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message, retryAfter) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  function describe(error) {
    if (error instanceof ApiError) {
      if (error.status === 429) {
        const wait = error.retryAfter !== null ? error.retryAfter : '?';
        return 'Too many attempts, retry in ' + wait + ' s.';
      }
      if (error.status === 0) return error.message;
      return error.message + ' (HTTP ' + error.status + ')';
    }
    return 'Unexpected error: ' + String(error && error.message ? error.message : error);
  }

  // Calls the API; resolves to the parsed JSON body (null for 204), rejects with ApiError.
  // A 401 on anything but the login ends the session and shows the login form.
  async function api(method, path, options = {}) {
    let url = path;
    if (options.query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(options.query)) {
        if (value !== undefined && value !== null && value !== '') params.append(key, value);
      }
      const text = params.toString();
      if (text) url += '?' + text;
    }
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token && !options.anonymous) headers.Authorization = 'Bearer ' + token;
    let body;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      throw new ApiError(0, 'The collector cannot be reached.', null);
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (!response.ok) {
      const message =
        data && typeof data.error === 'string' ? data.error : response.statusText || 'request failed';
      const retry = response.headers.get('Retry-After');
      const retryAfter = retry !== null && /^\d+$/.test(retry) ? Number(retry) : null;
      const error = new ApiError(response.status, message, retryAfter);
      if (response.status === 401 && !options.anonymous) {
        endSession('Your session has ended; log in again.');
      }
      throw error;
    }
    return data;
  }

  // ---- session -----------------------------------------------------------------------------

  function endSession(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    me = null;
    showLogin(message);
  }

  function showLogin(message) {
    $('main-view').hidden = true;
    $('whoami').hidden = true;
    $('logout').hidden = true;
    $('login-view').hidden = false;
    $('login-password').value = '';
    if (message) {
      $('login-error').textContent = message;
      $('login-error').hidden = false;
    } else {
      $('login-error').hidden = true;
    }
    $('login-user').focus();
  }

  function clearViews() {
    for (const view of VIEWS) {
      const results = $(view + '-results');
      if (results) results.replaceChildren();
      showStatus(view + '-status', '');
    }
    $('trail-verify-result').hidden = true;
    closeAlertDetail();
    for (const form of document.querySelectorAll('form.query')) form.reset();
  }

  function showConsole() {
    $('login-view').hidden = true;
    $('main-view').hidden = false;
    const who = me.user + ' · ' + me.role + (me.brand ? ' · brand ' + me.brand : ' · all brands');
    $('whoami').textContent = who;
    $('whoami').hidden = false;
    $('logout').hidden = false;
    document.body.dataset.role = me.role;
    // A brand-bound account's brand is implied; only unbound accounts choose one.
    for (const node of document.querySelectorAll('.brand-only')) node.hidden = Boolean(me.brand);
    let first = null;
    for (const button of $('nav').querySelectorAll('button')) {
      const roles = button.dataset.roles.split(' ');
      const allowed = roles.includes('*') || roles.includes(me.role);
      button.hidden = !allowed;
      if (allowed && !first) first = button.dataset.view;
    }
    const wanted = location.hash.replace(/^#/, '');
    const button = $('nav').querySelector('button[data-view="' + (VIEWS.includes(wanted) ? wanted : '') + '"]');
    showView(button && !button.hidden ? wanted : first);
  }

  async function onLogin(event) {
    event.preventDefault();
    const user = $('login-user').value.trim();
    const password = $('login-password').value;
    $('login-error').hidden = true;
    $('login-submit').disabled = true;
    try {
      const answer = await api('POST', '/v1/auth/login', {
        body: { user, password },
        anonymous: true,
      });
      sessionStorage.setItem(TOKEN_KEY, answer.token);
      me = { user: answer.user, role: answer.role, brand: answer.brand || '' };
      $('login-password').value = '';
      clearViews();
      showConsole();
    } catch (error) {
      let message = describe(error);
      if (error instanceof ApiError && error.status === 401) message = 'Wrong user or password.';
      $('login-password').value = '';
      $('login-error').textContent = message;
      $('login-error').hidden = false;
    } finally {
      $('login-submit').disabled = false;
    }
  }

  async function onLogout() {
    try {
      await api('POST', '/v1/auth/logout');
    } catch (e) {
      // The token is forgotten below whatever the server said.
    }
    clearViews();
    location.hash = '';
    endSession('');
  }

  // ---- navigation --------------------------------------------------------------------------

  function showView(name) {
    for (const view of VIEWS) $(view + '-view').hidden = view !== name;
    for (const button of $('nav').querySelectorAll('button')) {
      button.classList.toggle('active', button.dataset.view === name);
      button.setAttribute('aria-current', button.dataset.view === name ? 'page' : 'false');
    }
    if (location.hash !== '#' + name) history.replaceState(null, '', '#' + name);
    if (name === 'reveals') loadReveals();
    if (name === 'alerts') loadAlerts();
    if (name === 'trail') loadTrail();
    if (name === 'fleet') loadFleet();
  }

  // ---- paged result tables -----------------------------------------------------------------

  // A table filled page by page: fetchPage(after) resolves to {items, next}; columns are
  // [{title, cell(item) -> Node|string, className}]. A "More" button follows `next`.
  function pagedTable(container, statusId, columns, fetchPage, emptyText) {
    container.replaceChildren();
    showStatus(statusId, 'Loading…', 'info');
    const table = el('table', { className: 'data', testid: 'results-table' });
    const head = el('tr');
    for (const column of columns) head.append(el('th', { text: column.title }));
    table.append(el('thead', null, head));
    const tbody = el('tbody');
    table.append(tbody);
    const footer = el('div', { className: 'pager' });
    const count = el('span', { className: 'count', testid: 'results-count' });
    const more = el('button', { type: 'button', className: 'secondary', testid: 'more', text: 'More' });
    more.hidden = true;
    footer.append(count, more);
    let shown = 0;
    let next = null;

    async function load(after) {
      more.disabled = true;
      try {
        const page = await fetchPage(after);
        const items = Array.isArray(page && page.items) ? page.items : [];
        for (const item of items) {
          const row = el('tr', { testid: 'result-row' });
          for (const column of columns) {
            const value = column.cell(item);
            row.append(el('td', { className: column.className }, value));
          }
          tbody.append(row);
        }
        shown += items.length;
        next = page && typeof page.next === 'string' && page.next ? page.next : null;
        if (shown === 0) {
          container.replaceChildren();
          showStatus(statusId, emptyText || 'Nothing found.', 'info');
          return;
        }
        if (!table.isConnected) container.replaceChildren(table, footer);
        count.textContent = shown + (shown === 1 ? ' item' : ' items') + (next ? ', more available' : '');
        more.hidden = !next;
        showStatus(statusId, '');
      } catch (error) {
        showStatus(statusId, describe(error), 'error');
      } finally {
        more.disabled = false;
      }
    }

    more.addEventListener('click', () => {
      if (next) load(next);
    });
    return load(null);
  }

  function pseudonymCell(value) {
    if (typeof value !== 'string' || value === '') return '';
    const code = el('code', { className: 'pseudonym', testid: 'pseudonym', text: value });
    if (!PSEUDONYM.test(value) || !me || (me.role !== 'auditor' && me.role !== 'dpo')) return code;
    const button = el('button', {
      type: 'button',
      className: 'link',
      testid: 'reveal-request-btn',
      title: 'Ask for the identity behind ' + value,
      text: 'Reveal…',
      data: { pseudonym: value },
    });
    button.addEventListener('click', () => openRevealDialog(value));
    return el('span', { className: 'user-cell' }, code, button);
  }

  const EVENT_COLUMNS = [
    { title: 'Time (UTC)', cell: (i) => asText(i.time), className: 'nowrap' },
    { title: 'Source', cell: (i) => asText(i.source) },
    { title: 'Type', cell: (i) => el('code', { text: asText(i.type) }) },
    { title: 'User', cell: (i) => pseudonymCell(i.user), className: 'nowrap' },
    { title: 'Team', cell: (i) => asText(i.team) },
    { title: 'Host', cell: (i) => asText(i.host) },
    { title: 'Brand', cell: (i) => asText(i.brand) },
    { title: 'Record', cell: (i) => asText(i.record_id) },
    { title: 'Details', cell: (i) => asText(i.details), className: 'details' },
  ];

  // datetime-local (the browser's local time) to the API's UTC form.
  function apiTime(input) {
    if (!input.value) return undefined;
    const date = new Date(input.value);
    if (Number.isNaN(date.getTime())) throw new Error('not a date: ' + input.value);
    return date.toISOString();
  }

  function question(form, path, statusId, resultsId, buildQuery, emptyText) {
    $(form).addEventListener('submit', (event) => {
      event.preventDefault();
      let query;
      try {
        query = buildQuery();
      } catch (error) {
        showStatus(statusId, describe(error), 'error');
        return;
      }
      query.limit = PAGE_SIZE;
      pagedTable(
        $(resultsId),
        statusId,
        path === '/v1/audit/incidents' ? incidentColumns : EVENT_COLUMNS,
        (after) => api('GET', path, { query: Object.assign({}, query, { after }) }),
        emptyText,
      );
    });
  }

  const brandOf = (id) => (me && !me.brand ? $(id).value.trim() : undefined);

  // An incident: {time (detected), device, host, brand, seq, kind, detail, explained}.
  const incidentColumns = [
    { title: 'Detected (UTC)', cell: (i) => asText(i.time), className: 'nowrap' },
    { title: 'Kind', cell: (i) => el('code', { text: asText(i.kind) }) },
    { title: 'Device', cell: (i) => asText(i.device), className: 'mono' },
    { title: 'Host', cell: (i) => asText(i.host) },
    { title: 'Brand', cell: (i) => asText(i.brand) },
    { title: 'Seq', cell: (i) => asText(i.seq) },
    { title: 'Detail', cell: (i) => asText(i.detail), className: 'details' },
    { title: 'Explained', cell: (i) => (i.explained ? 'yes (agent.gap)' : 'no') },
  ];

  // ---- reveals -----------------------------------------------------------------------------

  function openRevealDialog(pseudonym) {
    $('reveal-form').reset();
    $('reveal-pseudonym').value = pseudonym || '';
    $('reveal-pseudonym').readOnly = Boolean(pseudonym);
    $('reveal-error').hidden = true;
    $('reveal-submit').disabled = false;
    $('reveal-dialog').showModal();
    (pseudonym ? $('reveal-reason') : $('reveal-pseudonym')).focus();
  }

  async function onRevealSubmit(event) {
    event.preventDefault();
    const pseudonym = $('reveal-pseudonym').value.trim();
    const reason = $('reveal-reason').value.trim();
    if (!PSEUDONYM.test(pseudonym)) {
      showStatus('reveal-error', 'A pseudonym is p- followed by 10 hex digits.', 'error');
      return;
    }
    if (reason.length < 10 || reason.length > 500) {
      showStatus('reveal-error', 'The reason takes 10 to 500 characters.', 'error');
      return;
    }
    $('reveal-submit').disabled = true;
    try {
      const answer = await api('POST', '/v1/reveals', { body: { pseudonym, reason } });
      $('reveal-dialog').close();
      showView('reveals');
      await loadReveals();
      showStatus(
        'reveals-status',
        'Request ' + asText(answer && answer.id) + ' sent for ' + pseudonym + ': waiting for a DPO.',
        'ok',
      );
    } catch (error) {
      showStatus('reveal-error', describe(error), 'error');
    } finally {
      $('reveal-submit').disabled = false;
    }
  }

  async function decideReveal(id, verdict) {
    try {
      await api('POST', '/v1/reveals/' + encodeURIComponent(id) + '/' + verdict);
      await loadReveals();
      showStatus('reveals-status', 'Request ' + id + (verdict === 'approve' ? ' approved.' : ' denied.'), 'ok');
    } catch (error) {
      showStatus('reveals-status', 'Request ' + id + ': ' + describe(error), 'error');
    }
  }

  // Reading an identity is written to the trail, so it is an explicit action, one request at a time.
  async function showIdentity(id, cell) {
    try {
      const request = await api('GET', '/v1/reveals/' + encodeURIComponent(id));
      if (request && typeof request.identity === 'string') {
        cell.replaceChildren(el('strong', { className: 'identity', testid: 'reveal-identity', text: request.identity }));
        showStatus('reveals-status', '');
      } else {
        showStatus('reveals-status', 'Request ' + id + ': no identity to show (expired or not approved).', 'error');
      }
    } catch (error) {
      showStatus('reveals-status', 'Request ' + id + ': ' + describe(error), 'error');
    }
  }

  async function loadReveals() {
    const container = $('reveals-results');
    showStatus('reveals-status', 'Loading…', 'info');
    let answer;
    try {
      answer = await api('GET', '/v1/reveals');
    } catch (error) {
      showStatus('reveals-status', describe(error), 'error');
      return;
    }
    const items = Array.isArray(answer && answer.items) ? answer.items : [];
    if (items.length === 0) {
      container.replaceChildren();
      showStatus('reveals-status', 'No reveal requests.', 'info');
      return;
    }
    const table = el('table', { className: 'data', testid: 'reveals-table' });
    const head = el('tr');
    for (const title of ['#', 'Pseudonym', 'Reason', 'Requested by', 'Requested (UTC)', 'Status', 'Decided by', 'Identity / action']) {
      head.append(el('th', { text: title }));
    }
    table.append(el('thead', null, head));
    const tbody = el('tbody');
    for (const item of items) {
      const id = asText(item.id);
      const status = asText(item.status);
      const requester = asText(item.requester);
      const mine = Boolean(me) && requester === me.user;
      const row = el('tr', { testid: 'reveal-row', data: { id, status, mine: mine ? 'yes' : 'no' } });
      const action = el('td', { className: 'actions' });
      if (typeof item.identity === 'string') {
        action.append(el('strong', { className: 'identity', testid: 'reveal-identity', text: item.identity }));
      } else if (status === 'approved') {
        const show = el('button', { type: 'button', testid: 'reveal-show', text: 'Show identity' });
        show.addEventListener('click', () => showIdentity(id, action));
        action.append(show);
      } else if (status === 'pending' && me && me.role === 'dpo' && !mine) {
        // The server refuses a requester deciding its own request; the buttons are not offered.
        const approve = el('button', { type: 'button', testid: 'reveal-approve', text: 'Approve' });
        const deny = el('button', { type: 'button', className: 'danger', testid: 'reveal-deny', text: 'Deny' });
        approve.addEventListener('click', () => decideReveal(id, 'approve'));
        deny.addEventListener('click', () => decideReveal(id, 'deny'));
        action.append(approve, deny);
      } else if (status === 'pending') {
        const waiting = me && me.role === 'dpo' && mine ? 'waiting for another DPO' : 'waiting for a DPO';
        action.append(el('span', { className: 'muted', text: waiting }));
      }
      row.append(
        el('td', { text: id }),
        el('td', null, el('code', { className: 'pseudonym', text: asText(item.pseudonym) })),
        el('td', { className: 'details', text: asText(item.reason) }),
        el('td', { text: requester }),
        el('td', { className: 'nowrap', text: asText(item.requested) }),
        el('td', null, el('span', { className: 'badge ' + badgeClass(status), testid: 'reveal-status', text: status })),
        el('td', { text: asText(item.decider) }),
        action,
      );
      tbody.append(row);
    }
    table.append(tbody);
    container.replaceChildren(table);
    showStatus('reveals-status', '');
  }

  function badgeClass(status) {
    if (status === 'approved') return 'badge-ok';
    if (status === 'denied') return 'badge-bad';
    return 'badge-wait';
  }

  // ---- alerts ------------------------------------------------------------------------------

  // An alert (collector/detect/alert_json.h): {id, rule, severity, status, person (pseudonym or
  // null), device, brand, time, raised, summary, evidence: [{type, device, seq, time,
  // record_id}], evidence_count, origin, verdict, comment, updated_by, updated}.
  let openAlertId = null;

  function severityBadge(severity) {
    const text = asText(severity);
    const kind = text === 'high' ? 'badge-bad' : text === 'medium' ? 'badge-wait' : 'badge-ok';
    return el('span', { className: 'badge ' + kind, testid: 'alert-severity', text });
  }

  function alertStatusBadge(status) {
    const text = asText(status);
    const kind = text === 'open' ? 'badge-bad' : text === 'acknowledged' ? 'badge-wait' : 'badge-ok';
    return el('span', { className: 'badge ' + kind, testid: 'alert-status', text });
  }

  const ALERT_COLUMNS = [
    { title: '#', cell: (a) => asText(a.id) },
    { title: 'Severity', cell: (a) => severityBadge(a.severity) },
    { title: 'Rule', cell: (a) => el('code', { testid: 'alert-rule', text: asText(a.rule) }) },
    { title: 'Status', cell: (a) => alertStatusBadge(a.status) },
    { title: 'Time (UTC)', cell: (a) => asText(a.time), className: 'nowrap' },
    { title: 'Person', cell: (a) => pseudonymCell(a.person), className: 'nowrap' },
    { title: 'Summary', cell: (a) => asText(a.summary), className: 'details' },
    {
      title: '',
      cell: (a) => {
        const id = asText(a.id);
        const button = el('button', { type: 'button', className: 'secondary', testid: 'alert-open', text: 'Details', data: { id } });
        button.addEventListener('click', () => openAlert(id));
        return button;
      },
    },
  ];

  // The list pages through `next_before`, shown to pagedTable as its `next` cursor.
  function loadAlerts() {
    const query = {
      status: $('alerts-filter-status').value || undefined,
      brand: brandOf('alerts-brand'),
      limit: PAGE_SIZE,
    };
    return pagedTable($('alerts-results'), 'alerts-status', ALERT_COLUMNS, async (after) => {
      const page = await api('GET', '/v1/alerts', { query: Object.assign({}, query, { before: after }) });
      const next = page && Number.isInteger(page.next_before) ? String(page.next_before) : null;
      return { items: page && page.items, next };
    }, 'No alerts.');
  }

  function closeAlertDetail() {
    openAlertId = null;
    $('alert-detail').hidden = true;
    $('alert-fields').replaceChildren();
    $('alert-evidence').replaceChildren();
    $('alert-comment').value = '';
    showStatus('alert-action-status', '');
  }

  function showAlert(alert) {
    const id = asText(alert.id);
    openAlertId = id;
    const detail = $('alert-detail');
    detail.dataset.id = id;
    detail.dataset.status = asText(alert.status);
    $('alert-title').textContent = 'Alert ' + id + ': ' + asText(alert.rule);
    const fields = $('alert-fields');
    fields.replaceChildren();
    const rows = [
      ['Severity', severityBadge(alert.severity)],
      ['Status', alertStatusBadge(alert.status)],
      ['Summary', asText(alert.summary)],
      ['Person', alert.person ? el('code', { className: 'pseudonym', testid: 'alert-person', text: asText(alert.person) }) : ''],
      ['Device', asText(alert.device)],
      ['Brand', asText(alert.brand)],
      ['Time (UTC)', asText(alert.time)],
      ['Raised (UTC)', asText(alert.raised)],
      ['Origin', asText(alert.origin)],
      ['Verdict', el('span', { testid: 'alert-verdict', text: asText(alert.verdict) })],
      ['Comment', el('span', { testid: 'alert-comment-shown', text: asText(alert.comment) })],
      ['Updated by', asText(alert.updated_by)],
      ['Updated (UTC)', asText(alert.updated)],
    ];
    for (const [name, value] of rows) fields.append(el('dt', { text: name }), el('dd', null, value));

    const evidence = Array.isArray(alert.evidence) ? alert.evidence : [];
    const container = $('alert-evidence');
    if (evidence.length === 0) {
      container.replaceChildren(el('p', { className: 'muted', text: 'No evidence kept.' }));
    } else {
      const table = el('table', { className: 'data', testid: 'evidence-table' });
      const head = el('tr');
      for (const title of ['Type', 'Device', 'Seq', 'Time (UTC)', 'Record']) head.append(el('th', { text: title }));
      table.append(el('thead', null, head));
      const tbody = el('tbody');
      for (const item of evidence) {
        tbody.append(el('tr', { testid: 'evidence-row' },
          el('td', null, el('code', { text: asText(item.type) })),
          el('td', { className: 'mono', text: asText(item.device) }),
          el('td', { text: asText(item.seq) }),
          el('td', { className: 'nowrap', text: asText(item.time) }),
          el('td', { text: asText(item.record_id) })));
      }
      table.append(tbody);
      const total = Number(alert.evidence_count);
      const note = Number.isInteger(total) && total > evidence.length
        ? el('p', { className: 'muted', text: evidence.length + ' of ' + total + ' events kept.' })
        : null;
      container.replaceChildren(table, note || '');
    }
    const status = asText(alert.status);
    $('alert-ack').hidden = status !== 'open';
    $('alert-close-true').hidden = status === 'closed';
    $('alert-close-false').hidden = status === 'closed';
    $('alert-form').hidden = status === 'closed';
    detail.hidden = false;
  }

  async function openAlert(id) {
    showStatus('alert-action-status', '');
    $('alert-comment').value = '';
    try {
      showAlert(await api('GET', '/v1/alerts/' + encodeURIComponent(id)));
    } catch (error) {
      showStatus('alerts-status', 'Alert ' + id + ': ' + describe(error), 'error');
    }
  }

  // verdict: undefined to acknowledge, else 'true_positive' or 'false_positive'.
  async function decideAlert(verdict) {
    const id = openAlertId;
    if (!id) return;
    const comment = $('alert-comment').value.trim();
    if (verdict && !comment) {
      showStatus('alert-action-status', 'Say what was found before closing the alert.', 'error');
      return;
    }
    const buttons = [$('alert-ack'), $('alert-close-true'), $('alert-close-false')];
    for (const button of buttons) button.disabled = true;
    try {
      const path = '/v1/alerts/' + encodeURIComponent(id) + (verdict ? '/close' : '/acknowledge');
      const body = verdict ? { verdict, comment } : comment ? { comment } : {};
      const alert = await api('POST', path, { body });
      $('alert-comment').value = '';
      showAlert(alert);
      showStatus(
        'alert-action-status',
        'Alert ' + id + (verdict ? ' closed as ' + verdict.replace('_', ' ') + '.' : ' acknowledged.'),
        'ok',
      );
      loadAlerts();
    } catch (error) {
      showStatus('alert-action-status', 'Alert ' + id + ': ' + describe(error), 'error');
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  }

  // ---- audit trail -------------------------------------------------------------------------

  const TRAIL_COLUMNS = [
    { title: 'Seq', cell: (i) => asText(i.seq) },
    { title: 'Time (UTC)', cell: (i) => asText(i.time), className: 'nowrap' },
    { title: 'Actor', cell: (i) => asText(i.actor) },
    { title: 'Role', cell: (i) => asText(i.role) },
    { title: 'Brand', cell: (i) => asText(i.brand) },
    { title: 'Action', cell: (i) => el('code', { testid: 'trail-action', text: asText(i.action) }) },
    { title: 'Detail', cell: (i) => asText(i.detail), className: 'details' },
    { title: 'Outcome', cell: (i) => asText(i.outcome) },
    { title: 'Hash', cell: (i) => el('code', { className: 'hash', title: asText(i.hash), text: asText(i.hash).slice(0, 12) }) },
  ];

  function loadTrail() {
    $('trail-verify-result').hidden = true;
    return pagedTable($('trail-results'), 'trail-status', TRAIL_COLUMNS, (after) =>
      api('GET', '/v1/trail', { query: { after, limit: PAGE_SIZE } }),
    'The trail is empty.');
  }

  async function verifyTrail() {
    const verdict = $('trail-verify-result');
    verdict.hidden = true;
    try {
      const answer = await api('GET', '/v1/trail/verify');
      const ok = answer && answer.ok === true;
      verdict.dataset.ok = ok ? 'true' : 'false';
      verdict.className = 'verdict ' + (ok ? 'badge-ok' : 'badge-bad');
      verdict.textContent = ok
        ? 'Chain ok: ' + asText(answer.entries) + ' entries verified.'
        : 'Chain BROKEN at entry ' + asText(answer && answer.broken_at) + ' (' + asText(answer && answer.entries) + ' entries).';
      verdict.hidden = false;
      showStatus('trail-status', '');
    } catch (error) {
      showStatus('trail-status', describe(error), 'error');
    }
  }

  // ---- fleet -------------------------------------------------------------------------------

  function fleetStatusBadge(status) {
    const text = asText(status);
    const kind = text === 'healthy' ? 'badge-ok'
      : text === 'late' || text === 'outdated' ? 'badge-wait' : 'badge-bad';
    return el('span', { className: 'badge ' + kind, testid: 'fleet-device-status', text });
  }

  function fleetQueue(item) {
    const queue = item.queue;
    if (!queue) return '';
    const oldest = queue.oldest_event_age_seconds;
    return asText(queue.events) + ' events' + (oldest === null || oldest === undefined
      ? '' : ', oldest ' + asText(oldest) + ' s');
  }

  function fleetSensors(item) {
    if (!Array.isArray(item.sessions)) return '';
    return item.sessions.map((s) => asText(s.session) + ' ' + asText(s.person) + ' ('
      + asText(s.status) + ')').join(', ');
  }

  const FLEET_COLUMNS = [
    { title: 'Device', cell: (i) => asText(i.device), className: 'mono' },
    { title: 'Host', cell: (i) => asText(i.host) },
    { title: 'Status', cell: (i) => fleetStatusBadge(i.status) },
    { title: 'Why', cell: (i) => asText(i.why) },
    { title: 'Last heartbeat (UTC)', cell: (i) => asText(i.last_seen), className: 'nowrap' },
    { title: 'Agent', cell: (i) => asText(i.agent_version) },
    { title: 'OS', cell: (i) => asText(i.os) },
    { title: 'Policy', cell: (i) => (i.policy ? asText(i.policy.serial) + (i.policy.error ? ' (refused: ' + asText(i.policy.error) + ')' : '') : '') },
    { title: 'Queue', cell: fleetQueue, className: 'nowrap' },
    { title: 'Drops', cell: (i) => asText(i.drops) },
    { title: 'Last upload (UTC)', cell: (i) => asText(i.last_upload), className: 'nowrap' },
    { title: 'Session sensors', cell: fleetSensors },
    { title: 'Brand', cell: (i) => asText(i.brand) },
    { title: 'Revoked', cell: (i) => (i.revoked ? 'yes' : 'no') },
  ];

  function loadFleet() {
    const status = $('fleet-filter').value || undefined;
    return pagedTable($('fleet-results'), 'fleet-status', FLEET_COLUMNS, async () => {
      try {
        return await api('GET', '/v1/fleet', { query: { status } });
      } catch (error) {
        if (error instanceof ApiError && error.status === 403) {
          throw new ApiError(0, 'Fleet status is not available for your role.', null);
        }
        throw error;
      }
    }, status ? 'No workstation with this status.' : 'No enrolled workstations.');
  }

  // ---- wiring ------------------------------------------------------------------------------

  function wire() {
    $('login-form').addEventListener('submit', onLogin);
    $('logout').addEventListener('click', onLogout);
    for (const button of $('nav').querySelectorAll('button')) {
      button.addEventListener('click', () => showView(button.dataset.view));
    }
    question('record-form', '/v1/audit/record', 'record-status', 'record-results', () => ({
      id: $('record-id').value.trim(),
      from: apiTime($('record-from')),
      to: apiTime($('record-to')),
      brand: brandOf('record-brand'),
    }), 'No history for this record in the period.');
    question('timeline-form', '/v1/audit/timeline', 'timeline-status', 'timeline-results', () => ({
      user: $('timeline-user').value.trim(),
      from: apiTime($('timeline-from')),
      to: apiTime($('timeline-to')),
      brand: brandOf('timeline-brand'),
    }), 'Nothing for this person in the period.');
    question('exports-form', '/v1/audit/exports', 'exports-status', 'exports-results', () => ({
      team: $('exports-team').value.trim() || undefined,
      pii: $('exports-pii').checked ? '1' : undefined,
      from: apiTime($('exports-from')),
      to: apiTime($('exports-to')),
      brand: brandOf('exports-brand'),
    }), 'No exports in the period.');
    question('incidents-form', '/v1/audit/incidents', 'incidents-status', 'incidents-results', () => ({
      from: apiTime($('incidents-from')),
      to: apiTime($('incidents-to')),
    }), 'No integrity incidents in the period.');
    $('reveals-refresh').addEventListener('click', loadReveals);
    $('reveals-new').addEventListener('click', () => openRevealDialog(''));
    $('reveal-form').addEventListener('submit', onRevealSubmit);
    $('reveal-cancel').addEventListener('click', () => $('reveal-dialog').close());
    $('alerts-form').addEventListener('submit', (event) => {
      event.preventDefault();
      closeAlertDetail();
      loadAlerts();
    });
    $('alerts-filter-status').addEventListener('change', () => {
      closeAlertDetail();
      loadAlerts();
    });
    $('alert-form').addEventListener('submit', (event) => event.preventDefault());
    $('alert-ack').addEventListener('click', () => decideAlert(undefined));
    $('alert-close-true').addEventListener('click', () => decideAlert('true_positive'));
    $('alert-close-false').addEventListener('click', () => decideAlert('false_positive'));
    $('trail-refresh').addEventListener('click', loadTrail);
    $('trail-verify').addEventListener('click', verifyTrail);
    $('fleet-refresh').addEventListener('click', loadFleet);
    $('fleet-filter').addEventListener('change', loadFleet);
  }

  async function start() {
    wire();
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      showLogin('');
      return;
    }
    try {
      const who = await api('GET', '/v1/auth/me');
      me = { user: who.user, role: who.role, brand: who.brand || '' };
      showConsole();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) endSession(describe(error));
    }
  }

  document.addEventListener('DOMContentLoaded', start);
})();
