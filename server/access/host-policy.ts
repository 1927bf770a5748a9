import { isIP } from 'node:net';

/**
 * Which names this server answers to (issue 14, attack 7: DNS rebinding). A page on
 * `attacker.example` whose name the attacker points at 127.0.0.1 sends `Host: attacker.example`
 * and `Origin: http://attacker.example`: the same-origin check passes, and a server on a laptop
 * or behind a firewall is driven by a foreign page. So the Host header must name this server:
 *
 * - the host of PUBLIC_URL and of each ALLOWED_ORIGINS entry;
 * - loopback names (`localhost`, `*.localhost`) and the configured HOST when it is a name;
 * - any IP literal: a rebound name always arrives as the attacker's name, never as an address.
 *
 * Everything else is refused before a route or an upgrade sees the request. A request with no
 * Host at all (HTTP/1.0 from a program) is no browser's, so not a rebinding: routes judge it.
 */
export interface HostPolicy {
  /** Whether a request with this Host header (name and optional port) is for this server. */
  allows(host: string | undefined): boolean;
  /** The names allowed besides loopback and IP literals, for error messages. */
  readonly names: readonly string[];
}

/** The hostname of a Host header, lower case, without port or IPv6 brackets; null when malformed. */
function hostnameOf(host: string): string | null {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) {
    const end = trimmed.indexOf(']');
    return end > 0 ? trimmed.slice(1, end) : null;
  }
  const colon = trimmed.lastIndexOf(':');
  return colon >= 0 && trimmed.indexOf(':') === colon ? trimmed.slice(0, colon) : trimmed;
}

/** What the policy is built from (ServerConfig). */
export interface HostPolicySettings {
  host: string;
  publicUrl: string | null;
  allowedOrigins: readonly string[] | null;
}

/** Builds the host policy of a server. */
export function createHostPolicy(settings: HostPolicySettings): HostPolicy {
  const names = new Set<string>();
  for (const address of [settings.publicUrl, ...(settings.allowedOrigins ?? [])]) if (address) names.add(new URL(address).hostname.toLowerCase().replace(/^\[|\]$/g, ''));
  const bound = settings.host.toLowerCase();
  if (bound && isIP(bound) === 0 && bound !== 'localhost') names.add(bound);
  return {
    names: [...names],
    allows(host) {
      if (host === undefined) return true;
      const name = hostnameOf(host);
      if (name === null || name === '') return false;
      return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || names.has(name);
    },
  };
}

/** Why a request's Host is refused, or null: the message names what would be accepted. */
export function hostRefusal(host: string | undefined, policy: HostPolicy): string | null {
  if (policy.allows(host)) return null;
  const configured = policy.names.length > 0 ? `${policy.names.join(', ')}, ` : '';
  return `this server does not answer to ${JSON.stringify((host ?? '').slice(0, 100))}: it answers to ${configured}localhost and IP addresses (set PUBLIC_URL or ALLOWED_ORIGINS to add a name)`;
}
