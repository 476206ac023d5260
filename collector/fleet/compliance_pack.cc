#include "fleet/compliance_pack.h"

#include <algorithm>

#include "session_policy.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {
namespace {

// What the policy declares, read from the signed document.
struct Declared {
  std::string controller = "(controller not named in the policy)";
  std::string contact = "(contact not named in the policy)";
  std::vector<std::string> purposes;
  std::vector<std::string> recipients;
  std::vector<std::string> applications;  // "app (brand)"
  std::string clipboard = "named";
  bool print = false;
  std::vector<std::string> places;   // watched place classes
  std::vector<std::string> periods;  // "mon, tue 09:00-12:30: what"
};

Declared declaredBy(const session::SessionPolicy& policy) {
  Declared declared;
  if (policy.notice) {
    if (!policy.notice->controller.empty()) declared.controller = policy.notice->controller;
    if (!policy.notice->contact.empty()) declared.contact = policy.notice->contact;
    declared.purposes = policy.notice->purposes;
    declared.recipients = policy.notice->recipients;
  }
  for (const session::ApplicationRule& app : policy.applications) {
    declared.applications.push_back(
        app.app + (app.brand.empty() ? " (work tool)" : " (CRM of " + app.brand + ")"));
  }
  declared.clipboard = policy.clipboard == session::ClipboardSources::kAll    ? "all"
                       : policy.clipboard == session::ClipboardSources::kNone ? "none"
                                                                              : "named";
  declared.print = policy.print;
  for (const session::WatchedPlace& place : policy.watched_places) {
    const std::string kind(
        protocol::enumNames(protocol::PathClass{})[static_cast<size_t>(place.path_class)]);
    if (std::find(declared.places.begin(), declared.places.end(), kind) == declared.places.end()) {
      declared.places.push_back(kind);
    }
  }
  for (const session::RecordingPeriod& period : policy.recording_periods) {
    std::string days;
    for (int day = 0; day < session::kDaysPerWeek; ++day) {
      if (period.onDay(day))
        days += (days.empty() ? "" : ", ") + std::string(session::dayName(day));
    }
    declared.periods.push_back(days + " " + session::clockText(period.start_minute) + "-" +
                               session::clockText(period.end_minute) + ": " + period.what);
  }
  return declared;
}

std::string bullets(const std::vector<std::string>& items, std::string_view none) {
  if (items.empty()) return "- " + std::string(none) + "\n";
  std::string out;
  for (const std::string& item : items) out += "- " + item + "\n";
  return out;
}

std::string retentionTable(const std::vector<RetentionClass>& retention) {
  std::string out = "| records | kept for | justification beyond 6 months |\n|---|---|---|\n";
  for (const RetentionClass& each : retention) {
    out += "| " + each.name + " | " + std::to_string(each.days) + " days | " +
           (each.justification.empty() ? "-" : each.justification) + " |\n";
  }
  return out;
}

std::string dataCategories(const Declared& declared) {
  std::string out =
      "- **CRM screens**: which application, screen and customer record identifier was in front "
      "of the person, when, in which mode (view / edit). Applications named by the policy:\n";
  for (const std::string& app : declared.applications) out += "  - " + app + "\n";
  out += declared.clipboard == "none"
             ? "- **Clipboard copies**: not recorded.\n"
             : "- **Clipboard copies** (" +
                   std::string(declared.clipboard == "all" ? "from any application"
                                                           : "from the named applications") +
                   "): source application, size, formats, and how many items of each kind of "
                   "personal data the copy held (e-mail addresses, phone numbers, IBANs, payment "
                   "card numbers, social security numbers) — never the copied text.\n";
  out += "- **Exported files** saved to watched places (";
  for (size_t i = 0; i < declared.places.size(); ++i) out += (i ? ", " : "") + declared.places[i];
  out += declared.places.empty() ? "none)" : ")";
  out += ": kind of place, file type, size — never the name's content or the file's content.\n";
  out += declared.print ? "- **Print jobs**: printer, pages, copies, kind of document — never its "
                          "name or content.\n"
                        : "- **Print jobs**: not recorded.\n";
  out +=
      "- **Session events**: log on, lock, unlock, log off of the workstation session.\n"
      "- **Notices shown** to the person (this information, recording periods), with time.\n"
      "- **Workstation health**: agent start and stop, policy applied, gaps and integrity "
      "incidents.\n"
      "- **Telephony metadata** supplied by the call-centre system (call start and end, the "
      "agent, the customer record), to tell justified accesses from unjustified ones.\n"
      "- **Alerts** raised by the detection rules, and what auditors did with them.\n\n"
      "Never recorded: keystrokes, screenshots or screen video, the content of copies, files or "
      "prints, web browsing outside the named applications.\n";
  return out;
}

}  // namespace

