// Limits the data API enforces. This comment is the documentation (the
// README's "Limits" section is copied from here); the constants below are the
// only place the numbers live.
//
// ## Limits
//
// | what                                   | limit                         | error |
// | -------------------------------------- | ----------------------------- | ----- |
// | ids (`id`, `productId`, ...)           | 1..64 printable ASCII bytes   | INVALID_ARGUMENT |
// | `id` given on create                   | a UUID (any version), lower-cased on write | INVALID_ARGUMENT |
// | names (product, campaign, creative...) | 1..255 characters             | INVALID_ARGUMENT |
// | short text (brand, category, sku, type, status, request ids, file names) | 255 characters | INVALID_ARGUMENT |
// | long text (description, prompt, asset content, alt text) | 65,536 characters | INVALID_ARGUMENT |
// | urls (`url`, `avatarUrl`)              | 4 MiB (legacy `data:` URLs fit) | INVALID_ARGUMENT |
// | any JSON column, serialized            | 1 MiB                         | INVALID_ARGUMENT |
// | money: price, budget                   | 0 .. 99,999,999.99, at most 2 decimals (DECIMAL(10,2)) | INVALID_ARGUMENT |
// | money: costCredits                     | 0 .. 999,999.9999, at most 4 decimals (DECIMAL(10,4)) | INVALID_ARGUMENT |
// | integers (size, width, processingTime...) | 0 .. 2^53-1 (exact in JS), narrower where stated | INVALID_ARGUMENT |
// | timestamps                             | ISO-8601 (years 0000-9999) or epoch ms; stored as UTC with ms | INVALID_ARGUMENT |
// | list page (`limit`)                    | default 50, max 500           | INVALID_ARGUMENT |
// | images in one `products.create`        | 100                           | INVALID_ARGUMENT |
// | assets in one `creatives.create`       | 200                           | INVALID_ARGUMENT |
// | search query                           | 256 characters, 16 words; results default 20, max 100 | INVALID_ARGUMENT |
// | cache key / value                      | 512 bytes / 1 MiB serialized  | INVALID_ARGUMENT |
// | cache TTL                              | 1 ms .. 365 days; none = until invalidated | INVALID_ARGUMENT |
// | draft lifetime                         | 7 days after the last save (expiresAt may override) | - |
//
// Characters are Unicode code points (what JS's [...s].length counts), not
// bytes and not UTF-16 units. Every rejection names the field in
// details.field and, for size limits, gives details.limit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cs::limits {

inline constexpr std::size_t kMaxIdBytes = 64;
inline constexpr std::size_t kMaxNameChars = 255;
inline constexpr std::size_t kMaxShortTextChars = 255;
inline constexpr std::size_t kMaxLongTextChars = 65536;
inline constexpr std::size_t kMaxUrlBytes = 4u << 20;
inline constexpr std::size_t kMaxJsonBytes = 1u << 20;
inline constexpr std::size_t kMaxEmailChars = 320;  // RFC 5321 path limit

// DECIMAL(10,2) and DECIMAL(10,4): 10 significant digits in total.
inline constexpr std::int64_t kMaxPriceCents = 9'999'999'999;
inline constexpr std::int64_t kMaxCostCreditUnits = 9'999'999'999;

// Largest integer a JS number holds exactly; results must survive JSON.parse.
inline constexpr std::int64_t kMaxSafeInteger = 9'007'199'254'740'991;
inline constexpr std::int64_t kMaxInt32 = 2'147'483'647;
inline constexpr std::int64_t kMaxPixels = 100'000;  // creative width/height

inline constexpr std::int64_t kDefaultPageSize = 50;
inline constexpr std::int64_t kMaxPageSize = 500;
inline constexpr std::size_t kMaxImagesPerCreate = 100;
inline constexpr std::size_t kMaxAssetsPerCreate = 200;

inline constexpr std::size_t kMaxSearchQueryChars = 256;
inline constexpr std::size_t kMaxSearchWords = 16;
inline constexpr std::int64_t kDefaultSearchResults = 20;
inline constexpr std::int64_t kMaxSearchResults = 100;

inline constexpr std::size_t kMaxCacheKeyBytes = 512;
inline constexpr std::size_t kMaxCacheValueBytes = 1u << 20;
inline constexpr std::int64_t kMaxCacheTtlMs = 365LL * 24 * 3600 * 1000;

inline constexpr std::int64_t kDraftLifetimeMs = 7LL * 24 * 3600 * 1000;

}  // namespace cs::limits
