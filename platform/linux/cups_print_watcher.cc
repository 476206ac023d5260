#include "cups_print_watcher.h"

#include <cups/cups.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <iostream>
#include <memory>

#include "../common/document_class.h"

namespace vigie::platform {
namespace {

constexpr char kAllPrinters[] = "ipp://localhost/";

struct IppDeleter {
  void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};
using Ipp = std::unique_ptr<ipp_t, IppDeleter>;

int integerOf(ipp_t* ipp, const char* name, int fallback) {
  ipp_attribute_t* attribute = ippFindAttribute(ipp, name, IPP_TAG_INTEGER);
  return attribute != nullptr ? ippGetInteger(attribute, 0) : fallback;
}

std::string textOf(ipp_t* ipp, const char* name) {
  ipp_attribute_t* attribute = ippFindAttribute(ipp, name, IPP_TAG_ZERO);
  const char* value = attribute != nullptr ? ippGetString(attribute, 0, nullptr) : nullptr;
  return value != nullptr ? value : "";
}

}  // namespace

StatusOr<std::unique_ptr<CupsPrintWatcher>> CupsPrintWatcher::start(std::string user) {
  UniqueFd ready(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!ready.valid()) return posixError("eventfd", errno);
  std::unique_ptr<CupsPrintWatcher> watcher(
      new CupsPrintWatcher(std::move(user), std::move(ready)));
  watcher->thread_ = std::thread([raw = watcher.get()] { raw->run(); });
  return watcher;
}

CupsPrintWatcher::CupsPrintWatcher(std::string user, UniqueFd ready)
    : user_(std::move(user)), ready_(std::move(ready)) {}

CupsPrintWatcher::~CupsPrintWatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (http_ != nullptr) httpShutdown(static_cast<http_t*>(http_));
  }
  wake_.notify_all();
  thread_.join();
}

bool CupsPrintWatcher::waitOrStop(int seconds) {
  std::unique_lock lock(mu_);
  wake_.wait_for(lock, std::chrono::seconds(seconds), [this] { return stopping_; });
  return !stopping_;
}

void CupsPrintWatcher::deliver(DesktopListener& listener) {
  uint64_t count = 0;
  (void)!read(ready_.get(), &count, sizeof count);
  std::vector<PrintJobDone> jobs;
  {
    std::lock_guard lock(mu_);
    jobs.swap(jobs_);
  }
  for (const PrintJobDone& job : jobs) listener.onPrintJob(job);
}

void CupsPrintWatcher::run() {
  bool reported = false;
  while (true) {
    http_t* http = httpConnect2(cupsServer(), ippPort(), nullptr, AF_UNSPEC, cupsEncryption(), 1,
                                5000, nullptr);
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        if (http != nullptr) httpClose(http);
        return;
      }
      http_ = http;
    }
    int subscription = 0;
    if (http != nullptr) {
      Ipp request(ippNewRequest(IPP_OP_CREATE_PRINTER_SUBSCRIPTIONS));
      ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
                   kAllPrinters);
      ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
                   user_.c_str());
      ippAddString(request.get(), IPP_TAG_SUBSCRIPTION, IPP_TAG_KEYWORD, "notify-events", nullptr,
                   "job-completed");
      ippAddString(request.get(), IPP_TAG_SUBSCRIPTION, IPP_TAG_KEYWORD, "notify-pull-method",
                   nullptr, "ippget");
      ippAddInteger(request.get(), IPP_TAG_SUBSCRIPTION, IPP_TAG_INTEGER, "notify-lease-duration",
                    86400);
      Ipp response(cupsDoRequest(http, request.release(), "/"));
      if (response && ippGetStatusCode(response.get()) <= IPP_STATUS_OK_CONFLICTING) {
        subscription = integerOf(response.get(), "notify-subscription-id", 0);
      }
    }
    if (subscription == 0) {
      if (!reported) {
        std::cerr << "vigie-session: print jobs not followed: the print system (CUPS at "
                  << cupsServer() << ") cannot be reached; trying again every 30 s\n";
        reported = true;
      }
    } else {
      reported = false;
      int next_sequence = 1;
      while (true) {
        Ipp request(ippNewRequest(IPP_OP_GET_NOTIFICATIONS));
        ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
                     kAllPrinters);
        ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name",
                     nullptr, user_.c_str());
        ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, "notify-subscription-ids",
                      subscription);
        ippAddInteger(request.get(), IPP_TAG_OPERATION, IPP_TAG_INTEGER, "notify-sequence-numbers",
                      next_sequence);
        ippAddBoolean(request.get(), IPP_TAG_OPERATION, "notify-wait", 1);
        Ipp response(cupsDoRequest(http, request.release(), "/"));
        if (!response || ippGetStatusCode(response.get()) > IPP_STATUS_OK_CONFLICTING) break;
        // Each event notification is one attribute group: collect its job ids.
        std::vector<int> finished;
        int job_id = 0;
        for (ipp_attribute_t* a = ippFirstAttribute(response.get()); a != nullptr;
             a = ippNextAttribute(response.get())) {
          const char* name = ippGetName(a);
          if (name == nullptr) {  // group separator
            if (job_id != 0) finished.push_back(job_id);
            job_id = 0;
            continue;
          }
          const std::string attribute = name;
          if (attribute == "notify-sequence-number") {
            next_sequence = std::max(next_sequence, ippGetInteger(a, 0) + 1);
          } else if (attribute == "notify-job-id" || attribute == "job-id") {
            job_id = ippGetInteger(a, 0);
          }
        }
        if (job_id != 0) finished.push_back(job_id);
        for (const int id : finished) {
          Ipp job_request(ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES));
          const std::string uri = "ipp://localhost/jobs/" + std::to_string(id);
          ippAddString(job_request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr,
                       uri.c_str());
          ippAddString(job_request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name",
                       nullptr, user_.c_str());
          Ipp job(cupsDoRequest(http, job_request.release(), "/"));
          if (!job || textOf(job.get(), "job-originating-user-name") != user_) continue;
          PrintJobDone done;
          const std::string printer_uri = textOf(job.get(), "job-printer-uri");
          done.printer = printer_uri.substr(printer_uri.rfind('/') + 1);
          done.copies = static_cast<uint64_t>(std::max(1, integerOf(job.get(), "copies", 1)));
          const int impressions = integerOf(job.get(), "job-impressions-completed", 0);
          done.pages =
              (static_cast<uint64_t>(std::max(0, impressions)) + done.copies - 1) / done.copies;
          done.document_class =
              documentClass(textOf(job.get(), "job-name"), textOf(job.get(), "document-format"));
          std::lock_guard lock(mu_);
          jobs_.push_back(std::move(done));
          const uint64_t one = 1;
          (void)!write(ready_.get(), &one, sizeof one);
        }
      }
    }
    {
      std::lock_guard lock(mu_);
      http_ = nullptr;
    }
    if (http != nullptr) httpClose(http);
    if (!waitOrStop(subscription == 0 ? 30 : 1)) return;
  }
}

}  // namespace vigie::platform
