#pragma once

// A vigie-collector process for end-to-end tests (VIGIE_COLLECTOR_BINARY is defined by the test
// target).

#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "subprocess.h"

namespace vigie::testing {

// A vigie-collector process serving on 127.0.0.1; port 0 picks a free one.
class CollectorProcess {
 public:
  // `options` are added to the command line (e.g. shorter fleet thresholds); `environment`
  // (NAME=value) to its environment.
  CollectorProcess(std::string data_dir, uint16_t port, std::vector<std::string> options = {},
                   const std::vector<std::string>& environment = {})
      : data_dir_(std::move(data_dir)) {
    std::vector<std::string> argv{VIGIE_COLLECTOR_BINARY,
                                  "--data-dir",
                                  data_dir_,
                                  "--listen",
                                  "127.0.0.1:" + std::to_string(port),
                                  "--server-names",
                                  "localhost,127.0.0.1"};
    argv.insert(argv.end(), options.begin(), options.end());
    if (!environment.empty()) {
      argv.insert(argv.begin(), environment.begin(), environment.end());
      argv.insert(argv.begin(), "/usr/bin/env");
    }
    process_ = std::make_unique<Subprocess>(argv);
    const std::string line = process_->readLine();
    const std::string marker = "listening on https://127.0.0.1:";
    const size_t at = line.find(marker);
    EXPECT_NE(at, std::string::npos) << "collector did not start: " << line;
    if (at != std::string::npos) {
      port_ = static_cast<uint16_t>(std::stoi(line.substr(at + marker.size())));
    }
  }
  ~CollectorProcess() { stop(SIGTERM); }

  void stop(int signo) {
    if (!process_) return;
    process_->signal(signo);
    process_->wait();
    process_.reset();
  }
  // An audit API account made as an administrator would, on the collector host
  // (`--add-account`); `brand` empty: not bound to a brand. Fails the test if refused.
  void addAccount(const std::string& name, const std::string& role, const std::string& password,
                  const std::string& brand = "") const {
    std::string command = "printf '%s\\n' '" + password + "' | " + VIGIE_COLLECTOR_BINARY +
                          " --data-dir " + data_dir_ + " --add-account " + name + " --role " + role;
    if (!brand.empty()) command += " --brand " + brand;
    Subprocess add({"/bin/sh", "-c", command}, -1, true);
    const std::string output = add.readAllOutput();
    EXPECT_EQ(add.wait(), 0) << output;
  }

  uint16_t port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string data_dir_;
  std::unique_ptr<Subprocess> process_;
  uint16_t port_ = 0;
};

}  // namespace vigie::testing
