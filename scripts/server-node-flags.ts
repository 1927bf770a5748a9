// The Node flags the server runs with: `npm start` (package.json) passes them, and so do the
// benchmarks and the tests that start the server as a process, so that they measure what runs.
//
// --v8-pool-size=1: V8's helper threads for garbage collection (Node starts four). Apparatus is
// built for small machines (2 cores); there, four helpers marking and compacting the heap in
// parallel with a collection compete with the event loop's thread for the same cores. In the
// busy-room benchmark (200 clients, the server on one core) the longest event-loop stalls, at
// compactions, went from 118–159 ms with four helpers to under 100 ms with one. On a machine with
// many cores, more helpers shorten collections: run `node --v8-pool-size=N scripts/run-built.mjs
// server` with N = cores − 1.
export const SERVER_NODE_FLAGS: readonly string[] = ['--v8-pool-size=1'];
