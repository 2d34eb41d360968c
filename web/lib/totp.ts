/** The issuer authenticator apps show beside the account. */
export const TOTP_ISSUER = 'Patchline';

/**
 * The `otpauth://totp/…` URI authenticator apps read from a QR code or a link (the "Key Uri
 * Format"): Cognito's TOTP is SHA-1, 6 digits, 30 seconds, the apps' defaults, spelled out anyway.
 */
export function otpauthUri({ secret, account }: { secret: string; account: string }): string {
  const label = `${encodeURIComponent(TOTP_ISSUER)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret,
    issuer: TOTP_ISSUER,
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  });
  return `otpauth://totp/${label}?${query}`;
}
