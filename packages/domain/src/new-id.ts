/*
 * Ids made anywhere, the browser included (a visit recorded offline gets its id on the device): no
 * imports, so a page can take it without the schemas.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A time-ordered, key-safe id: 10 characters of time and 16 random (80 bits), Crockford base32. */
export function newId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // Web Crypto, not `node:crypto`: the domain runs in the browser too.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = '';
  for (const b of bytes) rand += CROCKFORD[b % 32];
  return time + rand;
}
