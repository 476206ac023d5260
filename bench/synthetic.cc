#include "synthetic.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vigie::bench {
namespace {

constexpr std::array<const char*, 40> kFirstNames = {
    "amelie",  "lucas",   "chloe", "hugo",   "lea",    "louis",   "manon", "jules",
    "camille", "adam",    "sarah", "nathan", "ines",   "ethan",   "jade",  "leo",
    "louise",  "gabriel", "emma",  "arthur", "alice",  "raphael", "lina",  "paul",
    "julia",   "mael",    "zoe",   "tom",    "anna",   "noah",    "eva",   "sacha",
    "rose",    "victor",  "mila",  "theo",   "agathe", "samuel",  "clara", "yanis"};
constexpr std::array<const char*, 40> kLastNames = {
    "martin",   "bernard", "thomas",   "petit",     "robert",   "richard", "durand",   "dubois",
    "moreau",   "laurent", "simon",    "michel",    "lefebvre", "leroy",   "roux",     "david",
    "bertrand", "morel",   "fournier", "girard",    "bonnet",   "dupont",  "lambert",  "fontaine",
    "rousseau", "vincent", "muller",   "lefevre",   "faure",    "andre",   "mercier",  "blanc",
    "guerin",   "boyer",   "garnier",  "chevalier", "francois", "legrand", "gauthier", "garcia"};

}  // namespace

double Draw::exponential(double mean) { return -mean * std::log1p(-unit()); }

Zipf::Zipf(int64_t n, double s, double offset) : cdf_(static_cast<size_t>(n)) {
  double sum = 0;
  for (int64_t k = 0; k < n; ++k) {
    sum += 1.0 / std::pow(static_cast<double>(k + 1) + offset, s);
    cdf_[static_cast<size_t>(k)] = sum;
  }
  for (double& c : cdf_) c /= sum;
}

int64_t Zipf::draw(Draw& draw) const {
  const double u = draw.unit();
  const auto at = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  return std::min<int64_t>(at - cdf_.begin(), static_cast<int64_t>(cdf_.size()) - 1);
}

std::string recordId(int64_t rank, size_t brand, int64_t per_brand) {
  // An odd multiplier coprime with per_brand permutes the ranks.
  int64_t multiplier = 2654435761LL % per_brand;
  while (std::gcd(multiplier, per_brand) != 1) ++multiplier;
  const int64_t index = (rank * multiplier + 12345) % per_brand;
  return "C-" + std::to_string(1'000'000 + index * static_cast<int64_t>(kBrands.size()) +
                               static_cast<int64_t>(brand));
}

std::string personLogin(size_t index) {
  const size_t names = kFirstNames.size() * kLastNames.size();
  std::string login = std::string(kFirstNames[index % kFirstNames.size()]) + "." +
                      kLastNames[(index / kFirstNames.size()) % kLastNames.size()];
  if (index >= names) login += std::to_string(index / names + 1);
  return login;
}

}  // namespace vigie::bench
