#include "pii_classifier.h"

#include <gtest/gtest.h>

namespace vigie::session {
namespace {

using protocol::PiiCounts;

PiiCounts counts(uint64_t email, uint64_t phone, uint64_t iban, uint64_t card, uint64_t nir) {
  return PiiCounts{email, phone, iban, card, nir};
}

TEST(PiiClassifierTest, EmptyAndOrdinaryTextHoldNothing) {
  EXPECT_EQ(classifyPii(""), counts(0, 0, 0, 0, 0));
  EXPECT_EQ(classifyPii("Rappeler le client mardi à 14h30, dossier 2024-118."),
            counts(0, 0, 0, 0, 0));
}

TEST(PiiClassifierTest, EmailAddresses) {
  EXPECT_EQ(classifyPii("jean.dupont@example.fr").email, 1u);
  EXPECT_EQ(classifyPii("a: marie+crm@acme-energie.co.uk, b: x_y@sub.example.org.").email, 2u);
  EXPECT_EQ(classifyPii("not@home, @example.fr, user@localhost, a@b.c").email, 0u);
}

TEST(PiiClassifierTest, FrenchPhoneNumbersInTheirUsualSpellings) {
  EXPECT_EQ(classifyPii("06 12 34 56 78").phone_fr, 1u);
  EXPECT_EQ(classifyPii("0612345678 / 01.23.45.67.89 / 09-87-65-43-21").phone_fr, 3u);
  EXPECT_EQ(classifyPii("+33 6 12 34 56 78 et 0033 1 23 45 67 89").phone_fr, 2u);
  // Wrong length, a leading 00 subscriber digit, or glued to letters: not phone numbers.
  EXPECT_EQ(classifyPii("061234567 06123456789 0012345678 ref06123456789x").phone_fr, 0u);
}

TEST(PiiClassifierTest, IbansNeedAValidCheckSum) {
  EXPECT_TRUE(isValidIban("FR7630006000011234567890189"));
  EXPECT_TRUE(isValidIban("DE89370400440532013000"));
  EXPECT_FALSE(isValidIban("FR7630006000011234567890188"));  // one digit off
  EXPECT_EQ(classifyPii("IBAN FR76 3000 6000 0112 3456 7890 189 merci").iban, 1u);
  EXPECT_EQ(classifyPii("fr7630006000011234567890189").iban, 1u);
  EXPECT_EQ(classifyPii("FR76 3000 6000 0112 3456 7890 188").iban, 0u);
  // The digits of an IBAN are not counted again as a card or phone number.
  EXPECT_EQ(classifyPii("GB82 WEST 1234 5698 7654 32"), counts(0, 0, 1, 0, 0));
}

TEST(PiiClassifierTest, PaymentCardsNeedLuhn) {
  EXPECT_TRUE(passesLuhn("4111111111111111"));
  EXPECT_FALSE(passesLuhn("4111111111111112"));
  EXPECT_EQ(classifyPii("carte 4111 1111 1111 1111 exp 12/29").payment_card, 1u);
  EXPECT_EQ(classifyPii("carte 4111-1111-1111-1111").payment_card, 1u);
  EXPECT_EQ(classifyPii("carte 4111 1111 1111 1112").payment_card, 0u);
}

TEST(PiiClassifierTest, SocialSecurityNumbersNeedTheirKey) {
  // 1 84 12 76 451 089 → key 97 − (1841276451089 mod 97) = 46.
  EXPECT_TRUE(isValidNir("184127645108946"));
  EXPECT_FALSE(isValidNir("184127645108947"));
  EXPECT_EQ(classifyPii("NIR 1 84 12 76 451 089 46").nir, 1u);
  EXPECT_EQ(classifyPii("NIR 1 84 12 76 451 089 47"), counts(0, 0, 0, 0, 0));
  // Corsica: department 2A counts as 19 in the key.
  EXPECT_TRUE(isValidNir("269072A12345623"));
  EXPECT_EQ(classifyPii("2 69 07 2A 123 456 23").nir, 1u);
}

TEST(PiiClassifierTest, AMixedCopyCountsEachItemOnce) {
  const std::string copied =
      "Mme Durand, marie.durand@example.fr, tél. 06 12 34 56 78, portable +33 7 11 22 33 44\n"
      "IBAN FR76 3000 6000 0112 3456 7890 189; carte 4111 1111 1111 1111; NIR 184127645108946";
  EXPECT_EQ(classifyPii(copied), counts(1, 2, 1, 1, 1));
}

}  // namespace
}  // namespace vigie::session
