#pragma once

// The compliance pack, generated from the workstation policy in force and the collector's own
// retention settings so that what is declared is what is configured (docs/admin-guide.md):
//   processing  the description of the processing for the record of processing activities
//               (purposes, data categories, people concerned, recipients, retention, security)
//   notice      the information notice for employees
//   dpia        the points an impact assessment (DPIA) must cover, filled in where Vigie knows
// Markdown text, in English; the controller adapts and translates it.

#include <string>
#include <vector>

#include "audit/retention.h"
#include "fleet/workstation_policies.h"

namespace vigie::collector {

struct CompliancePack {
  std::string processing;
  std::string notice;
  std::string dpia;
};

// REQUIRES: policy.document is a document WorkstationPolicies signed.
StatusOr<CompliancePack> buildCompliancePack(const SignedPolicy& policy,
                                             const std::vector<RetentionClass>& retention);

}  // namespace vigie::collector
