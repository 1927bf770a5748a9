import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import { MESSAGE_SYNC } from '../../schema/index.ts';

/** y-protocols' sync step 1: the sender's state vector, which a stock client answers with a step 2. */
const SYNC_STEP1 = 0;

/**
 * Makes a provider receive only: for a document this user's role may not change (the chapter
 * text for everyone but the owner; both documents for a viewer). Call it right after creating
 * the provider, after any other wrapper of its sync handler.
 *
 * A stock provider answers the server's sync step 1 with a step 2 holding everything the server
 * lacks plus its replica's whole delete set; once the owner has deleted anything, a reader's
 * reload (its replica restored from the local cache) or reconnect sent those deletions back, and
 * the server refused them as a change of the text (issue 13). A reader has nothing to send, so
 * its provider answers no step 1 and never forwards a local update: even a change that should
 * not have happened stays on this device instead of being refused in front of the user.
 */
export function receiveOnly(provider: WebsocketProvider): void {
  provider.doc.off('update', provider._updateHandler);
  // Anything that re-attaches the handler later (quiet-state-sync.ts does) attaches this one.
  provider._updateHandler = () => {};
  const handleSync = provider.messageHandlers[MESSAGE_SYNC];
  if (!handleSync) throw new RangeError('the provider has no sync message handler');
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, handlingProvider, emitSynced, messageType) => {
    const peek = decoding.clone(decoder);
    if (decoding.readVarUint(peek) !== SYNC_STEP1) return handleSync(encoder, decoder, handlingProvider, emitSynced, messageType);
    // Read the state vector so the message is consumed; the encoder stays empty, so nothing is sent.
    decoding.readVarUint(decoder);
    decoding.readVarUint8Array(decoder);
  };
}
