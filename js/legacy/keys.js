// Which localStorage keys are the Campaign Builder's (tests/fixtures/README.md
// rule 1, the same rule as src/legacy/keys.cpp): exact names, and the draft
// prefixes followed by the draft's id (which may be empty: a campaign that
// had no id yet). Case and spaces matter. Every other key belongs to other
// code and is never read, changed or removed.

export const LIST_KEYS = Object.freeze(['products', 'campaigns', 'saved_campaigns', 'backgrounds', 'sample_data']);
export const DRAFT_PREFIXES = Object.freeze(['campaign_draft_', 'campaign_minimal_']);

/** Migration groups in dependency order (products before what refers to them). */
export const GROUP_ORDER = Object.freeze(['products', 'sample_data', 'campaigns', 'saved_campaigns', 'backgrounds', 'drafts']);

/** @param {string} key */
export function isLegacyKey(key) {
  if (LIST_KEYS.includes(key)) return true;
  return DRAFT_PREFIXES.some((p) => key.startsWith(p));
}

/** The group a legacy key migrates in (all drafts share one call; C++ splits them per id). */
export function groupOf(key) {
  return LIST_KEYS.includes(key) ? key : 'drafts';
}
