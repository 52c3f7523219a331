// Rows as JSON text for answers: what dump(read_row()) and dump(row_json())
// write, written straight from the columns, so a page of 50 products is
// appends to one string rather than 50 trees of ~16 nodes built only to be
// serialized. Keys come out in the trees' order (sorted), so the text is the
// same byte for byte (tests/native/test_model_values.cpp).
#include "values.hpp"

#include "json/json_text.hpp"
#include "model/money.hpp"

namespace cs::model {

namespace {

bool is_json_kind(Kind k) { return k == Kind::Object || k == Kind::Array || k == Kind::Json; }
bool is_number_kind(Kind k) {
  return k == Kind::Integer || k == Kind::Boolean || k == Kind::Money2 || k == Kind::Money4;
}

void append_integer(std::string& out, const Field& f, std::int64_t n) {
  switch (f.kind) {
    case Kind::Boolean: out.append(n != 0 ? "true" : "false"); return;
    case Kind::Money2: json_text::append_string(out, money::format(n, 2)); return;
    case Kind::Money4: json_text::append_string(out, money::format(n, 4)); return;
    default:
      // Beyond 2^53 a JavaScript number would round it; only raw SQL can
      // store such a value in an integer field, and it is answered exactly,
      // as its decimal string.
      if (n > json_text::kMaxSafeInteger || n < -json_text::kMaxSafeInteger)
        json_text::append_string(out, std::to_string(n));
      else
        out.append(std::to_string(n));
  }
}

// Text as an answer holds it: UTF-8, or the answer is refused (raw SQL can
// store TEXT that is not UTF-8; no JavaScript string can hold it).
void append_checked(std::string& out, std::string_view field, std::string_view text) {
  if (!json_text::append_string_checked(out, text))
    throw Error(Code::InvalidArgument,
                std::string(field) + ": the stored TEXT is not valid UTF-8, which no JavaScript string holds",
                {{"field", field}, {"reason", "invalid_utf8"}});
}

void append_text(std::string& out, const Field& f, std::string_view text) {
  // Stored JSON goes out as it is when it is JSON (see format_value).
  if (is_json_kind(f.kind) && json_text::valid(text))
    out.append(text);
  else
    append_checked(out, f.api, text);
}

void append_column(std::string& out, const Field& f, const Statement& row, int column) {
  if (row.column_is_null(column)) {
    out.append("null");
  } else if (is_number_kind(f.kind)) {
    const json raw = row.column_json(column);
    // Raw SQL may have stored something else; show it as it is.
    if (raw.is_number_integer())
      append_integer(out, f, raw.get<std::int64_t>());
    else
      json_text::append(out, raw);
  } else {
    append_text(out, f, row.column_text_view(column));
  }
}

void append_value(std::string& out, const Field& f, const std::optional<Value>& v) {
  if (!v || is_null(*v)) {
    out.append("null");
  } else if (auto* n = std::get_if<std::int64_t>(&*v)) {
    append_integer(out, f, *n);
  } else {
    append_text(out, f, text_of(*v));
  }
}

template <class WriteSlot>
json row_text(const TableSpec& spec, WriteSlot&& write_slot) {
  std::string out;
  out.reserve(256);
  out.push_back('{');
  bool first = true;
  for (const TableSpec::AnswerMember& m : spec.answer_members) {
    if (!first) out.push_back(',');
    first = false;
    out.append(m.quoted_key);
    write_slot(out, m.slot);
  }
  out.push_back('}');
  return json_text::raw(out);
}

}  // namespace

json read_row_raw(const TableSpec& spec, const Statement& row, int first) {
  const int n = static_cast<int>(spec.fields.size());
  return row_text(spec, [&](std::string& out, int slot) {
    if (slot < 0 || slot >= n)  // id, createdAt, updatedAt: text as read_row reads them
      append_checked(out, slot < 0 ? "id" : slot == n ? "createdAt" : "updatedAt",
                     row.column_text_view(first + (slot < 0 ? 0 : slot + 1)));
    else
      append_column(out, spec.fields[static_cast<std::size_t>(slot)], row, first + 1 + slot);
  });
}

json row_raw(const TableSpec& spec, const Row& row) {
  const int n = static_cast<int>(spec.fields.size());
  return row_text(spec, [&](std::string& out, int slot) {
    if (slot < 0)
      json_text::append_string(out, row.id);
    else if (slot == n)
      json_text::append_string(out, row.created_at);
    else if (slot == n + 1)
      json_text::append_string(out, row.updated_at);
    else
      append_value(out, spec.fields[static_cast<std::size_t>(slot)], row.values[static_cast<std::size_t>(slot)]);
  });
}

}  // namespace cs::model
