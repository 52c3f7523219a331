// The bytes of a JSON string, as the parser reads them and the writer writes
// them: which stand for themselves, and which UTF-8 sequences are well formed
// (Unicode table 3-7: no overlong forms, no surrogates, nothing above
// U+10FFFF).
#pragma once

namespace cs::json_text {

// Printable ASCII but '"' and '\\': copied in runs. Everything else is an
// escape, a control character or the start of a UTF-8 sequence.
struct PlainBytes {
  bool plain[256];
  constexpr PlainBytes() : plain{} {
    for (int i = 0x20; i < 0x80; ++i) plain[i] = true;
    plain[static_cast<unsigned char>('"')] = false;
    plain[static_cast<unsigned char>('\\')] = false;
  }
};
inline constexpr PlainBytes kPlain;

// The length of the well-formed sequence at p (> 0), or, for a malformed
// one, minus the length of its longest valid prefix (at least 1): the unit
// nlohmann's writer replaces with one U+FFFD, the bad byte starting over.
inline int utf8_unit(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  int n;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return -1;  // a stray continuation byte or an impossible lead byte
  }
  const auto avail = end - p;
  for (int k = 1; k < n; ++k) {
    if (k >= avail) return -k;  // cut short by the end of the text
    const unsigned char b = p[k];
    const bool ok = k == 1 ? (b >= lo && b <= hi) : (b & 0xC0) == 0x80;
    if (!ok) return -k;
  }
  return n;
}

}  // namespace cs::json_text
