import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A JSON response; API responses are never cached by browsers or proxies. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
