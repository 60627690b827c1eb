// Prometheus metrics: request rate/latency per endpoint, tokens issued,
// security events (logins, failures, reuse detections, exchanges...).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

// Ids in paths (interaction uids, client ids) become ":id" so label
// cardinality stays bounded.
export function routeLabel(path: string, status: number): string {
  if (status === 404) return 'unmatched';
  return path.split('/').map((seg) => (seg.length >= 16 || /^\d+$/.test(seg) || /^[0-9a-f-]{36}$/i.test(seg) ? ':id' : seg)).join('/') || '/';
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gatehouse_process_' });
  const requests = new Histogram({
    name: 'gatehouse_http_request_duration_seconds', help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'], registers: [registry],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  const tokens = new Counter({ name: 'gatehouse_tokens_issued_total', help: 'Token responses by grant type', labelNames: ['grant_type'], registers: [registry] });
  const events = new Counter({ name: 'gatehouse_security_events_total', help: 'Security events (login, token.issued, refresh_token.reuse, ...)', labelNames: ['type', 'outcome'], registers: [registry] });
  return {
    registry,
    observeRequest(method: string, path: string, status: number, seconds: number) {
      requests.observe({ method, route: routeLabel(path, status), status: String(status) }, seconds);
    },
    tokenIssued(grantType: string) {
      tokens.inc({ grant_type: grantType || 'unknown' });
    },
    securityEvent(type: string, outcome: string) {
      events.inc({ type, outcome });
    },
  };
}
