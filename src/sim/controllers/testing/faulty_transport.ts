/**
 * A TEST FIXTURE: a RestTransport in front of the API server model that fails chosen requests,
 * as client-go's fake clientset `PrependReactor` lets upstream's controller tests do. Requests
 * that match no rule reach the server unchanged; watches always do.
 */
import type { RestRequest, RestResponse, RestTransport } from '../../client/transport';

export interface FaultRule {
  verb?: RestRequest['verb'];
  /** Matches when the request path contains this (e.g. `/pods`, `/replicasets/rs/status`). */
  path?: string | RegExp;
  /** Let this many matching requests through first (default 0), like a quota that fills up. */
  after?: number;
  /** How many matching requests fail (default: all of them until the rule is removed). */
  times?: number;
  /** The Status to answer (default 500 InternalError `Internal error occurred: fake error`). */
  code?: number;
  reason?: string;
  message?: string;
  /** The Status `details` (e.g. `{ causes: [{ reason: 'NamespaceTerminating', ... }] }`). */
  details?: Record<string, unknown>;
}

export interface FaultyTransport extends RestTransport {
  /** Adds a rule; returns a function that removes it. */
  fail(rule: FaultRule): () => void;
  /** Removes every rule. */
  heal(): void;
  /** Requests answered with an injected failure, as `VERB path`. */
  readonly failed: string[];
  /** Every request seen (not watches), bodies included. */
  readonly requests: RestRequest[];
  /** How many requests had this verb and a path containing `path`. */
  count(verb: RestRequest['verb'], path: string): number;
}

export function newFaultyTransport(inner: RestTransport): FaultyTransport {
  const rules: FaultRule[] = [];
  const failed: string[] = [];
  const requests: RestRequest[] = [];
  const matches = (r: FaultRule, req: RestRequest) =>
    (r.verb === undefined || r.verb === req.verb) && (r.path === undefined || (typeof r.path === 'string' ? req.path.includes(r.path) : r.path.test(req.path))) && (r.times === undefined || r.times > 0);
  return {
    failed,
    requests,
    count: (verb, path) => requests.filter((r) => r.verb === verb && r.path.includes(path)).length,
    fail(rule) {
      rules.push(rule);
      return () => {
        const i = rules.indexOf(rule);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    heal() {
      rules.length = 0;
    },
    async request(req): Promise<RestResponse> {
      requests.push(req);
      const rule = rules.find((r) => matches(r, req));
      if (!rule) return inner.request(req);
      if (rule.after) {
        rule.after--;
        return inner.request(req);
      }
      if (rule.times !== undefined) rule.times--;
      failed.push(`${req.verb} ${req.path}`);
      const code = rule.code ?? 500;
      return { code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: rule.message ?? 'Internal error occurred: fake error', reason: rule.reason ?? 'InternalError', ...(rule.details ? { details: rule.details } : {}), code } };
    },
    watch: (req) => inner.watch(req),
  };
}
