/** What to tell a person whose "Glean instance" was refused (shared by the options page and the worker). */
import type { InstanceProblem } from '../glean/instance.ts';
import { t, type MessageName } from './i18n.ts';

const MESSAGES: Record<InstanceProblem, MessageName> = {
  empty: 'instanceEmpty',
  'has-path': 'instanceHasPath',
  'has-credentials': 'instanceHasCredentials',
  'bad-scheme': 'instanceBadScheme',
  'insecure-http': 'instanceInsecureHttp',
  'https-only': 'instanceHttpsOnly',
  invalid: 'instanceInvalid',
};

export function instanceProblemMessage(problem: InstanceProblem): string {
  return t(MESSAGES[problem]);
}
