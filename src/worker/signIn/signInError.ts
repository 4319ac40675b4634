/** A sign-in that could not be completed (cancelled, refused, no server, unreachable); its message says what happened and what to do. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
}
