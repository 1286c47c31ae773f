/** What the CLI prints on start: where it listens, the demo credentials and a curl per family. */
export function startupBanner(url: string, demoSeed: boolean, adminToken: string | undefined): string {
  const admin = adminToken ? ` -H 'x-mock-admin-token: ${adminToken}'` : '';
  const lines = [`ledgerline reference server listening on ${url}`, ''];
  if (demoSeed) {
    lines.push(
      'Demo credentials (mock/seeds/demo.json):',
      '  white-label  admin key wl_admin_demo (user 123, user@example.com); user key wl_user_demo',
      '  reseller     api key rs_demo (organization 4001, child 4002)',
      '  credit-send  ada@example.com / s3cret-ada (user 10), bob@example.com / s3cret-bob (user 11)',
      '  billing      api key flowyte_sk_test_demo, dashboard session flowyte_session_demo (org_demo)',
      '',
      'Try:',
      `  curl -X POST ${url}/api/white-label/transfer -H 'Authorization: Bearer wl_admin_demo' -H 'Content-Type: application/json' -d '{"user_id":123,"transfer_type":"minutes","operation":"add","amount":100}'`,
      `  curl -X POST ${url}/api/v1/reseller/credits/transfer -H 'Authorization: Bearer rs_demo' -H 'Content-Type: application/json' -d '{"to_organization_id":4002,"minutes":20,"cost_per_min":0.2}'`,
      `  TOKEN=$(curl -s -X POST ${url}/user/login -H 'Content-Type: application/json' -d '{"email":"ada@example.com","secret":"s3cret-ada","ttl":"3600"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')`,
      `  curl -X POST ${url}/credits/send -H "token: $TOKEN" -H 'Content-Type: application/json' -d '{"user":11,"credits":2}'`,
      `  curl ${url}/api/v1/billing/wallet -H 'Authorization: Bearer flowyte_sk_test_demo'`,
      '',
    );
  }
  lines.push(`Inspect: curl ${url}/_mock/state${admin}    Journal: curl ${url}/_mock/journal${admin}`, '');
  return `${lines.join('\n')}\n`;
}
