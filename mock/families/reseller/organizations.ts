import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import { parseRate, rate, usd } from './pricing.js';
import {
  balanceOf,
  type ChildUser,
  childOf,
  type ResellerPrincipal,
  type ResellerState,
  resellerOf,
  slotsOf,
} from './state.js';

type Context = SpecContext<ResellerState, ResellerPrincipal, 'listResellerOrganizations'>;

const SYMBOLS: Readonly<Record<string, string>> = {
  USD: '$',
  CAD: '$',
  AUD: '$',
  EUR: '€',
  GBP: '£',
  INR: '₹',
  JPY: '¥',
};

/** The symbol of an ISO 4217 code, or the code itself when ledgerline knows no symbol for it. */
export const currencySymbol = (code: string): string => SYMBOLS[code] ?? code;

/**
 * Dashboard menu flags of a child user, as the organizations page shows them. Setting them is
 * `POST /reseller/users/access-control`, out of scope (docs/fidelity.md): every user has these.
 */
const MENU_ACCESS = {
  is_bots_menu_access: true,
  is_leads_access: false,
  is_voice_cloning_access: false,
  is_workflow_access: false,
  is_asr_evaluation_menu_access: false,
  is_train_with_call_recording_menu_access: false,
  is_call_logs_menu_access: true,
  is_call_simulation_menu_access: false,
  access_to_monitor_live_call: false,
  is_whatsapp_flow_enabled: true,
  is_billing_menu_access: true,
  is_knowledge_base_access: true,
  is_integration_access: true,
  is_phone_number_access: true,
  is_bulk_call_access: true,
  is_analytics_access: true,
} as const;

function renderUser(user: ChildUser): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    // The page shows `"phone": false` for a user without one.
    phone: user.phone ?? false,
    login_date: user.loginDate,
    is_active: true,
    expiry_date: user.expiryDate,
    access_level: false,
    dashboard_menu_access: { ...MENU_ACCESS },
  };
}

/**
 * The caller's organization (its `concurrent_call_limit` is the pool of unallocated slots) and its
 * direct children (each limit is the slots allocated to it), in creation order.
 */
export function listResellerOrganizations(context: Context): MockResponse {
  const { ledger, state } = context;
  const reseller = resellerOf(state, context.principal.organizationId);
  const organizations = reseller.childIds.map((id) => {
    const child = childOf(state, id);
    return {
      id: child.organizationId,
      name: child.name,
      cost_per_min: rate(parseRate(child.costPerMin, 'costPerMin')),
      org_balance: usd(balanceOf(ledger, child.accountId)),
      // Balances are USD (the ledger's `usd` asset), whatever the users' currency.
      reseller_org_balance_currency_symbol: '$',
      concurrent_call_limit: slotsOf(ledger, child.accountId),
      org_user_currency_symbol: currencySymbol(child.currency),
      timezone: child.timezone,
      created_date: child.createdDate,
      total_users: child.users.length,
      users: child.users.map(renderUser),
    };
  });
  return {
    status: 200,
    body: {
      success: true,
      reseller_organization: {
        id: reseller.organizationId,
        name: reseller.name,
        concurrent_call_limit: slotsOf(ledger, reseller.accountId),
      },
      organizations,
      total_organizations: organizations.length,
      total_users_across_orgs: organizations.reduce((sum, org) => sum + org.total_users, 0),
    },
  };
}
