// The test build of the module (tools/build.sh wasm writes it beside the
// shipped one): the same module plus what only tests call, the VFS contract
// behind `storage.selfTest`. Pass it to createEngine().
export const testBuild = {
  moduleUrl: new URL('../../../dist/campaign_store_test.mjs', import.meta.url),
  wasmUrl: new URL('../../../dist/campaign_store_test.wasm', import.meta.url),
};
