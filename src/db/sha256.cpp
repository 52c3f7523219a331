#include "db/encoding.hpp"

#include <cstring>

namespace cs {

namespace {

// The compression function fully unrolled, the message schedule in sixteen
// locals: a loop over a 64-word array is a load and a store per word per
// round in wasm's linear memory, and this takes about half the time on the
// ~2 MB of image bytes a near-quota localStorage dump hashes.
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

void compress(std::uint32_t* st, const std::uint8_t* p) {
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

Sha256::Sha256()
    : h_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
         0x5be0cd19} {}

void Sha256::block(const std::uint8_t* p) { compress(h_, p); }

void Sha256::update(const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  length_ += size;
  if (buffered_ > 0) {
    std::size_t take = std::min(size, sizeof buffer_ - buffered_);
    std::memcpy(buffer_ + buffered_, p, take);
    buffered_ += take; p += take; size -= take;
    if (buffered_ < sizeof buffer_) return;
    block(buffer_);
    buffered_ = 0;
  }
  for (; size >= 64; p += 64, size -= 64) block(p);
  std::memcpy(buffer_, p, size);
  buffered_ = size;
}

std::array<std::uint8_t, 32> Sha256::finish() {
  std::uint64_t bits = length_ * 8;
  std::uint8_t pad = 0x80;
  update(&pad, 1);
  std::uint8_t zero = 0;
  while (buffered_ != 56) update(&zero, 1);
  std::uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = std::uint8_t(bits >> (56 - 8 * i));
  update(len, 8);
  std::array<std::uint8_t, 32> out{};
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = std::uint8_t(h_[i] >> (24 - 8 * j));
  return out;
}

std::string Sha256::hex(const void* data, std::size_t size) {
  Sha256 s;
  s.update(data, size);
  auto digest = s.finish();
  return to_hex(digest.data(), digest.size());
}

std::string to_hex(std::uint64_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = digits[value & 15];
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 15];
  }
  return out;
}

}  // namespace cs
