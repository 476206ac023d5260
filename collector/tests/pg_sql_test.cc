#include "store/postgres/pg_sql.h"

#include <gtest/gtest.h>

namespace vigie::collector::pg {
namespace {

TEST(PgSqlTranslation, PlaceholdersAreNumberedInOrderAndNumberedOnesKept) {
  EXPECT_EQ(toPostgres("SELECT a FROM t WHERE b = ? AND c > ?"),
            "SELECT a FROM t WHERE b = $1 AND c > $2");
  EXPECT_EQ(toPostgres("UPDATE t SET a = ?2 WHERE b = ?1"), "UPDATE t SET a = $2 WHERE b = $1");
}

TEST(PgSqlTranslation, TheUserColumnIsQuotedAndNothingElse) {
  EXPECT_EQ(toPostgres("SELECT user, e.user, users, user_name, login FROM e WHERE user = ?"),
            "SELECT \"user\", e.\"user\", users, user_name, login FROM e WHERE \"user\" = $1");
}

TEST(PgSqlTranslation, LiteralsAndQuotedIdentifiersAreLeftAlone) {
  EXPECT_EQ(toPostgres("SELECT 'user?' AS \"user?\" FROM t WHERE a = ?"),
            "SELECT 'user?' AS \"user?\" FROM t WHERE a = $1");
  // An unterminated literal is copied as it is (the server then refuses it).
  EXPECT_EQ(toPostgres("SELECT 'a?"), "SELECT 'a?");
}

TEST(PgSqlTranslation, InsertOrIgnoreDoesNothingOnConflict) {
  EXPECT_EQ(toPostgres("INSERT OR IGNORE INTO t(a, user) VALUES (?, ?)"),
            "INSERT INTO t(a, \"user\") VALUES ($1, $2) ON CONFLICT DO NOTHING");
  EXPECT_EQ(toPostgres("INSERT INTO t(a) VALUES (?)"), "INSERT INTO t(a) VALUES ($1)");
}

}  // namespace
}  // namespace vigie::collector::pg
