// `sample_data` (onboarding demo): {products, campaigns}. Its rows live in
// their own namespace (rule 11: sample ids never collide with real ones) and
// are marked so the app can hide or delete them as a group: products carry
// metadata.isSample = true, campaigns source = 'sample'. Other fields of the
// container are kept in the key's detail, for the export.
#include "internal.hpp"

namespace cs::legacy {

void import_sample(Group& g, ojson& value, KeyResult& kr) {
  if (!value.is_object()) return;  // null: nothing to migrate
  const Ns ns{true};
  ojson none;
  auto it = value.find("products");
  import_products(g, it != value.end() ? *it : none, ns, kr);
  it = value.find("campaigns");
  import_legacy_campaigns(g, it != value.end() ? *it : none, ns, kr);
  ojson extra = ojson::object();
  for (auto f = value.begin(); f != value.end(); ++f)
    if (!((f.key() == "products" || f.key() == "campaigns") && f.value().is_array())) extra[f.key()] = f.value();
  if (!extra.empty()) kr.extra = std::move(extra);
}

}  // namespace cs::legacy
