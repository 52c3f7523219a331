// The parser and validator of json_text.hpp: one recursive descent over the
// text, building a tree when given somewhere to put it and only checking
// otherwise, so both accept exactly the same documents.
#include "json/json_text.hpp"

#include "string_bytes.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>

namespace cs::json_text {

namespace {

int hex4(const char* q) {
  int v = 0;
  for (int k = 0; k < 4; ++k) {
    const char c = q[k];
    const int h = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  char b[4];
  std::size_t n;
  if (cp < 0x80) {
    b[0] = static_cast<char>(cp);
    n = 1;
  } else if (cp < 0x800) {
    b[0] = static_cast<char>(0xC0 | (cp >> 6));
    b[1] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    b[0] = static_cast<char>(0xE0 | (cp >> 12));
    b[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    b[2] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    b[0] = static_cast<char>(0xF0 | (cp >> 18));
    b[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    b[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    b[3] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 4;
  }
  out.append(b, n);
}

template <class Json>
class Parser {
 public:
  Parser(std::string_view text, int max_depth, const std::vector<std::string_view>* raw_members = nullptr)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth),
        raw_members_(raw_members) {}

  // out == nullptr: check only.
  Parsed document(Json* out) {
    if (!value(out, 0)) return too_deep_ ? Parsed::TooDeep : Parsed::Invalid;
    ws();
    return p_ == end_ ? Parsed::Ok : Parsed::Invalid;
  }

  // parse_pruned(): what is deeper than max_depth is dropped, and the next
  // object to close at mark_depth is marked.
  void prune(int mark_depth, std::string_view mark) {
    prune_ = true;
    mark_depth_ = mark_depth;
    mark_ = mark;
  }

 private:
  void ws() {
    const char* start = p_;
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    if (p_ != start) compact_ = false;
  }

  bool value(Json* out, int depth) {
    ws();
    if (p_ >= end_) return false;
    switch (*p_) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        if (out == nullptr) return string(nullptr);
        std::string s;
        if (!string(&s)) return false;
        *out = std::move(s);
        return true;
      }
      case 't': return literal("true", 4) && (out == nullptr || (*out = true, true));
      case 'f': return literal("false", 5) && (out == nullptr || (*out = false, true));
      case 'n': return literal("null", 4) && (out == nullptr || (*out = nullptr, true));
      default: return number(out);
    }
  }

  bool literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }

  // At '{' or '[': checks the depth, makes *out the empty container, and
  // says whether it is already closed. Too deep while pruning: the value is
  // checked, skipped and left for its parent to drop (dropped_now_).
  bool open(Json* out, int depth, char close, bool& closed) {
    if (depth > max_depth_) {
      if (!prune_) {
        too_deep_ = true;
        return false;
      }
      const std::size_t at = static_cast<std::size_t>(p_ - begin_);
      const std::size_t end = value_end(std::string_view(begin_, static_cast<std::size_t>(end_ - begin_)), at);
      if (end == std::string_view::npos) return false;
      p_ = begin_ + end;
      dropped_now_ = dropped_ = closed = true;
      return true;
    }
    ++p_;
    if (out != nullptr) *out = close == '}' ? Json::object() : Json::array();
    ws();
    closed = p_ < end_ && *p_ == close;
    if (closed) ++p_;
    return true;
  }

  // After an item: ',' (another item follows) or `close` (the end).
  bool next(char close, bool& closed) {
    ws();
    if (p_ >= end_ || (*p_ != ',' && *p_ != close)) return false;
    closed = *p_++ == close;
    return true;
  }

  bool object(Json* out, int depth) {
    bool closed;
    if (!open(out, depth, '}', closed)) return false;
    if (dropped_now_) return true;
    std::string key;
    const std::size_t keys_base = keys_.size();
    while (!closed) {
      ws();
      if (p_ >= end_ || *p_ != '"') return false;
      key.clear();
      const char* key_start = p_ + 1;
      if (!string(out != nullptr ? &key : nullptr)) return false;
      if (capturing_) note_key(keys_base, std::string_view(key_start, static_cast<std::size_t>(p_ - 1 - key_start)));
      ws();
      if (p_ >= end_ || *p_ != ':') return false;
      ++p_;
      // operator[]: a repeated key keeps its first place and its last value.
      Json* slot = out != nullptr ? &(*out)[key] : nullptr;
      const bool ok = depth == 1 && slot != nullptr && is_raw_member(key) ? raw_member(slot, depth) : value(slot, depth);
      if (!ok) return false;
      if (dropped_now_) {
        dropped_now_ = false;
        if (out != nullptr) out->erase(key);
      }
      if (!next('}', closed)) return false;
    }
    keys_.resize(keys_base);
    if (dropped_ && depth == mark_depth_ && out != nullptr) {
      (*out)[std::string(mark_)] = true;
      dropped_ = false;
    }
    return true;
  }

  // ---- raw members (parse() with raw_members): a named member of the
  // top-level object whose value is an object or array is checked without
  // building anything and kept as RawJson, when its text means what the tree
  // would: no whitespace (JSON.stringify writes none), no repeated or escaped
  // key within an object, no number whose value the tree would change (see
  // number()). Otherwise it is parsed again into a tree, as without raw
  // members, so the result means the same either way.
  bool is_raw_member(const std::string& key) const {
    if (raw_members_ == nullptr) return false;
    for (std::string_view name : *raw_members_)
      if (name == key) return true;
    return false;
  }

  bool raw_member(Json* slot, int depth) {
    ws();
    if (p_ >= end_ || (*p_ != '{' && *p_ != '[')) return value(slot, depth);
    const char* start = p_;
    compact_ = true;
    capturing_ = true;
    const bool ok = value(nullptr, depth);
    capturing_ = false;
    if (!ok) return false;
    if (compact_) {
      if constexpr (std::is_same_v<Json, json>) {
        *slot = raw(std::string_view(start, static_cast<std::size_t>(p_ - start)));
        return true;
      }
    }
    p_ = start;
    return value(slot, depth);
  }

  // A key of the object whose keys begin at keys_[base]: escaped or repeated
  // keys are left to the tree (it decodes them and keeps the last value).
  // Objects with very many keys too: the check is quadratic.
  void note_key(std::size_t base, std::string_view key) {
    constexpr std::size_t kMaxCheckedKeys = 64;
    if (!compact_) return;
    if (key.find('\\') != std::string_view::npos || keys_.size() - base >= kMaxCheckedKeys) {
      compact_ = false;
      return;
    }
    for (std::size_t i = base; i < keys_.size(); ++i)
      if (keys_[i] == key) {
        compact_ = false;
        return;
      }
    keys_.push_back(key);
  }

  bool array(Json* out, int depth) {
    bool closed;
    if (!open(out, depth, ']', closed)) return false;
    if (dropped_now_) return true;
    while (!closed) {
      Json* slot = nullptr;
      if (out != nullptr) {
        out->push_back(nullptr);
        slot = &out->back();
      }
      if (!value(slot, depth)) return false;
      if (dropped_now_) {
        dropped_now_ = false;
        if (out != nullptr) out->template get_ref<typename Json::array_t&>().pop_back();
      }
      if (!next(']', closed)) return false;
    }
    return true;
  }

  // At the opening quote. Appends the decoded string to *out when given.
  bool string(std::string* out) {
    ++p_;
    for (;;) {
      const char* run = p_;
      while (p_ < end_ && kPlain.plain[static_cast<unsigned char>(*p_)]) ++p_;
      if (out != nullptr) out->append(run, static_cast<std::size_t>(p_ - run));
      if (p_ >= end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c >= 0x80) {
        const int n = utf8_unit(reinterpret_cast<const unsigned char*>(p_),
                                reinterpret_cast<const unsigned char*>(end_));
        if (n <= 0) return false;
        if (out != nullptr) out->append(p_, static_cast<std::size_t>(n));
        p_ += n;
        continue;
      }
      ++p_;
      if (c == '"') return true;
      if (c != '\\') return false;  // a raw control character
      if (p_ >= end_) return false;
      char decoded;
      switch (*p_++) {
        case '"': decoded = '"'; break;
        case '\\': decoded = '\\'; break;
        case '/': decoded = '/'; break;
        case 'b': decoded = '\b'; break;
        case 'f': decoded = '\f'; break;
        case 'n': decoded = '\n'; break;
        case 'r': decoded = '\r'; break;
        case 't': decoded = '\t'; break;
        case 'u': {
          if (!unicode_escape(out)) return false;
          continue;
        }
        default: return false;
      }
      if (out != nullptr) out->push_back(decoded);
    }
  }

  // After "\u": four hex digits, and a low surrogate after a high one.
  bool unicode_escape(std::string* out) {
    if (end_ - p_ < 4) return false;
    const int u = hex4(p_);
    if (u < 0) return false;
    p_ += 4;
    auto cp = static_cast<std::uint32_t>(u);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
      const int low = hex4(p_ + 2);
      if (low < 0xDC00 || low > 0xDFFF) return false;
      p_ += 6;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(low) - 0xDC00);
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return false;
    }
    if (out != nullptr) append_utf8(*out, cp);
    return true;
  }

