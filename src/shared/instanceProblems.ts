/** What to tell a person whose "Glean instance" was refused (shared by the options page and the worker). */
import type { InstanceProblem } from '../glean/instance.ts';

const MESSAGES: Record<InstanceProblem, string> = {
  empty: 'Enter your Glean instance, such as acme-prod, or its https:// address.',
  'has-path': 'Enter only the server, without a path, such as https://acme-prod-be.glean.com.',
  'has-credentials': 'Remove the user name and password from the address; the API token goes in its own field.',
  'bad-scheme': 'The Glean instance must be an https:// address or an instance name such as acme-prod.',
  'insecure-http': 'Use https://. Plain http:// is allowed only for 127.0.0.1 and localhost.',
  invalid: 'That is not an instance name or a web address. Enter something like acme-prod or https://acme-prod-be.glean.com.',
};

export function instanceProblemMessage(problem: InstanceProblem): string {
  return MESSAGES[problem];
}
