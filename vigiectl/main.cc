// vigiectl: the audit and administration client of a Vigie collector (docs/vigiectl.md).
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"

int main(int argc, char** argv) {
  vigie::ctl::Context context{std::cout, std::cerr, vigie::ctl::ConfigEnvironment::fromProcess()};
  const std::vector<std::string> args(argv + 1, argv + argc);
  const int code = vigie::ctl::runVigiectl(context, args);
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "vigiectl: cannot write standard output\n";
    return vigie::ctl::kExitError;
  }
  return code;
}
