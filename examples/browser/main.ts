import { setupWorker } from 'msw/browser';
import { createHandlers } from '../../mock/browser.js';
import { createClient, LedgerlineError } from '../../src/index.js';

// In an app these imports are `ledgerline` and `ledgerline/mock/browser`. The reference server runs in
// this tab: MSW's service worker (mockServiceWorker.js, from `npx msw init <dir>`) hands every request
// for this origin's API paths to the handlers; other requests (this page, main.js) pass through.
const worker = setupWorker(...(await createHandlers({ origins: [location.origin] })).handlers);
await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });

const client = createClient({
  baseUrl: location.origin,
  credentials: { whiteLabel: { apiKey: 'wl_admin_demo' } },
});

const USER_ID = 123;
const byId = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element;
};
const status = byId('status');
const button = byId('transfer') as HTMLButtonElement;

async function showBalances(): Promise<void> {
  const [admin, users] = await Promise.all([client.whiteLabel.me(), client.whiteLabel.listUsers()]);
  byId('admin-minutes').textContent = String(admin.minutes_balance);
  byId('user-minutes').textContent = String(users.data.find((user) => user.id === USER_ID)?.minutes_balance);
}

button.addEventListener('click', async () => {
  button.disabled = true;
  status.textContent = 'Transferring…';
  try {
    await client.whiteLabel.transfer({
      user_id: USER_ID,
      transfer_type: 'minutes',
      operation: 'add',
      amount: 100,
    });
    await showBalances();
    status.textContent = 'Transferred 100 minutes.';
  } catch (error) {
    status.textContent = error instanceof LedgerlineError ? error.message : String(error);
  } finally {
    button.disabled = false;
  }
});

await showBalances();
button.disabled = false;
status.textContent = 'Ready.';
