// Every request gets an id (proxy.ts sets x-request-id on the request and the response): it is on
// every log line of that request and in every error body, so a user's report finds the log line.
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** The x-request-id already on the request (from a load balancer, or proxy.ts) when well formed, else a new one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get('x-request-id');
  return given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}
