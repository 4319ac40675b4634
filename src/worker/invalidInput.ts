/** Input the worker refuses before any request is made; its message says what to change. */
export class InvalidInput extends Error {
  override readonly name = 'InvalidInput';
}
