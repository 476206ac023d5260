// The Windows session sensor under wine: how long from a window showing a customer record to the
// sensor's crm.view reaching the service's pipe (p50 / p95 / max over N records), and what the
// sensor costs while the desktop is idle (CPU time over 10 s, working set).
// Usage: sensor_latency_bench.exe VIGIE_SESSION_EXE [N [DEBOUNCE_MS]]
// (bench/windows-sensor.sh runs it)

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on
#include <psapi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "support/windows_test_support.h"

namespace {

using vigie::wintest::ChildProcess;
using vigie::wintest::PipeRecorder;
using vigie::wintest::TempDir;

constexpr char kPolicy[] = R"j({"policy_version": "bench",
  "applications": [{"app": "bench", "brand": "Bench", "process": "^sensor_latency_bench\\.exe$",
    "screens": [{"screen": "customer", "mode": "view", "title": "^Fiche client (C-[0-9]+) "}]}],
  "clipboard": "none"})j";

double cpuSeconds(HANDLE process) {
  FILETIME created, exited, kernel, user;
  GetProcessTimes(process, &created, &exited, &kernel, &user);
  const auto ticks = [](FILETIME t) {
    return (static_cast<uint64_t>(t.dwHighDateTime) << 32) | t.dwLowDateTime;
  };
  return static_cast<double>(ticks(kernel) + ticks(user)) / 1e7;
}

void pumpFor(DWORD millis) {
  const DWORD end = GetTickCount() + millis;
  for (DWORD now = GetTickCount(); static_cast<LONG>(end - now) > 0; now = GetTickCount()) {
    MSG message;
    while (PeekMessageW(&message, nullptr, 0, 0, PM_REMOVE)) DispatchMessageW(&message);
    MsgWaitForMultipleObjects(0, nullptr, FALSE, end - now, QS_ALLINPUT);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sensor_latency_bench.exe VIGIE_SESSION_EXE [N [DEBOUNCE_MS]]\n");
    return 2;
  }
  const int records = argc > 2 ? std::max(1, std::atoi(argv[2])) : 50;
  TempDir dir;
  vigie::wintest::writeFile(dir.file("policy.json"), kPolicy);
  PipeRecorder service(R"(\\.\pipe\vigie-bench-)" + std::to_string(GetCurrentProcessId()));
  const std::string debounce = argc > 3 ? argv[3] : "150";
  ChildProcess sensor(
      argv[1],
      {"--socket", service.name(), "--policy", dir.file("policy.json"), "--debounce-ms", debounce},
      dir.file("sensor.log"));
  if (!service.listening() || !sensor.started()) {
    std::fprintf(stderr, "bench: could not start the pipe or the sensor\n");
    return 1;
  }

  WNDCLASSW window_class{};
  window_class.lpfnWndProc = DefWindowProcW;
  window_class.hInstance = GetModuleHandleW(nullptr);
  window_class.lpszClassName = L"VigieBench";
  RegisterClassW(&window_class);
  HWND window = CreateWindowExW(0, L"VigieBench", L"Bench", WS_OVERLAPPEDWINDOW, 0, 0, 400, 300,
                                nullptr, nullptr, GetModuleHandleW(nullptr), nullptr);
  ShowWindow(window, SW_SHOW);
  SetForegroundWindow(window);
  pumpFor(2000);  // the sensor greets, shows its notice, starts watching
  if (sensor.wait(0) != -1) {
    std::fprintf(stderr, "bench: the sensor ended:\n%s",
                 vigie::wintest::readFile(dir.file("sensor.log")).c_str());
    return 1;
  }

  std::vector<double> latencies;
  for (int i = 0; i < records; ++i) {
    const std::string record = "C-" + std::to_string(100000 + i);
    const std::string needle = "\"record_id\":\"" + record + "\"";
    SetWindowTextW(window, vigie::wintest::widen("Fiche client " + record + " - Bench").c_str());
    const auto shown = std::chrono::steady_clock::now();
    bool seen = false;
    while (!seen && std::chrono::steady_clock::now() - shown < std::chrono::seconds(10)) {
      pumpFor(1);
      seen = service.waitFor(
          [&](const auto& lines) {
            return std::any_of(lines.begin(), lines.end(), [&](const PipeRecorder::Line& line) {
              return line.text.find(needle) != std::string::npos;
            });
          },
          5);
    }
    if (!seen) {
      std::fprintf(stderr, "bench: %s never reported; the sensor said:\n%s", record.c_str(),
                   vigie::wintest::readFile(dir.file("sensor.log")).c_str());
      return 1;
    }
    latencies.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - shown)
            .count());
  }
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double q) {
    return latencies[std::min(latencies.size() - 1,
                              static_cast<size_t>(q * static_cast<double>(latencies.size())))];
  };

  HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, sensor.pid());
  const double cpu_before = cpuSeconds(process);
  pumpFor(10000);
  const double idle_cpu = cpuSeconds(process) - cpu_before;
  PROCESS_MEMORY_COUNTERS memory{};
  GetProcessMemoryInfo(process, &memory, sizeof memory);
  CloseHandle(process);
  std::printf(
      "records %d  debounce %s ms  action->event p50 %.1f ms  p95 %.1f ms  max %.1f ms  idle CPU "
      "%.2f%% over 10 s"
      "  working set %.1f MB (peak %.1f MB)\n",
      records, debounce.c_str(), at(0.50), at(0.95), latencies.back(), idle_cpu / 10.0 * 100.0,
      static_cast<double>(memory.WorkingSetSize) / 1048576.0,
      static_cast<double>(memory.PeakWorkingSetSize) / 1048576.0);
  sensor.requestClose();
  sensor.wait(10000);
  DestroyWindow(window);
  return 0;
}
