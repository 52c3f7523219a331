// React bindings with React 19 (the project's own react/react-dom).
import { installDom } from './shared/react-dom-env.mjs';

installDom();
const React = await import('react');
const ReactDOMClient = await import('react-dom/client');
const { defineReactTests } = await import('./shared/react-hooks.mjs');

defineReactTests(`React ${React.version}`, { React, ReactDOMClient });
