import type { BrowserContextOptions } from '@playwright/test';

/**
 * A touch device held upright, as the specs and the screenshots emulate it in Debian's Chromium:
 * Android Chrome's user agent, touch events, a mobile viewport (meta viewport honoured, no hover).
 */
function touchDevice(width: number, height: number, deviceScaleFactor: number, model: string): BrowserContextOptions {
  return {
    viewport: { width, height },
    screen: { width, height },
    deviceScaleFactor,
    isMobile: true,
    hasTouch: true,
    userAgent: `Mozilla/5.0 (Linux; Android 14; ${model}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 ${model === 'Pixel 7' ? 'Mobile ' : ''}Safari/537.36`,
  };
}

/** A phone: 390×844 CSS pixels (the phone), touch. */
export const PHONE = touchDevice(390, 844, 2, 'Pixel 7');

/** A tablet: 820×1180 CSS pixels, touch. */
export const TABLET = touchDevice(820, 1180, 1, 'SM-X710');
