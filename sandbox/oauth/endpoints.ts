/** The authorization server's endpoints, by the names requests are recorded and faults are aimed with. */
export const OAUTH_ENDPOINTS = ['metadata', 'register', 'authorize', 'decision', 'token', 'revoke'] as const;
export type OAuthEndpoint = (typeof OAUTH_ENDPOINTS)[number];

export function isOAuthEndpoint(value: unknown): value is OAuthEndpoint {
  return OAUTH_ENDPOINTS.some((endpoint) => endpoint === value);
}
