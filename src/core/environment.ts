import { version } from '../../package.json';
import { text } from './json.js';

// Node only: browsers and workers have no `process`, and a bundler's `process` shim has no `versions.node`.
const node = (globalThis as { process?: { versions?: { node?: string }; env?: Record<string, string> } })
  .process;
const inNode = !!node?.versions?.node;

/** An environment variable's value, in Node only (`undefined` elsewhere, or when blank). */
export const environmentValue = (name: string | undefined): string | undefined =>
  name && inNode ? text(node?.env?.[name]) : undefined;

/**
 * The headers every request carries by default: in Node, `User-Agent: ledgerline/<version>` (the
 * version read from package.json when the SDK is built); browsers keep their own User-Agent.
 */
export const SDK_HEADERS: Readonly<Record<string, string>> = inNode
  ? { 'User-Agent': `ledgerline/${version}` }
  : {};
