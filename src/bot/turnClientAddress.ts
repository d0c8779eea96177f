/**
 * The client address of a turn's activity, for per-address limits. Only the in-process web chat
 * knows it (the server sets it from the request, after TRUSTED_PROXIES); Teams and Azure Direct
 * Line turns have none. It rides on the activity under a symbol: a client's JSON cannot name a
 * symbol, so it cannot be forged, and it is never serialized (stored, logged or sent on).
 */
const CLIENT_ADDRESS = Symbol('clientAddress');

type WithClientAddress = { [CLIENT_ADDRESS]?: string };

/** The same activity object, marked with the address its request came from. */
export function withClientAddress<T extends object>(activity: T, clientAddress: string): T {
  (activity as T & WithClientAddress)[CLIENT_ADDRESS] = clientAddress;
  return activity;
}

/** The address the server saw the activity come from; undefined outside the in-process web chat. */
export function clientAddressOf(activity: object | undefined): string | undefined {
  const value = (activity as WithClientAddress | undefined)?.[CLIENT_ADDRESS];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
