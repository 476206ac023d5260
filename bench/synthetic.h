#pragma once

// Building blocks of the synthetic call-centre data shared by the benchmark generators
// (audit_data, callcentre_sim): deterministic random draws, skewed record popularity, the
// client brands, teams and people's names. The same seed gives the same draws on every platform.

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace vigie::bench {

inline constexpr std::array<const char*, 3> kBrands = {"acme-energie", "globex-telecom",
                                                       "initech-assur"};
inline constexpr std::array<const char*, 5> kTeams = {"recouvrement", "service-client", "ventes",
                                                      "fidelisation", "back-office"};

// Deterministic draws from one seeded generator; mt19937_64's output is fixed by the standard,
// the distributions of <random> are not, hence these.
class Draw {
 public:
  explicit Draw(uint64_t seed) : engine_(seed) {}
  uint64_t bits() { return engine_(); }
  // Uniform in [0, n).
  uint64_t below(uint64_t n) { return static_cast<uint64_t>(unit() * static_cast<double>(n)); }
  // Uniform in [from, to).
  int64_t between(int64_t from, int64_t to) {
    return from + static_cast<int64_t>(below(static_cast<uint64_t>(to - from)));
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  // Exponential with the given mean (inter-arrival times).
  double exponential(double mean);
  template <size_t N>
  const char* pick(const std::array<const char*, N>& items) {
    return items[below(N)];
  }
  template <size_t N>
  std::array<uint8_t, N> bytes() {
    std::array<uint8_t, N> out{};
    for (uint8_t& b : out) b = static_cast<uint8_t>(engine_());
    return out;
  }

 private:
  std::mt19937_64 engine_;
};

// Zipf–Mandelbrot popularity over `n` ranks: P(k) proportional to 1 / (k + offset)^s, k = 1..n.
// With s = 1 and offset 10 over 667k records, the most viewed record gets ~0.8% of the views and
// about half of all records are never viewed.
class Zipf {
 public:
  Zipf(int64_t n, double s, double offset);
  // A rank in [0, n), 0 the most popular.
  int64_t draw(Draw& draw) const;

 private:
  std::vector<double> cdf_;
};

// The customer record of popularity `rank` among the `per_brand` records of brand number `brand`,
// ranks scrambled so that popular records are not neighbours: "C-1234567".
std::string recordId(int64_t rank, size_t brand, int64_t per_brand);

// A distinct login for person number `index`: "amelie.martin", ..., "amelie.martin2" past the
// 1600 name pairs.
std::string personLogin(size_t index);

}  // namespace vigie::bench
