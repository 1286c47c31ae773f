/**
 * The inspector's script: plain browser JavaScript, no framework, no build step. It polls the control
 * API once a second while "Live" is on and renders with `textContent` only (never HTML from data).
 * The admin token lives in sessionStorage and travels as `x-mock-admin-token` on every call.
 * Kept free of backticks and `${`: it is embedded in a template literal. The request detail, filters,
 * curl and HAR live in script-detail.ts.
 */
export const INSPECTOR_CORE = `
'use strict';
var $ = function (id) { return document.getElementById(id); };
// Opened at a sandbox's base URL (/_mock/sandboxes/{id}/_mock/ui), the page starts on that sandbox.
var opened = /^[/]_mock[/]sandboxes[/]([^/]+)[/]_mock[/]ui$/.exec(location.pathname);
var state = {
  sandbox: opened ? decodeURIComponent(opened[1]) : sessionStorage.getItem('ledgerline.sandbox') || '',
  timer: null,
  busy: false,
};

function base() { return state.sandbox ? '/_mock/sandboxes/' + encodeURIComponent(state.sandbox) : ''; }

// Messages stay until dismissed, so one that arrives while the user looks elsewhere is not lost;
// the same text is not stacked twice (a poll failing every second shows one message).
function say(text, isError) {
  if (!text) return;
  var holder = $('status');
  var shown = Array.prototype.some.call(holder.children, function (m) { return m.firstChild.textContent === text; });
  if (shown) return;
  var message = el('p', undefined, isError ? 'message error' : 'message');
  message.appendChild(el('span', text));
  var dismiss = el('button', 'Dismiss');
  dismiss.type = 'button';
  dismiss.setAttribute('aria-label', 'Dismiss: ' + text);
  dismiss.addEventListener('click', function () { message.remove(); });
  message.appendChild(dismiss);
  holder.appendChild(message);
}

function call(method, path, body, root) {
  var headers = {};
  var token = sessionStorage.getItem('ledgerline.token');
  if (token) headers['x-mock-admin-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  var init = { method: method, headers: headers };
  if (body !== undefined) init.body = JSON.stringify(body);
  return fetch((root ? '' : base()) + path, init).then(function (response) {
    return response.text().then(function (text) {
      var json = text ? JSON.parse(text) : null;
      var failure;
      if (response.status === 401) failure = new Error('The server needs its admin token (or, in a sandbox, the sandbox token): enter it above and press "Use token".');
      else if (!response.ok) failure = new Error(method + ' ' + path + ' answered ' + response.status + ': ' + (json && json.error ? json.error : text));
      if (failure) { failure.status = response.status; throw failure; }
      return json;
    });
  });
}

function el(tag, text, className) {
  var node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  var tr = document.createElement('tr');
  cells.forEach(function (cell) { tr.appendChild(cell instanceof Node ? cell : el('td', cell)); });
  return tr;
}

function fill(tableId, rows, empty, columns) {
  var body = $(tableId).tBodies[0];
  body.replaceChildren();
  if (rows.length === 0) {
    var td = el('td', empty, 'muted');
    td.colSpan = columns;
    body.appendChild(row([td]));
  }
  rows.forEach(function (tr) { body.appendChild(tr); });
}

function renderBalances(view) {
  $('now').textContent = view.now;
  var byFamily = {};
  view.accounts.forEach(function (account) { (byFamily[account.family] = byFamily[account.family] || []).push(account); });
  var holder = $('balances');
  holder.replaceChildren();
  Object.keys(byFamily).sort().forEach(function (family) {
    var table = el('table');
    table.appendChild(el('caption', family));
    var head = el('thead');
    head.appendChild(row(['account', 'kind', 'balances'].map(function (name) { var th = el('th', name); th.scope = 'col'; return th; })));
    table.appendChild(head);
    var body = el('tbody');
    byFamily[family].forEach(function (account) {
      var amounts = Object.keys(account.balances).map(function (asset) { return account.balances[asset] + ' ' + asset; }).join(', ');
      body.appendChild(row([el('td', account.id), el('td', account.kind, account.kind === 'system' ? 'muted' : ''), el('td', amounts, 'num')]));
    });
    table.appendChild(body);
    holder.appendChild(table);
  });
}

function renderRequests(page) {
  $('requests-note').textContent = page.evicted > 0 ? '(' + page.evicted + ' older requests evicted from the ring)' : '';
  fill('requests', page.requests.map(function (r) {
    var notes = [];
    if (r.replayed) notes.push('replayed');
    if (r.fault) notes.push('fault ' + r.fault.id + ' (' + r.fault.kind + ')');
    if (r.delivered === false) notes.push('not delivered');
    if (r.credential) notes.push(r.credential);
    var status = el('td', r.status === null ? 'dropped' : r.status, r.status !== null && r.status < 400 ? 'ok' : 'bad');
    var open = el('button', String(r.id), 'link');
    open.type = 'button';
    open.setAttribute('aria-label', 'Details of ' + r.id);
    open.addEventListener('click', function () { showDetail(r); });
    var cell = el('td');
    cell.appendChild(open);
    return row([cell, r.time, r.method + ' ' + r.path, r.operationId || '(no operation)', status,
      String(r.durationMs), r.idempotencyKey || '', notes.join('; ')]);
  }), 'No requests match: call the server with the SDK or curl, or change the filters.', 8);
  noteOperations(page.requests);
}

function renderJournal(page) {
  fill('journal', page.entries.map(function (entry) {
    var postings = entry.postings.map(function (p) { return p.amount + ' ' + p.asset + ' ' + p.debit + ' -> ' + p.credit; }).join('\\n');
    var cell = el('td', postings);
    cell.style.whiteSpace = 'pre-line';
    return row([String(entry.id), entry.time, entry.family, entry.operationId || entry.operation, cell]);
  }), 'The journal is empty.', 5);
}

function renderFaults(list) {
  fill('faults', list.faults.map(function (f) {
    var detail = f.kind === 'status' ? 'HTTP ' + f.status : f.kind === 'latency' ? f.delayMs + ' ms' : '';
    if (f.retryAfterSeconds !== undefined) detail += ' Retry-After ' + f.retryAfterSeconds + ' s';
    if (f.probability !== undefined) detail += ' p=' + f.probability;
    var remove = el('button', 'Delete', 'danger');
    remove.type = 'button';
    remove.setAttribute('aria-label', 'Delete fault ' + f.id);
    remove.addEventListener('click', function () {
      act(call('DELETE', '/_mock/faults/' + encodeURIComponent(f.id)), function () { return 'Fault ' + f.id + ' deleted.'; });
    });
    var actions = el('td');
    actions.appendChild(remove);
    return row([f.id, f.method || 'any', f.path, f.kind, detail, f.times === undefined || f.times === null ? 'unlimited' : String(f.times),
      f.remaining === undefined || f.remaining === null ? 'unlimited' : String(f.remaining), actions]);
  }), 'No faults.', 8);
}

function renderInvariants(report) {
  var summary = $('invariants-summary');
  summary.textContent = report.ok ? 'All ' + report.checks.length + ' checks pass.' : 'Broken: see below.';
  summary.className = report.ok ? 'ok' : 'bad';
  var list = $('invariants');
  list.replaceChildren();
  report.checks.forEach(function (check) {
    var item = el('li', (check.ok ? 'ok: ' : 'BROKEN: ') + check.name + ' (' + check.detail + ')', check.ok ? '' : 'bad');
    list.appendChild(item);
  });
}

function renderSandboxes(list) {
  var select = $('sandbox');
  var ids = list.sandboxes.map(function (s) { return s.id; });
  if (state.sandbox && ids.indexOf(state.sandbox) === -1) choose('');
  var wanted = [''].concat(ids).join(',');
  var shown = Array.prototype.map.call(select.options, function (o) { return o.value; }).join(',');
  if (wanted !== shown) {
    select.replaceChildren(el('option', 'default'));
    select.options[0].value = '';
    list.sandboxes.forEach(function (s) {
      var option = el('option', s.id + ' (expires ' + s.expiresAt.slice(11, 19) + ' UTC)');
      option.value = s.id;
      select.appendChild(option);
    });
  }
  select.value = state.sandbox;
  $('sandbox-delete').disabled = !state.sandbox;
}

// A sandbox's token may not list the sandboxes (that takes the admin token), but it may read its own.
function sandboxList() {
  return call('GET', '/_mock/sandboxes', undefined, true).then(undefined, function (error) {
    if (error.status !== 401 || !state.sandbox) throw error;
    return call('GET', '/_mock/sandboxes/' + encodeURIComponent(state.sandbox), undefined, true).then(function (one) {
      return { sandboxes: [one] };
    });
  });
}

function refresh() {
  if (state.busy) return Promise.resolve();
  state.busy = true;
  return Promise.all([
    sandboxList().then(renderSandboxes),
    call('GET', '/_mock/state').then(renderBalances),
    call('GET', '/_mock/requests?' + filterQuery('limit=50')).then(renderRequests),
    call('GET', '/_mock/journal?limit=50').then(renderJournal),
    call('GET', '/_mock/faults').then(renderFaults),
    call('GET', '/_mock/invariants').then(renderInvariants),
  ]).then(undefined, function (error) { say(error.message, true); }).finally(function () { state.busy = false; });
}

function act(promise, done) {
  return promise.then(function (result) { say(done(result)); return refresh(); }, function (error) { say(error.message, true); });
}

function choose(id) {
  state.sandbox = id;
  sessionStorage.setItem('ledgerline.sandbox', id);
}

function live() {
  clearInterval(state.timer);
  state.timer = $('live').checked ? setInterval(refresh, 1000) : null;
}

$('sandbox').addEventListener('change', function (event) { choose(event.target.value); refresh(); });
$('sandbox-new').addEventListener('click', function () {
  act(call('POST', '/_mock/sandboxes', {}, true), function (created) {
    choose(created.id);
    return 'Sandbox ' + created.id + ' created: point the SDK baseUrl at ' + created.baseUrl;
  });
});
$('sandbox-delete').addEventListener('click', function () {
  var id = state.sandbox;
  act(call('DELETE', '/_mock/sandboxes/' + encodeURIComponent(id), undefined, true), function () { choose(''); return 'Sandbox ' + id + ' ended.'; });
});
$('token').value = sessionStorage.getItem('ledgerline.token') || '';
$('token-save').addEventListener('click', function () {
  sessionStorage.setItem('ledgerline.token', $('token').value);
  // The message asking for the token is answered now.
  Array.prototype.slice.call($('status').children).forEach(function (m) { if (/admin token/.test(m.textContent)) m.remove(); });
  act(Promise.resolve(), function () { return 'Token saved for this tab.'; });
});
$('live').addEventListener('change', live);
$('refresh').addEventListener('click', refresh);
$('clock-set').addEventListener('submit', function (event) {
  event.preventDefault();
  act(call('POST', '/_mock/clock', { now: $('clock-now').value.trim() }), function (c) { return 'Clock set to ' + c.now + '.'; });
});
$('clock-advance').addEventListener('submit', function (event) {
  event.preventDefault();
  act(call('POST', '/_mock/clock', { advanceSeconds: Number($('clock-seconds').value) }), function (c) { return 'Clock now ' + c.now + '.'; });
});
// Reset asks first, saying what it restores: the startup seed, not necessarily the demo one.
$('reset').addEventListener('click', function () { $('reset-confirm').hidden = false; $('reset-yes').focus(); });
$('reset-no').addEventListener('click', function () { $('reset-confirm').hidden = true; $('reset').focus(); });
$('reset-yes').addEventListener('click', function () {
  $('reset-confirm').hidden = true;
  act(call('POST', '/_mock/reset'), function () { return 'Reset to the startup seed.'; });
});
$('fault-add').addEventListener('submit', function (event) {
  event.preventDefault();
  var spec = { path: $('fault-path').value.trim(), kind: $('fault-kind').value };
  if ($('fault-method').value) spec.method = $('fault-method').value;
  if (spec.kind === 'status') spec.status = Number($('fault-status').value);
  if (spec.kind === 'status' && $('fault-retry').value) spec.retryAfterSeconds = Number($('fault-retry').value);
  if (spec.kind === 'latency') spec.delayMs = Number($('fault-ms').value);
  if ($('fault-times').value) spec.times = Number($('fault-times').value);
  if ($('fault-probability').value) spec.probability = Number($('fault-probability').value);
  act(call('POST', '/_mock/faults', spec), function (created) { return 'Fault ' + created.id + ' added.'; });
});
$('faults-clear').addEventListener('click', function () {
  act(call('DELETE', '/_mock/faults'), function () { return 'Faults cleared.'; });
});
$('requests-clear').addEventListener('click', function () {
  act(call('DELETE', '/_mock/requests'), function () { return 'Request journal cleared.'; });
});
`;
