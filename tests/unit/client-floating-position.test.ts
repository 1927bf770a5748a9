import { describe, expect, it } from 'vitest';
import { placeFloating } from '../../client/components/floating-position.ts';

const viewport = { width: 1280, height: 720 };
const anchorAt = (top: number, left = 500) => ({ left, right: left + 100, top, bottom: top + 24 });

describe('floating placement', () => {
  it('centres a toolbar above its selection when there is room', () => {
    const place = placeFloating(anchorAt(300), { width: 200, height: 40 }, viewport);
    expect(place).toEqual({ left: 450, top: 252, below: false });
  });

  it('drops below the selection near the top of the screen', () => {
    const place = placeFloating(anchorAt(20), { width: 200, height: 40 }, viewport);
    expect(place.below).toBe(true);
    expect(place.top).toBe(52);
  });

  it('keeps a tall form entirely on screen when it fits on neither side', () => {
    const place = placeFloating(anchorAt(400), { width: 400, height: 560 }, viewport, 'below');
    expect(place.top).toBeGreaterThanOrEqual(8);
    expect(place.top + 560).toBeLessThanOrEqual(720 - 8);
  });

  it('never leaves the left or right edge', () => {
    expect(placeFloating(anchorAt(300, 0), { width: 300, height: 40 }, viewport).left).toBe(8);
    expect(placeFloating(anchorAt(300, 1250), { width: 300, height: 40 }, viewport).left).toBe(1280 - 300 - 8);
  });
});
