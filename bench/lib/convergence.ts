import * as Y from 'yjs';
import { annotationsMap, repliesMap } from '../../schema/annotations/layout.ts';
import type { ConvergenceReport } from './crowd-plan.ts';

/** JSON text with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The annotation layer of a document (annotations and replies) as canonical JSON. */
export function annotationJson(ydoc: Y.Doc): string {
  return canonicalJson({ annotations: annotationsMap(ydoc).toJSON(), replies: repliesMap(ydoc).toJSON() });
}

/** Whether two encoded state vectors are byte-equal (Yjs writes clients in a fixed order). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}

/**
 * Compares replicas with a replica freshly synced from the server: equal state vectors and
 * equal annotation JSON, and every created annotation present on the server.
 */
export function compareReplicas(server: Y.Doc, replicas: readonly Y.Doc[], createdIds: ReadonlySet<string>): ConvergenceReport {
  const vector = Y.encodeStateVector(server);
  const json = annotationJson(server);
  let stateVectorMismatches = 0;
  let annotationMismatches = 0;
  for (const replica of replicas) {
    if (!sameBytes(Y.encodeStateVector(replica), vector)) stateVectorMismatches++;
    if (annotationJson(replica) !== json) annotationMismatches++;
  }
  const serverIds = annotationsMap(server);
  const missingOnServer = [...createdIds].filter((id) => !serverIds.has(id)).length;
  return {
    converged: stateVectorMismatches === 0 && annotationMismatches === 0 && missingOnServer === 0,
    replicas: replicas.length,
    stateVectorMismatches,
    annotationMismatches,
    serverAnnotations: serverIds.size,
    createdAnnotations: createdIds.size,
    serverStateVector: Buffer.from(vector).toString('base64'),
  };
}
