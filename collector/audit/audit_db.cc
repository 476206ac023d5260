#include "audit/audit_db.h"

#include "sql/sqlite_sql.h"
#include "store/postgres/pg_sql.h"

namespace vigie::collector {
namespace {

// The trail refuses UPDATE and DELETE at the database level; its hash chain catches anyone who
// drops the triggers first.
constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS accounts("
    " user TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL,"
    " brand TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS tokens("
    " token_hash BLOB PRIMARY KEY, user TEXT NOT NULL, expires_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS trail("
    " seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,"
    " brand TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL, outcome INTEGER NOT NULL,"
    " hash BLOB NOT NULL);"
    "CREATE TRIGGER IF NOT EXISTS trail_no_update BEFORE UPDATE ON trail"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS trail_no_delete BEFORE DELETE ON trail"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TABLE IF NOT EXISTS reveals("
    " id INTEGER PRIMARY KEY, pseudonym TEXT NOT NULL, reason TEXT NOT NULL,"
    " requester TEXT NOT NULL, requester_brand TEXT NOT NULL, requested_ms INTEGER NOT NULL,"
    " status TEXT NOT NULL, decider TEXT NOT NULL DEFAULT '', decided_ms INTEGER NOT NULL DEFAULT "
    "0);"
    "CREATE TABLE IF NOT EXISTS pseudonyms(pseudonym TEXT PRIMARY KEY, login TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS people(login TEXT PRIMARY KEY, team TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS crm_accounts("
    " brand TEXT NOT NULL, crm_user TEXT NOT NULL, login TEXT NOT NULL,"
    " PRIMARY KEY(brand, crm_user));"
    "CREATE TABLE IF NOT EXISTS crm_records("
    " id INTEGER PRIMARY KEY, brand TEXT NOT NULL, crm_id TEXT NOT NULL, time_ms INTEGER NOT NULL,"
    " user TEXT NOT NULL, record_id TEXT NOT NULL, action TEXT NOT NULL, fields TEXT NOT NULL,"
    " received_ms INTEGER NOT NULL, UNIQUE(brand, crm_id));"
    "CREATE INDEX IF NOT EXISTS crm_by_record ON crm_records(record_id, time_ms);"
    "CREATE INDEX IF NOT EXISTS crm_by_user ON crm_records(user, time_ms);"
    "CREATE INDEX IF NOT EXISTS crm_by_time ON crm_records(time_ms);"
    "CREATE TABLE IF NOT EXISTS retention("
    " class TEXT PRIMARY KEY, days INTEGER NOT NULL, justification TEXT NOT NULL,"
    " set_by TEXT NOT NULL, set_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS holds("
    " id INTEGER PRIMARY KEY, case_name TEXT NOT NULL, reason TEXT NOT NULL, brand TEXT,"
    " user TEXT, record_id TEXT, from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL,"
    " created_by TEXT NOT NULL, created_ms INTEGER NOT NULL, released_ms INTEGER);"
    // Detection (collector/detect/): alerts and their evidence, where each output stands, and
    // the facts the rules consult (calls, shifts, watched records), and retrospective runs.
    "CREATE TABLE IF NOT EXISTS alerts("
    " id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, rule TEXT NOT NULL,"
    " severity INTEGER NOT NULL, user TEXT NOT NULL, device TEXT NOT NULL, brand TEXT NOT NULL,"
    " time_ms INTEGER NOT NULL, summary TEXT NOT NULL, origin TEXT NOT NULL,"
    " evidence_count INTEGER NOT NULL, raised_ms INTEGER NOT NULL, status INTEGER NOT NULL,"
    " true_positive INTEGER, comment TEXT NOT NULL DEFAULT '',"
    " updated_by TEXT NOT NULL DEFAULT '', updated_ms INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts(time_ms);"
    "CREATE TABLE IF NOT EXISTS alert_evidence("
    " alert_id INTEGER NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL,"
    " time_ms INTEGER NOT NULL, type TEXT NOT NULL, record_id TEXT NOT NULL,"
    " PRIMARY KEY(alert_id, device, seq, type)) WITHOUT ROWID;"
    "CREATE TRIGGER IF NOT EXISTS alert_evidence_follows AFTER DELETE ON alerts"
    " BEGIN DELETE FROM alert_evidence WHERE alert_id = old.id; END;"
    "CREATE TABLE IF NOT EXISTS alert_outputs(output TEXT PRIMARY KEY, delivered_through INTEGER"
    " NOT NULL);"
    // A call's person is `user` and its start `time_ms`, as in the other tables that retention
    // and legal holds go through.
    "CREATE TABLE IF NOT EXISTS calls("
    " brand TEXT NOT NULL, call_id TEXT NOT NULL, kind TEXT NOT NULL, user TEXT NOT NULL,"
    " time_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, record_id TEXT NOT NULL,"
    " campaign TEXT NOT NULL, received_ms INTEGER NOT NULL, PRIMARY KEY(brand, call_id));"
    "CREATE INDEX IF NOT EXISTS calls_by_user ON calls(user, time_ms);"
    "CREATE TABLE IF NOT EXISTS shifts("
    " who TEXT NOT NULL, days INTEGER NOT NULL, start_minute INTEGER NOT NULL,"
    " end_minute INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS shifts_by_who ON shifts(who);"
    "CREATE TABLE IF NOT EXISTS watchlist("
    " brand TEXT NOT NULL, record_id TEXT NOT NULL, kind TEXT NOT NULL, login TEXT NOT NULL,"
    " reason TEXT NOT NULL, added_by TEXT NOT NULL, added_ms INTEGER NOT NULL,"
    " PRIMARY KEY(brand, record_id));"
    "CREATE TABLE IF NOT EXISTS detection_runs("
    " id INTEGER PRIMARY KEY, rules TEXT NOT NULL, from_ms INTEGER NOT NULL,"
    " to_ms INTEGER NOT NULL, requested_by TEXT NOT NULL, requested_ms INTEGER NOT NULL,"
    " state TEXT NOT NULL, events INTEGER NOT NULL DEFAULT 0, alerts INTEGER NOT NULL DEFAULT 0,"
    " finished_ms INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '');"
    // Fleet (collector/fleet/): each device's latest heartbeat, as the collector re-encoded it,
    // and the workstation policies, signed, in activation order.
    "CREATE TABLE IF NOT EXISTS heartbeats("
    " device_id TEXT PRIMARY KEY, first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL,"
    " body TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS workstation_policies("
    " serial INTEGER PRIMARY KEY, version TEXT NOT NULL, activated_ms INTEGER NOT NULL,"
    " activated_by TEXT NOT NULL, document TEXT NOT NULL, signature TEXT NOT NULL);";

}  // namespace

StatusOr<std::unique_ptr<AuditDb>> AuditDb::open(const std::string& path,
                                                 const crypto::SecretKey& key) {
  auto db = sqlcipher::openEncrypted(path, SQLITE_OPEN_READWRITE, key);
  if (!db.isOk()) return db.status().withContext("audit tables");
  sqlite3_busy_timeout(db->get(), 5000);
  VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db->get(), kSchema));
  return std::unique_ptr<AuditDb>(new AuditDb(std::make_unique<SqliteSql>(std::move(db).value())));
}

StatusOr<std::unique_ptr<AuditDb>> AuditDb::open(const PostgresOptions& options) {
  auto conn = pg::Connection::open(options.conninfo);
  if (!conn.isOk()) return conn.status().withContext("audit tables");
  return std::unique_ptr<AuditDb>(
      new AuditDb(std::make_unique<pg::PgSql>(options.conninfo, std::move(conn).value())));
}

}  // namespace vigie::collector
