import type { BrowserContextOptions } from '@playwright/test';

/**
 * Touch devices the specs and the screenshots emulate in Debian's Chromium: Android Chrome's
 * user agent, touch events and a mobile viewport (meta viewport honoured, no mouse hover).
 */
const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const ANDROID_TABLET = 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A phone held upright: 390×844 CSS pixels (the phone), touch. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  screen: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: ANDROID_CHROME,
};

/** A tablet held upright: 820×1180 CSS pixels, touch. */
export const TABLET: BrowserContextOptions = {
  viewport: { width: 820, height: 1180 },
  screen: { width: 820, height: 1180 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  userAgent: ANDROID_TABLET,
};
