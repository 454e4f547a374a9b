/** The event does not have the shape its trigger promises; the message names what is wrong. */
export class MalformedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}
