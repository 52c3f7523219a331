// Local SQLite values <-> the server's JSON values, per column kind. Anything
// that does not decode is kept as it came (text), never dropped.
#include "engine_state.hpp"

#include "json/json_text.hpp"

#include <cmath>
#include <cstdlib>

namespace cs::sync {

namespace {

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// 2999, scale 2 -> "29.99"; exact, no floating point on the way.
std::string scaled_to_decimal(std::int64_t v, int scale) {
  if (scale == 0) return std::to_string(v);
  bool negative = v < 0;
  std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::uint64_t p = static_cast<std::uint64_t>(pow10(scale));
  std::string frac = std::to_string(u % p);
  frac.insert(0, static_cast<std::size_t>(scale) - frac.size(), '0');
  return (negative ? "-" : "") + std::to_string(u / p) + "." + frac;
}

// "29.99" / "-0.5" / "12" -> scaled integer; false if not a plain decimal or
// it has more fractional digits than the scale holds.
bool decimal_to_scaled(const std::string& text, int scale, std::int64_t& out) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::int64_t whole = 0;
  int digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    if (whole > (INT64_MAX / 10 - 9)) return false;
    whole = whole * 10 + (text[i] - '0');
  }
  std::int64_t frac = 0;
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (frac_digits == scale) {
        if (text[i] != '0') return false;  // would lose precision
        continue;
      }
      frac = frac * 10 + (text[i] - '0');
      ++frac_digits;
    }
  }
  if (i != text.size() || (digits == 0 && frac_digits == 0)) return false;
  frac *= pow10(scale - frac_digits);
  if (whole > (INT64_MAX - frac) / pow10(scale)) return false;
  out = whole * pow10(scale) + frac;
  if (negative) out = -out;
  return true;
}

}  // namespace

json encode_value(const json& local, const ColumnSpec& column) {
  if (local.is_null()) return nullptr;
  switch (column.kind) {
    case ColumnKind::Boolean:
      return local.is_number() ? json(local.get<double>() != 0) : local;
    case ColumnKind::Json: {
      if (!local.is_string()) return local;
      json parsed;
      return json_text::parse(local.get_ref<const std::string&>(), parsed) == json_text::Parsed::Ok ? parsed : local;
    }
    case ColumnKind::Decimal:
      // An integer is scaled; anything else (text, a real) goes as it is.
      return local.is_number_integer() ? json(scaled_to_decimal(local.get<std::int64_t>(), column.scale)) : local;
    default: return local;
  }
}

json encode_column(const Statement& row, int i, const ColumnSpec& column) {
  return encode_value(row.column_json(i), column);
}

json decode_column(const json& value, const ColumnSpec& column) {
  if (value.is_null()) return nullptr;
  if (column.decode) return column.decode(value);
  switch (column.kind) {
    case ColumnKind::Boolean:
      if (value.is_boolean()) return std::int64_t{value.get<bool>() ? 1 : 0};
      break;
    case ColumnKind::Json:
      return json_text::dump(value);
    case ColumnKind::Decimal: {
      std::int64_t scaled = 0;
      std::string text = value.is_string() ? value.get<std::string>() : json_text::dump(value);
      if (decimal_to_scaled(text, column.scale, scaled)) return scaled;
      break;  // not a decimal we can hold exactly: keep the text
    }
    default: break;
  }
  if (value.is_structured()) return json_text::dump(value);
  return value;
}

}  // namespace cs::sync
