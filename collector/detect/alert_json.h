#pragma once

// An alert as JSON, the same for the API, the console and every output (webhook, syslog,
// JSON lines): the person appears as a pseudonym, never as a login.

#include <string>

#include "audit/pseudonyms.h"
#include "detect/alerts.h"

namespace vigie::collector {

// {"id":..,"rule":..,"severity":..,"status":..,"person":"p-..","device":..,"brand":..,
//  "time":..,"raised":..,"summary":..,"evidence":[..],"evidence_count":..,"origin":..,
//  "verdict":"true_positive"|"false_positive"|null,"comment":..,"updated_by":..,"updated":..}
std::string alertJson(const Alert& alert, const Pseudonyms& pseudonyms);

}  // namespace vigie::collector
