// Reading JSON text without building a tree (json_text.hpp): why a text is
// not JSON, where a value ends (what parse_pruned skips), and a top-level
// array's element ranges. All follow strings and nesting with a counter or
// an explicit stack instead of recursion, so a megabyte of "[[[[..." costs
// heap, not stack. The grammar is parse.cpp's; tests/native/test_json_text.cpp
// holds them to the same documents.
#include "json/json_text.hpp"

#include <cstring>

namespace cs::json_text {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// diagnose() and value_end(): one pass with a stack of open containers.
// Each step reads a token; Eof when the text ends where more could follow,
// Bad where no document could go on.
class Diagnoser {
 public:
  explicit Diagnoser(std::string_view text, std::size_t at = 0) : t_(text), n_(text.size()), i_(at) {}

  // The end of the one value at the start: npos unless it is whole and valid.
  std::size_t value_end() {
    one_value_ = true;
    return walk() == Fail::None ? i_ : std::string_view::npos;
  }

  Diagnosis run() {
    std::size_t first = 0;
    while (first < n_ && is_ws(t_[first])) ++first;
    if (first >= n_) return {Diagnosis::Empty, -1};
    const Fail fail = walk();
    if (fail == Fail::None) return {Diagnosis::Valid, -1};
    if (fail == Fail::Bad) return {Diagnosis::Invalid, -1};
    return {Diagnosis::Truncated, t_[first] == '[' ? top_items_ : -1};
  }

 private:
  enum class Fail { None, Eof, Bad };

  // Whitespace; Eof when nothing follows it.
  Fail ws() {
    while (i_ < n_ && is_ws(t_[i_])) ++i_;
    return i_ >= n_ ? Fail::Eof : Fail::None;
  }

