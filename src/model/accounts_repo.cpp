// The account side: platform integrations (ad accounts, without their
// secrets), campaign publications and AI generation records: the lists their
// screens need, and integrations refusing secrets. Their other ops, and all
// of users', are the generic ones (Plain in repos.hpp).
#include "list.hpp"
#include "repo.hpp"
#include "repos.hpp"

namespace cs::model {

namespace {

// Access and refresh tokens stay on the server (any script on the origin
// can read a browser database). Say so instead of "unknown field".
void refuse_secrets(const json& args) {
  if (!args.is_object()) return;
  for (const char* key : {"accessToken", "refreshToken", "access_token", "refresh_token", "token", "clientSecret"})
    if (args.contains(key))
      fail_field(key, "tokens and secrets are never stored in the browser; the server keeps them",
                 {{"reason", "secret"}});
}

}  // namespace

namespace integrations {
json create(Database& db, const json& args) {
  refuse_secrets(args);
  return create_entity(db, spec::platform_integrations(), args);
}
json list(Database& db, const json& args) {
  static const ListSpec kList = list_over(spec::platform_integrations(), {"userId", "platformId", "status"});
  return list_rows(db, kList, args);
}
json update(Database& db, const json& args) {
  refuse_secrets(args);
  return update_entity(db, spec::platform_integrations(), args);
}
}  // namespace integrations

namespace publications {
json list(Database& db, const json& args) {
  static const ListSpec kList =
      list_over(spec::campaign_publications(), {"campaignId", "platformIntegrationId", "status"});
  return list_rows(db, kList, args);
}
}  // namespace publications

namespace ai {
json list(Database& db, const json& args) {
  static const ListSpec kList = list_over(spec::ai_generations(), {"userId", "type", "service", "requestId"});
  return list_rows(db, kList, args);
}
}  // namespace ai

}  // namespace cs::model
