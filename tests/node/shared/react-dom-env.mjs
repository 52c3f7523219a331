// A DOM for rendering React in Node: jsdom's window as the globals react-dom
// looks for. Updates are not wrapped in act(): the store changes from the
// outside, as in an app, and the tests wait for what gets rendered.
import { JSDOM } from 'jsdom';

export function installDom() {
  const dom = new JSDOM('<!doctype html><html><body><div id="root"></div></body></html>');
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  globalThis.HTMLElement = dom.window.HTMLElement;
  // Node 21+ has a navigator of its own; react-dom only reads userAgent.
  if (!globalThis.navigator) {
    Object.defineProperty(globalThis, 'navigator', { value: dom.window.navigator, configurable: true });
  }
  globalThis.IS_REACT_ACT_ENVIRONMENT = false;
  return dom;
}
