// A deadline for calls to the blob store. The @netlify/blobs client retries a failing read with
// back-off for about 25 s; the gate must answer long before that, failing closed (teasers).
export class TimeoutError extends Error {}

export function withTimeout(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
