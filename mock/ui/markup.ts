/** The inspector's markup: every control labelled, every live region announced, tables with captions. */
export const INSPECTOR_BODY = `
<header>
  <h1>ledgerline inspector</h1>
  <div class="row" role="group" aria-label="Sandboxes">
    <span class="field"><label for="sandbox">State</label><select id="sandbox"><option value="">default</option></select></span>
    <button type="button" id="sandbox-new">New sandbox</button>
    <button type="button" id="sandbox-delete" class="danger">End sandbox</button>
  </div>
  <div class="row" role="group" aria-label="Authentication">
    <span class="field"><label for="token">Token</label><input id="token" type="password" autocomplete="off" placeholder="admin or sandbox token, if the server has one"></span>
    <button type="button" id="token-save">Use token</button>
  </div>
  <div class="row">
    <span class="field"><label for="live">Live</label><input id="live" type="checkbox" checked></span>
    <button type="button" id="refresh">Refresh</button>
  </div>
</header>
<div id="status" role="status" aria-live="polite"></div>
<main>
  <section aria-labelledby="h-clock">
    <h2 id="h-clock">Clock and state</h2>
    <p>Server time: <code id="now">…</code></p>
    <form id="clock-set" class="row">
      <span class="field"><label for="clock-now">Set to (ISO 8601)</label><input id="clock-now" name="now" placeholder="2025-06-30T23:00:00Z" required></span>
      <button type="submit">Set clock</button>
    </form>
    <form id="clock-advance" class="row">
      <span class="field"><label for="clock-seconds">Advance by (seconds)</label><input id="clock-seconds" name="advanceSeconds" type="number" step="1" value="3600" required></span>
      <button type="submit">Advance</button>
    </form>
    <div class="row">
      <button type="button" id="reset" class="danger">Reset to the startup seed</button>
    </div>
    <div id="reset-confirm" class="confirm" role="alertdialog" aria-labelledby="reset-question" hidden>
      <p id="reset-question">Reset restores the seed the server started with (its <code>--seed</code> file, or the demo seed): every balance, the journal, the clock, the faults and the request journal of this state go back to it.</p>
      <button type="button" id="reset-yes" class="danger">Yes, reset</button>
      <button type="button" id="reset-no">Keep the current state</button>
    </div>
    <h3>Invariants</h3>
    <p id="invariants-summary">…</p>
    <ul id="invariants" class="muted"></ul>
  </section>
  <section aria-labelledby="h-faults">
    <h2 id="h-faults">Faults</h2>
    <form id="fault-add">
      <div class="row">
        <span class="field"><label for="fault-method">Method</label><select id="fault-method"><option value="">any</option><option>GET</option><option>POST</option><option>PUT</option><option>DELETE</option></select></span>
        <span class="field"><label for="fault-path">Path (exact, or with * segments)</label><input id="fault-path" required placeholder="/api/v1/reseller/*"></span>
      </div>
      <div class="row">
        <span class="field"><label for="fault-kind">Kind</label><select id="fault-kind">
          <option value="status">status</option><option value="latency">latency</option>
          <option value="reset">reset</option><option value="reset-after-commit">reset-after-commit</option>
        </select></span>
        <span class="field"><label for="fault-status">Status</label><input id="fault-status" type="number" min="100" max="599" value="503"></span>
        <span class="field"><label for="fault-retry">Retry-After seconds (status)</label><input id="fault-retry" type="number" min="0" step="1"></span>
        <span class="field"><label for="fault-ms">Delay ms (latency)</label><input id="fault-ms" type="number" min="0" max="60000" value="1000"></span>
      </div>
      <div class="row">
        <span class="field"><label for="fault-times">Times (empty: unlimited)</label><input id="fault-times" type="number" min="1"></span>
        <span class="field"><label for="fault-probability">Probability (0..1, empty: always)</label><input id="fault-probability" type="number" min="0" max="1" step="any"></span>
        <button type="submit">Add fault</button>
      </div>
    </form>
    <div class="row"><button type="button" id="faults-clear" class="danger">Clear faults</button></div>
    <div class="scroll"><table id="faults"><caption>Active faults</caption>
      <thead><tr><th scope="col">id</th><th scope="col">method</th><th scope="col">path</th><th scope="col">kind</th><th scope="col">detail</th><th scope="col">times</th><th scope="col">left</th><th scope="col"><span class="sr">actions</span></th></tr></thead>
      <tbody></tbody></table></div>
  </section>
  <section class="wide" aria-labelledby="h-balances">
    <h2 id="h-balances">Balances</h2>
    <div id="balances"></div>
  </section>
  <section class="wide" aria-labelledby="h-requests">
    <h2 id="h-requests">Requests <span class="muted" id="requests-note"></span></h2>
    <form id="requests-filter" class="row" aria-label="Request filters">
      <span class="field"><label for="filter-family">Family</label><select id="filter-family"><option value="">any</option>
        <option>whiteLabel</option><option>reseller</option><option>creditSend</option><option>billing</option></select></span>
      <span class="field"><label for="filter-operation">Operation</label><input id="filter-operation" list="operations" placeholder="transferCreditsToChild"></span>
      <datalist id="operations"></datalist>
      <span class="field"><label for="filter-status">Answered status</label><input id="filter-status" type="number" min="100" max="599"></span>
      <button type="submit">Filter</button>
      <button type="button" id="har">Download HAR</button>
      <button type="button" id="requests-clear" class="danger">Clear requests</button>
    </form>
    <div class="scroll"><table id="requests"><caption>Newest first</caption>
      <thead><tr><th scope="col">#</th><th scope="col">time</th><th scope="col">request</th><th scope="col">operation</th><th scope="col">status</th><th scope="col">ms</th><th scope="col">key</th><th scope="col">notes</th></tr></thead>
      <tbody></tbody></table></div>
  </section>
  <section class="wide" id="detail" aria-labelledby="h-detail" hidden>
    <h2 id="h-detail">Request <span id="detail-id"></span></h2>
    <p id="detail-summary"></p>
    <div class="row">
      <button type="button" id="curl-copy">Copy as curl</button>
      <button type="button" id="detail-close">Close</button>
    </div>
    <pre id="curl" class="code" aria-label="The request as curl (credentials masked)"></pre>
    <div class="pair">
      <div><h3>Request headers</h3><pre id="detail-request-headers" class="code"></pre>
        <h3>Request body</h3><pre id="detail-request-body" class="code"></pre></div>
      <div><h3>Response headers</h3><pre id="detail-response-headers" class="code"></pre>
        <h3>Response body</h3><pre id="detail-response-body" class="code"></pre></div>
    </div>
    <h3>Ledger entry</h3><pre id="detail-ledger" class="code"></pre>
  </section>
  <section class="wide" aria-labelledby="h-journal">
    <h2 id="h-journal">Journal</h2>
    <div class="scroll"><table id="journal"><caption>Newest first</caption>
      <thead><tr><th scope="col">#</th><th scope="col">time</th><th scope="col">family</th><th scope="col">operation</th><th scope="col">postings</th></tr></thead>
      <tbody></tbody></table></div>
  </section>
</main>
`;
