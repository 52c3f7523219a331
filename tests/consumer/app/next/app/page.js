import { Consumer } from './consumer.js';

export default function Page() {
  return <Consumer />;
}
