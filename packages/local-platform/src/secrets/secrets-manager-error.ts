/**
 * An error as Secrets Manager reports it over its JSON protocol: HTTP 400 with
 * `{"__type": <code>, "message": …}`. The AWS SDK turns `__type` into the
 * error's `name` (the lambdas' adapter branches on `ResourceNotFoundException`
 * and `ResourceExistsException`), and the gateway's secret provider script
 * looks for `ResourceNotFoundException` in the body.
 */
export type SecretsManagerErrorCode =
  | 'ResourceNotFoundException'
  | 'ResourceExistsException'
  | 'InvalidRequestException'
  | 'InvalidParameterException'
  | 'AccessDeniedException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'IncompleteSignature'
  | 'UnknownOperationException'
  | 'SerializationException';

export class SecretsManagerError extends Error {
  constructor(
    readonly code: SecretsManagerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}
