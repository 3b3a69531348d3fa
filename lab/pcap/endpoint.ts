export interface Endpoint {
  ip: string;
  port: number;
}

export function formatEndpoint(e: Endpoint): string {
  return `${e.ip}:${e.port}`;
}

/**
 * Whether `e` is the host (or host:port) a caller named: assertions accept
 * "10.0.0.2" for any port and "10.0.0.2:55000" for one.
 */
export function endpointMatches(e: Endpoint, spec: string): boolean {
  const colon = spec.lastIndexOf(':');
  if (colon < 0) return e.ip === spec;
  return e.ip === spec.slice(0, colon) && String(e.port) === spec.slice(colon + 1);
}