  bool number(Json* out) {
    const char* start = p_;
    const char* q = p_;
    const bool negative = q < end_ && *q == '-';
    if (negative) ++q;
    if (q >= end_) return false;
    if (*q == '0') {
      ++q;
    } else if (*q >= '1' && *q <= '9') {
      while (q < end_ && *q >= '0' && *q <= '9') ++q;
    } else {
      return false;
    }
    bool integral = true;
    if (q < end_ && *q == '.') {
      integral = false;
      const char* digits = ++q;
      while (q < end_ && *q >= '0' && *q <= '9') ++q;
      if (q == digits) return false;
    }
    if (q < end_ && (*q == 'e' || *q == 'E')) {
      integral = false;
      ++q;
      if (q < end_ && (*q == '+' || *q == '-')) ++q;
      const char* digits = q;
      while (q < end_ && *q >= '0' && *q <= '9') ++q;
      if (q == digits) return false;
    }
    p_ = q;
    // A raw member keeps a number's text only when its value is the one the
    // tree holds: no exponent (1e400 is an infinity there), no integer -0
    // (0 there), no more digits than an int64 or a double keeps. Integers of
    // 16 digits or more go to the tree too, where the check of what a JSON
    // document may hold (document_problem) sees whether a double keeps them.
    if (capturing_ && (q - start > 18 || has_exponent(start, q) || (integral && negative && start[1] == '0') ||
                       (integral && q - start - (negative ? 1 : 0) >= 16)))
      compact_ = false;
    if (out == nullptr) return true;
    // strtoll/strtod need a terminator; numbers are short.
    char small[64];
    std::string big;
    const auto len = static_cast<std::size_t>(q - start);
    const char* text = small;
    if (len < sizeof small) {
      std::memcpy(small, start, len);
      small[len] = '\0';
    } else {
      big.assign(start, len);
      text = big.c_str();
    }
    if (integral) {
      errno = 0;
      if (negative) {
        const long long v = std::strtoll(text, nullptr, 10);
        if (errno == 0) {
          *out = static_cast<std::int64_t>(v);
          return true;
        }
      } else {
        const unsigned long long v = std::strtoull(text, nullptr, 10);
        if (errno == 0) {
          *out = static_cast<std::uint64_t>(v);
          return true;
        }
      }
    }
    *out = std::strtod(text, nullptr);  // beyond 64 bits, or a fraction
    return true;
  }

