/**
 * A Lambda function URL event (payload format 2.0) as the session endpoint's
 * request, and its answer as the function URL's response. Lambda moves the
 * `Cookie` header into `cookies` and takes `Set-Cookie` values from
 * `cookies` in the response; a base64 body is decoded.
 */
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import type { SessionRequest, SessionResponse } from '@openclaw-tenancy/shared';
import { MalformedEventError } from './malformed-event-error';

export function sessionRequestOfFunctionUrlEvent(event: unknown): SessionRequest {
  const e = event as Partial<LambdaFunctionURLEvent> | null;
  if (typeof e !== 'object' || e === null || e.version !== '2.0')
    throw new MalformedEventError('expected a Lambda function URL event (payload format 2.0)');
  const method = e.requestContext?.http?.method;
  if (typeof method !== 'string' || typeof e.rawPath !== 'string')
    throw new MalformedEventError('the function URL event has no requestContext.http.method or rawPath');
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(e.headers ?? {})) headers[name.toLowerCase()] = value;
  if (Array.isArray(e.cookies) && e.cookies.length > 0) headers['cookie'] = e.cookies.join('; ');
  const raw = typeof e.body === 'string' ? e.body : '';
  return { method, path: e.rawPath, headers, body: e.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw };
}

/** The structured form of a function URL response (Lambda's `LambdaFunctionURLResult` without the bare-string case). */
export type FunctionUrlResult = APIGatewayProxyStructuredResultV2;

export function functionUrlResultOf(response: SessionResponse): FunctionUrlResult {
  return {
    statusCode: response.status,
    headers: { ...response.headers },
    cookies: [...response.cookies],
    body: response.body,
    isBase64Encoded: false,
  };
}
