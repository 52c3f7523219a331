// React bindings with React 18, from the linked harness package
// tests/node/shared/react18 (npm installs react 18 under it).
import { createRequire } from 'node:module';
import { installDom } from './shared/react-dom-env.mjs';

installDom();
const require = createRequire(new URL('./shared/react18/package.json', import.meta.url));
const React = require('react');
const ReactDOMClient = require('react-dom/client');
const { defineReactTests } = await import('./shared/react-hooks.mjs');

if (!React.version.startsWith('18.')) throw new Error(`expected React 18, got ${React.version}`);
defineReactTests(`React ${React.version}`, { React, ReactDOMClient });
