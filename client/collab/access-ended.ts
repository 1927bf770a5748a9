/**
 * What to tell someone whose access to the room ended, from the reason the server gave (a
 * refused request's error, a closed connection's reason): their invite was revoked or expired,
 * or their session expired. Not "open your invite link again": that link is what ended.
 * Returns null when the reason is none of these.
 */
export function accessEndedMessage(reason: string): string | null {
  if (/revoked/.test(reason)) return 'The room’s owner revoked the invite you joined with, so your access to this room has ended. Your saved work stays in the room. Ask the owner for a new invite link.';
  if (/invite expired/.test(reason)) return 'The invite you joined with has expired, so your access to this room has ended. Your saved work stays in the room. Ask the room’s owner for a new invite link.';
  if (/expired/.test(reason)) return 'Your session in this browser has expired. Open your invite link again, or ask the room’s owner for a new one.';
  if (/removed/.test(reason)) return 'The invite you joined with no longer exists, so your access to this room has ended. Ask the room’s owner for a new invite link.';
  return null;
}
