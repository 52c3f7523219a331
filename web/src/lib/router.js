// Hash routes: the static server needs no rewrites and a reload keeps the screen.
//   #/products  #/products/new  #/products/:id
//   #/campaigns  #/campaigns/:id  #/campaigns/:id/build
//   #/platforms  #/storage  #/sync
import { useEffect, useState } from 'react';

export function parseRoute(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [section = 'products', id = null, sub = null] = parts;
  switch (section) {
    case 'products':
      if (id === 'new') return { name: 'product-new', section };
      return id ? { name: 'product', section, id } : { name: 'products', section };
    case 'campaigns':
      if (id && sub === 'build') return { name: 'builder', section, id };
      return id ? { name: 'campaign', section, id } : { name: 'campaigns', section };
    case 'platforms':
    case 'storage':
    case 'sync':
      return { name: section, section };
    default:
      return { name: 'not-found', section: null };
  }
}

export function useRoute() {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

export function navigate(path) {
  window.location.hash = path;
}
