import { encode } from 'uqr';

/**
 * The `otpauth:` URI as a QR code for an authenticator app to scan, drawn as one SVG path (no
 * markup from a string). Dark modules on a white square with the quiet zone scanners need.
 */
export function TotpQrCode({ uri }: { uri: string }) {
  const { data, size } = encode(uri, { border: 2 });
  let path = '';
  data.forEach((row, y) => {
    row.forEach((isDark, x) => {
      if (isDark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg
      viewBox={`0 0 ${size} ${size}`}
      className="size-48 rounded-md border bg-white"
      role="img"
      aria-label="QR code to add Patchline to an authenticator app"
      shapeRendering="crispEdges"
      data-testid="totp-qr"
    >
      <path d={path} fill="black" />
    </svg>
  );
}
