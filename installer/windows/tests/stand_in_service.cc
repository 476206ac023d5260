// A stand-in for vigie-agent.exe, for testing the MSI's service registration until the real
// service builds for Windows: a service named VigieAgent that, when started, records what it
// finds of the enrollment values in C:\ProgramData\Vigie\stand-in-service.txt (the URL, and
// whether a token is there - never the token), then runs until it is stopped.
#include <windows.h>

#include <fstream>
#include <string>

namespace {

constexpr wchar_t kServiceName[] = L"VigieAgent";
constexpr wchar_t kEnrollmentKey[] = L"Software\\Vigie\\Enrollment";
constexpr char kReportFile[] = "C:\\ProgramData\\Vigie\\stand-in-service.txt";

SERVICE_STATUS_HANDLE g_status_handle = nullptr;
HANDLE g_stop_event = nullptr;

void reportState(DWORD state) {
  SERVICE_STATUS status{};
  status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  status.dwCurrentState = state;
  status.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP : 0;
  SetServiceStatus(g_status_handle, &status);
}

// The REG_SZ value NAME of the enrollment key, as UTF-8; "" when absent.
std::string enrollmentValue(const wchar_t* name) {
  wchar_t value[2048];
  DWORD size = sizeof(value);
  if (RegGetValueW(HKEY_LOCAL_MACHINE, kEnrollmentKey, name, RRF_RT_REG_SZ, nullptr, value,
                   &size) != ERROR_SUCCESS) {
    return "";
  }
  char utf8[4 * 2048];
  const int length =
      WideCharToMultiByte(CP_UTF8, 0, value, -1, utf8, sizeof(utf8), nullptr, nullptr);
  return length > 0 ? std::string(utf8, static_cast<size_t>(length - 1)) : "";
}

DWORD WINAPI onControl(DWORD control, DWORD /*type*/, void* /*data*/, void* /*context*/) {
  if (control == SERVICE_CONTROL_STOP || control == SERVICE_CONTROL_SHUTDOWN) {
    reportState(SERVICE_STOP_PENDING);
    SetEvent(g_stop_event);
    return NO_ERROR;
  }
  return control == SERVICE_CONTROL_INTERROGATE ? NO_ERROR : ERROR_CALL_NOT_IMPLEMENTED;
}

void WINAPI serviceMain(DWORD /*argc*/, wchar_t** /*argv*/) {
  g_status_handle = RegisterServiceCtrlHandlerExW(kServiceName, onControl, nullptr);
  if (g_status_handle == nullptr) return;
  g_stop_event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  {
    std::ofstream report(kReportFile, std::ios::trunc);
    report << "collector_url=" << enrollmentValue(L"CollectorUrl") << "\n"
           << "token=" << (enrollmentValue(L"Token").empty() ? "absent" : "present") << "\n";
  }
  reportState(SERVICE_RUNNING);
  WaitForSingleObject(g_stop_event, INFINITE);
  reportState(SERVICE_STOPPED);
}

}  // namespace

int main() {
  wchar_t name[] = L"VigieAgent";
  const SERVICE_TABLE_ENTRYW table[] = {{name, serviceMain}, {nullptr, nullptr}};
  return StartServiceCtrlDispatcherW(table) ? 0 : 1;
}
