#pragma once

// The audit API's route functions, one group per file (see api_routes.cc for who may call which).

#include "api/api_call.h"

namespace vigie::collector::api {

// auth_routes.cc
ApiReply login(ApiCall& call, AuditService& audit);
ApiReply logout(ApiCall& call, AuditService& audit);
ApiReply whoAmI(ApiCall& call, AuditService& audit);
ApiReply listAccounts(ApiCall& call, AuditService& audit);
ApiReply addAccount(ApiCall& call, AuditService& audit);
ApiReply removeAccount(ApiCall& call, AuditService& audit);

// question_routes.cc
ApiReply recordHistory(ApiCall& call, AuditService& audit);
ApiReply userTimeline(ApiCall& call, AuditService& audit);
ApiReply exports(ApiCall& call, AuditService& audit);
ApiReply incidents(ApiCall& call, AuditService& audit);

// reveal_routes.cc
ApiReply requestReveal(ApiCall& call, AuditService& audit);
ApiReply listReveals(ApiCall& call, AuditService& audit);
ApiReply approveReveal(ApiCall& call, AuditService& audit);
ApiReply denyReveal(ApiCall& call, AuditService& audit);
ApiReply showReveal(ApiCall& call, AuditService& audit);

// trail_routes.cc
ApiReply readTrail(ApiCall& call, AuditService& audit);
ApiReply verifyTrail(ApiCall& call, AuditService& audit);

// crm_routes.cc
ApiReply postCrmEvents(ApiCall& call, AuditService& audit);

// directory_routes.cc
ApiReply setPerson(ApiCall& call, AuditService& audit);
ApiReply assignDevice(ApiCall& call, AuditService& audit);

// fleet_routes.cc
ApiReply fleetStatus(ApiCall& call, AuditService& audit);
ApiReply fleetDevice(ApiCall& call, AuditService& audit);

// retention_routes.cc
ApiReply showRetention(ApiCall& call, AuditService& audit);
ApiReply setRetention(ApiCall& call, AuditService& audit);
ApiReply purgeNow(ApiCall& call, AuditService& audit);
ApiReply listHolds(ApiCall& call, AuditService& audit);
ApiReply addHold(ApiCall& call, AuditService& audit);
ApiReply releaseHold(ApiCall& call, AuditService& audit);
ApiReply exportBrand(ApiCall& call, AuditService& audit);
ApiReply deleteBrand(ApiCall& call, AuditService& audit);

// detection_routes.cc
ApiReply postCalls(ApiCall& call, AuditService& audit);
ApiReply postShifts(ApiCall& call, AuditService& audit);
ApiReply listShifts(ApiCall& call, AuditService& audit);
ApiReply listWatchlist(ApiCall& call, AuditService& audit);
ApiReply putWatchlist(ApiCall& call, AuditService& audit);
ApiReply deleteWatchlist(ApiCall& call, AuditService& audit);
ApiReply listAlerts(ApiCall& call, AuditService& audit);
ApiReply showAlert(ApiCall& call, AuditService& audit);
ApiReply acknowledgeAlert(ApiCall& call, AuditService& audit);
ApiReply closeAlert(ApiCall& call, AuditService& audit);
ApiReply showDetectionPolicy(ApiCall& call, AuditService& audit);
ApiReply startRun(ApiCall& call, AuditService& audit);
ApiReply listRuns(ApiCall& call, AuditService& audit);
ApiReply showRun(ApiCall& call, AuditService& audit);

// policy_routes.cc
ApiReply showWorkstationPolicy(ApiCall& call, AuditService& audit);
ApiReply activateWorkstationPolicy(ApiCall& call, AuditService& audit);
ApiReply workstationPolicyHistory(ApiCall& call, AuditService& audit);
ApiReply compliancePack(ApiCall& call, AuditService& audit);

}  // namespace vigie::collector::api
