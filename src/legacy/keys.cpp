// Which localStorage keys are legacy keys (README rule 1), and the groups
// they migrate in. Case and spaces matter: "Products" and " products" are
// other code's keys, and so is "campaign_draft_" with nothing after it.
#include "internal.hpp"

namespace cs::legacy {

namespace {
constexpr std::string_view kDraftFull = "campaign_draft_";
constexpr std::string_view kDraftMinimal = "campaign_minimal_";
}  // namespace

KeyClass classify_key(std::string_view key) {
  KeyClass c;
  if (key == "products") { c.kind = KeyKind::Products; c.entity = "products"; }
  else if (key == "campaigns") { c.kind = KeyKind::Campaigns; c.entity = "legacy_campaigns"; }
  else if (key == "saved_campaigns") { c.kind = KeyKind::SavedCampaigns; c.entity = "v2_campaigns"; }
  else if (key == "backgrounds") { c.kind = KeyKind::Backgrounds; c.entity = "ai_generations"; }
  else if (key == "sample_data") { c.kind = KeyKind::Sample; c.entity = "sample"; }
  else if (key.size() > kDraftFull.size() && key.substr(0, kDraftFull.size()) == kDraftFull) {
    c.kind = KeyKind::DraftFull;
    c.entity = "drafts";
    c.draft_id = std::string(key.substr(kDraftFull.size()));
  } else if (key.size() > kDraftMinimal.size() && key.substr(0, kDraftMinimal.size()) == kDraftMinimal) {
    c.kind = KeyKind::DraftMinimal;
    c.entity = "drafts";
    c.draft_id = std::string(key.substr(kDraftMinimal.size()));
  }
  return c;
}

std::string group_of(const KeyClass& c) {
  switch (c.kind) {
    case KeyKind::Products: return "products";
    case KeyKind::Campaigns: return "campaigns";
    case KeyKind::SavedCampaigns: return "saved_campaigns";
    case KeyKind::Backgrounds: return "backgrounds";
    case KeyKind::Sample: return "sample_data";
    case KeyKind::DraftFull:
    case KeyKind::DraftMinimal: return "draft:" + c.draft_id;
    default: return "";
  }
}

// Products first (campaigns, backgrounds and drafts refer to them), then the
// campaigns drafts link to, then the drafts.
int group_rank(const std::string& group) {
  if (group == "products") return 0;
  if (group == "sample_data") return 1;
  if (group == "campaigns") return 2;
  if (group == "saved_campaigns") return 3;
  if (group == "backgrounds") return 4;
  return 5;
}

std::string draft_key(bool full, const std::string& draft_id) {
  return std::string(full ? kDraftFull : kDraftMinimal) + draft_id;
}

}  // namespace cs::legacy
