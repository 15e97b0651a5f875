/** A team (`@org/team`) or user (`@login`) who may approve, compared case-insensitively. */
export interface Principal {
  /** As written, with the leading @: `@acme/cab`, `@erin`. */
  text: string;
  /** Lowercase, with the leading @: what principals and logins are compared by. */
  key: string;
  /** A team (its membership must be read) rather than a user. */
  team: boolean;
}

/**
 * Reads a principal as the policy or the CMDB writes it; undefined when it is empty or contains
 * whitespace (a base that passed its schema never has one, but the gate must not guess).
 */
export function parsePrincipal(raw: unknown): Principal | undefined {
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  const body = trimmed.startsWith('@') ? trimmed.slice(1) : trimmed;
  if (body === '' || /\s/.test(body) || body.startsWith('/') || body.endsWith('/'))
    return undefined;
  return { text: `@${body}`, key: `@${body.toLowerCase()}`, team: body.includes('/') };
}

/** The comparison key of a GitHub login: GitHub logins are case-insensitive. */
export function loginKey(login: string): string {
  return `@${login.trim().replace(/^@/, '').toLowerCase()}`;
}
