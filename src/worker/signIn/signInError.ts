/** A sign-in that could not be completed; its message says what happened and what to do. */
export type SignInProblem =
  /** The person closed the sign-in window or pressed Deny: nothing was stored. */
  | 'cancelled'
  /** The server refused to register the extension (registration disabled, or its redirect URL not allowed). */
  | 'registration-refused'
  /** The server has no usable OAuth metadata, or its issuer is on another origin. */
  | 'no-authorization-server'
  /** The server could not be reached. */
  | 'unreachable'
  /** Anything else the server answered that is not a sign-in. */
  | 'failed';

export class SignInError extends Error {
  override readonly name = 'SignInError';
  readonly problem: SignInProblem;

  constructor(problem: SignInProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.problem = problem;
  }
}
