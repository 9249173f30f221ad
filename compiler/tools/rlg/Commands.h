// The rlg driver's subcommands.
#pragma once

#include <string>
#include <vector>

namespace rlg::driver {

/// Exit codes shared by every subcommand.
enum ExitCode { kExitOk = 0, kExitUserError = 1, kExitInternalError = 2 };

struct CheckOptions {
  std::vector<std::string> files;
  bool dumpAst = false;
  bool summary = false;
  bool warningsAsErrors = false;
  std::string color = "auto"; // auto, always or never
};

int runCheck(const CheckOptions &options);

struct ValidateOptions {
  std::vector<std::string> files;
};

int runValidate(const ValidateOptions &options);

} // namespace rlg::driver
