#pragma once

#include <string>

namespace vigie::platform {

// The class of a printed document: its file extension when the job name ends with a short one,
// else the kind of its format (a MIME type; "" when the print system gives none). The name
// itself (often a customer's) is not kept.
std::string documentClass(const std::string& job_name, const std::string& format);

}  // namespace vigie::platform
