// `sample_data` (onboarding demo): {products, campaigns}. Its rows live in
// their own namespace (rule 11: sample ids never collide with real ones) and
// are marked so the app can hide or delete them as a group: products carry
// metadata.isSample = true, campaigns source = 'sample'. The container's
// layout and other members are kept in the key's detail, for the export.
#include "internal.hpp"

#include "db/cold_code.hpp"

CS_COLD_CODE_BEGIN

namespace cs::legacy {

void import_sample(Group& g, ojson& value, KeyResult& kr) {
  if (!value.is_object()) return;  // null: nothing to migrate
  const Item container(value, "sample_data", kr.fields);  // counts the container's other fields
  const Ns ns{true};
  ojson none;
  auto it = value.find("products");
  import_products(g, it != value.end() ? *it : none, ns, kr);
  it = value.find("campaigns");
  import_legacy_campaigns(g, it != value.end() ? *it : none, ns, kr);
  // The container's members in order; the values of all but the row lists.
  ojson order = ojson::array(), values = ojson::object();
  for (auto f = value.begin(); f != value.end(); ++f) {
    order.push_back(f.key());
    if (!((f.key() == "products" || f.key() == "campaigns") && f.value().is_array())) values[f.key()] = f.value();
  }
  kr.container = {{"order", std::move(order)}, {"values", std::move(values)}};
}

}  // namespace cs::legacy

CS_COLD_CODE_END
