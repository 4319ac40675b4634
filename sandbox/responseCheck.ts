import type { Contract } from './contract.ts';
import { textReply, type Reply } from './reply.ts';

/**
 * The sandbox's own answer, checked against the contract before it goes out: one that strays is a
 * bug in the sandbox, not something a client should learn to accept, so it becomes a 500 that names
 * the violation (and is logged), and any test that meets it fails. Faults are not checked: they
 * stray on purpose.
 */
export function guardReply(contract: Contract, operationId: string, reply: Reply, log: (line: string) => void): Reply {
  const violations = contract.replyViolations(operationId, {
    status: reply.status,
    contentType: reply.headers['content-type'] ?? '',
    body: reply.body,
  });
  if (violations.length === 0) return reply;
  const described = violations.map(({ at, message }) => `${at} ${message}`).join('; ');
  log(`sandbox bug: its ${reply.status} answer to ${operationId} breaks the contract: ${described}`);
  const bug = textReply(500, `sandbox bug: the answer to ${operationId} broke the contract: ${described}`);
  bug.note = '(sandbox bug)';
  return bug;
}
