// The writer of json_text.hpp: nlohmann's dump(-1, ' ', false, replace),
// byte for byte, except that it appends spans instead of characters and
// splices RawJson in as it is; and the answer writer, which refuses what
// dump() would replace and records what JSON text cannot carry exactly.
#include "json/json_text.hpp"

#include "string_bytes.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace cs::json_text {

namespace {

// Appends s quoted and escaped. Malformed UTF-8 becomes U+FFFD, unless
// `strict`: then nothing more is appended and the answer is false.
bool escaped(std::string& out, std::string_view s, bool strict = false) {
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char* run = p;
    while (p < end && kPlain.plain[*p]) ++p;
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    if (p >= end) break;
    const unsigned char c = *p;
    if (c >= 0x80) {
      const int n = utf8_unit(p, end);
      if (n > 0) {
        out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        p += n;
      } else {
        if (strict) return false;
        out.append("\xEF\xBF\xBD");  // U+FFFD
        p += -n;
      }
      continue;
    }
    ++p;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default: {
        char u[8];
        std::snprintf(u, sizeof u, "\\u%04x", c);
        out.append(u, 6);
      }
    }
  }
  out.push_back('"');
  return true;
}

template <class Int>
void integer(std::string& out, Int v) {
  char buf[24];
  char* e = buf + sizeof buf;
  char* p = e;
  using U = std::make_unsigned_t<Int>;
  U u = v < 0 ? static_cast<U>(0) - static_cast<U>(v) : static_cast<U>(v);
  do {
    *--p = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) *--p = '-';
  out.append(p, static_cast<std::size_t>(e - p));
}

// How a writer spells fractional numbers: as nlohmann's dump(), or as
// JavaScript's JSON.stringify.
enum class Numbers { Nlohmann, JavaScript };

template <Numbers kNumbers = Numbers::Nlohmann, class Json>
void write(std::string& out, const Json& v) {
  switch (v.type()) {
    case nlohmann::detail::value_t::null:
    case nlohmann::detail::value_t::discarded: out.append("null"); return;
    case nlohmann::detail::value_t::boolean: out.append(v.template get<bool>() ? "true" : "false"); return;
    case nlohmann::detail::value_t::number_integer: integer(out, v.template get<std::int64_t>()); return;
    case nlohmann::detail::value_t::number_unsigned: integer(out, v.template get<std::uint64_t>()); return;
    case nlohmann::detail::value_t::number_float:
      if constexpr (kNumbers == Numbers::JavaScript) {
        const double d = v.template get<double>();
        out.append(std::isfinite(d) ? js_number(d) : "null");
      } else {
        // Shortest round-trip digits in nlohmann's format (and null for NaN
        // and infinities): rare in answers, so its serializer does it.
        out.append(v.dump());
      }
      return;
    case nlohmann::detail::value_t::string: escaped(out, v.template get_ref<const std::string&>()); return;
    case nlohmann::detail::value_t::binary: {
      const auto& bytes = v.get_binary();
      if (bytes.has_subtype() && bytes.subtype() == kRawSubtype)
        out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      else
        out.append(v.dump());  // {"bytes":[...],"subtype":...}, as dump()
      return;
    }
    case nlohmann::detail::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& item : v) {
        if (!first) out.push_back(',');
        first = false;
        write<kNumbers>(out, item);
      }
      out.push_back(']');
      return;
    }
    case nlohmann::detail::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        escaped(out, it.key());
        out.push_back(':');
        write<kNumbers>(out, it.value());
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

void append(std::string& out, const json& value) { write(out, value); }
void append(std::string& out, const ordered_json& value) { write(out, value); }

void append_string(std::string& out, std::string_view text) { escaped(out, text); }

std::string stringify(const ordered_json& value) {
  std::string out;
  write<Numbers::JavaScript>(out, value);
  return out;
}

bool append_string_checked(std::string& out, std::string_view text) {
  const std::size_t size = out.size();
  if (escaped(out, text, true)) return true;
  out.resize(size);
  return false;
}

// ---------------------------------------------------------------- answers

namespace {

// Where the answer writer is: the keys and indices from the result down.
struct Step {
  const std::string* key;  // null: an array index
  std::size_t index;
};

class AnswerWriter {
 public:
  AnswerWriter(std::string& out, AnswerValues& values) : out_(out), values_(values) {}

