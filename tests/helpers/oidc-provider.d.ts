// The part of oidc-provider 8's API the single sign-on test uses (the package ships no types,
// and @types/oidc-provider follows other major versions).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface ProviderAccount {
    accountId: string;
    claims(): Record<string, unknown>;
  }

  interface ProviderConfiguration {
    clients: Array<{ client_id: string; client_secret: string; redirect_uris: string[] }>;
    findAccount(context: unknown, id: string): ProviderAccount | undefined;
    claims: Record<string, string[]>;
    conformIdTokenClaims?: boolean;
    cookies?: { keys: string[] };
  }

  export default class Provider {
    constructor(issuer: string, configuration: ProviderConfiguration);
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
  }
}
