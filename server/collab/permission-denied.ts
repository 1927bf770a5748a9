import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import { MESSAGE_AUTH } from '../../schema/index.ts';

/** Encodes a y-protocols permission-denied message: how the server tells a client an update was refused, and why. */
export function permissionDeniedMessage(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}