  static bool has_exponent(const char* from, const char* to) {
    for (const char* c = from; c < to; ++c)
      if (*c == 'e' || *c == 'E') return true;
    return false;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  int max_depth_;
  bool too_deep_ = false;
  bool prune_ = false;        // parse_pruned()
  bool dropped_now_ = false;  // the value just read was too deep: its parent drops it
  bool dropped_ = false;      // something was dropped since the last mark
  int mark_depth_ = 0;
  std::string_view mark_;
  const std::vector<std::string_view>* raw_members_;
  bool capturing_ = false;  // inside a raw member's value
  bool compact_ = true;     // so far, that value's text means what its tree would
  std::vector<std::string_view> keys_;  // the keys of the objects being captured
};

template <class Json>
Parsed parse_into(std::string_view text, Json& out, int max_depth,
                  const std::vector<std::string_view>* raw_members = nullptr) {
  Parser<Json> parser(text, max_depth, raw_members);
  const Parsed result = parser.document(&out);
  if (result != Parsed::Ok) out = nullptr;
  return result;
}

}  // namespace

Parsed parse(std::string_view text, json& out, int max_depth) { return parse_into(text, out, max_depth); }

Parsed parse(std::string_view text, json& out, const std::vector<std::string_view>& raw_members, int max_depth) {
  return parse_into(text, out, max_depth, &raw_members);
}

Parsed parse(std::string_view text, ordered_json& out, int max_depth) {
  return parse_into(text, out, max_depth);
}

bool valid(std::string_view text, int max_depth) {
  return Parser<json>(text, max_depth).document(nullptr) == Parsed::Ok;
}

json raw(std::string_view valid_text) {
  return json::binary(json::binary_t::container_type(valid_text.begin(), valid_text.end()), kRawSubtype);
}

bool is_raw(const json& value) {
  return value.is_binary() && value.get_binary().has_subtype() && value.get_binary().subtype() == kRawSubtype;
}

std::string_view raw_text(const json& value) {
  const auto& bytes = value.get_binary();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

Parsed parse_pruned(std::string_view text, json& out, int max_depth, int mark_depth, std::string_view mark) {
  Parser<json> parser(text, max_depth);
  parser.prune(mark_depth, mark);
  const Parsed result = parser.document(&out);
  if (result != Parsed::Ok) out = nullptr;
  return result;
}

json parse_or_null(std::string_view text) {
  json out;
  parse(text, out);  // null on failure
  return out;
}

}  // namespace cs::json_text
