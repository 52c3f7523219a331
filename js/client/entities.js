// The typed methods of the store, as data: entity -> method -> parameters.
// api.js turns each entry into `store.<entity>.<method>(...params)` calling
// op `<entity>.<method>` with an args object built from the parameters:
//   'name'      positional value becomes args.name
//   '...name'   an object whose fields are spread into args
//   'name?'     optional (may be left out)
// Named parameters win over spread fields (update(id, {id: other}) keeps id).
// Ops the core lists that are not here still get a method taking the args
// object as is, so a new op is callable before this table knows it.

// The common shape: create(fields), get(id), list(query), update(id, patch), delete(id).
const CRUD = {
  create: ['...fields'],
  get: ['id'],
  list: ['...query?'],
  update: ['id', '...patch'],
  delete: ['id'],
};

// Entities whose lists belong to a parent take the parent id first.
const CHILD_LIST = (parent) => [parent, '...query?'];

export const ENTITIES = Object.freeze({
  products: { ...CRUD },  // create takes images: [...] too; get adds images, backgrounds, campaigns
  images: {
    add: ['productId', '...image'],
    list: CHILD_LIST('productId'),
    update: ['id', '...patch'],
    setPrimary: ['imageId', 'productId?'],
    delete: ['id'],
  },
  backgrounds: {
    add: ['productImageId', '...background'],
    activate: ['id'],
    list: CHILD_LIST('productImageId'),
    delete: ['id'],
  },
  campaigns: { ...CRUD, setStatus: ['id', 'status'] },
  drafts: {
    save: ['campaignId', 'stepData', '...options?'],
    get: ['campaignId'],
    delete: ['campaignId'],
    cleanup: [],
  },
  creatives: { ...CRUD, list: CHILD_LIST('campaignId') },  // update takes expectedVersion in the patch
  assets: { ...CRUD, list: CHILD_LIST('creativeId') },
  integrations: { ...CRUD },
  publications: { ...CRUD },
  ai: { ...CRUD },
  users: { create: ['...fields?'], get: ['id'], update: ['id', '...patch'], delete: ['id'] },
  search: { query: ['q', '...options?'] },
  cache: {
    get: ['key'],
    set: ['key', 'value', '...options?'],
    invalidate: ['...selector?'],
    purge: [],
  },
  storage: {
    info: [],
    checkpoint: ['...options?'],
    // Bytes, moved between threads as transferred buffers (worker/binary.js).
    export: [],
    import: ['bytes'],
  },
});

/** Ops that are methods of the store itself rather than of an entity. */
export const TOP_LEVEL = Object.freeze({
  health: [],
  metrics: [],
  ping: ['echo?'],
  version: [],
  ops: [],
});
