/**
 * The link to an artifact served by our own route, by key. A stand-in until the artifact store
 * signs links (`store.signedUrl(key, { ttlSeconds })`): pass that as `artifactUrl` instead.
 */
export function artifactRouteUrl(key: string): string {
  return `/api/artifacts/${key}`;
}
