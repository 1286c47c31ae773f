/**
 * The inspector's investigation tools, appended to the core script (script.ts): the request filters,
 * a request's detail with its ledger entry, copy as curl and the HAR download. Same rules as the core:
 * plain browser JavaScript, `textContent` only, no backticks or `${`.
 */
export const INSPECTOR_DETAIL = `
function filterQuery(extra) {
  var parts = extra ? [extra] : [];
  var family = $('filter-family').value;
  var operation = $('filter-operation').value.trim();
  var status = $('filter-status').value.trim();
  if (family) parts.push('family=' + encodeURIComponent(family));
  if (operation) parts.push('operationId=' + encodeURIComponent(operation));
  if (status) parts.push('status=' + encodeURIComponent(status));
  return parts.join('&');
}

// The operation filter suggests every operation seen so far.
var seenOperations = {};
function noteOperations(requests) {
  var list = $('operations');
  requests.forEach(function (r) {
    if (!r.operationId || seenOperations[r.operationId]) return;
    seenOperations[r.operationId] = true;
    var option = el('option');
    option.value = r.operationId;
    list.appendChild(option);
  });
}

function pretty(value) {
  if (value === null || value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function headerLines(headers) {
  var names = Object.keys(headers || {});
  return names.length === 0 ? '(none)' : names.map(function (name) { return name + ': ' + headers[name]; }).join('\\n');
}

function quote(text) { return "'" + String(text).split("'").join("'\\\\''") + "'"; }

// The journal keeps credentials masked, so the command carries the masked value: paste the real one.
// curl sets these itself (and would print a compressed answer raw).
var SKIPPED = { host: true, 'content-length': true, connection: true, 'accept-encoding': true };
function curlOf(r) {
  var url = location.origin + base() + r.path + (r.query ? '?' + r.query : '');
  var parts = ['curl', '-X', r.method, quote(url)];
  Object.keys(r.requestHeaders || {}).forEach(function (name) {
    if (!SKIPPED[name]) parts.push('-H', quote(name + ': ' + r.requestHeaders[name]));
  });
  if (r.requestBody !== null && r.requestBody !== undefined)
    parts.push('--data-raw', quote(typeof r.requestBody === 'string' ? r.requestBody : JSON.stringify(r.requestBody)));
  return parts.join(' ');
}

// A committed request's entry: same family, operation and key, written between arrival and answer.
function ledgerEntryOf(r) {
  if (!r.family || r.status === null || r.status >= 300) return Promise.resolve(null);
  return call('GET', '/_mock/journal?family=' + encodeURIComponent(r.family) + '&limit=200').then(function (page) {
    var from = Date.parse(r.time);
    return page.entries.find(function (entry) {
      if ((entry.operationId || entry.operation) !== r.operationId) return false;
      if ((entry.idempotencyKey || null) !== (r.idempotencyKey || null)) return false;
      if (r.replayed) return true;
      var at = Date.parse(entry.time);
      return at >= from && at <= from + r.durationMs + 1000;
    }) || null;
  });
}

function showDetail(r) {
  var flags = [r.method + ' ' + r.path + (r.query ? '?' + r.query : ''), 'status ' + (r.status === null ? 'none' : r.status)];
  flags.push(r.operationId ? 'operation ' + r.operationId : 'no operation (unrouted)');
  if (r.family) flags.push('family ' + r.family);
  flags.push(r.replayed ? 'replayed' : 'not replayed');
  flags.push(r.fault ? 'fault ' + r.fault.id + ' (' + r.fault.kind + ')' : 'no fault');
  if (r.delivered === false) flags.push('never delivered');
  flags.push(r.durationMs + ' ms');
  $('detail-id').textContent = r.id;
  $('detail-summary').textContent = flags.join(' · ');
  $('curl').textContent = curlOf(r);
  $('detail-request-headers').textContent = headerLines(r.requestHeaders);
  $('detail-request-body').textContent = pretty(r.requestBody);
  $('detail-response-headers').textContent = headerLines(r.responseHeaders);
  $('detail-response-body').textContent = pretty(r.responseBody);
  $('detail-ledger').textContent = '…';
  $('detail').hidden = false;
  $('detail').scrollIntoView();
  ledgerEntryOf(r).then(function (entry) {
    $('detail-ledger').textContent = entry ? pretty(entry) : r.replayed ? 'A replay commits nothing.' : 'This request committed no ledger entry.';
  }, function (error) { say(error.message, true); });
}

$('detail-close').addEventListener('click', function () { $('detail').hidden = true; });
$('curl-copy').addEventListener('click', function () {
  var text = $('curl').textContent;
  var copied = navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error('no clipboard'));
  copied.then(function () { say('Copied as curl (credentials masked: paste your own).'); },
    function () { say('The browser refused the clipboard: select the command above and copy it.', true); });
});
$('requests-filter').addEventListener('submit', function (event) { event.preventDefault(); refresh(); });

// The HAR route needs the admin token, which a plain link cannot send: fetch it, then save it.
$('har').addEventListener('click', function () {
  var token = sessionStorage.getItem('ledgerline.token');
  fetch(base() + '/_mock/requests/har?' + filterQuery(''), { headers: token ? { 'x-mock-admin-token': token } : {} })
    .then(function (response) {
      if (!response.ok) throw new Error('GET /_mock/requests/har answered ' + response.status + '.');
      return response.blob();
    })
    .then(function (blob) {
      var link = el('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'ledgerline-requests.har';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
      say('HAR saved: open it in the DevTools network panel or a HAR viewer.');
    }, function (error) { say(error.message, true); });
});

refresh();
live();
`;
