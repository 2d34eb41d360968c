import type { RuntimeConfig } from './runtime-config';

/**
 * Headers every response carries, pages and static files alike (`next.config.ts`):
 * - `Referrer-Policy: no-referrer`: a share link's URL is its token (`/share/<token>`), and the
 *   app needs no referrer anywhere, so none is sent, from any page, to anyone.
 * - `X-Content-Type-Options: nosniff`: a file is only ever what its type says.
 * - `X-Frame-Options: DENY`: `frame-ancestors 'none'` for browsers that predate it.
 * - `Cross-Origin-Opener-Policy: same-origin`: a page that opens the app gets no handle on it.
 * - `Permissions-Policy`: nothing here uses the camera, microphone, location or payments.
 */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];

/** `scheme://host[:port]` of a URL, `ws:`/`wss:` included (a CSP source for exactly that origin). */
function originOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

/** Where the browser signs in: cognito-local's URL locally, else the region's Cognito endpoint. */
function cognitoOrigin(config: Pick<RuntimeConfig, 'cognitoEndpoint' | 'region'>): string {
  return config.cognitoEndpoint
    ? originOf(config.cognitoEndpoint)
    : `https://cognito-idp.${config.region}.amazonaws.com`;
}

/** A fresh, unguessable nonce (128 bits, base64) for one response's Content-Security-Policy. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * The page's Content-Security-Policy (set per request by `proxy.ts`, since it carries the nonce):
 *
 * - Scripts: only those with this response's nonce, which Next.js puts on every script it renders
 *   (it reads the nonce back from the request's CSP header), and what they load
 *   (`'strict-dynamic'`: the chunks). No inline handlers, no `eval` (`next dev` needs it).
 * - Connections: this origin, the REST API, the WebSocket gateway (`ws://` locally, `wss://` on
 *   AWS) and Cognito, all from the runtime config, so one build serves any stack.
 * - Styles may be inline: React renders `style` attributes, Radix positions popovers and Tiptap
 *   and sonner inject `<style>` elements. With images, fonts and connections limited to the
 *   origins above, injected CSS has nowhere to send what it reads.
 * - Never framed (`frame-ancestors 'none'`), no plugins, no `<base>`, forms post only here.
 */
export function contentSecurityPolicy(
  config: Pick<RuntimeConfig, 'apiUrl' | 'websocketUrl' | 'webUrl' | 'cognitoEndpoint' | 'region'>,
  nonce: string,
  options: { isDev: boolean },
): string {
  const connect = new Set([
    "'self'",
    originOf(config.apiUrl),
    originOf(config.websocketUrl),
    cognitoOrigin(config),
  ]);
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.isDev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${[...connect].join(' ')}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Only where the app itself is served over https: locally everything is http on loopback.
    ...(config.webUrl.startsWith('https://') ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}