  Fail string() {
    ++i_;  // the opening quote
    for (;;) {
      if (i_ >= n_) return Fail::Eof;
      const char c = t_[i_];
      if (c == '"') {
        ++i_;
        return Fail::None;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail::Bad;
      if (c != '\\') {
        ++i_;
        continue;
      }
      if (++i_ >= n_) return Fail::Eof;
      if (t_[i_] != '\0' && std::strchr("\"\\/bfnrt", t_[i_]) != nullptr) {
        ++i_;
        continue;
      }
      if (t_[i_] != 'u') return Fail::Bad;
      for (std::size_t k = 1; k <= 4; ++k) {
        if (i_ + k >= n_) return Fail::Eof;
        if (!is_hex(t_[i_ + k])) return Fail::Bad;
      }
      i_ += 5;
    }
  }

  // A number that the end of the text cuts is complete only as the whole
  // document ("12" is; "[12" could go on).
  Fail number() {
    std::size_t j = i_;
    if (j < n_ && t_[j] == '-') ++j;
    const std::size_t int_start = j;
    if (j < n_ && t_[j] == '0') ++j;
    else
      while (j < n_ && is_digit(t_[j])) ++j;
    bool ok = j > int_start;
    if (j < n_ && t_[j] == '.') {
      const std::size_t s = ++j;
      while (j < n_ && is_digit(t_[j])) ++j;
      ok = ok && j > s;
    }
    if (j < n_ && (t_[j] == 'e' || t_[j] == 'E')) {
      ++j;
      if (j < n_ && (t_[j] == '+' || t_[j] == '-')) ++j;
      const std::size_t s = j;
      while (j < n_ && is_digit(t_[j])) ++j;
      ok = ok && j > s;
    }
    if (j >= n_) {
      i_ = j;
      return ok && stack_.empty() ? Fail::None : Fail::Eof;
    }
    if (!ok) return Fail::Bad;
    i_ = j;
    return Fail::None;
  }

  Fail literal() {
    for (const char* word : {"true", "false", "null"}) {
      if (t_[i_] != word[0]) continue;
      const std::size_t len = std::strlen(word);
      const std::string_view have = t_.substr(i_, len);
      if (have == word) {
        i_ += len;
        return Fail::None;
      }
      if (std::string_view(word).substr(0, have.size()) == have && i_ + have.size() == n_) return Fail::Eof;
      return Fail::Bad;
    }
    return Fail::Bad;
  }

  // After '{' or ',' in an object: a member's key and its ':'.
  Fail member_key() {
    Fail f;
    if ((f = ws()) != Fail::None) return f;
    if (t_[i_] != '"') return Fail::Bad;
    if ((f = string()) != Fail::None) return f;
    if ((f = ws()) != Fail::None) return f;
    if (t_[i_] != ':') return Fail::Bad;
    ++i_;
    return Fail::None;
  }

  // Stack frames: 'A' array, 'O' object.
  Fail walk() {
    Fail fail;
    bool need_value = true;
    for (;;) {
      if (need_value) {
        if ((fail = ws()) != Fail::None) return fail;
        const char c = t_[i_];
        if (c == '{' || c == '[') {
          ++i_;
          if ((fail = ws()) != Fail::None) return fail;
          const char close = c == '{' ? '}' : ']';
          if (t_[i_] == close) {
            ++i_;
            need_value = false;
            continue;
          }
          stack_.push_back(c == '{' ? 'O' : 'A');
          if (c == '{' && (fail = member_key()) != Fail::None) return fail;
          continue;  // the first item
        }
        if (c == '"') fail = string();
        else if (c == '-' || is_digit(c)) fail = number();
        else fail = literal();
        if (fail != Fail::None) return fail;
        need_value = false;
        continue;
      }
      // A value just completed.
      if (stack_.empty() && one_value_) return Fail::None;
      if (stack_.empty()) {
        while (i_ < n_ && is_ws(t_[i_])) ++i_;
        return i_ >= n_ ? Fail::None : Fail::Bad;  // anything after the document
      }
      if (stack_.size() == 1 && stack_.back() == 'A') ++top_items_;
      if ((fail = ws()) != Fail::None) return fail;
      const bool array = stack_.back() == 'A';
      if (t_[i_] == ',') {
        ++i_;
        if (!array && (fail = member_key()) != Fail::None) return fail;
        need_value = true;
        continue;
      }
      if (t_[i_] != (array ? ']' : '}')) return Fail::Bad;
      ++i_;
      stack_.pop_back();
    }
  }

  std::string_view t_;
  std::size_t n_;
  std::size_t i_;
  bool one_value_ = false;  // value_end(): stop where the first value ends
  std::vector<char> stack_;
  std::int64_t top_items_ = 0;
};

}  // namespace

Diagnosis diagnose(std::string_view text) { return Diagnoser(text).run(); }

std::size_t value_end(std::string_view text, std::size_t at) { return Diagnoser(text, at).value_end(); }

bool split_array(std::string_view t, std::vector<std::pair<std::size_t, std::size_t>>& items) {
  items.clear();
  const std::size_t n = t.size();
  std::size_t i = 0;
  while (i < n && is_ws(t[i])) ++i;
  if (i >= n || t[i] != '[') return false;
  ++i;
  while (i < n && is_ws(t[i])) ++i;
  if (i < n && t[i] == ']') {
    for (++i; i < n; ++i)
      if (!is_ws(t[i])) return false;
    return true;
  }
  for (;;) {
    const std::size_t start = i;
    int depth = 0;
    bool in_string = false;
    for (; i < n; ++i) {
      const char c = t[i];
      if (in_string) {
        // Most of a dump is string bytes (base64 above all): jump to the next quote.
        const void* q = std::memchr(t.data() + i, '"', n - i);
        if (q == nullptr) return false;
        const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(q) - t.data());
        std::size_t backslashes = 0;
        while (at - backslashes > i && t[at - backslashes - 1] == '\\') ++backslashes;
        i = at;
        in_string = backslashes % 2 == 1;  // an escaped quote does not end the string
        continue;
      }
      if (c == '"') in_string = true;
      else if (c == '[' || c == '{') ++depth;
      else if (c == ']' || c == '}') {
        if (depth == 0) break;
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    if (i >= n) return false;
    std::size_t end = i;
    while (end > start && is_ws(t[end - 1])) --end;
    if (end == start) return false;
    items.emplace_back(start, end);
    if (t[i] == ',') {
      ++i;
      while (i < n && is_ws(t[i])) ++i;
      continue;
    }
    if (t[i] != ']') return false;
    for (++i; i < n; ++i)
      if (!is_ws(t[i])) return false;
    return true;
  }
}

}  // namespace cs::json_text
