import { environmentValue } from './environment.js';
import { record, text } from './json.js';
import { isLoginAccount, type LoginSession, type SendLogin } from './login-session.js';
import type { CredentialField, CredentialUse, FamilyDefinition, OperationDefinition } from './operation.js';
import type { Credentials } from './options.js';

/** Headers that carry an operation's credential; left empty, the call goes out and the server answers 401. */
export type CredentialHeaders = Record<string, string>;

/** Where a family client gets the credential of each call from. */
export interface CredentialSource {
  /** The credential header of `operation`: at once, or after a login when one is due. */
  headersFor(operation: OperationDefinition): CredentialHeaders | Promise<CredentialHeaders>;
  /**
   * After a 401 answer to `operation`: logs in again and answers `true` when that may help (the
   * client then repeats the call once), `false` when the credential is fixed.
   */
  renewAfterRefusal(operation: OperationDefinition): Promise<boolean>;
}

const header = (use: CredentialUse, value: string): CredentialHeaders => ({
  [use.header]: use.prefix + value,
});

/**
 * The credential source of one family: the options' credential, else the environment variable the
 * vendor's documentation names (`x-ledgerline-credential-env`), else, for a family with a login
 * (`x-ledgerline-credential-login`) given an email and secret, a login session.
 */
export function createCredentialSource(
  definition: FamilyDefinition,
  credentials: Credentials,
  sendLogin: SendLogin,
): CredentialSource {
  const given = record(credentials[definition.key]);
  const fixed: Partial<Record<CredentialField, string>> = {};
  for (const field of ['apiKey', 'sessionToken', 'token'] as const) {
    const value = text(given[field]) ?? environmentValue(definition.environment[field]);
    if (value !== undefined) fixed[field] = value;
  }
  const { login } = definition;
  const session: LoginSession | undefined =
    login && isLoginAccount(given) ? login.createSession(given, sendLogin) : undefined;
  // When none of an operation's own credentials is given, another of the family's is sent (a
  // billing API key on a session-only endpoint): the server's 403 then says what is wrong, where
  // sending nothing would only say 401.
  const familyUses = Object.values(definition.operations).flatMap((operation) => operation.credentials);
  const sessionUse = (operation: OperationDefinition) =>
    session && operation.credentials.find((use) => use.field === login?.field);

  return {
    headersFor(operation) {
      const loginUse = sessionUse(operation);
      if (loginUse && session) {
        const token = session.token();
        return typeof token === 'string'
          ? header(loginUse, token)
          : token.then((fresh) => header(loginUse, fresh));
      }
      const use =
        operation.credentials.find((candidate) => fixed[candidate.field] !== undefined) ??
        (operation.credentials.length
          ? familyUses.find((candidate) => fixed[candidate.field] !== undefined)
          : undefined);
      const value = use && fixed[use.field];
      return use && value !== undefined ? header(use, value) : {};
    },
    async renewAfterRefusal(operation) {
      if (!session || !sessionUse(operation)) return false;
      await session.renew();
      return true;
    },
  };
}
