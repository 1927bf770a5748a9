import { describe, expect, it } from 'vitest';
import { localCacheName } from '../../client/collab/room-connection.ts';

describe('local cache names', () => {
  it('give each user of a browser profile their own cache of each document of each room incarnation', () => {
    const names = [
      localCacheName('seminar', 'uid-1', 'u-ada', 'annotations'),
      localCacheName('seminar', 'uid-1', 'u-rita', 'annotations'),
      localCacheName('seminar', 'uid-1', 'u-ada', 'text'),
      localCacheName('seminar', 'uid-2', 'u-ada', 'annotations'),
      localCacheName('other', 'uid-1', 'u-ada', 'annotations'),
    ];
    expect(new Set(names).size).toBe(names.length);
  });

  it('cannot be confused by a user id that looks like a path', () => {
    expect(localCacheName('r', 'uid', 'a/b', 'text')).not.toBe(localCacheName('r', 'uid/a', 'b', 'text'));
  });
});
