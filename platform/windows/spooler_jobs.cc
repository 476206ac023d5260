#include "spooler_jobs.h"

#include <winspool.h>

#include <iterator>

#include "../common/document_class.h"

namespace vigie::platform::win32 {
namespace {

WORD kJobFields[] = {JOB_NOTIFY_FIELD_PRINTER_NAME, JOB_NOTIFY_FIELD_USER_NAME,
                     JOB_NOTIFY_FIELD_DOCUMENT,     JOB_NOTIFY_FIELD_TOTAL_PAGES,
                     JOB_NOTIFY_FIELD_STATUS,       JOB_NOTIFY_FIELD_DEVMODE};

PRINTER_NOTIFY_OPTIONS jobOptions(PRINTER_NOTIFY_OPTIONS_TYPE& type, DWORD flags) {
  type = PRINTER_NOTIFY_OPTIONS_TYPE{};
  type.Type = JOB_NOTIFY_TYPE;
  type.Count = static_cast<DWORD>(std::size(kJobFields));
  type.pFields = kJobFields;
  PRINTER_NOTIFY_OPTIONS options{};
  options.Version = 2;
  options.Flags = flags;
  options.Count = 1;
  options.pTypes = &type;
  return options;
}

std::string textOf(const PRINTER_NOTIFY_INFO_DATA& data) {
  const auto* text = static_cast<const wchar_t*>(data.NotifyData.Data.pBuf);
  if (text == nullptr) return {};
  return narrow(
      std::wstring_view(text, wcsnlen(text, data.NotifyData.Data.cbBuf / sizeof(wchar_t))));
}

bool sameAccount(const std::string& a, const std::string& b) {
  return CompareStringOrdinal(widen(a).c_str(), -1, widen(b).c_str(), -1, TRUE) == CSTR_EQUAL;
}

}  // namespace

StatusOr<std::unique_ptr<SpoolerJobs>> SpoolerJobs::open(std::string user) {
  HANDLE server = nullptr;
  if (!OpenPrinterW(nullptr, &server, nullptr)) return win32Error("open the local print server");
  PRINTER_NOTIFY_OPTIONS_TYPE type;
  PRINTER_NOTIFY_OPTIONS options = jobOptions(type, 0);
  HANDLE change = FindFirstPrinterChangeNotification(server, 0, 0, &options);
  if (change == INVALID_HANDLE_VALUE || change == nullptr) {
    Status failed = win32Error("the print spooler gives no change notifications");
    ClosePrinter(server);
    return failed;
  }
  return std::unique_ptr<SpoolerJobs>(new SpoolerJobs(server, change, std::move(user)));
}

SpoolerJobs::~SpoolerJobs() {
  FindClosePrinterChangeNotification(change_);
  ClosePrinter(server_);
}

void SpoolerJobs::onSignalled(DesktopListener& listener) {
  DWORD what = 0;
  PRINTER_NOTIFY_INFO* info = nullptr;
  PRINTER_NOTIFY_OPTIONS_TYPE type;
  PRINTER_NOTIFY_OPTIONS options = jobOptions(type, 0);
  if (!FindNextPrinterChangeNotification(change_, &what, &options,
                                         reinterpret_cast<void**>(&info))) {
    return;
  }
  if (info != nullptr && (info->Flags & PRINTER_NOTIFY_INFO_DISCARDED) != 0) {
    // The spooler dropped changes: ask for the whole state again.
    FreePrinterNotifyInfo(info);
    info = nullptr;
    PRINTER_NOTIFY_OPTIONS refresh = jobOptions(type, PRINTER_NOTIFY_OPTIONS_REFRESH);
    FindNextPrinterChangeNotification(change_, &what, &refresh, reinterpret_cast<void**>(&info));
  }
  if (info == nullptr) return;
  for (DWORD i = 0; i < info->Count; ++i) {
    const PRINTER_NOTIFY_INFO_DATA& data = info->aData[i];
    if (data.Type != JOB_NOTIFY_TYPE) continue;
    Job& job = jobs_[data.Id];
    switch (data.Field) {
      case JOB_NOTIFY_FIELD_PRINTER_NAME:
        job.printer = textOf(data);
        break;
      case JOB_NOTIFY_FIELD_USER_NAME:
        job.user = textOf(data);
        break;
      case JOB_NOTIFY_FIELD_DOCUMENT:
        job.document = textOf(data);
        break;
      case JOB_NOTIFY_FIELD_TOTAL_PAGES:
        job.pages = data.NotifyData.adwData[0];
        break;
      case JOB_NOTIFY_FIELD_STATUS:
        job.status = data.NotifyData.adwData[0];
        break;
      case JOB_NOTIFY_FIELD_DEVMODE:
        if (const auto* mode = static_cast<const DEVMODEW*>(data.NotifyData.Data.pBuf);
            mode != nullptr && (mode->dmFields & DM_COPIES) != 0 && mode->dmCopies > 0) {
          job.copies = static_cast<uint64_t>(mode->dmCopies);
        }
        break;
      default:
        break;
    }
  }
  FreePrinterNotifyInfo(info);
  deliver(listener);
}

void SpoolerJobs::deliver(DesktopListener& listener) {
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    Job& job = it->second;
    const bool printed = (job.status & (JOB_STATUS_PRINTED | JOB_STATUS_COMPLETE)) != 0;
    if (printed && !job.reported && sameAccount(job.user, user_)) {
      PrintJobDone done;
      done.printer = job.printer;
      done.pages = job.pages;
      done.copies = job.copies;
      done.document_class = documentClass(job.document, "");
      listener.onPrintJob(done);
      job.reported = true;
    }
    it = (job.status & JOB_STATUS_DELETED) != 0 ? jobs_.erase(it) : std::next(it);
  }
}

}  // namespace vigie::platform::win32
