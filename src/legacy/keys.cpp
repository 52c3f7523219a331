// Which localStorage keys are legacy keys (README rule 1), and the groups
// they migrate in. Case and spaces matter: "Products" and " products" are
// other code's keys (the report names them: lookalike keys).
// "campaign_draft_" with nothing after it is the draft of a campaign that had
// no id yet: a draft whose id is "" (a draft of no campaign).
#include "internal.hpp"

#include "db/cold_code.hpp"

#include <cctype>

CS_COLD_CODE_BEGIN

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
  else if (key.substr(0, kDraftFull.size()) == kDraftFull) {
    c.kind = KeyKind::DraftFull;
    c.entity = "drafts";
    c.draft_id = std::string(key.substr(kDraftFull.size()));
  } else if (key.substr(0, kDraftMinimal.size()) == kDraftMinimal) {
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

std::optional<std::string> lookalike_of(std::string_view key) {
  static const char* const kLists[] = {"products", "campaigns", "saved_campaigns", "backgrounds", "sample_data"};
  std::string folded;
  for (char ch : key) folded += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string trimmed = folded;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
  for (const char* list : kLists) {
    const std::string name = list;
    if (trimmed == name) return name;
    if (trimmed.size() > name.size() && trimmed.compare(0, name.size(), name) == 0 &&
        std::string_view("_.-: ").find(trimmed[name.size()]) != std::string_view::npos)
      return name;
  }
  for (std::string_view prefix : {kDraftFull, kDraftMinimal}) {
    const std::string_view stem = prefix.substr(0, prefix.size() - 1);  // "campaign_draft"
    if (trimmed.compare(0, stem.size(), stem) == 0) return std::string(prefix) + "<id>";
  }
  return std::nullopt;
}

std::string draft_key(bool full, const std::string& draft_id) {
  return std::string(full ? kDraftFull : kDraftMinimal) + draft_id;
}

}  // namespace cs::legacy

CS_COLD_CODE_END