StatusOr<CompliancePack> buildCompliancePack(const SignedPolicy& policy,
                                             const std::vector<RetentionClass>& retention) {
  // Read as a sensor reads it: what is declared is what workstations apply.
  auto parsed =
      session::parseSessionPolicy(policy.document, session::UserDirectories{"/home/user", "user"});
  if (!parsed.isOk()) {
    return Status::invalidArgument("the policy in force does not parse: " +
                                   parsed.status().message());
  }
  const Declared declared = declaredBy(*parsed);
  const std::string source = "Generated from workstation policy " + policy.version + " (serial " +
                             std::to_string(policy.serial) + ", activated " +
                             protocol::formatUtcMillis(policy.activated_ms) + ").\n\n";
  CompliancePack pack;

  pack.processing =
      "# Description of the processing: traceability of access to customer data\n\n" + source +
      "## Controller\n\n" + declared.controller + " — contact: " + declared.contact +
      "\n\n## Purposes\n\n" +
      bullets(declared.purposes,
              "(no purpose declared: add them to "
              "the policy's notice.purposes)") +
      "\n## People concerned\n\nThe employees who work with customer data on the workstations "
      "where the agent is installed (tele-advisors, team leaders).\n\n## Data categories\n\n" +
      dataCategories(declared) + "\n## Recipients\n\n" +
      bullets(declared.recipients, "(no recipient declared: add them to notice.recipients)") +
      "\nAnalyses show people as pseudonyms; revealing who a pseudonym is takes a request and "
      "a second person's approval, both kept in the audit trail.\n\n## Retention\n\n" +
      retentionTable(retention) +
      "\nRecords past their retention are deleted by the collector's purge, except under a "
      "legal hold, which is itself recorded.\n\n## Security measures\n\n"
      "- Encrypted queue on the workstation (SQLCipher), out of the employee's reach; events "
      "chained with an HMAC so that removal or change shows.\n"
      "- Transfer over mutually authenticated TLS (1.2 or later) to the collector only.\n"
      "- Encrypted store at the collector; every query of the audit API is authenticated, "
      "limited by role and client brand, and kept in a hash-chained audit trail.\n"
      "- Workstation policies signed by the collector; a workstation refuses an unsigned or "
      "older policy.\n";

  pack.notice =
      "# Information for employees: what is recorded on your workstation\n\n" + source +
      declared.controller +
      " records, on the workstations used to handle customer data, when customer records are "
      "accessed, copied, exported or printed. The Vigie agent is visible on your workstation: "
      "it shows this information when your session starts and whenever the policy changes, and "
      "keeps a record that it was shown.\n\n## Why\n\n" +
      bullets(declared.purposes, "(purposes to be declared)") + "\n## What is recorded\n\n" +
      dataCategories(declared) + "\n## When calls may be recorded or listened to\n\n" +
      bullets(declared.periods, "No period is declared: calls are not recorded or listened to.") +
      "\nYour workstation notifies you when such a period starts and ends.\n\n"
      "## Who sees it\n\n" +
      bullets(declared.recipients, "(recipients to be declared)") + "\n## How long it is kept\n\n" +
      retentionTable(retention) +
      "\n## Your rights\n\nYou may see what was recorded about you today on your own "
      "workstation (`vigie-session --my-data`), and ask " +
      declared.contact +
      " for access to, or correction of, what is kept about you, or object to it. You may also "
      "complain to the CNIL (www.cnil.fr).\n";

  pack.dpia =
      "# Impact assessment (DPIA): points to cover\n\n" + source +
      "Monitoring employees' activity systematically is on the CNIL's list of processing that "
      "requires an impact assessment. Vigie answers part of each point; the controller "
      "completes the rest.\n\n## 1. Description\n\nSee the description of the processing "
      "(purposes, data categories, recipients, retention, security measures).\n\n"
      "## 2. Necessity and proportionality\n\n"
      "- Purposes declared: " +
      std::to_string(declared.purposes.size()) +
      " (listed in the description). Check that each one is legitimate and explicit.\n"
      "- Minimisation: metadata only; no keystrokes, screens, contents. Applications recorded "
      "only when the policy names them (" +
      std::to_string(declared.applications.size()) +
      " named). Check that each one handles customer data.\n"
      "- Retention: see the table; 6 months by default, longer only with a written "
      "justification kept by the collector.\n"
      "- Information: notice shown on the workstation and recorded; employee notice to "
      "circulate; the works council (CSE) to be informed and consulted before deployment.\n"
      "- Rights: access on the workstation (today's records) and through the contact (" +
      declared.contact +
      ").\n\n"
      "## 3. Risks for the people concerned, and measures\n\n"
      "| risk | measures in Vigie | to be decided by the controller |\n|---|---|---|\n"
      "| surveillance beyond the declared purposes | policy limits what is recorded; signed; "
      "pseudonymised analysis | who may request a reveal |\n"
      "| illegitimate access to the records | roles, brand separation, two-person reveal, "
      "hash-chained audit trail | review of the audit trail |\n"
      "| unwanted change or deletion | HMAC chain per workstation, integrity incidents, "
      "encrypted stores | backups, legal holds |\n"
      "| unfair decisions from alerts | alerts are leads with their evidence, closed with a "
      "verdict | human review before any consequence |\n\n"
      "## 4. Validation\n\nOpinion of the data protection officer, consultation of the works "
      "council, decision of the controller, review date.\n";
  return pack;
}

}  // namespace vigie::collector
