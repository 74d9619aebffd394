/**
 * The security baseline shared by every window host: the app's origin, the Content Security Policy and the
 * Electron webPreferences. The Electron shell and the browser host both read these, so tests run what ships.
 */

/** The renderer's origin. Electron serves it through a privileged `app:` scheme; the browser host routes it. */
export const ELECTRON_APP_ORIGIN = 'app://stethoscope';
/** The browser host cannot register schemes, so it intercepts this reserved (never resolvable) https origin. */
export const HOST_APP_ORIGIN = 'https://stethoscope.invalid';

/** Strict CSP: only our own bundled script and style, no inline script, no remote anything. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
].join('; ');

/** Response headers for every renderer file. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
};

export const WINDOW_SIZE = { width: 1280, height: 800, minWidth: 1024, minHeight: 700 };
