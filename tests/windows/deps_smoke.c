/* A smoke test of the Windows service's third-party libraries, as scripts/cross-build-windows-deps.sh
 * builds them (docs/windows-dependencies.md): linked statically from that prefix, run under wine
 * (or on Windows), it checks that
 *   - SQLCipher encrypts: a database keyed as the service keys its queue (PRAGMA key with a raw
 *     256-bit key) is written, reopened and read back; its file does not start with SQLite's
 *     plaintext header nor contain the row; the wrong key cannot read it;
 *   - libcurl is built with the expected TLS library (Schannel unless told otherwise) and zlib.
 * Not part of the CMake build; the script compiles and runs it at its end:
 *   deps_smoke.exe [DB_PATH [EXPECTED_TLS [HTTPS_URL CA_FILE [OTHER_CA_FILE]]]]
 * With HTTPS_URL and CA_FILE it also GETs the URL as the uploader does (TLS 1.2 or later, the
 * server verified against CA_FILE only); with OTHER_CA_FILE, a CA that did not sign the server's
 * certificate, it checks that the same GET is refused. */
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond, ...)                    \
  do {                                      \
    if (cond) {                             \
      printf("ok    ");                     \
    } else {                                \
      printf("FAIL  ");                     \
      ++failures;                           \
    }                                       \
    printf(__VA_ARGS__);                    \
    printf("\n");                           \
  } while (0)

/* A raw key as the service's queue uses one: 32 bytes, given in hex (no passphrase derivation). */
static const char kKeyPragma[] =
    "PRAGMA key = \"x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'\";";
static const char kWrongKeyPragma[] =
    "PRAGMA key = \"x'ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'\";";
static const char kSecret[] = "agent 4711 copied customer IBAN FR7630006000011234567890189";

static int exec(sqlite3* db, const char* sql) {
  char* error = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &error);
  if (rc != SQLITE_OK) printf("      (%s: %s)\n", sql, error ? error : sqlite3_errstr(rc));
  sqlite3_free(error);
  return rc;
}

/* The first column of the first row of a query, or "" (into out). */
static int query_text(sqlite3* db, const char* sql, char* out, size_t size) {
  sqlite3_stmt* stmt = NULL;
  out[0] = '\0';
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      snprintf(out, size, "%s", text ? (const char*)text : "");
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(stmt);
  return rc;
}

static void test_sqlcipher(const char* path) {
  char text[256];
  sqlite3* db = NULL;
  printf("== SQLCipher (SQLite %s), database %s\n", sqlite3_libversion(), path);
  remove(path);

  CHECK(sqlite3_open(path, &db) == SQLITE_OK, "open a new database");
  CHECK(exec(db, kKeyPragma) == SQLITE_OK, "PRAGMA key (raw 256-bit key)");
  CHECK(query_text(db, "PRAGMA cipher_version;", text, sizeof text) == SQLITE_OK && text[0],
        "PRAGMA cipher_version: %s", text[0] ? text : "(none: not SQLCipher)");
  if (query_text(db, "PRAGMA cipher_provider;", text, sizeof text) == SQLITE_OK && text[0])
    printf("      cipher provider: %s\n", text);
  if (query_text(db, "PRAGMA cipher_provider_version;", text, sizeof text) == SQLITE_OK && text[0])
    printf("      cipher provider version: %s\n", text);
  CHECK(exec(db, "CREATE TABLE queue(id INTEGER PRIMARY KEY, body TEXT NOT NULL);") == SQLITE_OK,
        "create a table");
  sqlite3_stmt* insert = NULL;
  int rc = sqlite3_prepare_v2(db, "INSERT INTO queue(body) VALUES (?1);", -1, &insert, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(insert, 1, kSecret, -1, SQLITE_STATIC);
    rc = sqlite3_step(insert) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
  }
  sqlite3_finalize(insert);
  CHECK(rc == SQLITE_OK, "insert a row");
  CHECK(sqlite3_close(db) == SQLITE_OK, "close");

  /* Reopened with the key: the row is there. */
  db = NULL;
  CHECK(sqlite3_open(path, &db) == SQLITE_OK, "reopen");
  exec(db, kKeyPragma);
  CHECK(query_text(db, "SELECT body FROM queue WHERE id = 1;", text, sizeof text) == SQLITE_OK &&
            strcmp(text, kSecret) == 0,
        "read the row back with the key: \"%s\"", text);
  sqlite3_close(db);

  /* Reopened with another key: nothing can be read. */
  db = NULL;
  sqlite3_open(path, &db);
  exec(db, kWrongKeyPragma);
  rc = query_text(db, "SELECT count(*) FROM sqlite_master;", text, sizeof text);
  CHECK(rc == SQLITE_NOTADB, "the wrong key cannot read it (%s)", sqlite3_errstr(rc));
  sqlite3_close(db);

  /* The file itself: no plaintext header, no plaintext row. */
  FILE* file = fopen(path, "rb");
  static char content[1 << 20];
  size_t size = file ? fread(content, 1, sizeof content, file) : 0;
  if (file) fclose(file);
  CHECK(size >= 16, "the file has %lu bytes", (unsigned long)size);
  printf("      first 16 bytes:");
  for (size_t i = 0; i < 16 && i < size; ++i) printf(" %02x", (unsigned char)content[i]);
  printf("\n");
  CHECK(size >= 16 && memcmp(content, "SQLite format 3", 16) != 0,
        "no \"SQLite format 3\" header: the file is encrypted");
  int found = 0;
  for (size_t i = 0; i + 4 <= size && !found; ++i) found = memcmp(content + i, "IBAN", 4) == 0;
  CHECK(!found, "the row's text does not appear in the file");
  remove(path);
}

