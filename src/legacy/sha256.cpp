// SHA-256 for blob content addresses, fully unrolled with the message
// schedule in sixteen locals. The shared cs::Sha256 keeps its schedule in a
// 64-word array in linear memory, which in wasm means a load and a store per
// word per round; on the near-quota dump (about 2 MB of distinct image bytes)
// this version takes about half the time. Checked against cs::Sha256 and
// the FIPS vectors in tests/native/test_legacy_values.cpp.
#include "internal.hpp"

#include <cstring>

namespace cs::legacy {

namespace {

inline std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
inline std::uint32_t S0(std::uint32_t x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
inline std::uint32_t S1(std::uint32_t x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }
inline std::uint32_t s0(std::uint32_t x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
inline std::uint32_t s1(std::uint32_t x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }
inline std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

#define R(a, b, c, d, e, f, g, h, k, w)                                   \
  do {                                                                    \
    const std::uint32_t t1 = h + S1(e) + (g ^ (e & (f ^ g))) + k + (w);  \
    const std::uint32_t t2 = S0(a) + ((a & b) | (c & (a | b)));          \
    d += t1;                                                             \
    h = t1 + t2;                                                         \
  } while (0)

void block(std::uint32_t* st, const std::uint8_t* p) {
  std::uint32_t w0 = be32(p), w1 = be32(p + 4), w2 = be32(p + 8), w3 = be32(p + 12), w4 = be32(p + 16),
                w5 = be32(p + 20), w6 = be32(p + 24), w7 = be32(p + 28), w8 = be32(p + 32), w9 = be32(p + 36),
                w10 = be32(p + 40), w11 = be32(p + 44), w12 = be32(p + 48), w13 = be32(p + 52), w14 = be32(p + 56),
                w15 = be32(p + 60);
  std::uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  R(a, b, c, d, e, f, g, h, 0x428a2f98u, w0);
  R(h, a, b, c, d, e, f, g, 0x71374491u, w1);
  R(g, h, a, b, c, d, e, f, 0xb5c0fbcfu, w2);
  R(f, g, h, a, b, c, d, e, 0xe9b5dba5u, w3);
  R(e, f, g, h, a, b, c, d, 0x3956c25bu, w4);
  R(d, e, f, g, h, a, b, c, 0x59f111f1u, w5);
  R(c, d, e, f, g, h, a, b, 0x923f82a4u, w6);
  R(b, c, d, e, f, g, h, a, 0xab1c5ed5u, w7);
  R(a, b, c, d, e, f, g, h, 0xd807aa98u, w8);
  R(h, a, b, c, d, e, f, g, 0x12835b01u, w9);
  R(g, h, a, b, c, d, e, f, 0x243185beu, w10);
  R(f, g, h, a, b, c, d, e, 0x550c7dc3u, w11);
  R(e, f, g, h, a, b, c, d, 0x72be5d74u, w12);
  R(d, e, f, g, h, a, b, c, 0x80deb1feu, w13);
  R(c, d, e, f, g, h, a, b, 0x9bdc06a7u, w14);
  R(b, c, d, e, f, g, h, a, 0xc19bf174u, w15);
  R(a, b, c, d, e, f, g, h, 0xe49b69c1u, (w0 += s1(w14) + w9 + s0(w1)));
  R(h, a, b, c, d, e, f, g, 0xefbe4786u, (w1 += s1(w15) + w10 + s0(w2)));
  R(g, h, a, b, c, d, e, f, 0x0fc19dc6u, (w2 += s1(w0) + w11 + s0(w3)));
  R(f, g, h, a, b, c, d, e, 0x240ca1ccu, (w3 += s1(w1) + w12 + s0(w4)));
  R(e, f, g, h, a, b, c, d, 0x2de92c6fu, (w4 += s1(w2) + w13 + s0(w5)));
  R(d, e, f, g, h, a, b, c, 0x4a7484aau, (w5 += s1(w3) + w14 + s0(w6)));
  R(c, d, e, f, g, h, a, b, 0x5cb0a9dcu, (w6 += s1(w4) + w15 + s0(w7)));
  R(b, c, d, e, f, g, h, a, 0x76f988dau, (w7 += s1(w5) + w0 + s0(w8)));
  R(a, b, c, d, e, f, g, h, 0x983e5152u, (w8 += s1(w6) + w1 + s0(w9)));
  R(h, a, b, c, d, e, f, g, 0xa831c66du, (w9 += s1(w7) + w2 + s0(w10)));
  R(g, h, a, b, c, d, e, f, 0xb00327c8u, (w10 += s1(w8) + w3 + s0(w11)));
  R(f, g, h, a, b, c, d, e, 0xbf597fc7u, (w11 += s1(w9) + w4 + s0(w12)));
  R(e, f, g, h, a, b, c, d, 0xc6e00bf3u, (w12 += s1(w10) + w5 + s0(w13)));
  R(d, e, f, g, h, a, b, c, 0xd5a79147u, (w13 += s1(w11) + w6 + s0(w14)));
  R(c, d, e, f, g, h, a, b, 0x06ca6351u, (w14 += s1(w12) + w7 + s0(w15)));
  R(b, c, d, e, f, g, h, a, 0x14292967u, (w15 += s1(w13) + w8 + s0(w0)));
  R(a, b, c, d, e, f, g, h, 0x27b70a85u, (w0 += s1(w14) + w9 + s0(w1)));
  R(h, a, b, c, d, e, f, g, 0x2e1b2138u, (w1 += s1(w15) + w10 + s0(w2)));
  R(g, h, a, b, c, d, e, f, 0x4d2c6dfcu, (w2 += s1(w0) + w11 + s0(w3)));
  R(f, g, h, a, b, c, d, e, 0x53380d13u, (w3 += s1(w1) + w12 + s0(w4)));
  R(e, f, g, h, a, b, c, d, 0x650a7354u, (w4 += s1(w2) + w13 + s0(w5)));
  R(d, e, f, g, h, a, b, c, 0x766a0abbu, (w5 += s1(w3) + w14 + s0(w6)));
  R(c, d, e, f, g, h, a, b, 0x81c2c92eu, (w6 += s1(w4) + w15 + s0(w7)));
  R(b, c, d, e, f, g, h, a, 0x92722c85u, (w7 += s1(w5) + w0 + s0(w8)));
  R(a, b, c, d, e, f, g, h, 0xa2bfe8a1u, (w8 += s1(w6) + w1 + s0(w9)));
  R(h, a, b, c, d, e, f, g, 0xa81a664bu, (w9 += s1(w7) + w2 + s0(w10)));
  R(g, h, a, b, c, d, e, f, 0xc24b8b70u, (w10 += s1(w8) + w3 + s0(w11)));
  R(f, g, h, a, b, c, d, e, 0xc76c51a3u, (w11 += s1(w9) + w4 + s0(w12)));
  R(e, f, g, h, a, b, c, d, 0xd192e819u, (w12 += s1(w10) + w5 + s0(w13)));
  R(d, e, f, g, h, a, b, c, 0xd6990624u, (w13 += s1(w11) + w6 + s0(w14)));
  R(c, d, e, f, g, h, a, b, 0xf40e3585u, (w14 += s1(w12) + w7 + s0(w15)));
  R(b, c, d, e, f, g, h, a, 0x106aa070u, (w15 += s1(w13) + w8 + s0(w0)));
  R(a, b, c, d, e, f, g, h, 0x19a4c116u, (w0 += s1(w14) + w9 + s0(w1)));
  R(h, a, b, c, d, e, f, g, 0x1e376c08u, (w1 += s1(w15) + w10 + s0(w2)));
  R(g, h, a, b, c, d, e, f, 0x2748774cu, (w2 += s1(w0) + w11 + s0(w3)));
  R(f, g, h, a, b, c, d, e, 0x34b0bcb5u, (w3 += s1(w1) + w12 + s0(w4)));
  R(e, f, g, h, a, b, c, d, 0x391c0cb3u, (w4 += s1(w2) + w13 + s0(w5)));
  R(d, e, f, g, h, a, b, c, 0x4ed8aa4au, (w5 += s1(w3) + w14 + s0(w6)));
  R(c, d, e, f, g, h, a, b, 0x5b9cca4fu, (w6 += s1(w4) + w15 + s0(w7)));
  R(b, c, d, e, f, g, h, a, 0x682e6ff3u, (w7 += s1(w5) + w0 + s0(w8)));
  R(a, b, c, d, e, f, g, h, 0x748f82eeu, (w8 += s1(w6) + w1 + s0(w9)));
  R(h, a, b, c, d, e, f, g, 0x78a5636fu, (w9 += s1(w7) + w2 + s0(w10)));
  R(g, h, a, b, c, d, e, f, 0x84c87814u, (w10 += s1(w8) + w3 + s0(w11)));
  R(f, g, h, a, b, c, d, e, 0x8cc70208u, (w11 += s1(w9) + w4 + s0(w12)));
  R(e, f, g, h, a, b, c, d, 0x90befffau, (w12 += s1(w10) + w5 + s0(w13)));
  R(d, e, f, g, h, a, b, c, 0xa4506cebu, (w13 += s1(w11) + w6 + s0(w14)));
  R(c, d, e, f, g, h, a, b, 0xbef9a3f7u, (w14 += s1(w12) + w7 + s0(w15)));
  R(b, c, d, e, f, g, h, a, 0xc67178f2u, (w15 += s1(w13) + w8 + s0(w0)));
  st[0] += a; st[1] += b; st[2] += c; st[3] += d; st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

#undef R

}  // namespace

void sha256(const void* data, std::size_t size, std::uint8_t out[32]) {
  std::uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::size_t n = size;
  for (; n >= 64; p += 64, n -= 64) block(st, p);
  std::uint8_t tail[128] = {};
  std::memcpy(tail, p, n);
  tail[n] = 0x80;
  const std::size_t blocks = n + 9 <= 64 ? 1 : 2;
  const std::uint64_t bits = static_cast<std::uint64_t>(size) * 8;
  for (int i = 0; i < 8; ++i) tail[blocks * 64 - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  for (std::size_t i = 0; i < blocks; ++i) block(st, tail + 64 * i);
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(st[i] >> (24 - 8 * j));
}

std::string sha256_hex(const void* data, std::size_t size) {
  std::uint8_t digest[32];
  sha256(data, size, digest);
  static const char* hex = "0123456789abcdef";
  std::string out(64, '0');
  for (int i = 0; i < 32; ++i) {
    out[static_cast<std::size_t>(2 * i)] = hex[digest[i] >> 4];
    out[static_cast<std::size_t>(2 * i + 1)] = hex[digest[i] & 15];
  }
  return out;
}

// Wasm engines start on baseline code and tier a function up only after it
// has run hot; this unrolled function is slow until then (baseline code for
// it is several times slower), and a near-quota dump hashes ~2 MB. Hashing
// 64 KB once, before the values are even parsed, gets the optimizing compile
// going in the background early. Measured in Node 20: the first near-quota
// migration in a process went from ~750 to ~370 ms.
void warm_up_hashing() {
  static bool done = false;
  if (done) return;
  done = true;
  static const std::uint8_t zeros[16384] = {};
  std::uint8_t digest[32];
  for (int i = 0; i < 4; ++i) sha256(zeros, sizeof zeros, digest);
}

}  // namespace cs::legacy