  void write(const json& v) {
    switch (v.type()) {
      case json::value_t::number_integer: {
        const auto n = v.get<std::int64_t>();
        integer(out_, n);
        if (n > kMaxSafeInteger || n < -kMaxSafeInteger) record_int(v);
        return;
      }
      case json::value_t::number_unsigned: {
        const auto n = v.get<std::uint64_t>();
        integer(out_, n);
        if (n > static_cast<std::uint64_t>(kMaxSafeInteger)) record_int(v);
        return;
      }
      case json::value_t::number_float: {
        const double d = v.get<double>();
        if (std::isinf(d))
          out_.append(d > 0 ? "1e999" : "-1e999");
        else
          out_.append(v.dump());  // NaN: null (SQLite never holds one)
        return;
      }
      case json::value_t::string:
        if (!escaped(out_, v.get_ref<const std::string&>(), true)) throw InvalidText(path_text());
        return;
      case json::value_t::binary:
        if (is_raw(v)) {
          out_.append(raw_text(v));
        } else {
          out_.append("null");
          record_blob(v.get_binary());
        }
        return;
      case json::value_t::array: {
        out_.push_back('[');
        std::size_t i = 0;
        for (const json& item : v) {
          if (i != 0) out_.push_back(',');
          path_.push_back({nullptr, i++});
          write(item);
          path_.pop_back();
        }
        out_.push_back(']');
        return;
      }
      case json::value_t::object: {
        out_.push_back('{');
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (!first) out_.push_back(',');
          first = false;
          path_.push_back({&it.key(), 0});
          if (!escaped(out_, it.key(), true)) throw InvalidText(path_text());
          out_.push_back(':');
          write(it.value());
          path_.pop_back();
        }
        out_.push_back('}');
        return;
      }
      default: cs::json_text::append(out_, v);  // null, boolean
    }
  }

 private:
  // {"at":[...],
  void open_entry() {
    std::string& e = values_.entries;
    if (!e.empty()) e.push_back(',');
    e.append(R"({"at":[)");
    bool first = true;
    for (const Step& s : path_) {
      if (!first) e.push_back(',');
      first = false;
      if (s.key != nullptr)
        escaped(e, *s.key);
      else
        integer(e, s.index);
    }
    e.append("],");
  }

  void record_int(const json& v) {
    open_entry();
    values_.entries.append(R"("int":")");
    write_number(values_.entries, v);
    values_.entries.append("\"}");
  }

  void record_blob(const json::binary_t& bytes) {
    open_entry();
    values_.entries.append(R"("blob":)");
    integer(values_.entries, values_.blob_count());
    values_.entries.push_back('}');
    values_.spans.push_back(values_.bytes.size());
    values_.spans.push_back(bytes.size());
    values_.bytes.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }

  static void write_number(std::string& out, const json& v) {
    if (v.is_number_unsigned())
      integer(out, v.get<std::uint64_t>());
    else
      integer(out, v.get<std::int64_t>());
  }

  // "rows[0].name": for errors.
  std::string path_text() const {
    std::string s;
    for (const Step& step : path_) {
      if (step.key != nullptr) {
        if (!s.empty()) s.push_back('.');
        s.append(*step.key);
      } else {
        s.push_back('[');
        integer(s, step.index);
        s.push_back(']');
      }
    }
    return s;
  }

  std::string& out_;
  AnswerValues& values_;
  std::vector<Step> path_;
};

}  // namespace

void append_answer(std::string& out, const json& value, AnswerValues& values) {
  AnswerWriter(out, values).write(value);
}

json extend(const json& raw_object, std::initializer_list<Member> members) {
  std::string text(raw_text(raw_object));
  bool first = text == "{}";
  text.pop_back();  // '}'
  for (const auto& [key, value] : members) {
    if (!first) text.push_back(',');
    first = false;
    escaped(text, key);
    text.push_back(':');
    write(text, value);
  }
  text.push_back('}');
  return raw(text);
}

std::string dump(const json& value) {
  std::string out;
  write(out, value);
  return out;
}

std::string dump(const ordered_json& value) {
  std::string out;
  write(out, value);
  return out;
}

}  // namespace cs::json_text