static size_t discard(char* data, size_t size, size_t count, void* user) {
  (void)data;
  *(size_t*)user += size * count;
  return size * count;
}

/* GETs url with the server verified against ca_file; returns whether it got an HTTP 200. */
static int get(const char* url, const char* ca_file, char* why, size_t why_size) {
  CURL* curl = curl_easy_init();
  char error[CURL_ERROR_SIZE] = "";
  size_t received = 0;
  long status = 0;
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
  /* A private CA publishes no revocation list: Schannel would fail its revocation check. */
  curl_easy_setopt(curl, CURLOPT_SSL_OPTIONS, (long)CURLSSLOPT_NO_REVOKE);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20000L);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  snprintf(why, why_size, "%s, HTTP %ld, %lu bytes",
           rc == CURLE_OK ? "ok" : (error[0] ? error : curl_easy_strerror(rc)), status,
           (unsigned long)received);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK && status == 200;
}

static void test_curl(const char* expected_tls, const char* url, const char* ca_file,
                      const char* other_ca_file) {
  printf("== libcurl\n");
  CHECK(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK, "curl_global_init");
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  printf("      libcurl %s, host %s\n", info->version, info->host);
  printf("      TLS backend: %s\n", info->ssl_version ? info->ssl_version : "(none)");
  printf("      zlib: %s\n", info->libz_version ? info->libz_version : "(none)");
  printf("      protocols:");
  for (const char* const* p = info->protocols; *p; ++p) printf(" %s", *p);
  printf("\n");
  CHECK(info->ssl_version && strstr(info->ssl_version, expected_tls) != NULL,
        "TLS backend is %s", expected_tls);
  CHECK((info->features & CURL_VERSION_SSL) != 0, "feature SSL");
  CHECK((info->features & CURL_VERSION_LIBZ) != 0 && info->libz_version, "feature libz");
  int https = 0;
  for (const char* const* p = info->protocols; *p; ++p) https |= strcmp(*p, "https") == 0;
  CHECK(https, "protocol https");

  if (url && ca_file) {
    char why[CURL_ERROR_SIZE + 64];
    CHECK(get(url, ca_file, why, sizeof why), "GET %s, CA %s: %s", url, ca_file, why);
    if (other_ca_file)
      CHECK(!get(url, other_ca_file, why, sizeof why), "refused with another CA (%s): %s",
            other_ca_file, why);
  }
  curl_global_cleanup();
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "deps_smoke.db";
  const char* expected_tls = argc > 2 ? argv[2] : "Schannel";
  printf("== OpenSSL: %s\n", OpenSSL_version(OPENSSL_VERSION));
  test_sqlcipher(path);
  test_curl(expected_tls, argc > 4 ? argv[3] : NULL, argc > 4 ? argv[4] : NULL,
            argc > 5 ? argv[5] : NULL);
  printf("== %s (%d failure%s)\n", failures ? "FAILED" : "all passed", failures,
         failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}
